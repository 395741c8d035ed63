"""The performance team creates plans, their priorities and milestones in PMIS's own pages
and rolls a plan forward into next year's draft. Bad input is refused at the field and
changes nothing."""

import datetime

import pytest
from django.urls import reverse

from organisation.models import Role
from plans.models import Milestone, MilestoneStatus, Plan, PlanKind, Priority
from tests.indicators.factories import IndicatorFactory
from tests.organisation.factories import ServiceFactory, UserFactory
from tests.plans.factories import MilestoneFactory, PlanFactory, PriorityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(client):
    person = UserFactory(username="pat.performance", roles=[Role.PERFORMANCE_TEAM])
    client.force_login(person)
    return person


def _plan_form(**fields):
    return {
        "kind": PlanKind.PARTNERSHIP,
        "title": "Safer Fernley Partnership Plan",
        "partners": "",
        "first_year": 2026,
        "last_year": 2026,
        **fields,
    }


def test_a_partnership_plan_names_its_partners(client, team):
    url = reverse("plans:plan-add")
    body = client.post(url, _plan_form()).content.decode()
    assert '<a href="#id_partners">Name the partner organisations, one a line.</a>' in body
    assert not Plan.objects.exists()

    assert client.post(url, _plan_form(partners="Fernley Police\nFernley Health Trust")).status_code == 302
    plan = Plan.objects.get()
    page = client.get(reverse("plans:plan", args=[plan.pk])).content.decode()
    assert "<li>Fernley Police</li><li>Fernley Health Trust</li>" in page


def test_a_plan_whose_years_overlap_its_predecessor_is_refused_at_the_field(client, team):
    earlier = PlanFactory(title="Waste plan 2025 to 2027", first_year=2025, last_year=2027)
    url = reverse("plans:plan-add")
    data = _plan_form(
        kind=PlanKind.SERVICE,
        owner_service=earlier.owner_service_id,
        predecessor=earlier.pk,
        first_year=2027,
        last_year=2028,
    )
    body = client.post(url, data).content.decode()
    assert (
        '<a href="#id_first_year">The plan follows on from “Waste plan 2025 to 2027”, which covers 2025/26 to '
        "2027/28: start it in 2028/29 or later, so their years do not overlap.</a>"
    ) in body
    assert Plan.objects.count() == 1
    assert client.post(url, {**data, "first_year": 2028}).status_code == 302


def test_priorities_are_added_and_a_stale_edit_refused(client, team):
    plan = PlanFactory()
    lead = UserFactory(first_name="Lee", last_name="Lead")
    response = client.post(
        reverse("plans:priority-add", args=[plan.pk]), {"title": "Less landfill", "description": "", "lead": lead.pk}
    )
    priority = Priority.objects.get(plan=plan)
    assert response["Location"] == reverse("plans:priority", args=[priority.pk])
    assert priority.lead == lead and priority.history.get().history_user == team

    url = reverse("plans:priority-edit", args=[priority.pk])
    assert client.post(url, {"title": "Much less landfill", "version": 1}).status_code == 302
    stale = client.post(url, {"title": "Less landfill again", "version": 1}).content.decode()
    assert "changed this after you opened it" in stale
    priority.refresh_from_db()
    assert priority.title == "Much less landfill"


def test_rolling_forward_copies_priorities_baskets_and_open_milestones(client, team):
    plan = PlanFactory(title="Waste plan", first_year=2025, last_year=2025)
    priority = PriorityFactory(plan=plan, title="Less landfill", lead=team)
    indicator = IndicatorFactory()
    priority.indicators.add(indicator)
    MilestoneFactory(priority=priority, title="Open depot", due=datetime.date(2026, 1, 31))
    MilestoneFactory(priority=priority, title="Buy lorries", status=MilestoneStatus.COMPLETE, percent_complete=100)

    assert "Make the 2026/27 draft" in client.get(reverse("plans:plan-roll-forward", args=[plan.pk])).content.decode()
    response = client.post(reverse("plans:plan-roll-forward", args=[plan.pk]))
    new = Plan.objects.get(predecessor=plan)
    assert response["Location"] == reverse("plans:plan", args=[new.pk])
    assert (new.first_year, new.last_year, new.title, new.status) == (2026, 2026, "Waste plan", "draft")
    copied = new.priorities.get()
    assert (copied.title, copied.lead, list(copied.indicators.all())) == ("Less landfill", team, [indicator])
    assert list(Milestone.objects.filter(priority=copied).values_list("title", "due")) == [
        ("Open depot", datetime.date(2026, 1, 31))
    ]
    # Rolled forward once only.
    client.post(reverse("plans:plan-roll-forward", args=[plan.pk]))
    assert Plan.objects.count() == 2


def test_a_plan_owner_changes_a_draft_milestone_but_not_once_the_plan_moves_on(client):
    service = ServiceFactory()
    officer = UserFactory(roles=[Role.OFFICER], service=service)
    plan = PlanFactory(owner_service=service, lead_officer=officer)
    milestone = MilestoneFactory(priority=PriorityFactory(plan=plan), owner=officer)
    client.force_login(officer)
    url = reverse("plans:milestone-edit", args=[milestone.pk])
    data = {"title": "Open the new depot", "owner": officer.pk, "due": "31/3/2027", "version": 1}
    assert client.post(url, data).status_code == 302
    milestone.refresh_from_db()
    assert (milestone.title, milestone.due) == ("Open the new depot", datetime.date(2027, 3, 31))
    assert "Due: 31 December 2025 to 31 March 2027" in client.get(url).content.decode()
    Plan.objects.filter(pk=plan.pk).update(status="quality_assured")
    assert client.get(url).status_code == 403
