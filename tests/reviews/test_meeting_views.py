"""Meeting, action, budget and complaints pages through the test client."""

import datetime
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews import services
from reviews.models import Action, ActionStatus, BudgetLine, Feedback, FeedbackKind, Meeting, MeetingKind, PackSnapshot
from tests.organisation.factories import ServiceFactory
from tests.reviews.test_meetings import act, meeting_world, prt
from tests.shared_data import refreshed, shared

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    with shared(django_db_blocker):
        yield meeting_world()


@pytest.fixture
def world(db, _world):
    return refreshed(_world)


def login(client, world, who):
    client.force_login(world.people[who])
    return client


def test_performance_team_arranges_a_portfolio_prt(client, world):
    login(client, world, "performance")
    response = client.post(
        reverse("reviews:meeting-add"),
        {
            "kind": MeetingKind.PORTFOLIO_PRT,
            "title": "Housing PRT, Q2",
            "date": "1/6/2026",
            "period": world.quarter.pk,
            "portfolio": world.housing.pk,
            "chair": world.people["holder"].pk,
            "attendees": [world.people["officer"].pk, world.people["manager"].pk],
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reviews:meeting", args=[meeting.pk])
    assert meeting.date == datetime.date(2026, 6, 1) and meeting.portfolio == world.housing
    assert set(meeting.attendees.values_list("username", flat=True)) == {"officer", "manager"}
    body = client.get(response["Location"]).content.decode()
    assert "Title H1" in body and "Title L1" not in body
    assert reverse("reviews:meetings") in body and reverse("reviews:my-actions") in body  # navigation


def test_a_prt_without_portfolio_or_date_is_refused_with_an_error_summary(client, world):
    login(client, world, "performance")
    response = client.post(
        reverse("reviews:meeting-add"),
        {"kind": MeetingKind.PORTFOLIO_PRT, "title": "PRT", "date": "31/2/2026", "period": world.quarter.pk},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    assert 'href="#id_portfolio"' in body and "Choose the portfolio this Performance Review Team reviews." in body
    assert "Enter the date of the meeting as day/month/year" in body
    assert not Meeting.objects.exists()


def test_a_surgery_needs_indicators(client, world):
    login(client, world, "performance")
    response = client.post(
        reverse("reviews:meeting-add"),
        {"kind": MeetingKind.SURGERY, "title": "Surgery", "date": "1/6/2026", "period": world.quarter.pk},
    )
    assert "Choose the indicators the surgery will examine." in response.content.decode()


def test_only_the_performance_team_arranges_meetings_and_publishes(client, world):
    meeting = prt(world)
    login(client, world, "holder")
    # A cabinet member may only convene a performance surgery.
    assert "Portfolio Performance Review Team" not in client.get(reverse("reviews:meeting-add")).content.decode()
    assert client.post(reverse("reviews:meeting-publish", args=[meeting.pk])).status_code == 403
    assert not PackSnapshot.objects.exists()


def test_action_recorded_at_a_meeting_appears_on_the_indicator_and_exception_report(client, world):
    meeting = prt(world)
    login(client, world, "performance")
    response = client.post(
        reverse("reviews:action-add", args=[meeting.pk]),
        {
            "description": "Retender the repairs contract",
            "owner": world.people["officer"].pk,
            "due": "31/7/2026",
            "indicator": world.red.pk,
        },
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert (action.meeting, action.indicator, action.owner) == (meeting, world.red, world.people["officer"])
    page = client.get(reverse("indicators:indicator-detail", args=[world.red.pk])).content.decode()
    assert "Retender the repairs contract" in page
    report = client.get(reverse("reviews:exception-report"), {"period": world.quarter.pk}).content.decode()
    assert "Retender the repairs contract" in report
    response = client.post(reverse("reviews:action-add", args=[meeting.pk]), {"description": "", "due": "soon"})
    body = response.content.decode()
    assert "Describe what is to be done." in body and "Choose who owns the action." in body
    assert "Enter the due date as day/month/year" in body


def test_the_owner_updates_their_action_and_must_say_why_it_is_dropped(client, world):
    action = act(world, prt(world))
    login(client, world, "officer")
    url = reverse("reviews:action", args=[action.pk])
    response = client.post(url, {"status": ActionStatus.DROPPED, "text": "", "version": action.version})
    assert "Say why the action is dropped." in response.content.decode()
    response = client.post(url, {"status": ActionStatus.IN_PROGRESS, "text": "Advert out", "version": action.version})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS and action.updates.get().text == "Advert out"
    # A stale form (someone saved since it was opened) is refused.
    response = client.post(url, {"status": ActionStatus.DONE, "text": "", "version": action.version - 1})
    assert "changed this after you opened it" in response.content.decode()
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS
    # Someone else (not the owner, not the performance team) cannot update it.
    login(client, world, "manager")
    assert client.post(url, {"status": ActionStatus.DONE, "version": action.version}).status_code == 403


def test_my_actions_lists_only_mine_and_marks_the_overdue(client, world):
    meeting = prt(world)
    act(world, meeting, "Mine and late", due=datetime.date(2026, 5, 1))
    act(world, meeting, "Someone else's", owner="manager")
    body = login(client, world, "officer").get(reverse("reviews:my-actions")).content.decode()
    assert "Mine and late" in body and "Someone else's" not in body and "Overdue" in body


def test_surgery_is_recorded_and_linked_from_the_indicator_page(client, world):
    surgery = prt(world, kind=MeetingKind.SURGERY, portfolio=None, title="Repairs surgery")
    surgery.indicators.add(world.red)
    login(client, world, "performance")
    url = reverse("reviews:surgery-record", args=[surgery.pk])
    assert "Enter the action plan, the discussion or the outcome." in client.post(url, {}).content.decode()
    client.post(url, {"action_plan": "Two more surveyors", "outcome": "Report back in Q3"})
    body = client.get(reverse("reviews:meeting", args=[surgery.pk])).content.decode()
    assert "Two more surveyors" in body and "Report back in Q3" in body
    page = client.get(reverse("indicators:indicator-detail", args=[world.red.pk])).content.decode()
    assert reverse("reviews:meeting", args=[surgery.pk]) in page and "Repairs surgery" in page


def test_budget_monitoring_is_entered_and_replaced_in_the_browser(client, world):
    login(client, world, "performance")
    url = reverse("reviews:budget")
    data = {
        "service": world.homes.pk,
        "period": world.quarter.pk,
        "budget": "1000",
        "forecast_outturn": "1100",
        "savings_target": "50",
        "savings_delivered": "10",
        "commentary": "",
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, {**data, "forecast_outturn": "990"}).status_code == 302
    line = BudgetLine.objects.get()
    assert line.forecast_outturn == D("990") and line.variance == D("-10")
    response = client.post(url, {**data, "budget": "lots"})
    body = response.content.decode()
    assert "There is a problem" in body and "The budget must be an amount in pounds, like £1,234.50." in body
    assert "Enter the forecast outturn." in client.post(url, {**data, "forecast_outturn": " "}).content.decode()
    # The same amounts as an imported file: pounds sign, thousands, and empty savings as none.
    assert (
        client.post(url, {**data, "budget": "£1,250.50", "savings_target": "", "savings_delivered": ""}).status_code
        == 302
    )
    line.refresh_from_db()
    assert (line.budget, line.savings_target, line.savings_delivered) == (D("1250.50"), 0, 0)
    assert line.history.latest().history_user == world.people["performance"]


def test_complaints_are_logged_and_checked(client, world):
    login(client, world, "performance")
    url = reverse("reviews:feedback")
    data = {
        "kind": FeedbackKind.COMPLAINT,
        "service": world.homes.pk,
        "received": "1/8/2025",
        "category": "Repairs",
        "response_due": "15/8/2025",
        "response_sent": "31/7/2025",
        "outcome": "",
    }
    body = client.post(url, data).content.decode()
    assert "The response cannot be sent before the complaint was received." in body
    assert client.post(url, {**data, "response_sent": "10/8/2025"}).status_code == 302
    assert Feedback.objects.get().response_sent == datetime.date(2025, 8, 10)


def _grow(world, meeting, n):
    for i in range(n):
        service = ServiceFactory()
        world.housing.services.add(service)
        BudgetLine.objects.create(service=service, period=world.quarter, budget=D(100), forecast_outturn=D(100 + i))
        Feedback.objects.create(
            kind=FeedbackKind.COMPLAINT,
            service=service,
            received=datetime.date(2025, 8, 1),
            category="x",
            response_sent=datetime.date(2025, 8, 3),
        )
        action = act(world, meeting, f"Action {i}", indicator=world.red)
        services.action_update(action=action, by=world.people["officer"], status=ActionStatus.IN_PROGRESS, text="Go")


@pytest.mark.parametrize("page", ["reviews:meeting", "reviews:meeting-pdf", "reviews:my-actions", "reviews:meetings"])
def test_meeting_pages_run_a_fixed_number_of_queries(client, world, page):
    meeting = prt(world)
    login(client, world, "officer")
    url = reverse(page, args=[] if page in ("reviews:my-actions", "reviews:meetings") else [meeting.pk])
    counts = []
    for n in (1, 6):
        _grow(world, meeting, n)
        prt(world, datetime.date(2026, 6, n + 10), title=f"Another {n}")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_an_action_is_raised_against_a_priority_and_a_milestone(client, world):
    from plans.models import Milestone

    meeting = prt(world)
    milestone = Milestone.objects.create(priority=world.priority, title="Survey estates", due=datetime.date(2026, 9, 1))
    login(client, world, "performance")
    client.post(
        reverse("reviews:action-add", args=[meeting.pk]),
        {
            "description": "Bring the survey forward",
            "owner": world.people["manager"].pk,
            "due": "31/7/2026",
            "priority": world.priority.pk,
            "milestone": milestone.pk,
        },
    )
    action = Action.objects.get()
    assert (action.priority, action.milestone) == (world.priority, milestone)
    body = client.get(reverse("reviews:action", args=[action.pk])).content.decode()
    assert "Survey estates" in body and world.priority.title in body


def test_the_daily_job_chases_overdue_actions(world, settings, django_capture_on_commit_callbacks):
    from outbox.models import Email
    from reviews.tasks import remind_overdue_actions

    job = settings.CELERY_BEAT_SCHEDULE["overdue-actions"]
    assert job["task"] == remind_overdue_actions.name
    act(world, prt(world), "Late", due=datetime.date(2026, 5, 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_overdue_actions.delay().get() == 1
        assert remind_overdue_actions.delay().get() == 0
    assert Email.objects.filter(key__startswith="actions-overdue:").count() == 1


def test_a_scrutiny_member_arranges_a_surgery_but_no_other_meeting(client, world):
    login(client, world, "scrutiny")
    base = {"title": "Repairs", "date": "1/6/2026", "period": world.quarter.pk, "indicators": [world.red.pk]}
    body = client.post(
        reverse("reviews:meeting-add"), {**base, "kind": MeetingKind.PORTFOLIO_PRT, "portfolio": world.housing.pk}
    ).content.decode()
    assert "Select a valid choice" in body and not Meeting.objects.exists()
    assert client.post(reverse("reviews:meeting-add"), {**base, "kind": MeetingKind.SURGERY}).status_code == 302
    assert list(Meeting.objects.get(kind=MeetingKind.SURGERY).indicators.all()) == [world.red]
    login(client, world, "officer")
    assert client.get(reverse("reviews:meeting-add")).status_code == 403


def test_actions_recorded_after_publication_show_on_the_meeting_page(client, world):
    meeting = prt(world)
    services.pack_publish(meeting=meeting, by=world.people["performance"])
    login(client, world, "performance")
    client.post(
        reverse("reviews:action-add", args=[meeting.pk]),
        {"description": "Agreed on the day", "owner": world.people["officer"].pk, "due": "31/7/2026"},
    )
    body = client.get(reverse("reviews:meeting", args=[meeting.pk])).content.decode()
    assert "Agreed on the day" in body
    # The frozen pack's action log is as published: the new action is not in the snapshot.
    assert meeting.snapshots.get().data["actions"] == []


def test_the_corporate_pack_runs_a_fixed_number_of_queries_however_many_portfolios(client, world):
    from tests.organisation.factories import PortfolioFactory

    meeting = prt(world, kind=MeetingKind.CORPORATE_PRT, portfolio=None, title="Corporate PRT")
    login(client, world, "chief")
    counts = []
    for extra in (1, 5):
        for _ in range(extra):
            PortfolioFactory()
        with CaptureQueriesContext(connection) as queries:
            body = client.get(reverse("reviews:meeting", args=[meeting.pk])).content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert "Council summary by portfolio" in body


def test_a_service_logs_its_own_complaints_linked_to_the_action_taken(client, world):
    officer = world.people["officer"]
    officer.service = world.homes
    officer.save()
    action = act(world, None, "Call back within a day", indicator=world.red)
    login(client, world, "officer")
    url = reverse("reviews:feedback")
    body = client.get(url).content.decode()
    assert "Call back within a day" in body and ">Sport<" not in body  # only their own service's
    data = {"kind": FeedbackKind.COMPLAINT, "service": world.homes.pk, "received": "1/8/2025", "category": "Repairs"}
    assert client.post(url, {**data, "action": action.pk}).status_code == 302
    assert Feedback.objects.get().action == action
    body = client.post(url, {**data, "service": world.sport.pk}).content.decode()
    assert "Select a valid choice" in body and Feedback.objects.count() == 1
    assert "Call back within a day" in client.get(url).content.decode().split("Latest logged")[1]
    login(client, world, "chief")
    assert client.get(url).status_code == 403
