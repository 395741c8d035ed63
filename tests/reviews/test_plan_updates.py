"""Action plans are updated each quarter: once a quarter has ended, the owners of open plans
raised by then without an update since are shown it on their home page and chased by email
once a week."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from outbox.models import Email
from reviews import services
from reviews.models import Action, ActionStatus
from reviews.plan_updates import plan_updates_remind
from reviews.tasks import remind_plan_updates
from tests.indicators.factories import period
from tests.reviews.test_meetings import TODAY, meeting_world
from tests.shared_data import refreshed, shared

pytestmark = pytest.mark.django_db

# 20 May 2026: 2025/26 Q4 ended on 31 March 2026.
BEFORE_QUARTER_END = timezone.make_aware(datetime.datetime(2026, 3, 1, 9))


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    with shared(django_db_blocker):
        yield meeting_world()


@pytest.fixture
def world(db, _world):
    return refreshed(_world)


def plan(world, description, *, owner="officer", raised=BEFORE_QUARTER_END):
    action = services.action_plan_record(
        indicator=world.red,
        description=description,
        owner=world.people[owner],
        due=datetime.date(2026, 9, 30),
        recover_by=period("2026/27 Q2"),
        steps=[("Appoint surveyors", datetime.date(2026, 6, 1)), ("Clear backlog", datetime.date(2026, 8, 1))],
        by=world.people["manager"],
    )
    Action.objects.filter(pk=action.pk).update(raised_at=raised)
    return action


def test_owners_of_plans_without_the_quarters_update_are_chased_once_a_week(world, django_capture_on_commit_callbacks):
    waiting = plan(world, "Agency surveyors")
    updated = plan(world, "Second contractor")
    services.action_update(action=updated, by=world.people["officer"], status=ActionStatus.IN_PROGRESS, text="Signed")
    plan(world, "Raised since the quarter ended", raised=timezone.now())
    closed = plan(world, "Finished", owner="manager")
    services.action_update(action=closed, by=world.people["manager"], status=ActionStatus.DONE)
    with django_capture_on_commit_callbacks(execute=True):
        assert plan_updates_remind(today=TODAY) == 1
        assert plan_updates_remind(today=TODAY + datetime.timedelta(days=2)) == 0  # the same week
    [email] = Email.objects.filter(key__startswith="plan-updates:")
    assert email.to == "olive@example.org"
    assert email.subject == "1 action plan needs its update for 2025/26 Q4"
    assert "Agency surveyors" in email.body and reverse("reviews:action", args=[waiting.pk]) in email.body
    assert "Second contractor" not in email.body and "Raised since" not in email.body
    # The next week chases again, until the update is recorded.
    assert plan_updates_remind(today=TODAY + datetime.timedelta(days=7)) == 1
    services.action_update(action=waiting, by=world.people["officer"], status=ActionStatus.IN_PROGRESS, text="Two")
    assert plan_updates_remind(today=TODAY + datetime.timedelta(days=14)) == 0
    assert settings.CELERY_BEAT_SCHEDULE["plan-updates"]["task"] == remind_plan_updates.name


def test_the_home_page_shows_each_plans_progress_and_whether_it_awaits_the_update(client, world):
    waiting = plan(world, "Agency surveyors")
    updated = plan(world, "Second contractor")
    first = updated.steps.order_by("due").first()
    services.action_update(
        action=updated,
        by=world.people["officer"],
        status=ActionStatus.IN_PROGRESS,
        text="Signed",
        steps_done=[first.pk],
    )
    client.force_login(world.people["officer"])
    body = client.get(reverse("indicators:home")).content.decode()
    plans = body[body.index('id="my-plans"') :]
    items = {item.split("</a>")[0].rsplit(": ", 1)[-1]: item for item in plans.split("<li>")[1:]}
    assert "0 of 2 steps done; no progress update yet." in items["Agency surveyors"]
    assert "Needs its 2025/26 Q4 update" in items["Agency surveyors"]
    assert "1 of 2 steps done; last updated 20 May 2026." in items["Second contractor"]
    assert "Needs its" not in items["Second contractor"]
    assert reverse("reviews:action", args=[waiting.pk]) in plans
    # Someone who owns no plan sees no such part.
    client.force_login(world.people["chief"])
    assert 'id="my-plans"' not in client.get(reverse("indicators:home")).content.decode()


def test_the_home_pages_plans_run_a_fixed_number_of_queries(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.people["officer"])
    plan(world, "First plan")
    with CaptureQueriesContext(connection) as one:
        assert "First plan" in client.get(reverse("indicators:home")).content.decode()
    for n in range(5):
        action = plan(world, f"Plan {n}")
        services.action_update(action=action, by=world.people["officer"], status=ActionStatus.IN_PROGRESS, text="On")
    with CaptureQueriesContext(connection) as six:
        body = client.get(reverse("indicators:home")).content.decode()
    assert body.count("Needs its 2025/26 Q4 update") == 1 and "Plan 4" in body
    assert len(one) == len(six)


def test_the_holders_home_page_shows_each_red_measures_plan_progress(client, world):
    action = plan(world, "Agency surveyors")
    first = action.steps.order_by("due").first()
    services.action_update(
        action=action, by=world.people["officer"], status=ActionStatus.IN_PROGRESS, text="On", steps_done=[first.pk]
    )
    client.force_login(world.people["holder"])
    body = client.get(reverse("indicators:home")).content.decode()
    line = body.split(f"{world.red.code} {world.red.title}</a>")[1].split("</li>")[0]
    assert "Action plan: 1 of 2 steps done, last updated 20 May 2026." in line
