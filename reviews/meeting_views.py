"""Meetings and their packs, actions, surgeries, budget monitoring and the complaints log.

Everyone with a role reads meetings and packs; the performance team arranges meetings,
publishes packs, raises actions and enters budget and complaints figures; an action's
owner (or the performance team) records its progress.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from indicators.permissions import can_read, require
from organisation.permissions import is_performance_team
from pmis.locking import ConflictError

from . import pack_exports, packs, services
from .forms import (
    ActionForm,
    ActionUpdateForm,
    BudgetLineForm,
    FeedbackForm,
    MeetingForm,
    SurgeryRecordForm,
)
from .models import Action, BudgetLine, Feedback, Meeting, MeetingKind, PackSnapshot


def _get_meeting_for_user(user, pk: int) -> Meeting:
    require(can_read(user))
    return get_object_or_404(
        Meeting.objects.select_related("period", "portfolio", "directorate", "chair", "snapshot"), pk=pk
    )


def _pack_data(meeting: Meeting) -> tuple[dict, PackSnapshot | None]:
    """The published snapshot's figures, else the pack assembled from live data."""
    try:
        snapshot = meeting.snapshot
    except PackSnapshot.DoesNotExist:
        return packs.pack(meeting, today=timezone.localdate()), None
    return snapshot.data, snapshot


@login_required
def meeting_list(request):
    require(can_read(request.user))
    meetings = Meeting.objects.select_related("period", "portfolio", "directorate", "snapshot").order_by("-date", "pk")
    return render(
        request,
        "reviews/meeting_list.html",
        {
            "meetings": meetings,
            "today": timezone.localdate(),
            "can_arrange": services.can_arrange(request.user),
            "is_team": is_performance_team(request.user),
        },
    )


@login_required
def meeting_add(request):
    require(services.can_arrange(request.user))
    form = MeetingForm(
        request.POST if request.method == "POST" else None, surgery_only=not is_performance_team(request.user)
    )
    if request.method == "POST" and form.is_valid():
        meeting = services.meeting_arrange(**form.cleaned_data, by=request.user)
        messages.success(request, f"{meeting.title} arranged.")
        return redirect("reviews:meeting", meeting.pk)
    return render(request, "reviews/meeting_add.html", {"form": form})


@login_required
def meeting_detail(request, pk: int):
    meeting = _get_meeting_for_user(request.user, pk)
    data, snapshot = _pack_data(meeting)
    today = timezone.localdate()
    published = timezone.localdate(snapshot.published_at) if snapshot else None
    context = {
        "meeting": meeting,
        "pack": data,
        "snapshot": snapshot,
        "today": today,
        "deadline_state": meeting.deadline_state(today, published),
        "previous": meeting.previous(),
        "attendees": list(meeting.attendees.order_by("last_name", "username")),
        "surgery_indicators": list(meeting.indicators.order_by("code")),
        # Live, not frozen with the pack: what the meeting agreed and where each action stands now.
        "agreed": list(meeting.actions.select_related("owner").order_by("due", "pk")),
        "is_team": is_performance_team(request.user),
        "is_surgery": meeting.kind == MeetingKind.SURGERY,
    }
    return render(request, "reviews/meeting_detail.html", context)


@login_required
@require_POST
def meeting_publish(request, pk: int):
    require(is_performance_team(request.user))
    meeting = get_object_or_404(Meeting, pk=pk)
    try:
        services.pack_publish(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Pack published and sent to the attendees.")
    return redirect("reviews:meeting", meeting.pk)


@login_required
def meeting_pdf(request, pk: int):
    meeting = _get_meeting_for_user(request.user, pk)
    data, snapshot = _pack_data(meeting)
    published = f"{timezone.localtime(snapshot.published_at):%d %B %Y}" if snapshot else ""
    return pack_exports.pack_pdf(data, published=published)


@login_required
def meeting_xlsx(request, pk: int):
    meeting = _get_meeting_for_user(request.user, pk)
    data, _ = _pack_data(meeting)
    return pack_exports.pack_xlsx(data)


@login_required
def surgery_record(request, pk: int):
    require(is_performance_team(request.user))
    meeting = get_object_or_404(Meeting, pk=pk, kind=MeetingKind.SURGERY)
    initial = {"action_plan": meeting.action_plan, "discussion": meeting.discussion, "outcome": meeting.outcome}
    form = SurgeryRecordForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.surgery_record(meeting=meeting, **form.cleaned_data, by=request.user)
        messages.success(request, "Surgery record saved.")
        return redirect("reviews:meeting", meeting.pk)
    return render(request, "reviews/surgery_record.html", {"form": form, "meeting": meeting})


@login_required
def action_add(request, pk: int):
    require(is_performance_team(request.user))
    meeting = get_object_or_404(Meeting, pk=pk)
    form = ActionForm(request.POST if request.method == "POST" else None)
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
    return render(request, "reviews/action_add.html", {"form": form, "meeting": meeting})


@login_required
def action_detail(request, pk: int):
    require(can_read(request.user))
    action = get_object_or_404(
        Action.objects.select_related("owner", "meeting", "indicator", "milestone", "priority"), pk=pk
    )
    may_update = action.owner_id == request.user.pk or is_performance_team(request.user)
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


@login_required
def budget(request):
    """Enter a service's budget monitoring for a quarter (a file of them is imported on the
    imports pages)."""
    require(is_performance_team(request.user))
    form = BudgetLineForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        line = services.budget_line_set(**form.cleaned_data, by=request.user)
        messages.success(request, f"Budget monitoring saved for {line.service.name}, {line.period.label}.")
        return redirect("reviews:budget")
    lines = BudgetLine.objects.select_related("service", "period").order_by("-period__end", "service__name")[:50]
    return render(request, "reviews/budget.html", {"form": form, "lines": lines})


@login_required
def feedback(request):
    require(is_performance_team(request.user))
    form = FeedbackForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.feedback_log(feedback=form.save(commit=False), by=request.user)
        messages.success(request, "Logged.")
        return redirect("reviews:feedback")
    items = Feedback.objects.select_related("service").order_by("-received", "-pk")[:50]
    return render(request, "reviews/feedback.html", {"form": form, "items": items})
