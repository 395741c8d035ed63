import datetime

import pytest

from imports import benchmarks
from imports.checking import Periods
from indicators.models import BenchmarkValue, Period
from tests.imports.helpers import Council, csv_bytes, xlsx_bytes
from tests.indicators.factories import period

pytestmark = pytest.mark.django_db

HEADINGS = ["indicator_code", "period", "group", "council", "value"]


def test_a_council_twice_and_a_value_that_is_not_a_number():
    Council()
    data = csv_bytes(
        [
            ["ENV3", "2025/26 Q2", "CIPFA", "Anytown", "12"],
            ["ENV3", "2025/26 Q2", "CIPFA", "Anytown", "13"],
            ["ENV3", "2025/26 Q2", "CIPFA", "Othertown", "lots"],
            ["ENV3", "2025/26 Q2", "CIPFA", "Thirdtown", "n/a"],  # published as missing: skipped
        ],
        HEADINGS,
    )
    table = benchmarks.read(data, "f.csv")
    result = benchmarks.check(table, None)
    assert [(e["row"], e["column"], e["message"]) for e in result.errors] == [
        (3, "D", "Anytown for ENV3 2025/26 Q2 is also on row 2."),
        # Benchmarks have no reason for a missing figure, so the message offers none.
        (4, "E", "The value must be a number, like 1,234."),
    ]
    assert result.skipped == 1


def test_periods_as_councils_write_them_and_a_span_of_years_is_stored_as_it_is():
    council = Council()
    rows = [
        ["ENV3", "Q2 2025-26", "CIPFA", "Anytown", 12],
        ["ENV3", datetime.datetime(2025, 9, 30), "CIPFA", "Anytown", 3],  # an Excel date: September 2025
        ["ENV3", "2019-21", "Scottish councils", "Anytown", 40],
        ["ENV3", "2019-21", "Scottish councils", "Othertown", 41],
        ["ENV3", "Q5 2025/26", "CIPFA", "Anytown", 1],
    ]
    table = benchmarks.read(xlsx_bytes(rows, HEADINGS), "f.xlsx")
    result = benchmarks.check(table, None)
    assert [(e["row"], e["column"]) for e in result.errors] == [(3, "B"), (6, "B")]
    assert "PMIS has no period 2025/26 Sep yet" in result.errors[0]["message"]
    assert "Q1 2025/26" in result.errors[1]["message"]  # the accepted forms

    # Anything else is not given a span of years: returns and targets are for PMIS's own periods.
    assert "only benchmarks" in Periods({"2019-21"}).get("2019-21")[1]
    rows = rows[::2][:2]
    table = benchmarks.read(xlsx_bytes(rows, HEADINGS), "f.xlsx")
    result = benchmarks.check(table, None)
    assert [c["period"] for c in result.changes] == ["2025/26 Q2", "2019-21"]
    benchmarks.apply(table, council.team, versions=result.versions)
    span = Period.objects.get(frequency="years")
    assert (span.label, span.start, span.end) == ("2019-21", datetime.date(2019, 4, 1), datetime.date(2021, 3, 31))
    assert BenchmarkValue.objects.get(period=span).value == 40
    assert benchmarks.check(table, None).changes == []


def test_a_wide_workbook_one_row_per_area_with_a_column_per_indicator_and_the_group_named():
    council = Council()
    rows = [
        ["Scotland", "S92000003", "2025/26 Q2", 50, 1000],  # the country's average: not a comparator
        ["Anytown", "S12000033", "2025/26 Q2", 48.5, 1200],
        ["", "E07000089", "2025/26 Q2", "*", 900],  # named by its GSS code; the suppressed value skipped
        ["Othertown", "E07000089x", "2025/26 Q2", 40, 800],
    ]
    headings = ["Area name", "Area code", "Period", "env 1a", "ENV9"]
    table = benchmarks.read(xlsx_bytes(rows, headings, title_rows=[["Benchmarking workbook 2025"]]), "w.xlsx")
    result = benchmarks.check(table, None, group="All Scottish councils")
    assert [(e["row"], e["column"], e["message"][:40]) for e in result.errors] == [
        (2, "E", "No indicator has the code “ENV9”, and it"),  # once, on the heading row
        (6, "B", "“E07000089X” is not an ONS GSS code, suc"),
    ]
    table = benchmarks.read(xlsx_bytes(rows[:3], headings[:4]), "w.xlsx")
    result = benchmarks.check(table, None, group="All Scottish councils")
    assert result.errors == [] and result.skipped == 2
    assert [c["after"] for c in result.changes] == ["Anytown (All Scottish councils): 48.5%"]
    benchmarks.apply(table, council.team, versions=result.versions, group="All Scottish councils")
    assert BenchmarkValue.objects.get().group == "All Scottish councils"
    # Without a group column or a group named, each value is refused at its cell.
    assert "comparator group" in benchmarks.check(table, None).errors[0]["message"]


def test_a_wide_csv_one_row_per_area_and_indicator_with_a_column_per_period():
    Council()
    period("2024/25")
    period("2025/26")
    data = csv_bytes([["ENV3", "Anytown", "12", "14"], ["ENV3", "England", "10", "11"]],
                     ["indicator_code", "council", "2024-25", "2025/26"])  # fmt: skip
    result = benchmarks.check(benchmarks.read(data, "w.csv"), None, group="Nearest neighbours")
    assert result.errors == [] and result.skipped == 2
    assert [(c["period"], c["after"]) for c in result.changes] == [
        ("2024/25", "Anytown (Nearest neighbours): 12"),
        ("2025/26", "Anytown (Nearest neighbours): 14"),
    ]
