"""Writes to plans: the plan lifecycle, scrutiny comments and answers, milestone updates,
the portfolio holder's choice of targets for their Performance Review Team, individual
objectives and composite policies.

Lifecycle (docs/domain.md): draft -> quality assured (performance team) -> scrutiny review
(scrutiny members comment, the plan's owner answers) -> approved (who and when recorded).
Every refused step raises ValidationError saying why.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from indicators.models import Frequency, Indicator, Period
from indicators.periods import year_label
from organisation.models import Role
from organisation.permissions import has_role, is_performance_team
from pmis.locking import check_version, save_as, save_with_m2m

from .models import (
    CompositePolicy,
    Milestone,
    MilestoneStatus,
    MilestoneUpdate,
    Objective,
    Plan,
    PlanKind,
    PlanStatus,
    Priority,
    ScrutinyComment,
)


def _locked_plan(plan: Plan) -> Plan:
    # of=("self",): PostgreSQL cannot lock the nullable side of the owners' outer joins.
    return (
        Plan.objects.select_for_update(of=("self",))
        .select_related("owner_service", "owner_directorate")
        .get(pk=plan.pk)
    )


def _status_word(plan: Plan) -> str:
    return PlanStatus(plan.status).label.lower()


# Lifecycle


def plan_delete_refusal(plan: Plan) -> str:
    """Why a plan cannot be deleted ("" if it can): only a draft set up by mistake goes,
    before anyone has commented on it, recorded progress in it or hung actions or other
    plans from it. A query a check."""
    if plan.status != PlanStatus.DRAFT:
        return f"“{plan.title}” is {_status_word(plan)}, so it is kept: only a draft plan can be deleted."
    if plan.scrutiny_comments.exists():
        return f"Scrutiny has commented on “{plan.title}”, so it is kept with their comments."
    if plan.children.exists():
        return f"Other plans cascade from “{plan.title}”: link them to another plan first."
    if Milestone.objects.filter(priority__plan=plan, updates__isnull=False).exists():
        return f"Progress has been recorded on the milestones of “{plan.title}”, so it is kept."
    if Milestone.objects.filter(priority__plan=plan, actions__isnull=False).exists():
        return f"Actions are recorded against the milestones of “{plan.title}”, so it is kept."
    return ""


@transaction.atomic
def plan_delete(*, plan: Plan, by, expected_version: int | None = None) -> None:
    """Delete a draft plan set up by mistake, with its priorities and milestones
    (plan_delete_refusal says when not: ValidationError); the history keeps it, with who."""
    if not is_performance_team(by):
        raise ValidationError("Only the performance team deletes plans.")
    plan = _locked_plan(plan)
    check_version(plan, expected_version)
    refusal = plan_delete_refusal(plan)
    if refusal:
        raise ValidationError(refusal)
    plan._history_user = by
    plan.delete()


def plan_quality_assure(*, plan: Plan, by) -> Plan:
    """The performance team confirms a draft plan is fit for scrutiny: priorities measured,
    targets and milestones in place."""
    if not is_performance_team(by):
        raise ValidationError("Only the performance team can quality-assure a plan.")
    with transaction.atomic():
        plan = _locked_plan(plan)
        if plan.status != PlanStatus.DRAFT:
            raise ValidationError(f"The plan is {_status_word(plan)}; only a draft plan can be quality-assured.")
        plan.status = PlanStatus.QUALITY_ASSURED
        plan.quality_assured_by, plan.quality_assured_at = by, timezone.now()
        save_as(plan, by)
    return plan


def plan_send_to_scrutiny(*, plan: Plan, by) -> Plan:
    """Open a quality-assured plan to scrutiny review, so scrutiny members can comment."""
    if not is_performance_team(by):
        raise ValidationError("Only the performance team can send a plan to scrutiny review.")
    with transaction.atomic():
        plan = _locked_plan(plan)
        if plan.status != PlanStatus.QUALITY_ASSURED:
            raise ValidationError(
                f"The plan is {_status_word(plan)}; only a quality-assured plan can go to scrutiny review."
            )
        plan.status = PlanStatus.SCRUTINY_REVIEW
        plan.scrutiny_started_by, plan.scrutiny_started_at = by, timezone.now()
        save_as(plan, by)
    return plan


def plan_approve(*, plan: Plan, by) -> Plan:
    """Record a plan's approval after scrutiny review, by the performance team (recording the
    decision), never by the plan's own lead officer or owner, and only once every scrutiny
    comment has been answered."""
    if not is_performance_team(by):
        raise ValidationError("Only the performance team can record a plan's approval.")
    with transaction.atomic():
        plan = _locked_plan(plan)
        if plan.status == PlanStatus.APPROVED:
            raise ValidationError("The plan is already approved.")
        if plan.status != PlanStatus.SCRUTINY_REVIEW:
            raise ValidationError(
                f"The plan is {_status_word(plan)}; a plan cannot be approved without scrutiny review."
            )
        if by.pk in plan.owner_ids():
            raise ValidationError(
                "You own or lead this plan, so you cannot approve it: someone independent of the plan must."
            )
        unanswered = plan.scrutiny_comments.filter(answer="").count()
        if unanswered:
            raise ValidationError(
                f"{unanswered} scrutiny comment{'s are' if unanswered > 1 else ' is'} not answered yet; "
                "the plan's owner must answer every comment before the plan is approved."
            )
        plan.status = PlanStatus.APPROVED
        plan.approved_by, plan.approved_at = by, timezone.now()
        save_as(plan, by)
    return plan


def plan_return_to_draft(*, plan: Plan, by, reason: str) -> Plan:
    """Send a quality-assured plan, or one under scrutiny review, back to draft for changes."""
    if not is_performance_team(by):
        raise ValidationError("Only the performance team can send a plan back to draft.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the plan is going back to draft."})
    with transaction.atomic():
        plan = _locked_plan(plan)
        if plan.status not in (PlanStatus.QUALITY_ASSURED, PlanStatus.SCRUTINY_REVIEW):
            raise ValidationError(f"The plan is {_status_word(plan)}; it cannot go back to draft.")
        plan.status = PlanStatus.DRAFT
        plan.quality_assured_by = plan.quality_assured_at = None
        plan.scrutiny_started_by = plan.scrutiny_started_at = None
        plan._change_reason = reason.strip()
        save_as(plan, by)
    return plan


# Scrutiny


def scrutiny_comment_add(*, plan: Plan, by, text: str) -> ScrutinyComment:
    if not has_role(by, Role.SCRUTINY_MEMBER):
        raise ValidationError("Only scrutiny members comment on plans under scrutiny review.")
    if not text.strip():
        raise ValidationError({"text": "Enter your comment on the plan."})
    with transaction.atomic():
        plan = _locked_plan(plan)
        if plan.status != PlanStatus.SCRUTINY_REVIEW:
            raise ValidationError(f"The plan is {_status_word(plan)}; comments are taken only during scrutiny review.")
        comment = ScrutinyComment(plan=plan, text=text.strip(), made_by=by, made_at=timezone.now())
        save_as(comment, by)
    return comment


def scrutiny_comment_answer(*, comment: ScrutinyComment, by, answer: str) -> ScrutinyComment:
    """The plan's owner (its lead officer, the owning service's manager or directorate's
    director) answers a scrutiny comment while the plan is under review."""
    if not answer.strip():
        raise ValidationError({"answer": "Enter your answer to the scrutiny comment."})
    with transaction.atomic():
        plan = _locked_plan(comment.plan)
        if by.pk not in plan.owner_ids():
            raise ValidationError("Only the plan's owner or lead officer can answer scrutiny comments.")
        if plan.status != PlanStatus.SCRUTINY_REVIEW:
            raise ValidationError(f"The plan is {_status_word(plan)}; answers are taken only during scrutiny review.")
        comment = (
            ScrutinyComment.objects.select_for_update(of=("self",)).select_related("answered_by").get(pk=comment.pk)
        )
        if comment.answer:
            # Two owners answering at once: the first answer stands, the second is not lost silently.
            raise ValidationError(f"{comment.answered_by or 'Someone'} has already answered this comment.")
        comment.answer, comment.answered_by, comment.answered_at = answer.strip(), by, timezone.now()
        save_as(comment, by)
    return comment


# Drafting: baskets and milestones change only while the plan is a draft


def can_draft(user, plan: Plan) -> bool:
    """The plan's owner or lead officer, or the performance team, while the plan is a draft.
    Needs plan's owner service and directorate loaded."""
    return plan.status == PlanStatus.DRAFT and (is_performance_team(user) or user.pk in plan.owner_ids())


