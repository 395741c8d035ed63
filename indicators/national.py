"""The 2008 National Indicator Set, as kept in indicators/data/national_indicators.csv."""

import csv
import re
from pathlib import Path

from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .models import Indicator, Kind

DATA_FILE = Path(__file__).resolve().parent / "data" / "national_indicators.csv"
CODE = re.compile(r"NI (\d{1,3})")


def read_national_indicators(path: Path = DATA_FILE) -> list[dict[str, str]]:
    """The rows of the data file, checked: codes NI 1 to NI 198, each once, with a title and source."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != ["code", "title", "source"]:
            raise ValueError(f"{path.name}: the header must be code,title,source")
        rows, seen = [], set()
        for line, row in enumerate(reader, start=2):
            match = CODE.fullmatch(row["code"] or "")
            if not match or not 1 <= int(match[1]) <= 198:
                raise ValueError(f"{path.name} line {line}: {row['code']!r} is not a code from NI 1 to NI 198")
            if row["code"] in seen:
                raise ValueError(f"{path.name} line {line}: {row['code']} appears twice")
            if not (row["title"] or "").strip() or not (row["source"] or "").strip():
                raise ValueError(f"{path.name} line {line}: {row['code']} needs a title and a source")
            seen.add(row["code"])
            rows.append({key: row[key].strip() for key in ("code", "title", "source")})
    return rows


@transaction.atomic
def national_indicators_load(path: Path = DATA_FILE) -> tuple[int, int]:
    """Add the national indicators missing from the register and correct changed titles.

    New ones are reference entries (not collected) until the council adopts them. Returns
    (created, updated).
    """
    rows = read_national_indicators(path)
    existing = {i.code: i for i in Indicator.objects.filter(code__in=[r["code"] for r in rows])}
    created, updated = [], []
    for row in rows:
        indicator = existing.get(row["code"])
        if indicator is None:
            created.append(
                Indicator(
                    code=row["code"],
                    title=row["title"],
                    kind=Kind.NATIONAL,
                    is_collected=False,
                    data_source=f"2008 National Indicator Set ({row['source']})",
                )
            )
        elif indicator.title != row["title"]:
            indicator.title = row["title"]
            updated.append(indicator)
    bulk_create_with_history(created, Indicator)
    bulk_update_with_history(updated, Indicator, ["title"])
    return len(created), len(updated)
