import datetime

import pytest

from imports import benchmarks
from imports.checking import Periods
from imports.reading import read_table
from indicators.models import BenchmarkValue, Period
from tests.imports.helpers import Council, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

HEADINGS = list(benchmarks.REQUIRED)


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
    table = read_table(data, "f.csv", required=benchmarks.REQUIRED, known=benchmarks.KNOWN)
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
    table = read_table(xlsx_bytes(rows, HEADINGS), "f.xlsx", required=benchmarks.REQUIRED, known=benchmarks.KNOWN)
    result = benchmarks.check(table, None)
    assert [(e["row"], e["column"]) for e in result.errors] == [(3, "B"), (6, "B")]
    assert "PMIS has no period 2025/26 Sep yet" in result.errors[0]["message"]
    assert "Q1 2025/26" in result.errors[1]["message"]  # the accepted forms

    # Anything else is not given a span of years: returns and targets are for PMIS's own periods.
    assert "only benchmarks" in Periods({"2019-21"}).get("2019-21")[1]
    rows = rows[::2][:2]
    table = read_table(xlsx_bytes(rows, HEADINGS), "f.xlsx", required=benchmarks.REQUIRED, known=benchmarks.KNOWN)
    result = benchmarks.check(table, None)
    assert [c["period"] for c in result.changes] == ["2025/26 Q2", "2019-21"]
    benchmarks.apply(table, council.team, versions=result.versions)
    span = Period.objects.get(frequency="years")
    assert (span.label, span.start, span.end) == ("2019-21", datetime.date(2019, 4, 1), datetime.date(2021, 3, 31))
    assert BenchmarkValue.objects.get(period=span).value == 40
    assert benchmarks.check(table, None).changes == []
