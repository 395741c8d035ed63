import datetime
from decimal import Decimal as D

import pytest

from indicators import periods, services
from indicators.models import Outturn
from organisation.models import Role
from tests.indicators.factories import IndicatorFactory, period
from tests.organisation.factories import ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct-horse-battery-staple"


def latest_ended_quarter():
    today = datetime.date.today()
    year = periods.financial_year(today)
    current = next(n for n in range(1, 5) if periods.bounds("quarter", year, n)[1] >= today)
    year, number = (year, current - 1) if current > 1 else (year - 1, 4)
    return period(periods.label("quarter", year, number))


def test_an_officer_enters_a_figure_below_target_sees_red_and_is_asked_for_commentary(visitor):
    officer = UserFactory(
        username="olly.officer", roles=[Role.OFFICER], first_name="Olly", last_name="Officer", password=PASSWORD
    )
    indicator = IndicatorFactory(title="Percentage of calls answered within 20 seconds", responsible_officer=officer)
    quarter = latest_ended_quarter()
    services.target_set(indicator=indicator, period=quarter, value=D("90"), rationale="Trend", by=officer)

    visitor.sign_in("olly.officer", PASSWORD)
    visitor.go("/returns/")
    page = visitor.page
    link = page.locator(f'a[href="/returns/{indicator.pk}/{quarter.pk}/"]')
    assert link.inner_text().split() == f"{indicator.code} {indicator.title} for {quarter}".split()
    link.click()
    visitor.check()
    page.get_by_label("Figure", exact=True).fill("80%")
    page.get_by_role("button", name="Save as draft").click()
    visitor.check()
    assert "Red" in page.locator("#rating").inner_text()
    assert "Add commentary" in page.locator("#commentary-needed").inner_text()

    # Submitting without commentary: the error summary links to the field, now required.
    page.get_by_role("button", name="Save and submit").click()
    visitor.check()
    page.locator(".govuk-error-summary a", has_text="say what went wrong").click()
    assert page.evaluate("document.activeElement.id") == "id_commentary"
    assert Outturn.objects.get().state == "draft"

    page.get_by_label("Commentary", exact=True).fill("Two advisers left in August; agency cover starts in October.")
    page.get_by_role("button", name="Save and submit").click()
    visitor.check()
    assert "saved and submitted" in page.locator(".govuk-notification-banner").inner_text()
    assert Outturn.objects.get().state == "submitted"


def test_an_officer_submits_a_quarter_in_bulk_and_the_performance_team_validates_and_sends_back(visitor):
    service = ServiceFactory(name="Housing Benefits")
    officer = UserFactory(username="olly.officer", roles=[Role.OFFICER], service=service, password=PASSWORD)
    UserFactory(username="pat.performance", roles=[Role.PERFORMANCE_TEAM], password=PASSWORD)
    quarter = latest_ended_quarter()
    claims, calls, rent = (
        IndicatorFactory(code=code, title=title, service=service)
        for code, title in (
            ("HB 1", "Claims processed on time"),
            ("HB 2", "Calls answered within 20 seconds"),
            ("HB 3", "Rent collected"),
        )
    )
    for indicator in (claims, calls, rent):
        services.target_set(indicator=indicator, period=quarter, value=D("90"), rationale="Trend", by=officer)
    # Another service's return awaiting validation, for the filters to leave out.
    other = IndicatorFactory(code="PK 1", service=ServiceFactory(name="Parks"))
    services.target_set(indicator=other, period=quarter, value=D("90"), rationale="Trend", by=officer)
    services.outturn_submit(
        outturn=services.outturn_record(indicator=other, period=quarter, value=D("50"), commentary="Rain", by=officer),
        by=officer,
    )

    # The officer enters the quarter from bulk entry and submits it; the Red figure needs commentary.
    visitor.sign_in("olly.officer", PASSWORD)
    visitor.go("/returns/")
    page = visitor.page
    page.get_by_role("link", name=f"Housing Benefits, {quarter}").click()
    visitor.check()
    page.get_by_label("Figure for HB 1").fill("50")
    page.get_by_label("Figure for HB 2").fill("60")
    page.get_by_label("Figure for HB 3").fill("95")
    page.get_by_role("button", name="Save and submit").click()
    visitor.check()
    summary = page.locator(".govuk-error-summary")
    assert "saved as drafts but not submitted" in summary.inner_text()
    summary.get_by_role("link", name="HB 1: Saved as a draft, not submitted. The figure is rated Red").click()
    assert page.evaluate("document.activeElement.id") == f"id_row-{claims.pk}-commentary"
    page.locator(f"#id_row-{claims.pk}-commentary").fill("Two assessors left; agency staff start in May.")
    page.locator(f"#id_row-{calls.pk}-commentary").fill("New telephony system bedding in.")
    page.get_by_role("button", name="Save and submit").click()
    visitor.check()
    assert "2 figures saved and 2 submitted" in page.locator(".govuk-notification-banner").inner_text()
    assert set(Outturn.objects.filter(indicator__service=service).values_list("state", flat=True)) == {"submitted"}

    # The performance team filters the queue to the service's Red figures, validates one, sends one back.
    page.context.clear_cookies()
    visitor.sign_in("pat.performance", PASSWORD)
    visitor.go("/validation/")
    page.get_by_label("Service", exact=True).select_option(label="Housing Benefits")
    page.get_by_label("Rating", exact=True).select_option(label="Red")
    page.get_by_role("button", name="Show returns").click()
    visitor.check()
    assert f"service={service.pk}" in page.url and "rating=red" in page.url
    rows = page.locator("#queue tbody tr")
    assert rows.count() == 2 and "PK 1" not in page.locator("#queue").inner_text()
    page.get_by_label(f"Select HB 1, {quarter}").check()
    page.get_by_role("button", name="Validate selected returns").click()
    visitor.check()
    assert "HB 1 Claims processed on time" in page.locator("#selected").inner_text()
    page.get_by_role("button", name="Validate 1 return").click()
    visitor.check()
    assert "1 return validated." in page.locator(".govuk-notification-banner").inner_text()
    assert f"service={service.pk}" in page.url

    page.get_by_role("link", name=f"Send back HB 2, {quarter}").click()
    visitor.check()
    page.get_by_label(f"What needs to change in HB 2, {quarter}?").fill("The figure looks like last quarter's.")
    page.get_by_role("button", name="Send back").click()
    visitor.check()
    assert "No returns match these filters." in page.content()
    states = dict(Outturn.objects.filter(indicator__service=service).values_list("indicator__code", "state"))
    assert states == {"HB 1": "validated", "HB 2": "returned", "HB 3": "submitted"}
