"""In the browser: the performance team sets a year's framework up in PMIS's own pages,
never the Django admin: a service, an officer invited by email, a plan with a priority, its
basket and a milestone, and an indicator added to the Council Scorecard."""

import pytest

from organisation.models import Role, Service
from plans.models import Milestone, Plan
from reviews.models import Scorecard
from tests.e2e.test_journeys import PASSWORD
from tests.indicators.factories import IndicatorFactory
from tests.organisation.factories import DirectorateFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_performance_team_sets_the_framework_up_without_the_admin(visitor):
    DirectorateFactory(name="Place")
    UserFactory(username="pat.performance", roles=[Role.PERFORMANCE_TEAM], password=PASSWORD)
    indicator = IndicatorFactory(code="LPI 192", title="Household waste recycled")
    council = Scorecard.objects.create(name="Council Scorecard", slug="council", is_council_scorecard=True)
    page = visitor.page
    admin = []
    page.on("request", lambda request: admin.append(request.url) if "/admin/" in request.url else None)

    visitor.sign_in("pat.performance", PASSWORD)
    page.get_by_role("link", name="Organisation").click()
    visitor.check()
    page.get_by_role("link", name="Add a service").click()
    visitor.check()
    page.get_by_label("Name").fill("Waste and Recycling")
    page.get_by_label("Code").fill("Waste and Recycling")
    page.get_by_label("Directorate").select_option(label="Place")
    page.get_by_role("button", name="Add the service").click()
    visitor.check()
    assert "lower-case letters, digits and hyphens" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Code").fill("waste")
    page.get_by_role("button", name="Add the service").click()
    visitor.check()
    assert "The service “Waste and Recycling” is created." in page.locator(".govuk-notification-banner").inner_text()

    page.get_by_role("link", name="People").first.click()
    visitor.check()
    page.get_by_role("link", name="Invite someone").click()
    visitor.check()
    page.get_by_label("First name").fill("Olu")
    page.get_by_label("Last name").fill("Officer")
    page.get_by_label("Email address").fill("olu.officer@council.example")
    page.get_by_label("Service they work in").select_option(label="Waste and Recycling")
    page.get_by_label("Officer (data owner)").check()
    page.get_by_role("button", name="Send the invitation").click()
    visitor.check()
    assert "olu.officer@council.example" in page.locator(".govuk-notification-banner").inner_text()

    page.get_by_role("link", name="Plans", exact=True).click()
    visitor.check()
    page.get_by_role("link", name="Create a plan").click()
    visitor.check()
    page.get_by_label("Kind of plan").select_option(label="Service business plan")
    page.get_by_label("Title").fill("Waste and Recycling business plan")
    page.get_by_label("Owning service").select_option(label="Waste and Recycling")
    page.get_by_label("Lead officer").select_option(label="Olu Officer")
    page.get_by_label("First year").select_option(label="2026/27")
    page.get_by_label("Last year").select_option(label="2025/26")
    page.get_by_role("button", name="Create the plan").click()
    visitor.check()
    assert "The last year must be the first year or after it." in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Last year").select_option(label="2026/27")
    page.get_by_role("button", name="Create the plan").click()
    visitor.check()

    page.get_by_role("link", name="Add a priority").click()
    visitor.check()
    page.get_by_label("Title").fill("Recycle more")
    page.get_by_role("button", name="Add the priority").click()
    visitor.check()
    page.get_by_role("link", name="Choose the indicators in this basket").click()
    visitor.check()
    page.get_by_label("LPI 192 Household waste recycled").check()
    page.get_by_role("button", name="Save the basket").click()
    visitor.check()
    page.get_by_role("link", name="Add a milestone").click()
    visitor.check()
    page.get_by_label("What will be delivered").fill("Food waste collections start")
    page.get_by_label("Owner").select_option(label="Olu Officer")
    page.get_by_label("Due date").fill("30/9/2026")
    page.get_by_role("button", name="Add milestone").click()
    visitor.check()

    page.get_by_role("link", name="Scorecards").first.click()
    visitor.check()
    page.get_by_role("link", name="choose its measures of Council Scorecard").click()
    visitor.check()
    page.get_by_label("Code or words of the title").fill("LPI 192")
    page.get_by_role("button", name="Search").click()
    visitor.check()
    page.get_by_label("LPI 192 Household waste recycled").check()
    page.get_by_role("button", name="Add the ticked indicators").click()
    visitor.check()
    assert "LPI 192 Household waste recycled" in page.locator("#measures + form").inner_text()

    service = Service.objects.get(code="waste")
    plan = Plan.objects.get(owner_service=service)
    assert plan.lead_officer.email == "olu.officer@council.example"
    priority = plan.priorities.get()
    assert list(priority.indicators.all()) == [indicator]
    assert Milestone.objects.get(priority=priority).owner == plan.lead_officer
    assert list(council.indicators.all()) == [indicator]
    assert admin == [], f"the journey went to the admin: {admin}"
