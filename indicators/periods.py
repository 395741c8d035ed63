"""Financial-year periods and working days: pure functions, no database access.

The UK local-government financial year runs April to March: 2025/26 Q1 is April to June
2025 and Q4 is January to March 2026. Working days exclude weekends and England and
Wales bank holidays.
"""

import calendar
import datetime
from functools import lru_cache

import holidays

MONTH = "month"
QUARTER = "quarter"
YEAR = "year"

# Where a return not yet made stands on a day.
NOT_YET_DUE = "not_due"
DUE = "due"
OVERDUE = "overdue"
# Before an indicator's collected-from period or after its retired-after period.
NOT_COLLECTED = "not_collected"
RETURN_LABELS = {NOT_YET_DUE: "Not yet due", DUE: "Due", OVERDUE: "Overdue", NOT_COLLECTED: "Not collected"}
# How many periods of each frequency a financial year has.
PERIODS_PER_YEAR = {MONTH: 12, QUARTER: 4, YEAR: 1}


def return_status(end: datetime.date, due: datetime.date, day: datetime.date) -> str:
    """A missing return of a period ending on end and due by the end of due, on day: not yet
    due while the period runs, due from its end to its due day, overdue after that."""
    if day > due:
        return OVERDUE
    return DUE if day > end else NOT_YET_DUE


def collects(
    start: datetime.date,
    end: datetime.date,
    collected_from: datetime.date | None,
    retired_after: datetime.date | None,
) -> bool:
    """An indicator collected from the period starting on collected_from and retired after
    the period ending on retired_after (None: no limit) collects a figure for the period
    from start to end: a return is due, can be overdue and is expected only then."""
    return (collected_from is None or collected_from <= start) and (retired_after is None or end <= retired_after)


def financial_year(day: datetime.date) -> int:
    """The starting calendar year of the financial year containing day (2025 for 2025/26)."""
    return day.year if day.month >= 4 else day.year - 1


def year_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def bounds(frequency: str, year: int, number: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of the numbered period of a financial year.

    Months are numbered 1 (April) to 12 (March), quarters 1 to 4, the year itself 1.
    """
    if frequency == YEAR:
        if number != 1:
            raise ValueError("a financial year has one period, numbered 1")
        first_month, months = 1, 12
    elif frequency == QUARTER:
        if not 1 <= number <= 4:
            raise ValueError("quarters are numbered 1 to 4")
        first_month, months = 3 * (number - 1) + 1, 3
    elif frequency == MONTH:
        if not 1 <= number <= 12:
            raise ValueError("months are numbered 1 (April) to 12 (March)")
        first_month, months = number, 1
    else:
        raise ValueError(f"unknown frequency {frequency!r}")
    start = _month_start(year, first_month)
    last = _month_start(year, first_month + months - 1)
    end = last.replace(day=calendar.monthrange(last.year, last.month)[1])
    return start, end


def _month_start(year: int, number: int) -> datetime.date:
    """First day of financial month `number` (1 = April) of financial year `year`."""
    month = (number + 2) % 12 + 1
    return datetime.date(year if month >= 4 else year + 1, month, 1)


def label(frequency: str, year: int, number: int) -> str:
    """ "2025/26", "2025/26 Q1" or "2025/26 Apr"."""
    if frequency == YEAR:
        return year_label(year)
    if frequency == QUARTER:
        return f"{year_label(year)} Q{number}"
    return f"{year_label(year)} {calendar.month_abbr[_month_start(year, number).month]}"


def parse_label(text: str) -> tuple[str, int, int]:
    """The inverse of label(): (frequency, year, number). Raises ValueError on anything else."""
    parts = text.strip().split()
    if not parts or len(parts) > 2:
        raise ValueError(f"{text!r} is not a period: use a label such as 2025/26, 2025/26 Q1 or 2025/26 Apr")
    year_text = parts[0]
    try:
        first, second = year_text.split("/")
        year = int(first)
        if len(first) != 4 or len(second) != 2 or int(second) != (year + 1) % 100:
            raise ValueError
    except ValueError:
        raise ValueError(f"{year_text!r} is not a financial year: write it as 2025/26") from None
    if len(parts) == 1:
        return YEAR, year, 1
    rest = parts[1]
    if rest.upper() in ("Q1", "Q2", "Q3", "Q4"):
        return QUARTER, year, int(rest[1])
    months = [m.lower() for m in calendar.month_abbr]
    if rest.lower() in months:
        month = months.index(rest.lower())
        return MONTH, year, (month - 4) % 12 + 1
    raise ValueError(f"{rest!r} is not a quarter (Q1 to Q4) or a month (Apr to Mar)")


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(day: datetime.date, count: int) -> datetime.date:
    """The date `count` working days after `day` (count >= 0; 0 gives day itself)."""
    if count < 0:
        raise ValueError("count cannot be negative")
    while count:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def working_days_before(day: datetime.date, count: int) -> datetime.date:
    """The date `count` working days before `day` (count >= 0; 0 gives day itself).

    A meeting's papers are due this many working days before it: counting back from a
    Monday meeting past a bank holiday lands earlier in the previous week.
    """
    if count < 0:
        raise ValueError("count cannot be negative")
    while count:
        day -= datetime.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day
