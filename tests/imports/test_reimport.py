"""Every importer reads numbers as Excel shows them, and a file PMIS accepted previews no
changes when it is imported again."""

import pytest

from imports import benchmarks, budget, framework, returns
from imports.reading import read_table
from tests.imports.helpers import Council, xlsx_bytes

pytestmark = pytest.mark.django_db

# =95.9/100 as Excel stores it, shown as 95.9% in a cell formatted as a percentage.
BINARY = 95.9 / 100


def _roundtrip(importer, data, user):
    if hasattr(importer, "read"):
        table = importer.read(data, "file.xlsx")
    else:
        table = read_table(data, "file.xlsx", required=importer.REQUIRED, known=importer.KNOWN)
    first = importer.check(table, user)
    assert first.errors == []
    assert first.changes
    importer.apply(table, user, versions=first.versions)
    again = importer.check(table, user)
    assert again.errors == [] and again.changes == []
    return first


def test_returns():
    council = Council()
    data = xlsx_bytes(
        [["ENV1a", "2025/26 Q2", BINARY, "", ""], ["ENV2", "2025/26 Q2", 1234.1 + 0.2, "", ""]],
        formats={"C2": "0.0%"},
    )
    first = _roundtrip(returns, data, council.officer)
    assert [c["after"] for c in first.changes] == ["95.9%", "£1,234.30"]


def test_framework():
    council = Council()
    headings = ["code", "title", "unit", "polarity", "frequency", "decimal_places", "service", "cumulative",
                "published", "description", "target_period", "target", "target_rationale"]  # fmt: skip
    rows = [
        ["N1", "New", "percentage", "higher", "quarter", 1, "waste", "no", "yes", "Said", "2025/26 Q1", BINARY, "Why"],
        ["N1", "New", "percentage", "higher", "quarter", 1, "waste", "no", "yes", "Said", "2025/26 Q2", 0.5, ""],
        ["ENV3", "Fly-tips", "number", "none", "quarter", 0, "waste", "no", "no", "", "", "", ""],
    ]
    first = _roundtrip(framework, xlsx_bytes(rows, headings, formats={"L2": "0.0%"}), council.team)
    assert "Target 2025/26 Q1: 95.9%" in [c["after"] for c in first.changes]


def test_benchmarks():
    council = Council()
    rows = [
        ["ENV1a", "2025/26 Q2", "CIPFA", "Anytown", BINARY],
        ["ENV1a", "2025/26 Q2", "CIPFA", "Othertown", 12.345678],  # published to more places than PMIS keeps
    ]
    headings = ["indicator_code", "period", "group", "council", "value"]
    first = _roundtrip(benchmarks, xlsx_bytes(rows, headings, formats={"E2": "0.0%"}), council.team)
    assert [c["after"] for c in first.changes] == ["Anytown (CIPFA): 95.9%", "Othertown (CIPFA): 12.3%"]


def test_budget():
    council = Council()
    headings = ["service_code", "period", "budget", "forecast_outturn", "savings_target", "commentary"]
    rows = [["waste", "2025/26 Q2", BINARY * 1000, 999.99, 0.5, "On track"]]  # 959.0000000000001
    first = _roundtrip(budget, xlsx_bytes(rows, headings), council.team)
    assert "Budget £959.00" in first.changes[0]["after"]
