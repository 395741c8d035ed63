import datetime

import pytest

from indicators import periods


@pytest.mark.parametrize(
    ("day", "year"),
    [(datetime.date(2025, 4, 1), 2025), (datetime.date(2026, 3, 31), 2025), (datetime.date(2025, 3, 31), 2024)],
)
def test_financial_year_runs_april_to_march(day, year):
    assert periods.financial_year(day) == year


@pytest.mark.parametrize(
    ("frequency", "number", "start", "end", "label"),
    [
        ("quarter", 1, (2025, 4, 1), (2025, 6, 30), "2025/26 Q1"),
        ("quarter", 4, (2026, 1, 1), (2026, 3, 31), "2025/26 Q4"),
        ("month", 1, (2025, 4, 1), (2025, 4, 30), "2025/26 Apr"),
        ("month", 11, (2026, 2, 1), (2026, 2, 28), "2025/26 Feb"),
        ("month", 12, (2026, 3, 1), (2026, 3, 31), "2025/26 Mar"),
        ("year", 1, (2025, 4, 1), (2026, 3, 31), "2025/26"),
    ],
)
def test_bounds_and_labels(frequency, number, start, end, label):
    assert periods.bounds(frequency, 2025, number) == (datetime.date(*start), datetime.date(*end))
    assert periods.label(frequency, 2025, number) == label
    assert periods.parse_label(label) == (frequency, 2025, number)


def test_leap_february_and_the_turn_of_the_century_label():
    assert periods.bounds("month", 2027, 11)[1] == datetime.date(2028, 2, 29)
    assert periods.year_label(2099) == "2099/00"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2025/27 Q1", "not a financial year"),
        ("2025-26", "not a financial year"),
        ("25/26", "not a financial year"),
        ("2025/26 Q5", "not a quarter"),
        ("2025/26 Sept", "not a quarter"),
        ("", "not a period"),
        ("2025/26 Q1 extra", "not a period"),
    ],
)
def test_parse_label_says_what_is_wrong(text, message):
    with pytest.raises(ValueError, match=message):
        periods.parse_label(text)


@pytest.mark.parametrize(("frequency", "number"), [("quarter", 0), ("quarter", 5), ("month", 13), ("year", 2)])
def test_bounds_refuses_numbers_outside_the_year(frequency, number):
    with pytest.raises(ValueError):
        periods.bounds(frequency, 2025, number)


def test_working_days_skip_weekends_and_england_bank_holidays():
    friday = datetime.date(2025, 12, 19)
    assert periods.add_working_days(friday, 1) == datetime.date(2025, 12, 22)
    # Christmas Day, Boxing Day and New Year's Day 2026 are bank holidays.
    assert periods.add_working_days(datetime.date(2025, 12, 24), 1) == datetime.date(2025, 12, 29)
    assert periods.add_working_days(datetime.date(2025, 12, 31), 1) == datetime.date(2026, 1, 2)
    # The early May and spring bank holidays 2026 are 4 May and 25 May.
    assert not periods.is_working_day(datetime.date(2026, 5, 4))
    assert not periods.is_working_day(datetime.date(2026, 5, 25))
    assert periods.add_working_days(friday, 0) == friday
    with pytest.raises(ValueError):
        periods.add_working_days(friday, -1)


def test_working_days_before_counts_back_over_christmas_and_the_year_end():
    # Monday 5 January 2026: New Year's Day (Thu), Boxing Day (Fri) and Christmas Day (Thu)
    # and the weekends are skipped, so five working days back is Wednesday 24 December 2025.
    assert periods.working_days_before(datetime.date(2026, 1, 5), 5) == datetime.date(2025, 12, 24)
    assert periods.working_days_before(datetime.date(2026, 1, 5), 1) == datetime.date(2026, 1, 2)
    assert periods.working_days_before(datetime.date(2026, 1, 5), 0) == datetime.date(2026, 1, 5)


def test_working_days_before_skips_good_friday_and_easter_monday():
    # Thursday 9 April 2026: 8, 7, (6 and 3 April are bank holidays), 2, 1 April, 31 March.
    assert periods.working_days_before(datetime.date(2026, 4, 9), 5) == datetime.date(2026, 3, 31)


def test_working_days_before_undoes_add_working_days():
    day = datetime.date(2025, 12, 24)
    assert periods.working_days_before(periods.add_working_days(day, 7), 7) == day
    with pytest.raises(ValueError):
        periods.working_days_before(day, -1)


def test_a_missing_return_is_not_yet_due_then_due_then_overdue():
    end, due = datetime.date(2025, 6, 30), datetime.date(2025, 7, 21)
    status = [periods.return_status(end, due, end + datetime.timedelta(days=d)) for d in (-30, 0, 1, 21, 22)]
    assert status == [periods.NOT_YET_DUE, periods.NOT_YET_DUE, periods.DUE, periods.DUE, periods.OVERDUE]
