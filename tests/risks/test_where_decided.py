"""Risks where decisions are made: on the pages of the priorities and indicators they relate
to, in a PRT pack (its portfolio's risks above appetite or rising) and the exception report."""

import datetime

import pytest
from django.urls import reverse

from indicators.models import Period
from organisation.models import Role
from plans.models import Plan, PlanKind, Priority
from reviews.models import Meeting, MeetingKind
from tests.indicators.factories import IndicatorFactory
from tests.organisation.factories import PortfolioFactory, ServiceFactory, UserFactory
from tests.reviews.builders import years

from .builders import risk

pytestmark = pytest.mark.django_db


def test_risks_show_where_decisions_are_made(client):
    years(2025)
    keeper = UserFactory(roles=[Role.PERFORMANCE_TEAM])
    service = ServiceFactory()
    portfolio = PortfolioFactory()
    portfolio.services.add(service)
    indicator = IndicatorFactory(service=service, portfolio=portfolio)
    plan = Plan.objects.create(kind=PlanKind.CORPORATE, title="Corporate Plan", first_year=2025, last_year=2025)
    priority = Priority.objects.create(plan=plan, title="Safer streets")
    high = risk(by=keeper, owner=keeper, title="Depot floods", residual=(5, 4), indicators=[indicator])
    low = risk(by=keeper, owner=keeper, title="Paint wears", residual=(1, 2), priorities=[priority])
    elsewhere = risk(
        by=keeper, owner=keeper, title="Elsewhere", residual=(5, 5), directorate=ServiceFactory().directorate
    )
    meeting = Meeting.objects.create(
        kind=MeetingKind.PORTFOLIO_PRT,
        title="PRT",
        date=datetime.date(2026, 2, 2),
        period=Period.objects.get_by_label("2025/26 Q3"),
        portfolio=portfolio,
    )
    client.force_login(UserFactory(roles=[Role.CHIEF_OFFICER]))
    page = client.get(reverse("indicators:indicator-detail", args=[indicator.pk])).content.decode()
    assert "Depot floods" in page and "Above appetite" in page and "Paint wears" not in page
    page = client.get(reverse("plans:priority", args=[priority.pk])).content.decode()
    assert "Paint wears" in page and "Depot floods" not in page
    pack = client.get(reverse("reviews:meeting", args=[meeting.pk])).content.decode()
    assert high.reference in pack and low.reference not in pack and elsewhere.reference not in pack
    report = client.get(reverse("reviews:exception-report")).content.decode()
    assert high.reference in report and elsewhere.reference in report and low.reference not in report
    # Officers who do not read the registers see no risks on these pages.
    client.force_login(UserFactory(roles=[Role.OFFICER]))
    assert (
        "Depot floods" not in client.get(reverse("indicators:indicator-detail", args=[indicator.pk])).content.decode()
    )
