"""Financial-year periods and working days: pure functions, no database access.

The UK local-government financial year runs April to March: 2025/26 Q1 is April to June
2025 and Q4 is January to March 2026. Working days exclude weekends and England and
Wales bank holidays.
"""

import calendar
import datetime
import re
from functools import lru_cache

import holidays

MONTH = "month"
QUARTER = "quarter"
YEAR = "year"
# Several financial years at once (benchmarks and health data pooled over years: "2019-21").
YEARS = "years"

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
    elif frequency == YEARS:
        if not 2 <= number <= MAX_YEARS:
            raise ValueError(f"a span of years is 2 to {MAX_YEARS} years")
        first_month, months = 1, 12 * number
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
    """First day of financial month `number` (1 = April; 13 is the next year's April) of
    financial year `year`."""
    year += (number - 1) // 12
    number = (number - 1) % 12 + 1
    month = (number + 2) % 12 + 1
    return datetime.date(year if month >= 4 else year + 1, month, 1)


def label(frequency: str, year: int, number: int) -> str:
    """ "2025/26", "2025/26 Q1" or "2025/26 Apr"."""
    if frequency == YEAR:
        return year_label(year)
    if frequency == YEARS:
        return f"{year}-{(year + number) % 100:02d}"
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


MAX_YEARS = 10
ACCEPTED = (
    "Write the period as a year (2025/26, 2025-26), a quarter (2025/26 Q1, Q1 2025/26, Apr-Jun 2025), "
    "a month (2025/26 Apr, April 2025, Apr-25, or a date), or several years (2019-21)."
)
_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
_MONTHS |= {name.lower(): number for number, name in enumerate(calendar.month_name) if name} | {"sept": 9}
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + ")"
_FY = r"(\d{4})\s*[/-]\s*(\d{4}|\d{2})"
_QUARTER = r"(?:q|quarter\s*)([1-4])"
_FORMS = [
    ("year", re.compile(_FY)),
    ("quarter", re.compile(_FY + r"\s*,?\s*" + _QUARTER)),
    ("quarter_first", re.compile(_QUARTER + r"\s*,?\s*" + _FY)),
    ("fy_month", re.compile(_FY + r"\s+" + _MONTH)),
    ("month_fy", re.compile(_MONTH + r"\s+" + _FY)),
    ("range", re.compile(_MONTH + r"\s*(?:-|to)\s*" + _MONTH + r"\s*,?\s*(\d{4})")),
    ("month", re.compile(_MONTH + r"\.?\s*[-\s/]?\s*(\d{4}|\d{2})")),
    ("date", re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[t ][\d:.]+)?")),
    ("date_uk", re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")),
]


def read_period(value) -> tuple[str, int, int]:
    """A period as councils write it: (frequency, year, number) as parse_label gives.

    Every importer reads periods with this one function. A year: "2025/26", "2025-26",
    "2025/2026". A quarter: "2025/26 Q1", "Q1 2025/26", "2025-26 Q2", "Quarter 2 2025-26",
    "Jul-Sep 2025". A month: "2025/26 Apr", "Apr 2025/26", "September 2025", "Sep-25", or
    a date (an Excel date cell, "2025-09-30" or "30/09/2025"), meaning the month it falls
    in. Several years: "2019-21" is the financial years from April 2019 to March 2021.
    Raises ValueError saying what is wrong and listing the accepted forms.
    """
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return _month_of(value)
    # Spacing as the text's own (no-break spaces too); en and em dashes as hyphens.
    text = " ".join(str(value).split()).replace("\u2013", "-").replace("\u2014", "-").lower()
    if not text:
        raise ValueError("Enter the period. " + ACCEPTED)
    for form, pattern in _FORMS:
        match = pattern.fullmatch(text)
        if match:
            return _read(form, match.groups(), str(value).strip())
    raise ValueError(f"“{str(value).strip()}” is not a period PMIS can read. {ACCEPTED}")


def _years(first: str, second: str, text: str, *, single: bool = False) -> tuple[int, int]:
    """The first financial year and the number of years "2019/20" or "2019-21" spans."""
    year = int(first)
    end = int(second) if len(second) == 4 else year - year % 100 + int(second)
    if len(second) == 2 and end < year:
        end += 100  # 1999/00
    span = end - year
    if span == 1 or (span >= 2 and not single and span <= MAX_YEARS):
        return year, span
    if single:
        raise ValueError(f"“{text}” does not name one financial year (such as 2025/26). {ACCEPTED}")
    raise ValueError(f"“{text}” is neither a financial year nor a span of up to {MAX_YEARS} years. {ACCEPTED}")


def _month_number(calendar_month: int) -> int:
    return (calendar_month - 4) % 12 + 1


def _month_of(day: datetime.date) -> tuple[str, int, int]:
    return MONTH, financial_year(day), _month_number(day.month)


def _calendar_year(text: str) -> int:
    return int(text) if len(text) == 4 else 2000 + int(text)


def _read(form: str, groups: tuple, text: str) -> tuple[str, int, int]:
    if form == "year":
        year, span = _years(*groups, text)
        return (YEAR, year, 1) if span == 1 else (YEARS, year, span)
    if form in ("quarter", "quarter_first"):
        first, second, quarter = groups if form == "quarter" else (*groups[1:], groups[0])
        return QUARTER, _years(first, second, text, single=True)[0], int(quarter)
    if form in ("fy_month", "month_fy"):
        first, second, month = groups if form == "fy_month" else (*groups[1:], groups[0])
        return MONTH, _years(first, second, text, single=True)[0], _month_number(_MONTHS[month])
    if form == "range":
        first, last, calendar_year = _MONTHS[groups[0]], _MONTHS[groups[1]], int(groups[2])
        if first not in (1, 4, 7, 10) or last != first + 2:
            raise ValueError(f"“{text}” is not a quarter of the financial year (Apr-Jun, Jul-Sep, Oct-Dec, Jan-Mar).")
        return QUARTER, financial_year(datetime.date(calendar_year, first, 1)), _month_number(first) // 3 + 1
    if form == "month":
        return _month_of(datetime.date(_calendar_year(groups[1]), _MONTHS[groups[0]], 1))
    try:
        if form == "date":
            return _month_of(datetime.date(int(groups[0]), int(groups[1]), int(groups[2])))
        return _month_of(datetime.date(int(groups[2]), int(groups[1]), int(groups[0])))
    except ValueError:
        raise ValueError(f"“{text}” is not a date. {ACCEPTED}") from None


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
