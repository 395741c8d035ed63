"""The plan lifecycle and the other writes of plans.services, including every refusal."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import override_settings

from organisation.models import Role
from plans import services
from plans.models import MilestoneStatus, Plan, PlanKind, PlanStatus
from pmis.locking import ConflictError
from tests.indicators.factories import IndicatorFactory, period
from tests.organisation.factories import PortfolioFactory, ServiceFactory, UserFactory
from tests.plans.factories import MilestoneFactory, PlanFactory, PriorityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    service = ServiceFactory()
    officer = UserFactory(username="olu.officer", roles=[Role.OFFICER], service=service)
    manager = UserFactory(username="mia.manager", roles=[Role.SERVICE_MANAGER])
    service.manager = manager
    service.save()
    return {
        "service": service,
        "officer": officer,
        "manager": manager,
        "team": UserFactory(username="pat.performance", roles=[Role.PERFORMANCE_TEAM]),
        "scrutiny": UserFactory(username="sam.scrutiny", roles=[Role.SCRUTINY_MEMBER]),
        "holder": UserFactory(username="hal.holder", roles=[Role.PORTFOLIO_HOLDER]),
    }


@pytest.fixture
def plan(people):
    return PlanFactory(owner_service=people["service"], lead_officer=people["officer"])


def test_a_plan_goes_from_draft_to_approved_through_scrutiny_review(people, plan):
    team = people["team"]
    plan = services.plan_quality_assure(plan=plan, by=team)
    assert (plan.status, plan.quality_assured_by) == (PlanStatus.QUALITY_ASSURED, team)
    plan = services.plan_send_to_scrutiny(plan=plan, by=team)
    assert (plan.status, plan.scrutiny_started_by) == (PlanStatus.SCRUTINY_REVIEW, team)
    comment = services.scrutiny_comment_add(plan=plan, by=people["scrutiny"], text="Is the target stretching?")
    with pytest.raises(ValidationError, match="1 scrutiny comment is not answered"):
        services.plan_approve(plan=plan, by=team)
    services.scrutiny_comment_answer(comment=comment, by=people["officer"], answer="Yes: top quartile.")
    plan = services.plan_approve(plan=plan, by=team)
    plan.refresh_from_db()
    assert (plan.status, plan.approved_by) == (PlanStatus.APPROVED, team)
    assert plan.approved_at is not None
    history = [record.status for record in plan.history.order_by("history_date")]
    assert history == ["draft", "quality_assured", "scrutiny_review", "approved"]
    assert plan.history.latest().history_user == team


@pytest.mark.parametrize("status", [PlanStatus.DRAFT, PlanStatus.QUALITY_ASSURED])
def test_approving_without_scrutiny_review_is_refused(people, plan, status):
    plan.status = status
    plan.save()
    with pytest.raises(ValidationError, match="cannot be approved without scrutiny review"):
        services.plan_approve(plan=plan, by=people["team"])
    plan.refresh_from_db()
    assert plan.status == status and plan.approved_by is None


@pytest.mark.parametrize("who", ["officer", "manager"])
def test_the_plans_own_officer_or_owner_cannot_approve_it_even_in_the_performance_team(people, plan, who):
    plan.status = PlanStatus.SCRUTINY_REVIEW
    plan.save()
    own = UserFactory(username=people[who].username, roles=[Role.PERFORMANCE_TEAM])
    with pytest.raises(ValidationError, match="You own or lead this plan, so you cannot approve it"):
        services.plan_approve(plan=plan, by=own)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SCRUTINY_REVIEW


def test_a_directorate_plans_director_cannot_approve_it(people):
    director = UserFactory(username="dee.director", roles=[Role.PERFORMANCE_TEAM])
    plan = PlanFactory(kind=PlanKind.THEMATIC, owner_service=None, owner_directorate=people["service"].directorate)
    plan.owner_directorate.director = director
    plan.owner_directorate.save()
    plan.status = PlanStatus.SCRUTINY_REVIEW
    plan.save()
    with pytest.raises(ValidationError, match="You own or lead this plan"):
        services.plan_approve(plan=plan, by=director)


@pytest.mark.parametrize("who", ["officer", "manager", "scrutiny", "holder"])
def test_only_the_performance_team_quality_assures_sends_to_scrutiny_and_approves(people, plan, who):
    with pytest.raises(ValidationError, match="Only the performance team can quality-assure"):
        services.plan_quality_assure(plan=plan, by=people[who])
    plan.status = PlanStatus.QUALITY_ASSURED
    plan.save()
    with pytest.raises(ValidationError, match="Only the performance team can send a plan to scrutiny"):
        services.plan_send_to_scrutiny(plan=plan, by=people[who])
    plan.status = PlanStatus.SCRUTINY_REVIEW
    plan.save()
    with pytest.raises(ValidationError, match="Only the performance team can record a plan's approval"):
        services.plan_approve(plan=plan, by=people[who])


def test_steps_out_of_order_are_refused(people, plan):
    team = people["team"]
    with pytest.raises(ValidationError, match="only a quality-assured plan can go to scrutiny review"):
        services.plan_send_to_scrutiny(plan=plan, by=team)
    services.plan_quality_assure(plan=plan, by=team)
    with pytest.raises(ValidationError, match="only a draft plan can be quality-assured"):
        services.plan_quality_assure(plan=plan, by=team)
    plan.status = PlanStatus.APPROVED
    plan.save()
    with pytest.raises(ValidationError, match="already approved"):
        services.plan_approve(plan=plan, by=team)
    with pytest.raises(ValidationError, match="cannot go back to draft"):
        services.plan_return_to_draft(plan=plan, by=team, reason="Changes")


def test_a_plan_goes_back_to_draft_with_a_reason(people, plan):
    team = people["team"]
    services.plan_quality_assure(plan=plan, by=team)
    with pytest.raises(ValidationError):
        services.plan_return_to_draft(plan=plan, by=team, reason="  ")
    plan = services.plan_return_to_draft(plan=plan, by=team, reason="The basket has no targets")
    assert (plan.status, plan.quality_assured_by) == (PlanStatus.DRAFT, None)
    assert plan.history.latest().history_change_reason == "The basket has no targets"


def test_scrutiny_comments_only_from_scrutiny_members_during_review(people, plan):
    with pytest.raises(ValidationError, match="comments are taken only during scrutiny review"):
        services.scrutiny_comment_add(plan=plan, by=people["scrutiny"], text="Early thoughts")
    plan.status = PlanStatus.SCRUTINY_REVIEW
    plan.save()
    with pytest.raises(ValidationError, match="Only scrutiny members comment"):
        services.scrutiny_comment_add(plan=plan, by=people["team"], text="A comment")
    with pytest.raises(ValidationError):
        services.scrutiny_comment_add(plan=plan, by=people["scrutiny"], text="   ")
    comment = services.scrutiny_comment_add(plan=plan, by=people["scrutiny"], text="A comment")
    assert (comment.made_by, comment.text, comment.answer) == (people["scrutiny"], "A comment", "")


def test_only_the_plans_owner_answers_and_only_during_review(people, plan):
    plan.status = PlanStatus.SCRUTINY_REVIEW
    plan.save()
    comment = services.scrutiny_comment_add(plan=plan, by=people["scrutiny"], text="Why so low?")
    for outsider in ("team", "scrutiny", "holder"):
        with pytest.raises(ValidationError, match="Only the plan's owner or lead officer"):
            services.scrutiny_comment_answer(comment=comment, by=people[outsider], answer="Because")
    answered = services.scrutiny_comment_answer(comment=comment, by=people["manager"], answer="Budget cuts")
    assert (answered.answer, answered.answered_by) == ("Budget cuts", people["manager"])
    with pytest.raises(ValidationError, match=f"{people['manager']} has already answered this comment"):
        services.scrutiny_comment_answer(comment=comment, by=people["officer"], answer="Staff shortages")
    comment.refresh_from_db()
    assert comment.answer == "Budget cuts"
    plan.status = PlanStatus.APPROVED
    plan.save()
    with pytest.raises(ValidationError, match="answers are taken only during scrutiny review"):
        services.scrutiny_comment_answer(comment=comment, by=people["manager"], answer="Changed")


def test_a_plan_cascades_service_to_thematic_to_corporate(people):
    corporate = PlanFactory(kind=PlanKind.CORPORATE, owner_service=None, first_year=2024, last_year=2027)
    thematic = PlanFactory(kind=PlanKind.THEMATIC, owner_service=None, parent=corporate)
    service_plans = [PlanFactory(parent=thematic), PlanFactory(parent=thematic)]
    assert list(corporate.children.all()) == [thematic]
    assert set(thematic.children.all()) == set(service_plans)
    assert service_plans[0].parent.parent == corporate


# Sign-off deadline


def test_service_plans_not_approved_by_30_april_are_late(people):
    on_time = PlanFactory(status=PlanStatus.APPROVED, approved_by=people["team"])
    on_time.approved_at = datetime.datetime(2025, 4, 30, 16, tzinfo=datetime.UTC)
    on_time.save()
    approved_late = PlanFactory(status=PlanStatus.APPROVED, approved_by=people["team"])
    approved_late.approved_at = datetime.datetime(2025, 5, 2, 10, tzinfo=datetime.UTC)
    approved_late.save()
    unapproved = PlanFactory(status=PlanStatus.SCRUTINY_REVIEW)
    corporate = PlanFactory(kind=PlanKind.CORPORATE, owner_service=None)
    next_year = PlanFactory(first_year=2026, last_year=2026)
    assert unapproved.sign_off_deadline == datetime.date(2025, 4, 30)
    assert corporate.sign_off_deadline is None
    assert set(Plan.objects.late(datetime.date(2025, 4, 30))) == set()
    assert set(Plan.objects.late(datetime.date(2025, 5, 3))) == {unapproved, approved_late}
    assert unapproved.is_late(datetime.date(2025, 5, 1)) and not on_time.is_late(datetime.date(2025, 6, 1))
    assert next_year not in Plan.objects.late(datetime.date(2026, 4, 1))


@override_settings(PMIS_PLAN_SIGN_OFF_DEADLINE=(3, 31))
def test_the_deadline_is_a_setting(people):
    plan = PlanFactory()
    assert plan.sign_off_deadline == datetime.date(2025, 3, 31)
    assert list(Plan.objects.late(datetime.date(2025, 4, 1))) == [plan]


# Milestones


@time_machine.travel(datetime.date(2025, 11, 10), tick=False)
def test_a_milestone_takes_its_latest_quarters_update(people, plan):
    milestone = MilestoneFactory(priority=PriorityFactory(plan=plan), owner=people["officer"])
    q2, q3 = period("2025/26 Q2"), period("2025/26 Q3")
    services.milestone_update(
        milestone=milestone,
        period=q3,
        percent_complete=60,
        status="at_risk",
        comment="Contractor late",
        by=people["officer"],
    )
    services.milestone_update(
        milestone=milestone, period=q2, percent_complete=40, status="on_track", comment="Started", by=people["manager"]
    )
    milestone.refresh_from_db()
    assert (milestone.status, milestone.percent_complete) == (MilestoneStatus.AT_RISK, 60)
    # Correcting the quarter replaces its update.
    services.milestone_update(
        milestone=milestone, period=q3, percent_complete=100, status="complete", comment="Done", by=people["team"]
    )
    milestone.refresh_from_db()
    assert (milestone.status, milestone.percent_complete, milestone.updates.count()) == ("complete", 100, 2)
    assert not milestone.is_overdue(datetime.date(2026, 1, 5))


def test_an_unfinished_milestone_past_its_due_date_is_overdue():
    milestone = MilestoneFactory(due=datetime.date(2025, 12, 31), status=MilestoneStatus.ON_TRACK)
    assert not milestone.is_overdue(datetime.date(2025, 12, 31))
    assert milestone.is_overdue(datetime.date(2026, 1, 1))


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"percent_complete": 101}, "percent_complete"),
        ({"status": "complete", "percent_complete": 90}, "percent_complete"),
        ({"status": "not_started", "percent_complete": 10}, "percent_complete"),
        ({"status": "finished"}, "status"),
        ({"comment": " "}, "comment"),
    ],
)
def test_bad_milestone_updates_are_refused_saying_why(people, plan, fields, field):
    milestone = MilestoneFactory(priority=PriorityFactory(plan=plan))
    update = {"percent_complete": 50, "status": "on_track", "comment": "Progress", **fields}
    with pytest.raises(ValidationError) as refused:
        services.milestone_update(milestone=milestone, period=period("2025/26 Q2"), by=people["team"], **update)
    assert field in refused.value.error_dict


def test_milestone_updates_by_outsiders_or_over_someone_elses_are_refused(people, plan):
    milestone = MilestoneFactory(priority=PriorityFactory(plan=plan))
    update = {"period": period("2025/26 Q2"), "percent_complete": 50, "status": "on_track", "comment": "Progress"}
    with pytest.raises(ValidationError, match="Only the milestone's owner"):
        services.milestone_update(milestone=milestone, by=people["scrutiny"], **update)
    services.milestone_update(milestone=milestone, by=people["officer"], expected_version=1, **update)
    with pytest.raises(ConflictError):
        services.milestone_update(milestone=milestone, by=people["manager"], expected_version=1, **update)


# The Performance Review Team's targets


def test_the_portfolio_holder_chooses_the_plans_targets_for_their_prt(people, plan):
    PortfolioFactory(holder=people["holder"]).services.add(people["service"])
    other_holder = UserFactory(username="ola.holder", roles=[Role.PORTFOLIO_HOLDER])
    PortfolioFactory(holder=other_holder)
    chosen, other = IndicatorFactory(), IndicatorFactory()
    PriorityFactory(plan=plan).indicators.set([chosen, other])
    outside = IndicatorFactory()
    with pytest.raises(ValidationError, match="Only the cabinet member whose portfolio covers this service"):
        services.plan_prt_select(plan=plan, indicators=[chosen], by=other_holder)
    with pytest.raises(ValidationError, match="is not a target of this plan's priorities"):
        services.plan_prt_select(plan=plan, indicators=[outside], by=people["holder"])
    plan = services.plan_prt_select(plan=plan, indicators=[chosen], by=people["holder"])
    assert list(plan.prt_indicators.all()) == [chosen]
    assert plan.prt_selected_by == people["holder"] and plan.prt_selected_at is not None


def test_baskets_and_milestones_change_only_in_a_draft_by_its_owner_or_the_team(people, plan):
    priority = PriorityFactory(plan=plan)
    indicator = IndicatorFactory()
    with pytest.raises(ValidationError, match="Only the plan's owner, its lead officer or the performance team"):
        services.priority_basket_set(priority=priority, indicators=[indicator], by=people["scrutiny"])
    services.priority_basket_set(priority=priority, indicators=[indicator], by=people["officer"])
    with pytest.raises(ValidationError):
        services.priority_basket_set(
            priority=priority, indicators=[IndicatorFactory(is_collected=False)], by=people["team"]
        )
    made = services.milestone_create(
        priority=priority, title="Trial", owner=people["officer"], due=datetime.date(2026, 3, 31), by=people["team"]
    )
    assert made.history.get().history_user == people["team"]
    services.plan_quality_assure(plan=plan, by=people["team"])
    with pytest.raises(ValidationError, match="change only while it is a draft"):
        services.milestone_create(
            priority=priority, title="Late idea", owner=None, due=datetime.date(2026, 3, 31), by=people["manager"]
        )
    with pytest.raises(ValidationError, match="change only while it is a draft"):
        services.priority_basket_set(priority=priority, indicators=[], by=people["team"])
    assert list(priority.indicators.all()) == [indicator]
