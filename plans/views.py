"""Plans, priorities and milestones: read by everyone with a role; the lifecycle, scrutiny,
milestone updates, the Performance Review Team selection and objectives for those allowed
(see can_* below and plans.services)."""

import datetime

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from indicators.models import Frequency, Indicator, Period, Rag
from indicators.periods import financial_year, year_label
from indicators.permissions import can_read, require
from organisation.models import Role, Service
from organisation.permissions import has_role, is_performance_team
from pmis.history import changes
from pmis.web import form_errors, form_refusals, run_action

from . import composites, services
from .forms import (
    AnswerForm,
    BasketForm,
    MilestoneEditForm,
    MilestoneForm,
    MilestoneUpdateForm,
    ObjectiveForm,
    PlanFilterForm,
    PlanForm,
    PriorityForm,
    PrtSelectionForm,
    ReturnToDraftForm,
    ScrutinyCommentForm,
)
from .models import Milestone, MilestoneStatus, Objective, Plan, Priority, ScrutinyComment

STATUS_LABELS = {**dict(Rag.choices), "": "No rating"}
PLAN_RELATIONS = (
    "owner_service__manager",
    "owner_directorate__director",
    "lead_officer",
    "parent",
    "predecessor",
    "successor",
    "quality_assured_by",
    "scrutiny_started_by",
    "approved_by",
    "prt_selected_by",
)


def _plan(pk: int) -> Plan:
    return get_object_or_404(Plan.objects.select_related(*PLAN_RELATIONS), pk=pk)


def _successor(plan: Plan) -> Plan | None:
    """The plan rolled forward from plan, if any (loaded with it by _plan)."""
    try:
        return plan.successor
    except ObjectDoesNotExist:
        return None


def _plan_page(plan: Plan) -> str:
    return reverse("plans:plan", args=[plan.pk])


def _chosen_period(request, today: datetime.date) -> tuple[Period | None, list[Period]]:
    """The ended period in ?period=, else the latest ended quarter; and the ended quarters,
    newest first, to choose from."""
    ended = list(Period.objects.ended_on(today).filter(frequency=Frequency.QUARTER))
    chosen = request.GET.get("period", "")
    if not chosen:
        return (ended[0] if ended else None), ended
    period = next((p for p in ended if str(p.pk) == chosen), None)
    if period is None:
        # A month or year chosen elsewhere (a scorecard's period) is as good as a quarter.
        period = Period.objects.ended_on(today).filter(pk=int(chosen) if chosen.isdigit() else None).first()
        if period is None:
            raise Http404("No such ended period.")
        ended.insert(0, period)
    return period, ended


def _baskets(priorities: list[Priority], period: Period | None, today: datetime.date) -> list[dict]:
    """Each priority with its composite, basket (indicator, status, label, period) and
    milestones (prefetched). Four queries for any number of priorities and indicators."""
    if period is None:
        statuses, all_composites = {}, {}
    else:
        thresholds = composites.thresholds_for(period)
        statuses = composites.basket_statuses([p.pk for p in priorities], period) if priorities else {}
        all_composites = {
            p.pk: composites.composite((s for _, s, _ in statuses.get(p.pk, [])), thresholds) for p in priorities
        }
    rows = []
    for priority in priorities:
        indicators = {i.pk: i for i in priority.indicators.all()}
        basket = [
            {"indicator": indicators[i], "status": s, "label": STATUS_LABELS.get(s, s), "period": p}
            for i, s, p in statuses.get(priority.pk, [])
            if i in indicators
        ]
        if period is None:
            basket = [{"indicator": i, "status": "", "label": "No rating", "period": None} for i in indicators.values()]
        milestones = list(priority.milestones.all())
        rows.append(
            {
                "priority": priority,
                "composite": all_composites.get(priority.pk),
                "basket": basket,
                "milestones": [{"milestone": m, "overdue": m.is_overdue(today)} for m in milestones],
            }
        )
    return rows


def _priorities(plan_filter: Q):
    return Priority.objects.filter(plan_filter).prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.collected().select_related("service").order_by("code")),
        Prefetch("milestones", queryset=Milestone.objects.select_related("owner").order_by("due", "title")),
    )


