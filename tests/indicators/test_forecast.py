"""indicators/forecast.py: the year-end forecast of a cumulative indicator."""

from decimal import Decimal as D

import pytest

from indicators import forecast, rag


def test_pace_so_far_without_earlier_years():
    found = forecast.year_end(year_to_date=D(30), number=1, periods_per_year=4)
    assert found == forecast.Forecast(value=D(120), method=forecast.PACE)
    assert forecast.year_end(year_to_date=D(70), number=7, periods_per_year=12).value == D(120)


def test_the_same_periods_share_of_earlier_years_pooled():
    # 20 of 100 and 30 of 100 by the end of Q1: a quarter of the year, so 30 becomes 120.
    found = forecast.year_end(
        year_to_date=D(30), number=1, periods_per_year=4, earlier=[(D(20), D(100)), (D(30), D(100))]
    )
    assert found.method == forecast.SHARE and found.share == D("0.25") and found.years == 2
    assert found.value == D(120)


def test_a_slow_start_in_earlier_years_raises_the_forecast():
    found = forecast.year_end(year_to_date=D(10), number=2, periods_per_year=4, earlier=[(D(20), D(100))])
    assert found.value == D(50)  # pace alone would say 20


def test_earlier_years_that_cannot_give_a_share_are_left_out():
    found = forecast.year_end(year_to_date=D(30), number=1, periods_per_year=4, earlier=[(D(0), D(100)), (D(5), D(0))])
    assert found.method == forecast.PACE and found.value == D(120)


def test_no_forecast_at_year_end_and_bad_input_refused():
    assert forecast.year_end(year_to_date=D(30), number=4, periods_per_year=4) is None
    with pytest.raises(ValueError):
        forecast.year_end(year_to_date=D(30), number=5, periods_per_year=4)
    with pytest.raises(TypeError):
        forecast.year_end(year_to_date=30.0, number=1, periods_per_year=4)


@pytest.mark.parametrize(
    ("value", "polarity", "expected"),
    [
        ("94", rag.HIGHER, True),  # below 95: outside 5% of 100
        ("95", rag.HIGHER, False),  # on the tolerance boundary: Amber, not likely to miss
        ("120", rag.HIGHER, False),
        ("106", rag.LOWER, True),
        ("105", rag.LOWER, False),
        ("50", rag.NONE, False),
    ],
)
def test_likely_to_miss_is_outside_tolerance_of_the_annual_target(value, polarity, expected):
    assert forecast.likely_to_miss(D(value), D(100), polarity, D("0.05"), rag.RELATIVE) is expected


def test_not_likely_to_miss_without_a_forecast_or_annual_target():
    assert forecast.likely_to_miss(None, D(100), rag.HIGHER, D("0.05"), rag.RELATIVE) is False
    assert forecast.likely_to_miss(D(1), None, rag.HIGHER, D("0.05"), rag.RELATIVE) is False
