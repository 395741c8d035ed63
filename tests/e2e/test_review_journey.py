"""A service Performance Review Team's cycle in the browser: arranged with attendees found by
service, the pack checked and published, an action recorded, the pack reissued with both
versions kept, a service manager's action plan from the exception report, and the next
meeting carrying the action forward and refusing a pack before its period has ended."""

import datetime
from decimal import Decimal as D

import pytest

from indicators import periods, services
from organisation.models import Role
from reviews.models import Meeting, MeetingKind
from tests.e2e.test_journeys import PASSWORD, latest_ended_quarter
from tests.indicators.factories import IndicatorFactory, period
from tests.organisation.factories import PortfolioFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_service_prt_cycle(visitor):
    UserFactory(username="pat.team", roles=[Role.PERFORMANCE_TEAM], password=PASSWORD)
    manager = UserFactory(
        username="mo.manager", roles=[Role.SERVICE_MANAGER], first_name="Mo", last_name="Manager", password=PASSWORD
    )
    holder = UserFactory(username="hal.holder", roles=[Role.PORTFOLIO_HOLDER], first_name="Hal", last_name="Holder")
    repairs = ServiceFactory(name="Housing repairs", manager=manager)
    portfolio = PortfolioFactory(name="Housing", holder=holder)
    portfolio.services.add(repairs)
    quarter = latest_ended_quarter()
    officer = UserFactory(username="olly.officer", roles=[Role.OFFICER], service=repairs)
    indicator = IndicatorFactory(
        title="Repairs completed on time", service=repairs, portfolio=portfolio, responsible_officer=officer
    )
    services.target_set(indicator=indicator, period=quarter, value=D("90"), rationale="Trend", by=officer)
    services.outturn_record(
        indicator=indicator, period=quarter, value=D("50"), commentary="The contractor left.", by=officer
    )
    meeting_day = datetime.date.today() + datetime.timedelta(days=21)
    year, number = (quarter.year, quarter.number + 1) if quarter.number < 4 else (quarter.year + 1, 1)
    following = period(periods.label("quarter", year, number))  # the current quarter

    visitor.sign_in("pat.team", PASSWORD)
    visitor.go("/meetings/new/")
    page = visitor.page
    page.locator("#id_kind").select_option(label="Service Performance Review Team")
    page.get_by_label("Title").fill("Housing repairs PRT")
    page.get_by_label("Date of the meeting").fill(meeting_day.strftime("%d/%m/%Y"))
    page.locator("#id_period").select_option(label=quarter.label)
    page.locator("#id_service").select_option(label="Housing repairs")
    page.locator("#id_people_service").select_option(label="Housing repairs")
    page.get_by_role("button", name="Show these people").click()
    visitor.check()
    assert page.locator("#id_title").input_value() == "Housing repairs PRT"  # kept while finding people
    page.get_by_label("Mo Manager").check()
    page.get_by_role("button", name="Arrange meeting").click()
    visitor.check()
    meeting = Meeting.objects.get(title="Housing repairs PRT")
    assert list(meeting.attendees.all()) == [manager]

    page.get_by_role("link", name="Check and publish the pack").click()
    visitor.check()
    assert "ended on" in page.locator("#check-period").inner_text()
    assert indicator.code in page.locator("#check-plans").inner_text()  # a Red without a plan
    page.get_by_role("button", name="Publish the pack to attendees").click()
    visitor.check()
    assert "Version 1 (current)" in page.locator("#pack-version").inner_text()

    page.get_by_role("link", name="Record an action").click()
    visitor.check()
    page.get_by_label("Description").fill("Appoint a second contractor")
    page.locator("#id_owner").select_option(label="Mo Manager")
    page.get_by_label("Due date").fill((meeting_day + datetime.timedelta(days=60)).strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Record action").click()
    visitor.check()
    assert "Appoint a second contractor" in page.locator("#agreed-actions").inner_text()

    page.get_by_role("link", name="Reissue the pack").click()
    visitor.check()
    page.get_by_label("Why is the pack reissued?").fill("The action agreed on the day added to the log.")
    page.get_by_role("button", name="Reissue the pack").click()
    visitor.check()
    assert "Version 2 (current)" in page.locator("#pack-version").inner_text()
    page.get_by_role("link", name="Version 1").click()
    visitor.check()
    assert "not current" in page.locator("#pack-version").inner_text()

    # The service manager records the Red's action plan from the exception report.
    visitor.page.context.clear_cookies()
    visitor.sign_in("mo.manager", PASSWORD)
    visitor.go(f"/exceptions/?period={quarter.pk}")
    assert indicator.code in page.locator("#without-plan").inner_text()
    page.get_by_role("link", name=f"Record an action plan for {indicator.code}").click()
    visitor.check()
    page.get_by_label("What will be done").fill("Bring in a second contractor for the backlog")
    page.locator("#id_recover_by").select_option(index=1)
    page.get_by_label("Plan complete by").fill((meeting_day + datetime.timedelta(days=90)).strftime("%d/%m/%Y"))
    page.get_by_label("Step 1", exact=True).fill("Tender for a second contractor")
    page.get_by_label("Step 1 due").fill((meeting_day + datetime.timedelta(days=30)).strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Record the action plan").click()
    visitor.check()
    assert "Tender for a second contractor" in page.locator("#action-steps").inner_text()

    # The next meeting: the action carried forward, the plan in the pack, publishing refused.
    after = Meeting.objects.create(
        kind=MeetingKind.SERVICE_PRT,
        title="Housing repairs PRT, next quarter",
        date=following.end + datetime.timedelta(days=40),
        period=following,
        service=repairs,
    )
    visitor.page.context.clear_cookies()
    visitor.sign_in("pat.team", PASSWORD)
    visitor.go(f"/meetings/{after.pk}/")
    assert "Appoint a second contractor" in page.locator("#pack-actions").inner_text()
    page.get_by_role("link", name="Check and publish the pack").click()
    visitor.check()
    assert "cannot be published" in page.locator("#publish-refused").inner_text()