def _check_draft(priority: Priority, by) -> Plan:
    plan = _locked_plan(priority.plan)
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(
            f"The plan is {_status_word(plan)}; its priorities change only while it is a draft "
            "(the performance team can send it back to draft)."
        )
    if not can_draft(by, plan):
        raise ValidationError("Only the plan's owner, its lead officer or the performance team can change it.")
    return plan


def priority_basket_set(*, priority: Priority, indicators: Iterable[Indicator], by) -> Priority:
    """Choose the indicators that measure a priority of a draft plan."""
    chosen = list(indicators)
    if any(not indicator.is_collected for indicator in chosen):
        raise ValidationError({"indicators": "Choose indicators the council collects."})
    with transaction.atomic():
        _check_draft(priority, by)
        save_with_m2m(priority, by, indicators=chosen)
    return priority


def milestone_create(*, priority: Priority, title: str, owner, due: datetime.date, by) -> Milestone:
    """Add a dated deliverable to a priority of a draft plan."""
    if not title.strip():
        raise ValidationError({"title": "Enter what will be delivered."})
    with transaction.atomic():
        _check_draft(priority, by)
        milestone = Milestone(priority=priority, title=title.strip(), owner=owner, due=due)
        save_as(milestone, by)
    return milestone


# Milestones


def can_update_milestone(user, milestone: Milestone) -> bool:
    """Its owner, the plan's owner or lead officer, or the performance team.
    Needs milestone.priority.plan with its owner service and directorate loaded."""
    if is_performance_team(user):
        return True
    return user.pk == milestone.owner_id or user.pk in milestone.priority.plan.owner_ids()


