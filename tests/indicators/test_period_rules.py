"""The period rules in one home: ended, overdue, the current period and the default quarter."""

import datetime
from decimal import Decimal as D

import pytest

from indicators import services
from indicators.models import Frequency, Outturn, Period, quarter_to_report
from tests.indicators.factories import IndicatorFactory, period

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 20)


def years(*starts: int) -> None:
    for year in starts:
        services.periods_ensure_year(year=year)


def figure(indicator, label: str) -> None:
    services.outturn_record(indicator=indicator, period=period(label), by=None, value=D("5"))


def test_a_return_is_overdue_once_its_due_day_has_passed():
    q4 = period("2025/26 Q4")
    assert not q4.is_overdue(q4.end)
    assert not q4.is_overdue(q4.due)
    assert q4.is_overdue(q4.due + datetime.timedelta(days=1))
    assert list(Period.objects.overdue_on(q4.due)) == []
    assert list(Period.objects.overdue_on(q4.due + datetime.timedelta(days=1))) == [q4]


def test_ended_periods_latest_first():
    years(2025, 2026)
    ended = list(Period.objects.ended_on(TODAY).filter(frequency=Frequency.QUARTER))
    assert [p.label for p in ended[:2]] == ["2025/26 Q4", "2025/26 Q3"]
    assert all(p.end < TODAY for p in Period.objects.ended_on(TODAY))


def test_the_current_period_of_each_frequency():
    years(2024, 2025)
    current = Period.objects.current_on(period("2025/26 Q2").end)
    assert {f: p.label for f, p in current.items()} == {
        Frequency.MONTH: "2025/26 Sep",
        Frequency.QUARTER: "2025/26 Q2",
        Frequency.YEAR: "2024/25",
    }


def test_the_default_quarter_is_the_latest_ended_quarter_with_a_figure():
    years(2025, 2026)
    indicator = IndicatorFactory(frequency=Frequency.MONTH)
    quarters = Period.objects.ended_on(TODAY).filter(frequency=Frequency.QUARTER)
    outturns = Outturn.objects.all()
    # No figures: the latest ended quarter.
    assert quarter_to_report(quarters, outturns) == period("2025/26 Q4")
    figure(indicator, "2025/26 Aug")
    assert quarter_to_report(quarters, outturns) == period("2025/26 Q2")
    # A figure for a quarter that has not ended does not count.
    figure(indicator, "2026/27 Apr")
    assert quarter_to_report(quarters, outturns) == period("2025/26 Q2")
    assert quarter_to_report([], outturns) is None
