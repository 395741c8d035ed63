"""In the browser: the performance team creates an indicator and records a tolerance policy
after reading its preview, in PMIS's own pages; then the officer responsible enters the new
indicator's first figure, with nothing owed before the period it is collected from. No
request of the journey goes to /admin/."""

import datetime
from decimal import Decimal as D

import pytest

from indicators import periods, services
from indicators.models import Indicator, Outturn, TolerancePolicy
from organisation.models import Role
from tests.e2e.test_journeys import PASSWORD, latest_ended_quarter
from tests.indicators.factories import IndicatorFactory
from tests.organisation.factories import ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_performance_team_creates_an_indicator_and_records_a_tolerance_policy(visitor):
    quarter = latest_ended_quarter()
    services.periods_ensure_year(year=quarter.year)
    housing = ServiceFactory(name="Housing Options")
    UserFactory(username="pat.performance", roles=[Role.PERFORMANCE_TEAM], password=PASSWORD)
    UserFactory(
        username="olly.officer",
        first_name="Olly",
        last_name="Officer",
        roles=[Role.OFFICER],
        service=housing,
        password=PASSWORD,
    )
    # A figure 4% below its target: Amber under the 5% policy, Red under a 2% one.
    rated = IndicatorFactory(code="LPI 016", title="Homelessness cases prevented")
    services.target_set(indicator=rated, period=quarter, value=D("100"), rationale="", by=None)
    services.outturn_record(indicator=rated, period=quarter, value=D("96"), by=None)
    page = visitor.page
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    visitor.sign_in("pat.performance", PASSWORD)
    page.get_by_role("link", name="Indicator definitions").click()
    visitor.check()
    page.get_by_role("link", name="Add an indicator").click()
    visitor.check()
    page.get_by_role("button", name="Add the indicator").click()
    visitor.check()
    assert "This field is required." in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Code").fill("LPI 017")
    page.get_by_label("Title").fill("Households helped to stay in their home")
    page.get_by_label("Plain-English description").fill("How many households we helped to keep their home.")
    page.get_by_label("Unit").select_option(label="Rate per 1,000")
    page.get_by_label("Polarity").select_option(label="Higher is better")
    page.get_by_label("Tolerance rule").select_option(label="Its own tolerance, as a percentage of the target")
    page.get_by_label("Tolerance override").fill("7.5")
    page.get_by_label("Service (optional)").select_option(label="Housing Options")
    page.get_by_label("Responsible officer (optional)").select_option(label="Olly Officer")
    page.get_by_role("button", name="Add the indicator").click()
    visitor.check()
    assert "LPI 017 is added to the register" in page.locator(".govuk-notification-banner").inner_text()
    created = Indicator.objects.get(code="LPI 017")
    assert (created.tolerance, created.unit, created.service.name) == (D("0.075"), "rate_per_1000", "Housing Options")

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
    page.get_by_role("button", name="Sign out").click()

    # The officer: nothing is owed for LPI 017 before the period it is collected from.
    first = created.collected_from
    assert first is not None and first.due >= datetime.date.today()
    visitor.sign_in("olly.officer", PASSWORD)
    page.get_by_role("link", name="My returns").first.click()
    visitor.check()
    overdue = page.locator("#overdue")
    assert overdue.count() == 0 or "LPI 017" not in overdue.inner_text()
    visitor.go(f"/indicators/{created.pk}/")
    page.get_by_role("link", name=f"Enter or correct the {first.label} figure").click()
    visitor.check()
    page.get_by_label("Figure", exact=True).fill("5")
    page.get_by_role("button", name="Save and submit").click()
    visitor.check()
    assert (
        f"The {first.label} figure for LPI 017 is saved and submitted."
        in page.locator(".govuk-notification-banner").inner_text()
    )
    first_figure = Outturn.objects.get(indicator=created)
    assert (first_figure.period, first_figure.value, first_figure.state) == (first, D("5"), "submitted")

    assert not [url for url in requested if "/admin/" in url]
