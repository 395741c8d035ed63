"""Scorecards, the exception report and their exports run a fixed number of SQL queries,
however many indicators and periods there are: 3 indicators or 15, the same count."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from indicators import ratings
from indicators.models import Frequency, Outturn, Period, Target, TargetStatus
from organisation.models import Role
from plans.models import Plan, PlanKind, PlanStatus, Priority
from reviews.models import Scorecard
from tests.indicators.factories import IndicatorFactory
from tests.organisation.factories import PortfolioFactory, UserFactory
from tests.reviews.builders import years

pytestmark = pytest.mark.django_db

FREQUENCIES = [Frequency.QUARTER, Frequency.MONTH, Frequency.YEAR]


def add_indicators(count: int, *, scorecard: Scorecard, priority: Priority, portfolio, holder) -> None:
    """Indicators of every frequency with two years of figures and targets, some signed off."""
    periods = list(Period.objects.filter(year__in=[2024, 2025]))
    now = timezone.now()
    outturns, targets = [], []
    for n in range(count):
        indicator = IndicatorFactory(frequency=FREQUENCIES[n % 3], portfolio=portfolio)
        scorecard.indicators.add(indicator)
        priority.indicators.add(indicator)
        for index, period in enumerate(p for p in periods if p.frequency == indicator.frequency):
            # Some indicators have no figures for 2025/26: overdue.
            if n % 4 == 3 and period.year == 2025:
                continue
            value = Decimal(50 + (n * 7 + index * 13) % 50)
            outturns.append(
                Outturn(indicator=indicator, period=period, value=value, commentary=f"Note {n}", entered_at=now)
            )
            signed = index % 2 == 1
            extra = {"signed_off_by": holder, "signed_off_at": now} if signed else {}
            status = TargetStatus.SIGNED_OFF if signed else TargetStatus.DRAFT
            targets.append(Target(indicator=indicator, period=period, value=Decimal(80), status=status, **extra))
    Outturn.objects.bulk_create(outturns)
    Target.objects.bulk_create(targets)
    ratings.ratings_recalculate()


@pytest.fixture
def council(client):
    years(2024, 2025)
    holder = UserFactory(username="holder")
    portfolio = PortfolioFactory(holder=holder)
    scorecard = Scorecard.objects.create(name="Council Scorecard", slug="council", is_council_scorecard=True)
    # Approved, so the Council Scorecard opens with its priority's composite status.
    plan = Plan.objects.create(
        kind=PlanKind.CORPORATE, title="Plan", first_year=2025, last_year=2025, status=PlanStatus.APPROVED
    )
    priority = Priority.objects.create(plan=plan, title="Priority")
    reader = UserFactory(username="chief", roles=[Role.CHIEF_OFFICER])
    client.force_login(reader)

    def grow(count):
        add_indicators(count, scorecard=scorecard, priority=priority, portfolio=portfolio, holder=holder)

    return {"grow": grow, "portfolio": portfolio, "priority": priority}


def pages(council):
    scorecard = reverse("reviews:scorecard", args=["council"])
    exceptions = reverse("reviews:exception-report")
    portfolio = {"scope": "portfolio", "pk": council["portfolio"].pk}
    filtered = {"rag": ["red", "amber", "overdue"], "portfolio": council["portfolio"].pk, "sort": "-rating"}
    return {
        "scorecard": (scorecard, {}),
        "scorecard filtered and sorted": (scorecard, filtered),
        "scorecard xlsx": (scorecard, {"export": "xlsx"}),
        "scorecard csv": (scorecard, {"export": "csv", "sort": "direction"}),
        "scorecard committee report": (scorecard, {"export": "docx"}),
        "exception report pdf": (exceptions, {**portfolio, "export": "pdf"}),
        "priority scorecard": (reverse("reviews:scope-scorecard", args=["priority", council["priority"].pk]), {}),
        "portfolio scorecard": (reverse("reviews:scope-scorecard", args=["portfolio", council["portfolio"].pk]), {}),
        "exception report": (exceptions, portfolio),
        "exception report for the council": (exceptions, {}),
        "exception report xlsx": (exceptions, {**portfolio, "export": "xlsx"}),
        "exception report csv": (exceptions, {**portfolio, "export": "csv"}),
        "scorecard sorted by variation": (scorecard, {"sort": "variation", "assurance": "hit_and_miss"}),
        "scorecard sorted by assurance": (scorecard, {"sort": "-assurance"}),
        "exception report likely to miss": (exceptions, {**portfolio, "likely_to_miss": "1"}),
        "exception report likely to miss xlsx": (exceptions, {**portfolio, "likely_to_miss": "1", "export": "xlsx"}),
    }


def measure(client, url, query) -> tuple[int, int]:
    """(queries run, size of the answer)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query)
    assert response.status_code == 200
    return len(queries), len(response.content)


def test_fixed_number_of_queries_whatever_the_size(client, council):
    council["grow"](3)
    small = {name: measure(client, *page) for name, page in pages(council).items()}
    council["grow"](12)
    large = {name: measure(client, *page) for name, page in pages(council).items()}
    for name in small:
        assert small[name][0] == large[name][0], f"{name}: {small[name][0]} queries for 3, {large[name][0]} for 15"
        assert large[name][1] > small[name][1], f"{name}: the larger council should show more"
    # Session, user, two-factor sign-in state, roles, scorecard, periods, default period,
    # indicators, outturns with ratings, the previous period's statuses, trend figures,
    # targets, and the filter form's three lists (each counted, then listed); then the
    # corporate priorities' composites (priorities, composite policy, baskets, periods, ratings)
    # and the baskets again as the rows' groups.
    assert large["scorecard"][0] == 24, large["scorecard"][0]


def test_scorecard_sorted_and_filtered_and_its_download(client, council, django_assert_num_queries):
    council["grow"](6)
    url = reverse("reviews:scorecard", args=["council"])
    query = {"rag": ["red", "amber", "overdue"], "portfolio": council["portfolio"].pk, "sort": "-rating"}
    # As the unfiltered page above, and the chosen portfolio looked up; sorting and the row
    # filters run none.
    with django_assert_num_queries(25):
        assert client.get(url, query).status_code == 200
    # The download has no form to show, nor corporate priorities: session, user, two-factor
    # sign-in state, roles, scorecard, periods, default period, the chosen portfolio, then
    # the read layer's five.
    with django_assert_num_queries(13):
        assert client.get(url, {**query, "export": "csv"}).status_code == 200