def milestone_update(
    *,
    milestone: Milestone,
    period: Period,
    percent_complete: int,
    status: str,
    comment: str,
    by,
    expected_version: int | None = None,
) -> MilestoneUpdate:
    """Record (or correct) the quarter's progress on a milestone; the milestone takes the
    status and percent of its latest quarter's update."""
    errors = {}
    if period.frequency != Frequency.QUARTER:
        errors["period"] = "Progress is reported for a quarter."
    if not 0 <= percent_complete <= 100:
        errors["percent_complete"] = "Enter a percentage from 0 to 100."
    elif status == MilestoneStatus.COMPLETE and percent_complete != 100:
        errors["percent_complete"] = "A complete milestone is 100% complete."
    elif status == MilestoneStatus.NOT_STARTED and percent_complete != 0:
        errors["percent_complete"] = "A milestone not started is 0% complete."
    if status not in MilestoneStatus.values:
        errors["status"] = "Choose the milestone's status."
    if not comment.strip():
        errors["comment"] = "Say what progress was made this quarter."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Milestone.objects.select_for_update(of=("self",)).select_related(
            "priority__plan__owner_service", "priority__plan__owner_directorate"
        )
        milestone = locked.get(pk=milestone.pk)
        check_version(milestone, expected_version)
        if not can_update_milestone(by, milestone):
            raise ValidationError("Only the milestone's owner, the plan's owner or the performance team can update it.")
        update = MilestoneUpdate.objects.filter(milestone=milestone, period=period).first() or MilestoneUpdate(
            milestone=milestone, period=period
        )
        update.percent_complete, update.status, update.comment = percent_complete, status, comment.strip()
        update.made_by, update.made_at = by, timezone.now()
        save_as(update, by)
        latest = milestone.updates.order_by("-period__end").first()
        milestone.status, milestone.percent_complete = latest.status, latest.percent_complete
        save_as(milestone, by)
    return update


# Performance Review Team selection


def can_select_prt_targets(user, plan: Plan) -> bool:
    """The holder of a cabinet portfolio covering the service business plan's service."""
    return (
        plan.kind == PlanKind.SERVICE
        and plan.owner_service_id is not None
        and has_role(user, Role.PORTFOLIO_HOLDER)
        and plan.owner_service.portfolios.filter(holder=user).exists()
    )


def plan_prt_select(*, plan: Plan, indicators: Iterable[Indicator], by) -> Plan:
    """Record which of a service business plan's targets the cabinet member monitors at
    their quarterly Performance Review Team meeting."""
    chosen = list(indicators)
    with transaction.atomic():
        plan = _locked_plan(plan)
        if not can_select_prt_targets(by, plan):
            raise ValidationError(
                "Only the cabinet member whose portfolio covers this service chooses its targets for their "
                "Performance Review Team."
            )
        in_baskets = set(
            Priority.indicators.through.objects.filter(priority__plan=plan).values_list("indicator_id", flat=True)
        )
        if outside := [i for i in chosen if i.pk not in in_baskets]:
            raise ValidationError(
                {"indicators": f"{', '.join(i.code for i in outside)} is not a target of this plan's priorities."}
            )
        plan.prt_selected_by, plan.prt_selected_at = by, timezone.now()
        save_as(plan, by)
        plan.prt_indicators.set(chosen)
    return plan


# Individual objectives


