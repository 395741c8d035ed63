"""In the browser: a risk's owner reviews it and the higher score shows on the heat map and
in the portfolio's PRT pack; the audit committee's report shows overdue recommendations
with their actions."""

import datetime

import pytest

from organisation.models import Role
from reviews.models import Meeting, MeetingKind
from reviews.services import action_raise
from risks.models import SourceKind
from risks.services import categories_ensure, recommendation_save, risk_save, source_save
from tests.e2e.test_journeys import PASSWORD, latest_ended_quarter
from tests.indicators.factories import IndicatorFactory
from tests.organisation.factories import PortfolioFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_owner_reviews_a_risk_and_the_committee_sees_overdue_recommendations(visitor):
    service = ServiceFactory(name="Waste and Recycling")
    portfolio = PortfolioFactory(name="Environment")
    portfolio.services.add(service)
    owner = UserFactory(username="olive.owner", roles=[Role.OFFICER], first_name="Olive", password=PASSWORD)
    UserFactory(username="chris.chief", roles=[Role.CHIEF_OFFICER], password=PASSWORD)
    keeper = UserFactory(username="rita.risk", roles=[Role.RISK_AND_AUDIT])
    quarter = latest_ended_quarter()
    meeting = Meeting.objects.create(
        kind=MeetingKind.PORTFOLIO_PRT, title="Environment PRT", date=quarter.end, period=quarter, portfolio=portfolio
    )
    risk = risk_save(
        title="Depot floods",
        cause="Heavy rain",
        event="The depot floods",
        consequence="Bins are not collected",
        owner=owner,
        category=categories_ensure()["Operational"],
        directorate=service.directorate,
        inherent_likelihood=4,
        inherent_impact=4,
        residual_likelihood=2,
        residual_impact=3,
        target_score=4,
        review_due=datetime.date.today() - datetime.timedelta(days=1),
        by=keeper,
    )
    page = visitor.page

    visitor.sign_in("olive.owner", PASSWORD)
    visitor.go(f"/risks/{risk.pk}/")
    page.get_by_role("link", name="Review this risk").click()
    visitor.check()
    page.get_by_label("Residual likelihood").select_option("4")
    page.get_by_label("Residual impact").select_option("3")
    page.get_by_role("button", name="Record the review").click()
    visitor.check()
    assert "Say what controls are in place" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Controls in place").fill("Sandbags and a pump on site")
    page.get_by_role("button", name="Record the review").click()
    visitor.check()
    assert (
        "Rising from 6" in page.locator("main").inner_text() and "Above appetite" in page.locator("main").inner_text()
    )

    page.context.clear_cookies()
    visitor.sign_in("chris.chief", PASSWORD)
    visitor.go(f"/risks/heat-map/?directorate={service.directorate.code}")
    assert page.locator("svg title", has_text="Likelihood 4, impact 3, score 12: 1 risk").count() == 1
    assert page.locator("svg title", has_text="Likelihood 2, impact 3, score 6: 0 risks").count() == 1
    visitor.go(f"/meetings/{meeting.pk}/")
    assert "Rising from 6" in page.locator("#risk-exceptions").inner_text()

    indicator = IndicatorFactory(service=service)
    source = source_save(
        kind=SourceKind.INTERNAL_AUDIT,
        title="Audit of waste contracts",
        author="Internal Audit",
        date=datetime.date.today() - datetime.timedelta(days=200),
        by=keeper,
    )
    late = datetime.date.today() - datetime.timedelta(days=10)
    action = action_raise(description="Retender the contract", owner=owner, due=late, indicator=indicator, by=keeper)
    recommendation_save(
        source=source, number=1, text="Retender", priority="high", response="accepted", owner=owner, due=late,
        actions=[action], by=keeper,
    )  # fmt: skip
    recommendation_save(
        source=source, number=2, text="Publish", priority="low", response="accepted", owner=owner, due=late,
        status="implemented", evidence="Published on the website", by=keeper,
    )  # fmt: skip
    visitor.go("/recommendations/")
    page.get_by_role("link", name="Audit of waste contracts").click()
    visitor.check()
    overdue = page.locator("#overdue").inner_text()
    assert "Recommendation 1" in overdue and "Recommendation 2" not in overdue
    assert "Retender the contract" in page.locator("main").inner_text()
    assert "Published on the website" in page.locator("main").inner_text()
