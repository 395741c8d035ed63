"""Actions: raised at a meeting by the performance team or recorded as an indicator's remedial
action plan by its service, updated by their owner (or the performance team), and each
person's own list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from indicators.models import Indicator
from indicators.permissions import can_read, can_report, require
from organisation.permissions import is_performance_team
from pmis.locking import ConflictError
from pmis.web import form_conflict, form_errors

from .. import packs, services
from ..forms import ActionForm, ActionPlanForm, ActionUpdateForm
from ..models import Action, Meeting, MeetingKind


@login_required
def action_add(request, pk: int):
    require(is_performance_team(request.user))
    meeting = get_object_or_404(Meeting, pk=pk)
    # The meeting's scope first; the whole council when asked for (?all=1).
    whole = request.GET.get("all") == "1" or (meeting.scope == "council" and meeting.kind != MeetingKind.SURGERY)
    if whole:
        indicators = services_ = None
    elif meeting.kind == MeetingKind.SURGERY:
        indicators, services_ = meeting.indicators.all(), None
    else:
        indicators, services_ = packs.scope_indicators(meeting), packs.scope_services(meeting)
    form = ActionForm(request.POST if request.method == "POST" else None, indicators=indicators, services=services_)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.action_raise(
            description=data["description"],
            owner=data["owner"],
            due=data["due"],
            indicator=data["indicator"],
            priority=data["priority"],
            milestone=data["milestone"],
            meeting=meeting,
            by=request.user,
        )
        messages.success(request, "Action recorded.")
        return redirect("reviews:meeting", meeting.pk)
    return render(request, "reviews/action_add.html", {"form": form, "meeting": meeting, "whole": whole})


@login_required
def action_plan_add(request, indicator_id: int):
    """The service manager or responsible officer (anyone who reports the indicator's figures)
    records a remedial action plan: from the indicator page, the entry page or the exception report."""
    indicator = get_object_or_404(Indicator.objects.select_related("service"), pk=indicator_id)
    require(can_report(request.user, indicator))
    today = timezone.localdate()
    form = ActionPlanForm(
        request.POST if request.method == "POST" else None, initial={"owner": request.user.pk}, today=today
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = services.action_plan_record(
                indicator=indicator,
                description=data["description"],
                owner=data["owner"],
                due=data["due"],
                recover_by=data["recover_by"],
                steps=data["steps"],
                by=request.user,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, f"Action plan for {indicator.code} recorded.")
            return redirect("reviews:action", action.pk)
    return render(request, "reviews/action_plan_add.html", {"form": form, "indicator": indicator})


@login_required
def action_detail(request, pk: int):
    require(can_read(request.user))
    action = get_object_or_404(
        Action.objects.select_related("owner", "meeting", "indicator", "milestone", "priority", "recover_by"), pk=pk
    )
    may_update = services.can_update_action(request.user, action)
    steps = list(action.steps.all())
    form = ActionUpdateForm(
        request.POST if request.method == "POST" else None,
        initial={
            "status": action.status,
            "version": action.version,
            "dropped_reason": action.dropped_reason,
            "steps_done": [step.pk for step in steps if step.done_on],
        },
        steps=steps,
    )
    if request.method == "POST":
        require(may_update)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.action_update(
                    action=action,
                    by=request.user,
                    status=data["status"],
                    text=data["text"],
                    dropped_reason=data["dropped_reason"],
                    expected_version=data["version"],
                    steps_done=data["steps_done"] if steps else None,
                )
            except ConflictError as conflict:
                form_conflict(form, conflict)
            else:
                messages.success(request, "Action updated.")
                return redirect("reviews:action", action.pk)
    context = {
        "action": action,
        "updates": list(action.updates.select_related("by")),
        "steps": steps,
        "form": form,
        "may_update": may_update,
        "today": timezone.localdate(),
    }
    return render(request, "reviews/action_detail.html", context)


@login_required
def my_actions(request):
    require(can_read(request.user))
    actions = list(
        Action.objects.filter(owner=request.user).select_related("meeting", "indicator").order_by("status", "due", "pk")
    )
    return render(request, "reviews/my_actions.html", {"actions": actions, "today": timezone.localdate()})