@login_required
def plan_list(request):
    require(can_read(request.user))
    today = timezone.localdate()
    form = PlanFilterForm(request.GET or None)
    plans = Plan.objects.select_related("owner_service", "owner_directorate", "parent").order_by(
        "-first_year", "kind", "title"
    )
    if form.is_valid():
        if form.cleaned_data["kind"]:
            plans = plans.filter(kind=form.cleaned_data["kind"])
        if form.cleaned_data["status"]:
            plans = plans.filter(status=form.cleaned_data["status"])
    late = list(
        Plan.objects.late(today)
        .select_related("owner_service", "approved_by")
        .order_by("-first_year", "owner_service__name", "title")
    )
    overdue = list(
        Milestone.objects.overdue(today)
        .select_related("priority__plan", "owner")
        .order_by("due", "priority__plan__title", "title")
    )
    return render(
        request,
        "plans/plan_list.html",
        {
            "form": form,
            "plans": list(plans),
            "late": late,
            "overdue": overdue,
            "today": today,
            "filtered": bool(request.GET),
            "is_team": is_performance_team(request.user),
        },
    )


def _plan_context(request, plan: Plan, **forms) -> dict:
    user = request.user
    today = timezone.localdate()
    period, ended = _chosen_period(request, today)
    priorities = list(_priorities(Q(plan=plan)).order_by("position", "title"))
    owners = plan.owner_ids()
    context = {
        "plan": plan,
        "period": period,
        "ended": ended,
        "today": today,
        "rows": _baskets(priorities, period, today),
        "children": list(plan.children.select_related("owner_service", "owner_directorate").order_by("title")),
        "comments": list(plan.scrutiny_comments.select_related("made_by", "answered_by")),
        "prt_ids": set(plan.prt_indicators.values_list("pk", flat=True)),
        "deadline": plan.sign_off_deadline,
        "is_late": plan.is_late(today),
        "is_team": is_performance_team(user),
        "is_owner": user.pk in owners,
        "is_scrutiny": has_role(user, Role.SCRUTINY_MEMBER),
        "can_select_prt": services.can_select_prt_targets(user, plan),
        "can_draft": services.can_draft(user, plan),
        "successor": _successor(plan),
        "comment_form": forms.get("comment_form") or ScrutinyCommentForm(),
        "answer_form": forms.get("answer_form"),
        "answer_for": forms.get("answer_for"),
        "return_form": forms.get("return_form") or ReturnToDraftForm(),
    }
    context["form"] = forms.get("comment_form") or forms.get("answer_form") or forms.get("return_form")
    return context


@login_required
def plan_detail(request, pk: int):
    require(can_read(request.user))
    plan = _plan(pk)
    return render(request, "plans/plan_detail.html", _plan_context(request, plan))


def _step(request, pk: int, action, success: str):
    require(is_performance_team(request.user))
    plan = _plan(pk)
    run_action(request, action, success, plan=plan)
    return redirect(_plan_page(plan))


@require_POST
@login_required
def plan_quality_assure(request, pk: int):
    return _step(request, pk, services.plan_quality_assure, "The plan is quality-assured.")


@require_POST
@login_required
def plan_send_to_scrutiny(request, pk: int):
    return _step(
        request, pk, services.plan_send_to_scrutiny, "The plan is under scrutiny review: scrutiny members can comment."
    )


@require_POST
@login_required
def plan_approve(request, pk: int):
    return _step(request, pk, services.plan_approve, "The plan is approved.")


@require_POST
@login_required
def plan_return(request, pk: int):
    require(is_performance_team(request.user))
    plan = _plan(pk)
    form = ReturnToDraftForm(request.POST)
    if form.is_valid():
        try:
            services.plan_return_to_draft(plan=plan, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, "The plan is back in draft.")
            return redirect(_plan_page(plan))
    return render(request, "plans/plan_detail.html", _plan_context(request, plan, return_form=form))


@require_POST
@login_required
def scrutiny_comment(request, pk: int):
    require(has_role(request.user, Role.SCRUTINY_MEMBER))
    plan = _plan(pk)
    form = ScrutinyCommentForm(request.POST)
    if form.is_valid():
        try:
            services.scrutiny_comment_add(plan=plan, by=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, "Your comment is recorded. The plan's owner will answer it.")
            return redirect(_plan_page(plan))
    return render(request, "plans/plan_detail.html", _plan_context(request, plan, comment_form=form))


@require_POST
@login_required
def scrutiny_answer(request, pk: int):
    comment = get_object_or_404(ScrutinyComment, pk=pk)
    plan = _plan(comment.plan_id)
    require(request.user.pk in plan.owner_ids())
    form = AnswerForm(request.POST, auto_id=f"answer-{comment.pk}-%s")
    if form.is_valid():
        try:
            services.scrutiny_comment_answer(comment=comment, by=request.user, answer=form.cleaned_data["answer"])
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, "Your answer is recorded.")
            return redirect(_plan_page(plan))
    return render(
        request, "plans/plan_detail.html", _plan_context(request, plan, answer_form=form, answer_for=comment.pk)
    )


