"""The performance team's composite rule page and the "Start the year" task list."""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from indicators import services
from indicators.models import CollectionYear, Period
from organisation.models import Role
from plans.models import CompositePolicy, Plan, PlanKind, PlanStatus, Priority, ScrutinyComment
from tests.indicators.factories import IndicatorFactory, period
from tests.organisation.factories import UserFactory
from tests.plans.factories import MilestoneFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(client, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 4, 10, 0), tick=False)
    user = UserFactory(username="pat.team", roles=[Role.PERFORMANCE_TEAM])
    client.force_login(user)
    return user


def test_the_composite_rule_is_previewed_then_recorded(client, team):
    plan = Plan.objects.create(
        kind=PlanKind.CORPORATE, title="Corporate Plan", first_year=2026, last_year=2026, status=PlanStatus.APPROVED
    )
    priority = Priority.objects.create(plan=plan, title="Safer streets")
    for value in ("100", "96"):  # Green and Amber: a mean of 1.5, Green by the default rule
        indicator = IndicatorFactory()
        services.target_set(indicator=indicator, period=period("2026/27 Q2"), value=D("100"), rationale="", by=None)
        services.outturn_record(indicator=indicator, period=period("2026/27 Q2"), value=D(value), by=None)
        priority.indicators.add(indicator)
    url = reverse("plans:composite-rule")
    assert "Green from 1.5, Amber from 1.0" in client.get(url).content.decode()
    data = {"green_from": "1.75", "amber_from": "1", "effective_from": period("2026/27 Q1").pk, "reason": "Members"}
    body = client.post(url, data).content.decode()
    assert "1 priority would change colour this year" in body
    assert "Safer streets, 2026/27 Q2" in body
    assert not CompositePolicy.objects.exists()
    assert client.post(url, {**data, "confirm": "yes"}).status_code == 302
    policy = CompositePolicy.objects.get()
    assert (policy.green_from, policy.set_by, policy.history.latest().history_user) == (D("1.75"), team, team)


def test_composite_thresholds_out_of_order_are_refused_at_the_field(client, team):
    data = {"green_from": "1", "amber_from": "1.5", "effective_from": period("2026/27 Q1").pk, "reason": "r"}
    body = client.post(reverse("plans:composite-rule"), {**data, "confirm": "yes"}).content.decode()
    assert "Amber must start at or below where Green starts" in body and 'href="#id_amber_from"' in body
    assert not CompositePolicy.objects.exists()


def test_starting_the_year_shows_each_tasks_status_and_does_the_periods_and_confirmation(client, team):
    services.periods_ensure_year(year=2026)
    last = Plan.objects.create(kind=PlanKind.CORPORATE, title="Corporate Plan", first_year=2026, last_year=2026)
    indicator = IndicatorFactory(code="LPI 700")
    url = reverse("plans:start-the-year")
    page = client.get(url).context
    assert page["label"] == "2027/28"
    tasks = page["tasks"]
    assert [tasks[t]["status"] for t in ("periods", "plans", "indicators", "targets")] == [
        "Not yet started",
        "Not yet started",
        "Cannot start yet",
        "Cannot start yet",
    ]
    assert tasks["plans"]["to_roll"] == [last]
    assert client.post(reverse("plans:start-the-year-periods"), {"year": "2027"}).status_code == 302
    assert Period.objects.filter(year=2027).count() == 17
    tasks = client.get(url).context["tasks"]
    assert tasks["periods"]["status"] == "Completed"
    assert tasks["targets"]["missing"] == [indicator]
    assert client.post(reverse("plans:start-the-year-indicators"), {"year": "2027"}).status_code == 302
    assert CollectionYear.objects.get(year=2027).confirmed_by == team
    assert client.get(url).context["tasks"]["indicators"]["status"] == "Completed"


@pytest.mark.parametrize("name", ["plans:start-the-year", "plans:composite-rule"])
def test_the_pages_run_a_fixed_number_of_queries(client, team, name, django_assert_num_queries):
    services.periods_ensure_year(year=2027)

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name)).status_code == 200
        return len(queries)

    IndicatorFactory()
    Plan.objects.create(kind=PlanKind.CORPORATE, title="Plan 1", first_year=2026, last_year=2026)
    few = count()
    for n in range(4):
        IndicatorFactory()
        Plan.objects.create(kind=PlanKind.CORPORATE, title=f"Plan {n + 2}", first_year=2026, last_year=2026)
    assert count() == few


def test_a_draft_plan_set_up_by_mistake_is_deleted_with_its_priorities_and_milestones(client, team):
    milestone = MilestoneFactory(priority__plan__title="Wrong year business plan")
    plan = milestone.priority.plan
    indicator = IndicatorFactory()
    milestone.priority.indicators.add(indicator)
    assert "Delete this draft plan" in client.get(reverse("plans:plan", args=[plan.pk])).content.decode()
    url = reverse("plans:plan-delete", args=[plan.pk])
    page = client.get(url).content.decode()
    assert "Are you sure you want to delete “Wrong year business plan”?" in page
    assert "Its 1 priority and 1 milestone are deleted with it" in page

    response = client.post(url, {"version": plan.version}, follow=True)

    assert "The plan “Wrong year business plan” is deleted." in response.content.decode()
    assert not Plan.objects.filter(pk=plan.pk).exists() and not Priority.objects.exists()
    assert Plan.history.get(id=plan.pk, history_type="-").history_user == team
    indicator.refresh_from_db()  # the basket's indicators are kept


def test_a_plan_past_draft_or_commented_on_is_kept(client, team):
    approved = PlanFactory(
        title="Approved plan", status=PlanStatus.APPROVED, approved_by=UserFactory(), approved_at=timezone.now()
    )
    commented = PlanFactory(title="Commented plan")
    ScrutinyComment.objects.create(
        plan=commented, made_by=UserFactory(), made_at=timezone.now(), text="Why so few targets?"
    )
    for plan, why in (
        (approved, "“Approved plan” is approved, so it is kept: only a draft plan can be deleted."),
        (commented, "Scrutiny has commented on “Commented plan”, so it is kept with their comments."),
    ):
        url = reverse("plans:plan-delete", args=[plan.pk])
        assert why in client.get(url).content.decode()
        assert why in client.post(url, {"version": plan.version}, follow=True).content.decode()
    assert Plan.objects.count() == 2
    client.force_login(UserFactory(username="olly", roles=[Role.OFFICER]))
    assert client.post(reverse("plans:plan-delete", args=[commented.pk]), {"version": 1}).status_code == 403