def can_add_objective(user, service) -> bool:
    """The performance team, or the service's manager."""
    return is_performance_team(user) or (has_role(user, Role.SERVICE_MANAGER) and service.manager_id == user.pk)


def objective_create(*, owner, indicator: Indicator, text: str, year: int, by) -> Objective:
    if not text.strip():
        raise ValidationError({"text": "Enter the objective."})
    objective = Objective(
        owner=owner, indicator=indicator, text=text.strip(), year=year, created_by=by, created_at=timezone.now()
    )
    save_as(objective, by)
    return objective


def objective_update(*, objective: Objective, by) -> Objective:
    """Save changes to an individual objective (its fields set by the caller)."""
    objective.text = objective.text.strip()
    if not objective.text:
        raise ValidationError({"text": "Enter the objective."})
    save_as(objective, by)
    return objective


# Composite policy


def composite_policy_create(
    *, green_from: Decimal, amber_from: Decimal, reason: str, effective_from: Period, by
) -> CompositePolicy:
    """Record new composite thresholds from a period on; earlier periods keep theirs."""
    errors = {}
    if not reason.strip():
        errors["reason"] = "Say why the council is setting these thresholds."
    if not Decimal(0) <= green_from <= Decimal(2):
        errors["green_from"] = "Give a mean score from 0 to 2."
    if not Decimal(0) <= amber_from <= Decimal(2):
        errors["amber_from"] = "Give a mean score from 0 to 2."
    elif amber_from > green_from:
        errors["amber_from"] = "Amber must start at or below where Green starts."
    if errors:
        raise ValidationError(errors)
    policy = CompositePolicy(
        green_from=green_from, amber_from=amber_from, reason=reason.strip(), effective_from=effective_from, set_by=by
    )
    save_as(policy, by)
    return policy


def quarter_for(day: datetime.date) -> Period | None:
    """The quarter containing day, if it exists."""
    return Period.objects.filter(frequency=Frequency.QUARTER, start__lte=day, end__gte=day).first()


# Setting plans up: the performance team creates and edits plans; a draft plan's owners and
# the performance team write its priorities and milestones


def _plan_fields_check(plan: Plan, errors: dict) -> None:
    """The rules of a plan's own fields, each refused at its field."""
    if not plan.title.strip():
        errors["title"] = "Enter the plan's title."
    if plan.kind not in PlanKind.values:
        errors["kind"] = "Choose the kind of plan."
    if plan.first_year is None:
        errors["first_year"] = "Choose the first year the plan covers."
    if plan.last_year is None:
        errors["last_year"] = "Choose the last year the plan covers."
    elif plan.first_year is not None and plan.last_year < plan.first_year:
        errors["last_year"] = "The last year must be the first year or after it."
    if plan.kind == PlanKind.SERVICE and plan.owner_service_id is None:
        errors["owner_service"] = "Choose the service whose business plan this is."
    if plan.kind == PlanKind.THEMATIC and plan.owner_service_id is None and plan.owner_directorate_id is None:
        errors["owner_directorate"] = "Choose the directorate (or service) that owns this thematic plan."
    if plan.kind == PlanKind.PARTNERSHIP and not plan.partner_list:
        errors["partners"] = "Name the partner organisations, one a line."
    if plan.parent_id is not None and plan.pk is not None and plan.parent_id == plan.pk:
        errors["parent"] = "A plan cannot cascade from itself."
    predecessor = plan.predecessor
    if predecessor is not None and "first_year" not in errors:
        if predecessor.pk == plan.pk:
            errors["predecessor"] = "A plan cannot follow on from itself."
        elif plan.first_year <= predecessor.last_year:
            errors["first_year"] = (
                f"The plan follows on from “{predecessor.title}”, which covers {predecessor.years_label}: "
                f"start it in {year_label(predecessor.last_year + 1)} or later, so their years do not overlap."
            )


PLAN_FIELDS = (
    "kind",
    "title",
    "owner_service",
    "owner_directorate",
    "lead_officer",
    "first_year",
    "last_year",
    "parent",
    "predecessor",
    "partners",
)