@login_required
def prt_selection(request, pk: int):
    plan = _plan(pk)
    require(services.can_select_prt_targets(request.user, plan))
    basket = Indicator.objects.collected().filter(priorities__plan=plan).distinct().order_by("code")
    if request.method == "POST":
        form = PrtSelectionForm(request.POST, basket=basket)
        if form.is_valid():
            try:
                services.plan_prt_select(plan=plan, indicators=form.cleaned_data["indicators"], by=request.user)
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, "Your Performance Review Team will monitor the targets you chose.")
                return redirect(_plan_page(plan))
    else:
        form = PrtSelectionForm(
            initial={"indicators": list(plan.prt_indicators.values_list("pk", flat=True))}, basket=basket
        )
    return render(request, "plans/prt_selection.html", {"plan": plan, "form": form})


@login_required
def priority_detail(request, pk: int):
    require(can_read(request.user))
    priority = get_object_or_404(
        _priorities(Q()).select_related("plan__owner_service", "plan__owner_directorate", "lead"), pk=pk
    )
    today = timezone.localdate()
    period, ended = _chosen_period(request, today)
    row = _baskets([priority], period, today)[0]
    objectives = list(
        Objective.objects.filter(indicator__priorities=priority)
        .select_related("owner", "indicator")
        .order_by("indicator__code", "owner__last_name", "pk")
    )
    plan = priority.plan
    return render(
        request,
        "plans/priority_detail.html",
        {
            "priority": priority,
            "plan": priority.plan,
            "period": period,
            "ended": ended,
            "row": row,
            "objectives": objectives,
            "is_team": is_performance_team(request.user),
            "is_owner": request.user.pk in plan.owner_ids(),
            "can_draft": services.can_draft(request.user, plan),
        },
    )


def _drafting(request, pk: int) -> Priority:
    """A priority of a draft plan the user may change; else 404/403."""
    priority = get_object_or_404(
        Priority.objects.select_related("plan__owner_service", "plan__owner_directorate"), pk=pk
    )
    require(services.can_draft(request.user, priority.plan))
    return priority


@login_required
def priority_basket(request, pk: int):
    """Choose a draft plan's priority's basket from the indicator register."""
    priority = _drafting(request, pk)
    register = Indicator.objects.collected().select_related("service").order_by("service__name", "code")
    if request.method == "POST":
        form = BasketForm(request.POST, register=register)
        if form.is_valid():
            try:
                services.priority_basket_set(
                    priority=priority, indicators=form.cleaned_data["indicators"], by=request.user
                )
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, f"The basket of “{priority.title}” is saved.")
                return redirect(reverse("plans:priority", args=[priority.pk]))
    else:
        form = BasketForm(initial={"indicators": [i.pk for i in priority.indicators.all()]}, register=register)
    chosen = {str(value) for value in (form["indicators"].value() or [])}
    return render(
        request,
        "plans/priority_basket.html",
        {"priority": priority, "plan": priority.plan, "form": form, "register": list(register), "chosen": chosen},
    )


def _plan_people(plan: Plan):
    """Who can own a plan's milestones: staff of its service or directorate, and its lead officer."""
    rule = Q(pk=plan.lead_officer_id) if plan.lead_officer_id else Q(pk__in=[])
    if plan.owner_service_id:
        rule |= Q(service_id=plan.owner_service_id) | Q(managed_services=plan.owner_service_id)
    if plan.owner_directorate_id:
        rule |= Q(service__directorate_id=plan.owner_directorate_id) | Q(directorates=plan.owner_directorate_id)
    return get_user_model().objects.filter(rule).distinct().order_by("last_name", "first_name", "username")


@login_required
def milestone_add(request, pk: int):
    priority = _drafting(request, pk)
    form = MilestoneForm(request.POST or None, people=list(_plan_people(priority.plan)))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.milestone_create(
                priority=priority, title=data["title"], owner=data["owner"], due=data["due"], by=request.user
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, f"The milestone “{data['title']}” is added.")
            return redirect(reverse("plans:priority", args=[priority.pk]))
    return render(request, "plans/milestone_add.html", {"priority": priority, "plan": priority.plan, "form": form})


def _milestone(pk: int) -> Milestone:
    return get_object_or_404(
        Milestone.objects.select_related("owner", "priority__plan__owner_service", "priority__plan__owner_directorate"),
        pk=pk,
    )


