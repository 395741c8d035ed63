"""In the browser: a performance officer takes a plan from draft to approval through
scrutiny review, and a cabinet member drills from a priority's composite into its basket."""

import pytest

from organisation.models import Role
from plans.models import Plan, PlanStatus, Priority
from tests.e2e.test_journeys import PASSWORD, latest_ended_quarter
from tests.indicators.factories import IndicatorFactory
from tests.organisation.factories import ServiceFactory, UserFactory
from tests.reviews.builders import figure, target

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_plan_goes_from_draft_to_approved_through_scrutiny_review(visitor):
    service = ServiceFactory(name="Waste and Recycling")
    manager = UserFactory(
        username="mia.manager", roles=[Role.SERVICE_MANAGER], first_name="Mia", last_name="Manager", password=PASSWORD
    )
    service.manager = manager
    service.save()
    UserFactory(username="pat.performance", roles=[Role.PERFORMANCE_TEAM], password=PASSWORD)
    UserFactory(
        username="sam.scrutiny", roles=[Role.SCRUTINY_MEMBER], first_name="Sam", last_name="Scrutiny", password=PASSWORD
    )
    plan = Plan.objects.create(
        kind="service", title="Waste business plan", owner_service=service, first_year=2025, last_year=2025
    )
    quarter = latest_ended_quarter()
    indicator = IndicatorFactory(title="Household waste recycled", service=service)
    target(indicator, quarter.label, "50")
    figure(indicator, quarter.label, "40", commentary="Contamination rose")
    Priority.objects.create(plan=plan, title="Recycle more").indicators.add(indicator)
    page = visitor.page

    visitor.sign_in("pat.performance", PASSWORD)
    visitor.go(f"/plans/{plan.pk}/")
    page.get_by_role("button", name="Quality-assure this plan").click()
    visitor.check()
    page.get_by_role("button", name="Send to scrutiny review").click()
    visitor.check()
    assert "Approve this plan" in page.locator("#workflow").inner_text()

    page.context.clear_cookies()
    visitor.sign_in("sam.scrutiny", PASSWORD)
    visitor.go(f"/plans/{plan.pk}/")
    page.get_by_role("button", name="Add comment").click()
    visitor.check()
    assert "Enter your comment on the plan." in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Your comment on this plan").fill("Why is recycling falling?")
    page.get_by_role("button", name="Add comment").click()
    visitor.check()

    page.context.clear_cookies()
    visitor.sign_in("pat.performance", PASSWORD)
    visitor.go(f"/plans/{plan.pk}/")
    page.get_by_role("button", name="Approve this plan").click()
    visitor.check()
    assert "1 scrutiny comment is not answered yet" in page.locator(".govuk-notification-banner").inner_text()

    page.context.clear_cookies()
    visitor.sign_in("mia.manager", PASSWORD)
    visitor.go(f"/plans/{plan.pk}/")
    page.get_by_label("Your answer").fill("Contamination: a leaflet campaign starts in March.")
    page.get_by_role("button", name="Answer").click()
    visitor.check()

    page.context.clear_cookies()
    visitor.sign_in("pat.performance", PASSWORD)
    visitor.go(f"/plans/{plan.pk}/")
    page.get_by_role("button", name="Approve this plan").click()
    visitor.check()
    assert "The plan is approved." in page.locator(".govuk-notification-banner").inner_text()
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.APPROVED

    # Drill into the priority: its composite, with the counts, and its basket.
    page.get_by_role("link", name="Recycle more").click()
    visitor.check()
    assert "0 Green, 0 Amber, 1 Red, 0 unrated" in page.locator("#composite").inner_text()
    assert "Household waste recycled" in page.locator("#basket").inner_text()
