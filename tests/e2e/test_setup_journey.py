"""In the browser (issue 18's journey): the performance team sets a new year up from an empty
framework in PMIS's own pages, never the Django admin. It creates a service, invites an
officer by email, creates an indicator for them, records a tolerance policy after reading
its preview, creates a plan with a priority, its basket and a milestone, and adds the
indicator to the Council Scorecard. The invited officer chooses a password from the email
and enters the indicator's first figure, owing nothing before the period it is collected
from. No request of the journey goes to /admin/."""

import datetime
import re
from decimal import Decimal as D
from urllib.parse import urlsplit

import pytest
from django.core import mail

from indicators import periods, services
from indicators.models import Indicator, Outturn, TolerancePolicy
from organisation.models import Role, Service
from plans.models import Milestone, Plan
from reviews.models import Scorecard
from tests.e2e.test_journeys import PASSWORD, latest_ended_quarter
from tests.indicators.factories import IndicatorFactory
from tests.organisation.factories import DirectorateFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_performance_team_sets_a_year_up_and_the_invited_officer_enters_the_first_figure(visitor):
    quarter = latest_ended_quarter()
    services.periods_ensure_year(year=quarter.year)
    DirectorateFactory(name="Place")
    UserFactory(username="pat.performance", roles=[Role.PERFORMANCE_TEAM], password=PASSWORD)
    council = Scorecard.objects.create(name="Council Scorecard", slug="council", is_council_scorecard=True)
    # Last year's figure 4% below its target: Amber under the 5% policy, Red under a 2% one.
    rated = IndicatorFactory(code="LPI 016", title="Homelessness cases prevented")
    services.target_set(indicator=rated, period=quarter, value=D("100"), rationale="", by=None)
    services.outturn_record(indicator=rated, period=quarter, value=D("96"), by=None)
    page = visitor.page
    admin = []
    page.on("request", lambda request: admin.append(request.url) if "/admin/" in request.url else None)

    # A service, and an officer invited to it.
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

    # The officer's indicator, refused first for want of its required fields.
    visitor.go("/")
    page.get_by_role("link", name="Indicator definitions").click()
    visitor.check()
    page.get_by_role("link", name="Add an indicator").click()
    visitor.check()
    page.get_by_role("button", name="Add the indicator").click()
    visitor.check()
    assert "This field is required." in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Code").fill("LPI 192")
    page.get_by_label("Title").fill("Household waste recycled")
    page.get_by_label("Plain-English description").fill("The share of household waste sent for recycling.")
    page.get_by_label("Unit").select_option(label="Percentage")
    page.get_by_label("Polarity").select_option(label="Higher is better")
    page.get_by_label("Tolerance rule").select_option(label="Its own tolerance, as a percentage of the target")
    page.get_by_label("Tolerance override").fill("7.5")
    page.get_by_label("Service (optional)").select_option(label="Waste and Recycling")
    page.get_by_label("Responsible officer (optional)").select_option(label="Olu Officer")
    page.get_by_role("button", name="Add the indicator").click()
    visitor.check()
    assert "LPI 192 is added to the register" in page.locator(".govuk-notification-banner").inner_text()
    indicator = Indicator.objects.get(code="LPI 192")
    service = Service.objects.get(code="waste")
    assert (indicator.tolerance, indicator.unit, indicator.service) == (D("0.075"), "percentage", service)

    # The tolerance policy, recorded after its preview.
    visitor.go("/")
    page.get_by_role("link", name="Tolerance policy").click()
    visitor.check()
    page.get_by_label("As a percentage of the target").check()
    page.get_by_label("Tolerance", exact=True).fill("2")
    page.get_by_label("From which period").select_option(label=periods.label("quarter", quarter.year, 1))
    page.get_by_label("Why is the council setting this tolerance?").fill("Members asked for a tighter rule.")
    page.get_by_role("button", name="Preview the change").click()
    visitor.check()
    preview = page.locator("main").inner_text()
    assert "would change 1 rating" in preview
    assert f"LPI 016 {quarter.label}" in preview and "Amber" in preview and "Red" in preview
    assert TolerancePolicy.objects.count() == 1
    page.get_by_role("button", name="Record the tolerance and rate the figures again").click()
    visitor.check()
    assert "Finished" in page.locator("#progress").inner_text()
    assert TolerancePolicy.objects.get(set_by__username="pat.performance").tolerance == D("0.02")

    # The service's plan: a priority, its basket and a milestone.
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

    # The indicator on the Council Scorecard.
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
    page.get_by_role("button", name="Sign out").click()

    plan = Plan.objects.get(owner_service=service)
    assert plan.lead_officer.email == "olu.officer@council.example"
    priority = plan.priorities.get()
    assert list(priority.indicators.all()) == [indicator]
    assert Milestone.objects.get(priority=priority).owner == plan.lead_officer
    assert list(council.indicators.all()) == [indicator]

    # The invited officer chooses a password from the invitation's link and signs in.
    (invitation,) = [message for message in mail.outbox if "olu.officer@council.example" in message.to]
    link = re.search(r"https?://\S+", invitation.body).group(0)
    visitor.go(urlsplit(link).path)
    page.get_by_label("New password", exact=True).fill(PASSWORD)
    page.get_by_label("New password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Save the password").click()
    visitor.check()
    visitor.sign_in(plan.lead_officer.username, PASSWORD)

    # Nothing is owed for LPI 192 before the period it is collected from; then its first figure.
    first = indicator.collected_from
    assert first is not None and first.due >= datetime.date.today()
    page.get_by_role("link", name="My returns").first.click()
    visitor.check()
    overdue = page.locator("#overdue")
    assert overdue.count() == 0 or "LPI 192" not in overdue.inner_text()
    visitor.go(f"/indicators/{indicator.pk}/")
    page.get_by_role("link", name=f"Enter or correct the {first.label} figure").click()
    visitor.check()
    page.get_by_label("Figure", exact=True).fill("45")
    page.get_by_role("button", name="Save and submit").click()
    visitor.check()
    assert (
        f"The {first.label} figure for LPI 192 is saved and submitted."
        in page.locator(".govuk-notification-banner").inner_text()
    )
    first_figure = Outturn.objects.get(indicator=indicator)
    assert (first_figure.period, first_figure.value, first_figure.state) == (first, D("45"), "submitted")
    assert admin == [], f"the journey went to the admin: {admin}"