@login_required
def milestone_update(request, pk: int):
    milestone = _milestone(pk)
    require(services.can_update_milestone(request.user, milestone))
    today = timezone.localdate()
    # The quarter under way and the two before it.
    quarters = list(Period.objects.filter(frequency=Frequency.QUARTER, start__lte=today).order_by("-end")[:3])
    updates = list(milestone.updates.select_related("period", "made_by").order_by("-period__end"))
    if request.method == "POST":
        form = MilestoneUpdateForm(request.POST, quarters=quarters)
        if form.is_valid():
            data = form.cleaned_data
            with form_refusals(form):
                services.milestone_update(
                    milestone=milestone,
                    period=data["period"],
                    percent_complete=data["percent_complete"],
                    status=data["status"],
                    comment=data["comment"],
                    by=request.user,
                    expected_version=data["version"],
                )
            if not form.errors:
                messages.success(request, f"Progress on “{milestone.title}” for {data['period']} is recorded.")
                return redirect(reverse("plans:priority", args=[milestone.priority_id]))
    else:
        current = next((q for q in quarters if q.start <= today <= q.end), quarters[0] if quarters else None)
        latest = updates[0] if updates else None
        form = MilestoneUpdateForm(
            initial={
                "period": current.pk if current else "",
                "status": milestone.status,
                "percent_complete": milestone.percent_complete,
                "comment": latest.comment if latest and current and latest.period_id == current.pk else "",
                "version": milestone.version,
            },
            quarters=quarters,
        )
    return render(
        request,
        "plans/milestone_update.html",
        {
            "milestone": milestone,
            "priority": milestone.priority,
            "plan": milestone.priority.plan,
            "form": form,
            "updates": updates,
            "overdue": milestone.is_overdue(today),
            "statuses": MilestoneStatus,
        },
    )


@login_required
def service_objectives(request, pk: int):
    """A service's targets, each with the individual objectives that support it; the
    service manager and the performance team add objectives here."""
    require(can_read(request.user))
    service = get_object_or_404(Service.objects.select_related("manager", "directorate"), pk=pk)
    indicators = list(Indicator.objects.collected().filter(service=service).order_by("code"))
    objectives = list(
        Objective.objects.filter(indicator__service=service)
        .select_related("owner")
        .order_by("-year", "owner__last_name", "pk")
    )
    allowed = services.can_add_objective(request.user, service)
    form = None
    if allowed:
        staff = list(get_user_model().objects.filter(Q(service=service) | Q(managed_services=service)).distinct())
        form = ObjectiveForm(request.POST or None, staff=staff, indicators=indicators)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            services.objective_create(
                owner=data["owner"],
                indicator=data["indicator"],
                text=data["text"],
                year=financial_year(timezone.localdate()),
                by=request.user,
            )
            messages.success(request, f"The objective for {data['owner']} is recorded.")
            return redirect(reverse("plans:service-objectives", args=[service.pk]))
    elif request.method == "POST":
        require(False)
    by_indicator: dict[int, list[Objective]] = {}
    for objective in objectives:
        by_indicator.setdefault(objective.indicator_id, []).append(objective)
    rows = [{"indicator": i, "objectives": by_indicator.get(i.pk, [])} for i in indicators]
    return render(request, "plans/service_objectives.html", {"service": service, "rows": rows, "form": form})


# Setting plans up: the performance team creates plans and rolls them forward; a draft
# plan's owners and the performance team change its details, priorities and milestones.


def _save_form(form, action, **kwargs):
    """Call a plans service with the form's data; its refusals go on the form. The saved
    record, or None."""
    data = dict(form.cleaned_data)
    with form_refusals(form):
        return action(expected_version=data.pop("version", None), **kwargs, **data)
    return None


PLAN_HISTORY = [
    ("kind", "Kind"),
    ("title", "Title"),
    ("owner_service", "Service"),
    ("owner_directorate", "Directorate"),
    ("lead_officer", "Lead officer"),
    ("first_year", "First year"),
    ("last_year", "Last year"),
    ("partners", "Partners"),
    ("status", "Status"),
]


@login_required
def plan_add(request):
    require(is_performance_team(request.user))
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        plan = _save_form(form, services.plan_save, by=request.user)
        if plan:
            messages.success(request, f"The plan “{plan.title}” is created as a draft: add its priorities.")
            return redirect(_plan_page(plan))
    return render(request, "plans/plan_edit.html", {"form": form, "plan": None})


