"""Actions: raised at a meeting by the performance team, updated by their owner (or the
performance team), and each person's own list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from indicators.permissions import can_read, require
from organisation.permissions import is_performance_team
from pmis.locking import ConflictError

from .. import packs, services
from ..forms import ActionForm, ActionUpdateForm
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
def action_detail(request, pk: int):
    require(can_read(request.user))
    action = get_object_or_404(
        Action.objects.select_related("owner", "meeting", "indicator", "milestone", "priority"), pk=pk
    )
    may_update = services.can_update_action(request.user, action)
    form = ActionUpdateForm(
        request.POST if request.method == "POST" else None,
        initial={"status": action.status, "version": action.version, "dropped_reason": action.dropped_reason},
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
                )
            except ConflictError as error:
                form.add_error(None, error.messages[0])
            else:
                messages.success(request, "Action updated.")
                return redirect("reviews:action", action.pk)
    context = {
        "action": action,
        "updates": list(action.updates.select_related("by")),
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
