"""Benchmark: the costliest files a person could upload, read (or refused) as an import check reads them.

    .venv/bin/python bench/hostile_files.py [--smoke]

Each file is read by imports.reading.read_table in a process of its own, which reports the
CPU seconds the reading took and the process's peak memory (its maximum resident set,
Python and Django included, about 60 MB before reading). Goal (issue 17): any file up to the upload limit
(PMIS_IMPORT_MAX_BYTES, 10 MB) is read or refused within 2 s of CPU and 200 MB. The
results are in bench/README.md. --smoke makes each file a tenth of its size, for CI.
"""

import argparse
import csv
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmis.settings")


def files(scale: float) -> dict[str, tuple[str, bytes]]:
    from openpyxl import Workbook

    from imports.returns import KNOWN
    from tests.imports.hostile import sheet_workbook, wide_csv, wide_workbook

    def n(count: int) -> int:
        return max(1, int(count * scale))

    def dense_workbook(rows: int, columns: int) -> bytes:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Returns")
        sheet.append(list(KNOWN)[:columns])
        for row in range(rows):
            sheet.append([f"LPI {row}", "2025/26 Q2", 12.5, "", "Commentary"][:columns])
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()

    def comma_csv(size: int) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(KNOWN)
        line = "," * 199 + "\n"
        return out.getvalue().encode() + (line * (size // len(line))).encode()

    one_row = [[(None, "x")] * n(1_000_000)]
    # Text that packs small: the most XML a workbook may unpack to, in few cells.
    long_text = [[(1, "x" * 2_000)] * 5 for _ in range(n(20_000))]
    under_limit = [[(1, "x" * 450)] * 5 for _ in range(n(19_900))]
    return {
        "the audit's wide sheet (300 rows, each a cell in XFD)": ("wide.xlsx", wide_workbook(rows=n(300))),
        "a wide sheet of 30,000 rows": ("wide.xlsx", wide_workbook(rows=n(30_000))),
        "a CSV record of 20,000 columns": ("wide.csv", wide_csv(columns=20_000)),
        "10 MB of CSV, 200 empty columns a row": ("commas.csv", comma_csv(n(10_000_000))),
        "one row of a million cells": ("row.xlsx", sheet_workbook(one_row)),
        "just under the cell limit: 19,900 rows of 5": ("dense.xlsx", dense_workbook(n(19_900), 5)),
        "a million cells: 200,000 rows of 5": ("dense.xlsx", dense_workbook(n(200_000), 5)),
        "100,000 cells of 2,000 characters each": ("text.xlsx", sheet_workbook(long_text)),
        "99,500 cells of 450 characters each": ("text.xlsx", sheet_workbook(under_limit)),
    }


def read_one(name: str, data: bytes) -> dict:
    """Read one file here, in this process, and measure."""
    import django

    django.setup()
    from imports.reading import FileProblem, read_table
    from imports.returns import KNOWN, REQUIRED

    before = time.process_time()
    try:
        table = read_table(data, name, required=REQUIRED, known=KNOWN)
        outcome = f"read, {len(table.rows):,} rows"
    except FileProblem as problem:
        outcome = f"refused: {str(problem)[:70]}"
    cpu = time.process_time() - before
    # VmHWM, not ru_maxrss: the latter keeps the parent's peak across fork and exec.
    status = Path("/proc/self/status").read_text()
    peak = int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1]) / 1024
    return {"cpu": cpu, "peak_mb": peak, "outcome": outcome}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="files a tenth of their size")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        name = args.one
        print(json.dumps(read_one(name, sys.stdin.buffer.read())))
        return
    import django

    django.setup()
    from django.conf import settings

    limit = settings.PMIS_IMPORT_MAX_BYTES
    print("| file | size | outcome | CPU | peak memory |\n|---|---|---|---|---|")
    worst_cpu = worst_mb = 0.0
    for label, (name, data) in files(0.1 if args.smoke else 1.0).items():
        assert len(data) <= limit, f"{label} is {len(data):,} bytes, over the upload limit"
        found = subprocess.run(
            [sys.executable, __file__, "--one", name], input=data, capture_output=True, check=True, cwd=ROOT
        )
        result = json.loads(found.stdout)
        worst_cpu, worst_mb = max(worst_cpu, result["cpu"]), max(worst_mb, result["peak_mb"])
        print(
            f"| {label} | {len(data) / 1000:,.0f} KB | {result['outcome']} | {result['cpu']:.2f} s "
            f"| {result['peak_mb']:.0f} MB |"
        )
    print(f"\nWorst: {worst_cpu:.2f} s of CPU, {worst_mb:.0f} MB (goal: 2 s, 200 MB)")


if __name__ == "__main__":
    main()
