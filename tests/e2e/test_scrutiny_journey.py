"""A scrutiny member watches a measure, refers it to a performance surgery, and the surgery
the portfolio holder arranges has a pack on that measure alone (axe on every page)."""

import datetime
from decimal import Decimal as D

import pytest

from indicators import services
from organisation.models import Role
from reviews.models import Meeting, Referral
from tests.e2e.test_journeys import PASSWORD, latest_ended_quarter
from tests.indicators.factories import IndicatorFactory
from tests.organisation.factories import PortfolioFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_watched_measure_is_referred_to_a_surgery_whose_pack_shows_only_it(visitor):
    UserFactory(username="sue.scrutiny", roles=[Role.SCRUTINY_MEMBER], password=PASSWORD)
    holder = UserFactory(username="hal.holder", roles=[Role.PORTFOLIO_HOLDER], password=PASSWORD)
    officer = UserFactory(username="olly.officer", roles=[Role.OFFICER])
    service = ServiceFactory(name="Housing repairs")
    portfolio = PortfolioFactory(name="Housing", holder=holder)
    quarter = latest_ended_quarter()
    chosen, other = (
        IndicatorFactory(title=title, service=service, portfolio=portfolio, responsible_officer=officer)
        for title in ("Repairs completed on time", "Empty homes brought back into use")
    )
    for indicator in (chosen, other):
        services.target_set(indicator=indicator, period=quarter, value=D("90"), rationale="Trend", by=officer)
        services.outturn_record(
            indicator=indicator, period=quarter, value=D("40"), commentary=f"{indicator.title} fell.", by=officer
        )

    visitor.sign_in("sue.scrutiny", PASSWORD)
    visitor.go("/watch-list/")
    page = visitor.page
    page.get_by_label("Add a measure to my watch list").select_option(label=str(chosen))
    page.get_by_role("button", name="Add to the list").first.click()
    visitor.check()
    assert "Repairs completed on time" in page.locator("#watch-own").inner_text()
    page.get_by_role("link", name=f"Refer {chosen.code}").click()
    visitor.check()
    page.locator("#id_kind").select_option(label="A performance surgery")
    page.get_by_label("Why should it be examined?").fill("Red for the third quarter running.")
    page.get_by_role("button", name="Refer the measure").click()
    visitor.check()
    assert "Red for the third quarter running." in page.locator("#referrals").inner_text()
    assert Referral.objects.get().indicator == chosen

    page.context.clear_cookies()
    visitor.sign_in("hal.holder", PASSWORD)
    visitor.go("/meetings/new/")
    page.get_by_label("Title").fill("Repairs surgery")
    page.get_by_label("Date of the meeting").fill(
        (datetime.date.today() + datetime.timedelta(days=14)).strftime("%d/%m/%Y")
    )
    page.locator("#id_period").select_option(label=quarter.label)
    page.get_by_label(str(chosen)).check()
    page.get_by_role("button", name="Arrange meeting").click()
    visitor.check()
    surgery = Meeting.objects.get(title="Repairs surgery")
    assert surgery.chair == holder
    focus = page.locator(f"#focus-{chosen.code.lower().replace(' ', '-')}").inner_text()
    assert "Repairs completed on time fell." in focus
    exceptions = page.locator("#pack-exceptions").inner_text()
    assert chosen.title in exceptions and other.title not in exceptions
