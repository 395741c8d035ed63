"""The scorecard's filters: which indicators and which rows each one keeps."""

import pytest
from django.http import QueryDict

from indicators.models import Assurance, Frequency, Indicator, Kind, Rag, Travel, Variation
from reviews.filters import ScorecardFilters
from reviews.scorecards import OVERDUE
from tests.indicators.factories import IndicatorFactory
from tests.organisation.factories import PortfolioFactory, ServiceFactory
from tests.reviews.rows import codes, row

ROWS = [
    row("A", status=Rag.RED, travel_previous=Travel.IMPROVING, variation=Variation.CONCERN_LOW),
    row("B", status=Rag.INCOMPLETE, travel_last_year=Travel.WORSENING, variation=Variation.CONCERN_HIGH),
    row("C", status=Rag.NOT_AVAILABLE, assurance=Assurance.HIT_AND_MISS, variation=Variation.COMMON_CAUSE),
    row("D", status=OVERDUE),
    row("E", status=Rag.GREEN, travel_previous=Travel.WORSENING, assurance=Assurance.PASS),
]


def kept(query: str) -> list[str]:
    return codes(ScorecardFilters(QueryDict(query)).rows(ROWS))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["A", "B", "C", "D", "E"]),
        ("rag=red", ["A"]),
        # Incomplete is counted, and filtered, with not available.
        ("rag=not_available", ["B", "C"]),
        ("rag=red&rag=overdue", ["A", "D"]),
        ("direction=worsening", ["E"]),
        ("direction=none", ["B", "C", "D"]),
        ("direction_year=worsening", ["B"]),
        # A concern high or low is a concern.
        ("variation=concern", ["A", "B"]),
        ("variation=none", ["D", "E"]),
        ("assurance=hit_and_miss", ["C"]),
        ("assurance=none", ["A", "B", "D"]),
        ("rag=red&rag=green&direction=improving", ["A"]),
    ],
)
def test_rows_with_the_chosen_rating_direction_variation_and_assurance(query, expected):
    assert kept(query) == expected


def test_a_value_that_is_not_a_choice_is_an_error_and_ignored():
    filters = ScorecardFilters(QueryDict("rag=red&rag=purple&direction=sideways&assurance=pass"))
    assert set(filters.errors) == {"rag", "direction"}
    assert codes(filters.rows(ROWS)) == ["E"]


@pytest.mark.django_db
def test_indicators_of_the_chosen_portfolio_directorate_service_frequency_and_kind():
    housing, leisure = PortfolioFactory(name="Housing"), PortfolioFactory(name="Leisure")
    homes, sport = ServiceFactory(name="Homes"), ServiceFactory(name="Sport")
    IndicatorFactory(code="H1", portfolio=housing, service=homes)
    IndicatorFactory(code="H2", portfolio=housing, service=homes, frequency=Frequency.MONTH, kind=Kind.NATIONAL)
    IndicatorFactory(code="L1", portfolio=leisure, service=sport)
    IndicatorFactory(code="L2", portfolio=leisure, service=homes, frequency=Frequency.MONTH)

    def chosen(query: str) -> list[str]:
        return list(
            ScorecardFilters(QueryDict(query))
            .indicators(Indicator.objects.order_by("code"))
            .values_list("code", flat=True)
        )

    assert chosen("") == ["H1", "H2", "L1", "L2"]
    assert chosen(f"portfolio={housing.pk}") == ["H1", "H2"]
    assert chosen(f"directorate={sport.directorate_id}") == ["L1"]
    assert chosen(f"service={homes.pk}") == ["H1", "H2", "L2"]
    assert chosen("frequency=month") == ["H2", "L2"]
    assert chosen("kind=national") == ["H2"]
    assert chosen(f"portfolio={leisure.pk}&service={homes.pk}&frequency=month") == ["L2"]
    # An unknown portfolio is an error on its field, and the other filters still apply.
    filters = ScorecardFilters(QueryDict("portfolio=999999&frequency=month"))
    assert list(filters.errors) == ["portfolio"]
    assert chosen("portfolio=999999&frequency=month") == ["H2", "L2"]
