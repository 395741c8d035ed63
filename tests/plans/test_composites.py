"""The composite rule (docs/domain.md): Green 2, Amber 1, Red 0; mean >= 1.5 Green, >= 1.0
Amber, else Red; unrated counted, not scored. And priority_composites() on real ratings."""

from decimal import Decimal
from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from indicators import services
from indicators.models import Frequency, Polarity
from plans.composites import Thresholds, composite, priority_composites
from tests.indicators.factories import IndicatorFactory, period
from tests.plans.factories import PriorityFactory
from tests.reviews.builders import figure, target, team, years


def test_a_mean_of_exactly_one_and_a_half_is_green():
    result = composite(["green", "amber"])
    assert (result.status, result.label, result.score) == ("green", "Green", Decimal("1.50"))


def test_just_under_one_and_a_half_is_amber():
    # (2 + 2 + 1 + 0) / 4 = 1.25
    assert composite(["green", "green", "amber", "red"]).status == "amber"
    # (2 * 2 + 1 + 1 + 1) / 5 = 1.4
    assert composite(["green", "green", "amber", "amber", "amber"]).status == "amber"


def test_a_mean_of_exactly_one_is_amber_and_just_under_is_red():
    assert composite(["green", "red"]).status == "amber"
    assert composite(["amber"] * 3).status == "amber"
    # (2 + 1 + 0 + 0) / 4 = 0.75
    assert composite(["green", "amber", "red", "red"]).status == "red"
    # (1 * 2 + 0) / 3 = 0.67
    assert composite(["amber", "amber", "red"]).status == "red"


def test_all_unrated_is_unrated_and_counted():
    result = composite(["", "no_target", "not_available", "incomplete"])
    assert (result.status, result.label, result.unrated, result.scored, result.score) == (
        "unrated",
        "Unrated",
        4,
        0,
        None,
    )
    assert result.counts_in_words == "0 Green, 0 Amber, 0 Red, 4 unrated"


def test_an_empty_basket_is_unrated():
    assert composite([]).status == "unrated"


def test_unrated_and_data_only_are_counted_and_shown_but_never_scored():
    result = composite(["green", "green", "red", "", "no_target", "data_only"])
    # Scored: (2 + 2 + 0) / 3 = 1.33, Amber; the unrated and data only do not drag it down.
    assert result.status == "amber"
    assert (result.green, result.amber, result.red, result.unrated, result.data_only) == (2, 0, 1, 2, 1)
    assert result.counts_in_words == "2 Green, 0 Amber, 1 Red, 2 unrated, 1 data only"


def test_thresholds_come_from_the_policy():
    strict = Thresholds(green_from=Decimal("1.75"), amber_from=Decimal("1.25"))
    assert composite(["green", "amber"], strict).status == "amber"
    assert composite(["green", "red"], strict).status == "red"
    assert composite(["green", "green", "green", "amber"], strict).status == "green"


@given(st.lists(st.sampled_from(["green", "amber", "red", "", "data_only", "no_target"]), max_size=30))
def test_the_status_is_the_exact_mean_against_the_thresholds(statuses):
    result = composite(statuses)
    points = {"green": 2, "amber": 1, "red": 0}
    scored = [points[s] for s in statuses if s in points]
    if not scored:
        assert result.status == "unrated"
        return
    mean = Fraction(sum(scored), len(scored))
    expected = "green" if mean >= Fraction(3, 2) else "amber" if mean >= 1 else "red"
    assert result.status == expected
    assert result.green + result.amber + result.red + result.unrated + result.data_only == len(statuses)


# On stored ratings


@pytest.fixture
def quarter(db):
    years(2025)
    return period("2025/26 Q2")


def rated(label: str, value: str, target_value: str = "100", **fields):
    indicator = IndicatorFactory(**fields)
    target(indicator, label, target_value)
    figure(indicator, label, value, commentary="Explained")
    return indicator


@pytest.mark.django_db
def test_priority_composites_read_each_indicators_rating_for_its_own_current_period(quarter):
    priority = PriorityFactory()
    green = rated("2025/26 Q2", "100")
    amber = rated("2025/26 Q2", "96")
    # A monthly indicator reports its last month of the quarter: September, Red.
    monthly = rated("2025/26 Sep", "50", frequency=Frequency.MONTH)
    # Its earlier months are not what counts.
    target(monthly, "2025/26 Aug", "100")
    figure(monthly, "2025/26 Aug", "100")
    # No figure yet, and data only.
    missing = IndicatorFactory()
    data_only = IndicatorFactory(polarity=Polarity.NONE)
    # A later quarter's figure is not this quarter's.
    later = rated("2025/26 Q3", "100")
    priority.indicators.set([green, amber, monthly, missing, data_only, later])
    result = priority_composites([priority], quarter)[priority.pk]
    # (2 + 1 + 0) / 3 = 1.0: Amber; the missing and later ones are unrated.
    assert (result.status, result.green, result.amber, result.red, result.unrated, result.data_only) == (
        "amber",
        1,
        1,
        1,
        2,
        1,
    )


@pytest.mark.django_db
def test_an_override_counts_as_the_shown_rating(quarter):
    priority = PriorityFactory()
    red = rated("2025/26 Q2", "50")
    priority.indicators.set([red])
    assert priority_composites([priority], quarter)[priority.pk].status == "red"
    outturn = red.outturns.get()
    services.rating_override(outturn=outturn, rag="green", reason="Provisional figure", by=team())
    assert priority_composites([priority], quarter)[priority.pk].status == "green"


@pytest.mark.django_db
def test_a_new_policy_applies_from_its_period_on(quarter):
    priority = PriorityFactory()
    priority.indicators.set([rated("2025/26 Q1", "100"), rated("2025/26 Q1", "96")])
    priority.indicators.add(rated("2025/26 Q2", "100"), rated("2025/26 Q2", "96"))
    from plans.services import composite_policy_create

    composite_policy_create(
        green_from=Decimal("1.75"),
        amber_from=Decimal("1.0"),
        reason="Cabinet asked for a stricter Green",
        effective_from=quarter,
        by=team(),
    )
    earlier = priority_composites([priority], period("2025/26 Q1"))[priority.pk]
    now = priority_composites([priority], quarter)[priority.pk]
    assert (earlier.status, earlier.thresholds.green_from) == ("green", Decimal("1.5"))
    assert (now.status, now.thresholds.green_from) == ("amber", Decimal("1.75"))


@pytest.mark.django_db
def test_a_fixed_number_of_queries_for_any_number_of_priorities(quarter):
    def measure(count):
        priorities = []
        for n in range(count):
            priority = PriorityFactory()
            priority.indicators.set([rated("2025/26 Q2", str(90 + n)), rated("2025/26 Sep", "100", frequency="month")])
            priorities.append(priority)
        with CaptureQueriesContext(connection) as queries:
            result = priority_composites(priorities, quarter)
        assert len(result) == count
        return len(queries)

    assert measure(2) == measure(12) == 4


@pytest.mark.django_db
def test_no_priorities_have_no_composites(quarter):
    assert priority_composites([], quarter) == {}
