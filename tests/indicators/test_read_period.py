"""Periods as councils write them, read by the one parser every importer uses."""

import calendar
import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators import periods
from indicators.periods import MONTH, QUARTER, YEAR, YEARS, read_period


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2014/15 Q1", (QUARTER, 2014, 1)),
        ("Q1 2014/15", (QUARTER, 2014, 1)),
        ("2014-15 Q2", (QUARTER, 2014, 2)),
        ("Q2 2014-15", (QUARTER, 2014, 2)),
        ("quarter 3, 2014/2015", (QUARTER, 2014, 3)),
        ("Jul-Sep 2014", (QUARTER, 2014, 2)),
        ("Jan - Mar 2015", (QUARTER, 2014, 4)),
        ("Oct\u2013Dec 2014", (QUARTER, 2014, 3)),
        ("September 2014", (MONTH, 2014, 6)),
        ("Sep-14", (MONTH, 2014, 6)),
        ("sept 2014", (MONTH, 2014, 6)),
        ("Mar-15", (MONTH, 2014, 12)),
        ("2014/15 Apr", (MONTH, 2014, 1)),
        ("Apr\u00a02014/15", (MONTH, 2014, 1)),
        ("2014-09-30T00:00:00", (MONTH, 2014, 6)),  # an Excel date cell as read
        ("30/09/2014", (MONTH, 2014, 6)),
        ("2014/15", (YEAR, 2014, 1)),
        ("2014-15", (YEAR, 2014, 1)),
        ("2010-11", (YEAR, 2010, 1)),
        ("1999/00", (YEAR, 1999, 1)),
        ("2019-21", (YEARS, 2019, 2)),
        ("2017-2020", (YEARS, 2017, 3)),
    ],
)
def test_accepted_forms(text, expected):
    assert read_period(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Q5 2014/15", "is not a period PMIS can read"),
        ("2014/16 Q1", "does not name one financial year"),
        ("Dec-Feb 2014", "is not a quarter of the financial year"),
        ("31/02/2014", "is not a date"),
        ("2014", "is not a period PMIS can read"),
        ("2014-13", "neither a financial year nor a span"),
        ("2010-25", "neither a financial year nor a span"),
    ],
)
def test_a_refusal_lists_the_accepted_forms(text, message):
    with pytest.raises(ValueError, match=message) as refused:
        read_period(text)
    assert "Q1 2025/26" in str(refused.value) or "Apr-Jun" in str(refused.value)


def test_an_excel_date_is_the_month_it_falls_in():
    assert read_period(datetime.datetime(2015, 1, 31, 0, 0)) == (MONTH, 2014, 10)
    assert read_period(datetime.date(2015, 4, 1)) == (MONTH, 2015, 1)


def test_a_span_of_years_runs_from_the_first_april_to_the_last_march():
    assert periods.bounds(YEARS, 2019, 2) == (datetime.date(2019, 4, 1), datetime.date(2021, 3, 31))
    assert periods.label(YEARS, 2019, 2) == "2019-21"


PERIOD = st.one_of(
    st.tuples(st.just(YEAR), st.integers(1990, 2098), st.just(1)),
    st.tuples(st.just(QUARTER), st.integers(1990, 2098), st.integers(1, 4)),
    st.tuples(st.just(MONTH), st.integers(1990, 2098), st.integers(1, 12)),
    st.tuples(st.just(YEARS), st.integers(1990, 2088), st.integers(2, 10)),
)


@given(PERIOD)
def test_every_label_reads_back(key):
    assert read_period(periods.label(*key)) == key


@given(PERIOD, st.sampled_from(["/", "-"]))
def test_each_way_of_writing_a_period_names_the_period_its_dates_cover(key, separator):
    frequency, year, number = key
    start, end = periods.bounds(*key)
    fy = f"{year}{separator}{(year + 1) % 100:02d}"
    if frequency == QUARTER:
        months = f"{calendar.month_abbr[start.month]}-{calendar.month_abbr[end.month]} {start.year}"
        written = [f"Q{number} {fy}", f"{fy} Q{number}", months]
    elif frequency == MONTH:
        written = [f"{calendar.month_name[start.month]} {start.year}", start.isoformat(), end.isoformat()]
        written += [f"{calendar.month_abbr[start.month]} {fy}"]
        if start.year >= 2000:  # "Sep-14": a two-digit year is this century's
            written.append(start.strftime("%b-%y"))
    elif frequency == YEAR:
        written = [fy, f"{year}/{year + 1}"]
    else:
        written = [f"{year}-{(year + number) % 100:02d}", f"{year}-{year + number}"]
    for text in written:
        assert read_period(text) == key, text
