"""Meetings (Performance Review Team meetings and surgeries) and their packs.

Everyone with a role reads meetings and packs; the performance team arranges meetings,
publishes packs and records surgeries (service managers may arrange surgeries too).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from indicators.permissions import can_read, require
from organisation.permissions import is_performance_team
from plans import composites
from pmis import pdfs

from .. import committee_report, exports, groups, pack_exports, packs, scorecards, services
from ..forms import MeetingForm, SurgeryRecordForm
from ..models import Meeting, MeetingKind


def _get_meeting_for_user(user, pk: int) -> Meeting:
    require(can_read(user))
    return get_object_or_404(
        Meeting.objects.select_related("period", "portfolio", "directorate", "chair", "snapshot"), pk=pk
    )


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


def _meeting_context(request, meeting: Meeting) -> dict:
    """What the meeting's page shows; its PDF is the same page, printed."""
    today = timezone.localdate()
    data, snapshot = packs.pack_shown(meeting, today=today)
    published = timezone.localdate(snapshot.published_at) if snapshot else None
    return {
        "meeting": meeting,
        "pack": data,
        "snapshot": snapshot,
        "today": today,
        "produced": today,
        "deadline_state": meeting.deadline_state(today, published),
        "previous": meeting.previous(),
        "attendees": list(meeting.attendees.order_by("last_name", "username")),
        "surgery_indicators": list(meeting.indicators.order_by("code")),
        # Live, not frozen with the pack: what the meeting agreed and where each action stands now.
        "agreed": list(meeting.actions.select_related("owner").order_by("due", "pk")),
        "is_team": is_performance_team(request.user),
        "is_surgery": meeting.kind == MeetingKind.SURGERY,
    }


@login_required
def meeting_detail(request, pk: int):
    meeting = _get_meeting_for_user(request.user, pk)
    return render(request, "reviews/meeting_detail.html", _meeting_context(request, meeting))


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
    """The meeting's page as a tagged PDF (pmis.pdfs): the pack as published, or live until then."""
    meeting = _get_meeting_for_user(request.user, pk)
    context = _meeting_context(request, meeting)
    context["page_address"] = request.build_absolute_uri(reverse("reviews:meeting", args=[meeting.pk]))
    name = pack_exports.filename(context["pack"], "pdf")
    return pdfs.pdf_response(request, "reviews/meeting_detail.html", context, filename=name)


@login_required
def meeting_docx(request, pk: int):
    """The committee report of the meeting's indicators for its period, as a Word document,
    grouped by corporate priority (reviews.committee_report)."""
    meeting = _get_meeting_for_user(request.user, pk)
    today = timezone.localdate()
    period = meeting.period
    report = scorecards.scorecard(packs.scope_indicators(meeting).order_by("code"), period, today=today)
    grouped = groups.by_priority(report.rows, composites.corporate_priorities(period), period)
    content = committee_report.committee_report(
        report, grouped, title=meeting.title, scope=meeting.scope_name, produced=today
    )
    name = exports.filename(meeting.title, period.label, "committee report", extension="docx")
    return committee_report.docx_response(content, filename=name)


@login_required
def meeting_xlsx(request, pk: int):
    meeting = _get_meeting_for_user(request.user, pk)
    data, _ = packs.pack_shown(meeting, today=timezone.localdate())
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