@login_required
def plan_edit(request, pk: int):
    plan = _plan(pk)
    require(services.can_draft(request.user, plan))
    if request.method == "POST":
        form = PlanForm(request.POST, plan=plan)
        if form.is_valid() and _save_form(form, services.plan_save, plan=plan, by=request.user):
            messages.success(request, f"The plan “{form.cleaned_data['title']}” is saved.")
            return redirect(_plan_page(plan))
    else:
        form = PlanForm(
            plan=plan,
            initial={
                **{name: getattr(plan, name) for name in ("kind", "title", "partners", "first_year", "last_year")},
                **{
                    name: getattr(plan, f"{name}_id")
                    for name in ("owner_service", "owner_directorate", "lead_officer", "parent", "predecessor")
                },
                "version": plan.version,
            },
        )
    history = changes(
        plan.history.select_related("history_user", "owner_service", "owner_directorate", "lead_officer"), PLAN_HISTORY
    )
    return render(request, "plans/plan_edit.html", {"form": form, "plan": plan, "changes": history})


@login_required
def plan_roll_forward(request, pk: int):
    """Confirm, then make next year's draft of a plan (plans.services.plan_roll_forward)."""
    require(is_performance_team(request.user))
    plan = _plan(pk)
    if request.method == "POST":
        try:
            new = services.plan_roll_forward(plan=plan, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(_plan_page(plan))
        messages.success(request, f"“{new.title}” for {new.years_label} is a draft, ready to change.")
        return redirect(_plan_page(new))
    span = plan.last_year - plan.first_year
    priorities = list(_priorities(Q(plan=plan)).order_by("position", "title"))
    return render(
        request,
        "plans/plan_roll_forward.html",
        {
            "plan": plan,
            "priorities": priorities,
            "next_years": year_label(plan.last_year + 1)
            + (f" to {year_label(plan.last_year + 1 + span)}" if span else ""),
            "successor": _successor(plan),
        },
    )


def _draft_plan(request, pk: int) -> Plan:
    plan = _plan(pk)
    require(services.can_draft(request.user, plan))
    return plan


@login_required
def priority_add(request, pk: int):
    plan = _draft_plan(request, pk)
    form = PriorityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        priority = _save_form(form, services.priority_save, plan=plan, by=request.user)
        if priority:
            messages.success(request, f"The priority “{priority.title}” is added: choose its basket of indicators.")
            return redirect(reverse("plans:priority", args=[priority.pk]))
    return render(request, "plans/priority_edit.html", {"form": form, "plan": plan, "priority": None})


@login_required
def priority_edit(request, pk: int):
    priority = _drafting(request, pk)
    if request.method == "POST":
        form = PriorityForm(request.POST)
        if form.is_valid() and _save_form(form, services.priority_save, priority=priority, by=request.user):
            messages.success(request, f"The priority “{form.cleaned_data['title']}” is saved.")
            return redirect(reverse("plans:priority", args=[priority.pk]))
    else:
        form = PriorityForm(
            initial={
                "title": priority.title,
                "description": priority.description,
                "lead": priority.lead_id,
                "version": priority.version,
            }
        )
    history = changes(
        priority.history.select_related("history_user", "lead"),
        [("title", "Title"), ("description", "Description"), ("lead", "Lead")],
    )
    return render(
        request,
        "plans/priority_edit.html",
        {"form": form, "plan": priority.plan, "priority": priority, "changes": history},
    )


@login_required
def milestone_edit(request, pk: int):
    milestone = _milestone(pk)
    require(services.can_draft(request.user, milestone.priority.plan))
    people = list(_plan_people(milestone.priority.plan))
    if milestone.owner and milestone.owner not in people:
        people.append(milestone.owner)
    if request.method == "POST":
        form = MilestoneEditForm(request.POST, people=people)
        if form.is_valid() and _save_form(form, services.milestone_edit, milestone=milestone, by=request.user):
            messages.success(request, f"The milestone “{form.cleaned_data['title']}” is saved.")
            return redirect(reverse("plans:priority", args=[milestone.priority_id]))
    else:
        form = MilestoneEditForm(
            people=people,
            initial={
                "title": milestone.title,
                "owner": milestone.owner_id,
                "due": milestone.due.strftime("%d/%m/%Y"),
                "version": milestone.version,
            },
        )
    history = changes(
        milestone.history.select_related("history_user", "owner"),
        [("title", "What will be delivered"), ("owner", "Owner"), ("due", "Due"), ("status", "Status")],
    )
    return render(
        request,
        "plans/milestone_add.html",
        {
            "form": form,
            "priority": milestone.priority,
            "plan": milestone.priority.plan,
            "milestone": milestone,
            "changes": history,
        },
    )