def plan_save(*, plan: Plan | None = None, by, expected_version: int | None = None, **fields) -> Plan:
    """Create a plan (a draft), or change a draft plan's details (plan given); fields are
    PLAN_FIELDS by name. A plan's years must not overlap its predecessor's."""
    if not is_performance_team(by) and plan is None:
        raise ValidationError("Only the performance team creates plans.")
    with transaction.atomic():
        if plan is None:
            plan = Plan(status=PlanStatus.DRAFT)
        else:
            plan = _locked_plan(plan)
            check_version(plan, expected_version)
            if not can_draft(by, plan):
                raise ValidationError(
                    f"The plan is {_status_word(plan)}; its details change only while it is a draft, "
                    "by its owner or the performance team."
                )
        for name in PLAN_FIELDS:
            if name in fields:
                setattr(plan, name, fields[name])
        plan.title, plan.partners = plan.title.strip(), plan.partners.strip()
        if plan.kind != PlanKind.PARTNERSHIP:
            plan.partners = ""
        errors = {}
        _plan_fields_check(plan, errors)
        if plan.predecessor_id and "predecessor" not in errors:
            taken = Plan.objects.filter(predecessor_id=plan.predecessor_id).exclude(pk=plan.pk).first()
            if taken:
                errors["predecessor"] = f"“{taken.title}” already follows on from that plan."
        if errors:
            raise ValidationError(errors)
        save_as(plan, by)
    return plan


def priority_save(
    *,
    plan: Plan | None = None,
    priority: Priority | None = None,
    title: str,
    description: str = "",
    lead=None,
    position: int | None = None,
    by,
    expected_version: int | None = None,
) -> Priority:
    """Add a priority to a draft plan (plan given), or change one (priority given)."""
    if not title.strip():
        raise ValidationError({"title": "Enter the priority's title."})
    with transaction.atomic():
        if priority is None:
            _check_plan_draft(plan, by)
            last = plan.priorities.order_by("-position").values_list("position", flat=True).first()
            priority = Priority(plan=plan, position=(last or 0) + 1)
        else:
            _check_draft(priority, by)
            priority = Priority.objects.select_for_update().get(pk=priority.pk)
            check_version(priority, expected_version)
        priority.title, priority.description, priority.lead = title.strip(), description.strip(), lead
        if position is not None:
            priority.position = position
        save_as(priority, by)
    return priority


def milestone_edit(
    *, milestone: Milestone, title: str, owner, due: datetime.date, by, expected_version: int | None = None
) -> Milestone:
    """Change a draft plan's milestone: what will be delivered, its owner and due date."""
    if not title.strip():
        raise ValidationError({"title": "Enter what will be delivered."})
    with transaction.atomic():
        _check_draft(milestone.priority, by)
        milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
        check_version(milestone, expected_version)
        milestone.title, milestone.owner, milestone.due = title.strip(), owner, due
        save_as(milestone, by)
    return milestone


def _check_plan_draft(plan: Plan, by) -> Plan:
    plan = _locked_plan(plan)
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(
            f"The plan is {_status_word(plan)}; its priorities change only while it is a draft "
            "(the performance team can send it back to draft)."
        )
    if not can_draft(by, plan):
        raise ValidationError("Only the plan's owner, its lead officer or the performance team can change it.")
    return plan


def plan_roll_forward(*, plan: Plan, by) -> Plan:
    """Next year's draft of a plan: the same details for the years after it, its priorities
    with their leads and baskets, and its milestones not yet complete (with their due dates:
    a slipped milestone stays overdue). The new plan follows on from this one."""
    if not is_performance_team(by):
        raise ValidationError("Only the performance team rolls plans forward.")
    with transaction.atomic():
        plan = _locked_plan(plan)
        if Plan.objects.filter(predecessor=plan).exists():
            raise ValidationError(f"“{plan.title}” has already been rolled forward.")
        span = plan.last_year - plan.first_year + 1
        new = Plan(
            kind=plan.kind,
            title=plan.title,
            owner_service=plan.owner_service,
            owner_directorate=plan.owner_directorate,
            lead_officer=plan.lead_officer,
            first_year=plan.last_year + 1,
            last_year=plan.last_year + span,
            parent=plan.parent,
            predecessor=plan,
            partners=plan.partners,
        )
        new._change_reason = f"Rolled forward from {plan.years_label}"
        save_as(new, by)
        priorities = list(plan.priorities.prefetch_related("indicators", "milestones").order_by("position", "pk"))
        for old in priorities:
            priority = Priority(
                plan=new, title=old.title, description=old.description, lead=old.lead, position=old.position
            )
            save_with_m2m(priority, by, indicators=old.indicators.all())
            bulk_create_with_history(
                [
                    Milestone(
                        priority=priority,
                        title=m.title,
                        owner_id=m.owner_id,
                        due=m.due,
                        status=m.status,
                        percent_complete=m.percent_complete,
                    )
                    for m in old.milestones.all()
                    if m.status != MilestoneStatus.COMPLETE
                ],
                Milestone,
                default_user=by,
                default_change_reason=f"Rolled forward from {plan.years_label}",
            )
    return new
