"""Benchmark: importing a benchmarks file, check and apply, at two sizes to show the queries are fixed.

    .venv/bin/python bench/import_benchmarks.py [--values 50000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h22bench .venv/bin/python bench/import_benchmarks.py

Builds a scratch test database (the engine DATABASE_URL names; SQLite in memory by
default) with 50 quarterly indicators and two years of periods; writes a wide workbook as
benchmarking downloads come (one row per area and period, a column per indicator, areas
named and given as GSS codes, an "England" row skipped, suppressed values "*") holding
the number of values asked for; then times reading and checking it and applying it,
counting SQL queries, and checks that importing it again previews no changes. The
results are in bench/README.md.
"""

import argparse
import datetime
import io
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmis.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from imports import benchmarks  # noqa: E402
from indicators.models import BenchmarkValue, Frequency, Indicator, Unit  # noqa: E402
from indicators.services import periods_ensure_year  # noqa: E402
from organisation.models import Role, User  # noqa: E402
from organisation.services import role_groups_ensure  # noqa: E402

YEAR = 2024
INDICATORS = 50
PERIODS = [f"Q{q} {year}/{(year + 1) % 100:02d}" for year in (YEAR, YEAR + 1) for q in (1, 2, 3, 4)]


def build() -> User:
    for year in (YEAR, YEAR + 1):
        periods_ensure_year(year=year)
    Indicator.objects.bulk_create(
        Indicator(code=f"B{n:03d}", title=f"Bench {n}", unit=Unit.PERCENTAGE, decimal_places=1,
                  frequency=Frequency.QUARTER)
        for n in range(INDICATORS)
    )  # fmt: skip
    user = User.objects.create(username="bench.team")
    user.groups.add(role_groups_ensure()[Role.PERFORMANCE_TEAM])
    return user


def workbook(values: int) -> bytes:
    """Rows of areas and periods, a column per indicator, until there are about `values` values."""
    rng = random.Random(5)
    book = Workbook()
    sheet = book.active
    sheet.append(["Benchmarking download"])
    sheet.append(["Area name", "Area code", "Period", *(f"B{n:03d}" for n in range(INDICATORS))])
    rows = max(values // INDICATORS, 1)
    for n in range(rows):
        period = PERIODS[n % len(PERIODS)]
        area = n // len(PERIODS)
        if area == 0:
            sheet.append(["England", "E92000001", period, *([50.0] * INDICATORS)])
            continue
        cells = [rng.randint(200, 900) / 10 if rng.random() > 0.02 else "*" for _ in range(INDICATORS)]
        sheet.append([f"Council {area}" if area % 2 else "", f"E07{area:06d}", period, *cells])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def step(label: str, func):
    with CaptureQueriesContext(connection) as queries:
        started, cpu = time.perf_counter(), time.process_time()
        result = func()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    # CPU time of this process (not the database server's): less affected by a busy machine.
    print(f"  {label}: {seconds:.2f} s ({cpu:.2f} s CPU here), {len(queries)} queries")
    return result, seconds, len(queries)


def run(values: int, user) -> tuple[float, int, int]:
    BenchmarkValue.objects.all().delete()
    data = workbook(values)
    print(f"file: {len(data) / 1e6:.1f} MB workbook, about {values:,} values")

    def check_file():
        table = benchmarks.read(data, "benchmarks.xlsx")
        return table, benchmarks.check(table, user, group="All districts")

    (table, result), check_seconds, check_queries = step("read and check", check_file)
    assert not result.errors, result.errors[:3]
    summary = result.as_result()["summary"]
    print(f"    {summary['creates']:,} to add, {summary['skipped']:,} skipped (England, suppressed)")
    _, apply_seconds, apply_queries = step(
        "apply", lambda: benchmarks.apply(table, user, versions=result.versions, group="All districts")
    )
    print(f"  check + apply: {check_seconds + apply_seconds:.2f} s")
    again = benchmarks.check(table, user, group="All districts")
    assert again.changes == [], again.changes[:3]
    print(f"  imported again: {again.unchanged:,} unchanged, no changes")
    return check_seconds + apply_seconds, check_queries, apply_queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--values", type=int, default=50_000)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        user = build()
        print(f"engine: {connection.vendor}")
        _, small_check, _ = run(max(args.values // 10, 1000), user)
        _, check_queries, _ = run(args.values, user)
        assert small_check == check_queries, (small_check, check_queries)
        print(f"  the check's queries are the same at both sizes ({check_queries})")
        print(f"at {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, load average {os.getloadavg()[0]:.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
