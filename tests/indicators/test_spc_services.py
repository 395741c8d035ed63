"""Variation, assurance and forecasts stored with each rating, and the SPC baseline."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from indicators import ratings, services
from indicators.models import Frequency, Polarity, Rating, SpcBaseline, Unit
from tests.indicators.factories import IndicatorFactory, period
from tests.organisation.factories import UserFactory

pytestmark = pytest.mark.django_db

QUARTERS = [f"{year}/{str(year + 1)[2:]} Q{q}" for year in range(2021, 2026) for q in range(1, 5)]
SAWTOOTH = ["12", "10"] * 6


@pytest.fixture
def user():
    return UserFactory(username="entry")


def record(indicator, label, value, user):
    return services.outturn_record(indicator=indicator, period=period(label), by=user, value=D(value))


def rating(indicator, label) -> Rating:
    return Rating.objects.get(outturn__indicator=indicator, outturn__period=period(label))


def snapshot(**fields):
    return IndicatorFactory(unit=Unit.NUMBER, decimal_places=1, polarity=Polarity.HIGHER, **fields)


class TestVariationAndAssurance:
    def test_not_enough_figures_gives_no_variation(self, user):
        indicator = snapshot()
        for label, value in zip(QUARTERS[:11], SAWTOOTH, strict=False):
            record(indicator, label, value, user)
        assert rating(indicator, QUARTERS[10]).variation == ""

    def test_an_outlier_is_stored_as_a_special_cause_as_known_then(self, user):
        indicator = snapshot()
        for label, value in zip(QUARTERS, [*SAWTOOTH, "40", "11"], strict=False):
            record(indicator, label, value, user)
        assert rating(indicator, QUARTERS[11]).variation == "common_cause"
        assert rating(indicator, QUARTERS[12]).variation == "improvement_high"
        assert rating(indicator, QUARTERS[13]).variation == "common_cause"

    def test_assurance_compares_the_target_with_the_limits(self, user):
        indicator = snapshot()
        for label, value in zip(QUARTERS, SAWTOOTH, strict=False):
            record(indicator, label, value, user)
        services.target_set(indicator=indicator, period=period(QUARTERS[11]), value=D(20), rationale="", by=user)
        assert rating(indicator, QUARTERS[11]).assurance == "fail"
        services.target_set(indicator=indicator, period=period(QUARTERS[11]), value=D(11), rationale="", by=user)
        assert rating(indicator, QUARTERS[11]).assurance == "hit_and_miss"

    def test_a_bulk_recalculation_gives_the_same_as_saving_one_by_one(self, user):
        indicator = snapshot()
        for label, value in zip(QUARTERS, [*SAWTOOTH, "40"], strict=False):
            record(indicator, label, value, user)
        Rating.objects.update(variation="")
        ratings.ratings_recalculate()
        assert rating(indicator, QUARTERS[12]).variation == "improvement_high"


class TestBaseline:
    def test_fixing_the_baseline_recalculates_and_resetting_restores(self, user):
        indicator = snapshot()
        # A step up after twelve quarters: against every figure the last is ordinary, against
        # the first twelve it is far above the limits.
        values = [*SAWTOOTH, *["30", "31"] * 4]
        for label, value in zip(QUARTERS, values, strict=False):
            record(indicator, label, value, user)
        last = QUARTERS[len(values) - 1]
        before = rating(indicator, last).variation
        services.spc_baseline_set(
            indicator=indicator,
            first_period=period(QUARTERS[0]),
            last_period=period(QUARTERS[11]),
            reason="New contractor from 2024/25",
            by=user,
        )
        assert rating(indicator, last).variation == "improvement_high"
        services.spc_baseline_reset(indicator=indicator, by=user)
        assert rating(indicator, last).variation == before
        assert not SpcBaseline.objects.filter(indicator=indicator).exists()
        assert [
            h.history_type for h in SpcBaseline.history.filter(indicator_id=indicator.pk).order_by("history_date")
        ] == [
            "+",
            "-",
        ]

    def test_a_baseline_needs_enough_figures_a_reason_and_the_right_frequency(self, user):
        indicator = snapshot()
        for label, value in zip(QUARTERS, SAWTOOTH, strict=False):
            record(indicator, label, value, user)
        with pytest.raises(ValidationError) as short:
            services.spc_baseline_set(
                indicator=indicator,
                first_period=period(QUARTERS[0]),
                last_period=period(QUARTERS[5]),
                reason="x",
                by=user,
            )
        assert "at least 12" in str(short.value)
        with pytest.raises(ValidationError) as errors:
            services.spc_baseline_set(
                indicator=indicator,
                first_period=period(QUARTERS[5]),
                last_period=period("2021/22 Apr"),
                reason=" ",
                by=user,
            )
        assert set(errors.value.message_dict) == {"last_period", "reason"}
        with pytest.raises(ValidationError) as backwards:
            services.spc_baseline_set(
                indicator=indicator,
                first_period=period(QUARTERS[5]),
                last_period=period(QUARTERS[0]),
                reason="x",
                by=user,
            )
        assert "before its first" in str(backwards.value)


class TestForecast:
    def cumulative(self):
        return IndicatorFactory(
            unit=Unit.NUMBER,
            decimal_places=0,
            polarity=Polarity.HIGHER,
            is_cumulative=True,
            frequency=Frequency.QUARTER,
        )

    def test_pace_so_far_and_likely_to_miss(self, user):
        indicator = self.cumulative()
        services.target_set(indicator=indicator, period=period("2025/26"), value=D(400), rationale="", by=user)
        record(indicator, "2025/26 Q1", "60", user)
        first = rating(indicator, "2025/26 Q1")
        assert (first.forecast, first.forecast_target, first.forecast_method) == (D(240), D(400), "pace")
        assert first.likely_to_miss is True
        record(indicator, "2025/26 Q2", "140", user)
        second = rating(indicator, "2025/26 Q2")
        assert second.forecast == D(400) and second.likely_to_miss is False

    def test_earlier_years_give_the_share_of_the_year(self, user):
        indicator = self.cumulative()
        for label, value in zip(
            ["2024/25 Q1", "2024/25 Q2", "2024/25 Q3", "2024/25 Q4"], ["20", "30", "20", "30"], strict=True
        ):
            record(indicator, label, value, user)
        services.target_set(indicator=indicator, period=period("2025/26"), value=D(200), rationale="", by=user)
        record(indicator, "2025/26 Q1", "40", user)
        found = rating(indicator, "2025/26 Q1")
        # Q1 was a fifth of last year: 40 points to 200.
        assert (found.forecast, found.forecast_method, found.likely_to_miss) == (D(200), "share", False)

    def test_no_forecast_at_year_end_or_for_snapshots(self, user):
        indicator = self.cumulative()
        for label in ["2025/26 Q1", "2025/26 Q2", "2025/26 Q3", "2025/26 Q4"]:
            record(indicator, label, "10", user)
        assert rating(indicator, "2025/26 Q4").forecast is None
        plain = snapshot()
        record(plain, "2025/26 Q1", "10", user)
        assert rating(plain, "2025/26 Q1").forecast is None
