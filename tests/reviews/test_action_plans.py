"""Remedial action plans for Red and Amber indicators: recorded by the service, updated each
quarter, shown with their progress in exception reports and packs; Reds without one listed."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.models import Action, ActionStatus
from tests.indicators.factories import period
from tests.reviews.test_meetings import meeting_world, prt
from tests.shared_data import refreshed, shared

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    with shared(django_db_blocker):
        world = meeting_world()
        world.homes.manager = world.people["manager"]
        world.homes.save()
        yield world


@pytest.fixture
def world(db, _world):
    return refreshed(_world)


def plan(world, **more):
    return {
        "description": "Agency surveyors until the backlog is cleared",
        "owner": world.people["manager"].pk,
        "due": "30/9/2026",
        "recover_by": period("2026/27 Q2").pk,
        "step_1_text": "Appoint two agency surveyors",
        "step_1_due": "15/6/2026",
        "step_2_text": "Clear the oldest 200 repairs",
        "step_2_due": "31/8/2026",
        **more,
    }


def test_the_service_manager_records_a_plan_from_the_exception_report_and_the_pack_shows_it(client, world):
    client.force_login(world.people["manager"])
    report = reverse("reviews:exception-report")
    body = client.get(report, {"period": world.quarter.pk}).content.decode()
    without = body.split('id="without-plan"')[1].split("</section>")[0]
    assert "Title H1" in without and "Title L1" in without and "Title H2" not in without  # Amber: not listed
    add = reverse("reviews:action-plan-add", args=[world.red.pk])
    assert f'href="{add}"' in body
    # A step without its date, and a plan without steps, are refused at the field.
    body = client.post(add, plan(world, step_2_due="")).content.decode()
    assert 'href="#id_step_2_due"' in body and "Enter when step 2 is due." in body
    body = client.post(add, plan(world, step_1_text="", step_1_due="", step_2_text="", step_2_due="")).content.decode()
    assert "Enter at least one step and when it is due." in body
    assert not Action.objects.exists()
    response = client.post(add, plan(world))
    action = Action.objects.get()
    assert response["Location"] == reverse("reviews:action", args=[action.pk])
    assert (action.indicator, action.recover_by.label, action.steps.count()) == (world.red, "2026/27 Q2", 2)
    body = client.get(report, {"period": world.quarter.pk}).content.decode()
    assert "Agency surveyors until the backlog is cleared" in body and "0 of 2 steps done" in body
    without = body.split('id="without-plan"')[1].split("</section>")[0]
    assert "Title H1" not in without and "Title L1" in without
    # The next pack shows the plan, and lists the Reds still without one.
    meeting = prt(world)
    body = client.get(reverse("reviews:meeting", args=[meeting.pk])).content.decode()
    exceptions = body.split('id="pack-exceptions"')[1].split("</table>")[0]
    assert "Agency surveyors until the backlog is cleared" in exceptions and "To recover by 2026/27 Q2" in exceptions
    assert "Red without a plan" not in exceptions  # H1 has one; L1 is another portfolio
    # Its owner finds it in "My actions".
    assert "Agency surveyors" in client.get(reverse("reviews:my-actions")).content.decode()


def test_each_quarters_update_ticks_steps_and_shows_in_the_pack(client, world):
    client.force_login(world.people["manager"])
    client.post(reverse("reviews:action-plan-add", args=[world.red.pk]), plan(world))
    action = Action.objects.get()
    first = action.steps.order_by("due").first()
    url = reverse("reviews:action", args=[action.pk])
    response = client.post(
        url,
        {
            "status": ActionStatus.IN_PROGRESS,
            "text": "Two surveyors started on 1 June.",
            "steps_done": [first.pk],
            "version": action.version,
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.done_on == datetime.date(2026, 5, 20)
    assert first.history.latest().history_user == world.people["manager"]
    body = client.get(reverse("reviews:meeting", args=[prt(world).pk])).content.decode()
    assert "1 of 2 steps done" in body and "Latest update, 20 May 2026: Two surveyors started on 1 June." in body


def test_the_exception_report_reads_plans_in_a_fixed_number_of_queries(client, world):
    client.force_login(world.people["chief"])
    counts = []
    for n in (1, 4):
        for _ in range(n):
            client.force_login(world.people["manager"])
            client.post(reverse("reviews:action-plan-add", args=[world.red.pk]), plan(world))
            client.post(reverse("reviews:action-plan-add", args=[world.amber.pk]), plan(world))
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("reviews:exception-report"), {"period": world.quarter.pk})
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_exception_report_leaves_out_actions_closed_before_the_period_ended(client, world):
    """Actions that answered an earlier quarter's figure are history, not this quarter's plan."""
    from django.utils import timezone

    end = world.quarter.end
    for text, status, closed in [
        ("Answered an earlier quarter", ActionStatus.DONE, end - datetime.timedelta(days=10)),
        ("Answered this quarter's figure", ActionStatus.DONE, end + datetime.timedelta(days=10)),
        ("Still being worked on", ActionStatus.OPEN, None),
    ]:
        Action.objects.create(
            description=text,
            owner=world.people["manager"],
            due=end,
            status=status,
            closed_on=closed,
            indicator=world.red,
            raised_by=world.people["manager"],
            raised_at=timezone.now(),
        )
    client.force_login(world.people["chief"])
    body = client.get(reverse("reviews:exception-report"), {"period": world.quarter.pk}).content.decode()
    assert "Answered this quarter&#x27;s figure" in body and "Still being worked on" in body
    assert "Answered an earlier quarter" not in body
