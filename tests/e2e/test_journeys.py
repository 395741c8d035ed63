import datetime
from decimal import Decimal as D

import pytest

from indicators import periods, services
from indicators.models import Outturn, Target, TargetStatus
from organisation.models import Role
from tests.indicators.factories import IndicatorFactory, period
from tests.organisation.factories import UserFactory

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


def test_a_portfolio_holder_signs_off_a_target(visitor):
    holder = UserFactory(
        username="kim.holder", roles=[Role.PORTFOLIO_HOLDER], first_name="Kim", last_name="Holder", password=PASSWORD
    )
    team = UserFactory(username="pat.performance", roles=[Role.PERFORMANCE_TEAM], password=PASSWORD)
    indicator = IndicatorFactory(title="Number of affordable homes delivered", portfolio__holder=holder)
    target = services.target_set(
        indicator=indicator, period=period("2026/27"), value=D("120"), rationale="Housing strategy", by=team
    )
    services.target_propose(target=target, by=team)
    services.target_quality_assure(target=target, by=team)

    visitor.sign_in("kim.holder", PASSWORD)
    visitor.go("/sign-off/")
    page = visitor.page
    assert "Housing strategy" in page.content()
    page.get_by_role("button", name="Sign off").first.click()
    visitor.check()
    target = Target.objects.get()
    assert (target.status, target.signed_off_by) == (TargetStatus.SIGNED_OFF, holder)
    assert target.signed_off_at.date() == datetime.date.today()
