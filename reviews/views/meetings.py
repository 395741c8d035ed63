"""Meetings (Performance Review Team meetings and surgeries) and their packs.

Everyone with a role reads meetings and packs; the performance team arranges meetings,
publishes packs and records surgeries (service managers may arrange surgeries too).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Min
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from indicators.permissions import can_read, require
from organisation.permissions import is_performance_team
from pmis.web import form_errors

from .. import pack_exports, packs, services
from ..forms import MeetingForm, ReissueForm, SurgeryRecordForm
from ..models import Meeting, MeetingKind


def _get_meeting_for_user(user, pk: int) -> Meeting:
    require(can_read(user))
    return get_object_or_404(Meeting.objects.select_related("period", "portfolio", "directorate", "chair"), pk=pk)


@login_required
def meeting_list(request):
    require(can_read(request.user))
    meetings = (
        Meeting.objects.select_related("period", "portfolio", "directorate")
        .annotate(first_published=Min("snapshots__published_at"), versions=Count("snapshots"))
        .order_by("-date", "pk")
    )
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


def _version(request) -> int | None:
    try:
        return int(request.GET.get("version", ""))
    except ValueError:
        return None


@login_required
def meeting_detail(request, pk: int):
    meeting = _get_meeting_for_user(request.user, pk)
    today = timezone.localdate()
    data, snapshot, versions = packs.pack_shown(meeting, today=today, version=_version(request))
    published = timezone.localdate(versions[-1].published_at) if versions else None
    context = {
        "meeting": meeting,
        "pack": data,
        "snapshot": snapshot,
        "versions": versions,
        "is_current": not versions or snapshot == versions[0],
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
def meeting_publish(request, pk: int):
    """The checks before publishing (the period has ended, figures validated, Reds with an
    action plan, the deadline), then publishing once the performance team confirms."""
    require(is_performance_team(request.user))
    meeting = get_object_or_404(Meeting.objects.select_related("period", "portfolio", "directorate"), pk=pk)
    if meeting.snapshots.exists():
        messages.error(request, "This pack has already been published: reissue it to publish a new version.")
        return redirect("reviews:meeting", meeting.pk)
    today = timezone.localdate()
    if request.method == "POST":
        try:
            services.pack_publish(meeting=meeting, by=request.user, today=today)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, "Pack published and sent to the attendees.")
            return redirect("reviews:meeting", meeting.pk)
    checks = packs.publish_checks(meeting, today=today)
    return render(request, "reviews/meeting_publish.html", {"meeting": meeting, "checks": checks})


@login_required
def meeting_reissue(request, pk: int):
    """Reissue a published pack as a new version, with the reason attendees are told."""
    require(is_performance_team(request.user))
    meeting = get_object_or_404(Meeting.objects.select_related("period"), pk=pk)
    current = meeting.snapshots.order_by("-version").first()
    if current is None:
        messages.error(request, "This pack is not published yet: publish it first.")
        return redirect("reviews:meeting", meeting.pk)
    form = ReissueForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            snapshot = services.pack_reissue(meeting=meeting, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, f"Version {snapshot.version} of the pack published and the attendees told.")
            return redirect("reviews:meeting", meeting.pk)
    return render(request, "reviews/meeting_reissue.html", {"meeting": meeting, "current": current, "form": form})


@login_required
def meeting_pdf(request, pk: int):
    meeting = _get_meeting_for_user(request.user, pk)
    data, snapshot, _ = packs.pack_shown(meeting, today=timezone.localdate(), version=_version(request))
    published = f"{timezone.localtime(snapshot.published_at):%d %B %Y}" if snapshot else ""
    return pack_exports.pack_pdf(data, published=published)


@login_required
def meeting_xlsx(request, pk: int):
    meeting = _get_meeting_for_user(request.user, pk)
    data, _, _ = packs.pack_shown(meeting, today=timezone.localdate(), version=_version(request))
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
