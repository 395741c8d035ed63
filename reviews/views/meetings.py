"""Meetings (Performance Review Team meetings and surgeries) and their packs.

Everyone with a role reads meetings and packs; the performance team arranges meetings,
publishes packs and records surgeries (service managers may arrange surgeries too).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Min
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from indicators.permissions import can_read, require
from organisation.permissions import is_performance_team
from plans import composites
from pmis.web import form_errors, form_refusals

from .. import (
    committee_report,
    exports,
    groups,
    meeting_history,
    pack_exports,
    pack_sections,
    packs,
    scorecards,
    scrutiny,
    services,
)
from ..forms import CancelForm, MeetingForm, PeopleFinderForm, ReissueForm, SummaryForm, SurgeryRecordForm
from ..models import PRT_KINDS, Meeting, MeetingKind, Referral
from ..people import people_matching
from .pdf_jobs import pdf_or_job


def _get_meeting_for_user(user, pk: int) -> Meeting:
    require(can_read(user))
    return get_object_or_404(
        Meeting.objects.select_related("period", "service", "portfolio", "directorate", "chair"), pk=pk
    )


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
            "may_log_feedback": services.feedback_services(request.user).exists(),
        },
    )


def _initial(meeting: Meeting) -> dict:
    return {
        "kind": meeting.kind,
        "title": meeting.title,
        "date": f"{meeting.date.day}/{meeting.date.month}/{meeting.date.year}",
        "period": meeting.period_id,
        "service": meeting.service_id,
        "portfolio": meeting.portfolio_id,
        "directorate": meeting.directorate_id,
        "chair": meeting.chair_id,
        "attendees": [str(pk) for pk in meeting.attendees.values_list("pk", flat=True)],
        "indicators": [str(pk) for pk in meeting.indicators.values_list("pk", flat=True)],
        "version": meeting.version,
    }


def _meeting_form(request, meeting: Meeting | None, referral: Referral | None = None):
    """The arrange and change pages: one form, whose "Show these people" button lists the
    people of a portfolio, service or role to tick as attendees without saving anything.
    Arranging a surgery for a referral starts from the referred measure and answers it."""
    surgery_only = not is_performance_team(request.user)
    finding = request.method == "POST" and "show_people" in request.POST
    if request.method == "POST" and not finding:
        form = MeetingForm(request.POST, surgery_only=surgery_only)
        if form.is_valid():
            with form_refusals(form):
                if referral is not None:
                    meeting = scrutiny.referral_surgery_arrange(
                        referral=referral, **form.meeting_fields(), by=request.user
                    )
                    messages.success(request, f"{meeting.title} arranged and the referral answered.")
                elif meeting is None:
                    meeting = services.meeting_arrange(**form.meeting_fields(), by=request.user)
                    messages.success(request, f"{meeting.title} arranged.")
                else:
                    services.meeting_change(
                        meeting=meeting,
                        **form.meeting_fields(),
                        expected_version=form.cleaned_data["version"],
                        by=request.user,
                    )
                    messages.success(request, f"{meeting.title} changed.")
            if not form.errors:
                return redirect("reviews:meeting", meeting.pk)
    elif finding:
        posted = {key: request.POST.getlist(key) for key in ("attendees", "indicators")}
        form = MeetingForm(initial={**request.POST.dict(), **posted}, surgery_only=surgery_only)
    else:
        initial = _initial(meeting) if meeting else scrutiny.surgery_initial(referral) if referral else {}
        form = MeetingForm(initial=initial, surgery_only=surgery_only)
    finder = PeopleFinderForm(request.POST if finding else None)
    filters = finder.cleaned_data if finding and finder.is_valid() else {}
    chosen = request.POST.getlist("attendees") if form.is_bound else form.initial.get("attendees", [])
    chosen_ids = {int(pk) for pk in chosen if str(pk).isdigit()}
    found = people_matching(
        portfolio=filters.get("people_portfolio"),
        service=filters.get("people_service"),
        role=filters.get("people_role", ""),
    )
    shown = {person.pk: person for person in found}
    shown.update((p.pk, p) for p in form.fields["attendees"].queryset.filter(pk__in=chosen_ids - set(shown)))
    people = sorted(shown.values(), key=lambda p: (p.last_name, p.first_name, p.username))
    context = {
        "form": form,
        "meeting": meeting,
        "people": people,
        "chosen": chosen_ids,
        "finding": finding,
        "filtered": bool(filters and any(filters.values())),
        "referral": referral,
    }
    return render(request, "reviews/meeting_form.html", context)


@login_required
def meeting_add(request):
    require(services.can_arrange(request.user))
    return _meeting_form(request, None)


@login_required
def referral_surgery(request, pk: int):
    """The performance team arranges a surgery straight from a scrutiny referral."""
    require(is_performance_team(request.user))
    referral = get_object_or_404(Referral.objects.select_related("indicator__portfolio"), pk=pk)
    return _meeting_form(request, None, referral)


@login_required
def meeting_edit(request, pk: int):
    meeting = get_object_or_404(Meeting, pk=pk)
    require(services.can_change_meeting(request.user, meeting))
    if meeting.is_cancelled:
        messages.error(request, "This meeting is cancelled and cannot be changed.")
        return redirect("reviews:meeting", meeting.pk)
    return _meeting_form(request, meeting)


@login_required
def meeting_cancel(request, pk: int):
    meeting = get_object_or_404(Meeting, pk=pk)
    require(services.can_change_meeting(request.user, meeting))
    form = CancelForm(request.POST if request.method == "POST" else None, initial={"version": meeting.version})
    if request.method == "POST" and form.is_valid():
        with form_refusals(form):
            services.meeting_cancel(
                meeting=meeting,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
                by=request.user,
            )
        if not form.errors:
            messages.success(request, f"{meeting.title} cancelled and the attendees told.")
            return redirect("reviews:meeting", meeting.pk)
    return render(request, "reviews/meeting_cancel.html", {"form": form, "meeting": meeting})


def _version(request) -> int | None:
    try:
        return int(request.GET.get("version", ""))
    except ValueError:
        return None


def _meeting_context(request, meeting: Meeting) -> dict:
    """What the meeting's page shows; its PDF is the same page, printed."""
    today = timezone.localdate()
    data, snapshot, versions = packs.pack_shown(meeting, today=today, version=_version(request))
    published = timezone.localdate(versions[-1].published_at) if versions else None
    return {
        "meeting": meeting,
        "pack": data,
        "snapshot": snapshot,
        "versions": versions,
        "is_current": not versions or snapshot == versions[0],
        "extra_sections": pack_sections.readable(data.get("sections"), request.user),
        "frozen": snapshot is not None,
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
        "may_change": services.can_change_meeting(request.user, meeting),
        "may_summarise": services.can_summarise(request.user, meeting),
        "is_prt": meeting.kind in PRT_KINDS,
        "changes": meeting_history.meeting_changes(meeting),
    }


@login_required
def meeting_detail(request, pk: int):
    meeting = _get_meeting_for_user(request.user, pk)
    return render(request, "reviews/meeting_detail.html", _meeting_context(request, meeting))


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
    """The meeting's page as a tagged PDF (pmis.pdfs): the pack as published, or live until then."""
    meeting = _get_meeting_for_user(request.user, pk)
    context = _meeting_context(request, meeting)
    context["page_address"] = request.build_absolute_uri(reverse("reviews:meeting", args=[meeting.pk]))
    name = pack_exports.filename(context["pack"], "pdf")
    pack = context["pack"]
    rows = sum(len(pack.get(key) or []) for key in ("exceptions", "key_targets", "focus", "prts", "actions", "budget"))
    rows += sum(len(shown.rows) for shown in context["extra_sections"])
    return pdf_or_job(
        request,
        "reviews/meeting_detail.html",
        context,
        filename=name,
        title=meeting.title,
        back_url=reverse("reviews:meeting", args=[meeting.pk]),
        rows=rows,
    )


@login_required
def meeting_docx(request, pk: int):
    """The committee report of the meeting's indicators for its period, as a Word document,
    grouped by corporate priority (reviews.committee_report)."""
    meeting = _get_meeting_for_user(request.user, pk)
    today = timezone.localdate()
    period = meeting.period
    report = scorecards.scorecard(packs.scope_indicators(meeting).order_by("code"), period, today=today)
    grouped = groups.by_priority(report.rows, composites.corporate_priorities(period), period)
    # The scope's risks as they stand today, for a reader who may see them (not a surgery's).
    shown = []
    if meeting.kind != MeetingKind.SURGERY:
        built = pack_sections.build(packs.section_scope(meeting, today), user=request.user)
        shown = pack_sections.readable(built, request.user)
    content = committee_report.committee_report(
        report, grouped, title=meeting.title, scope=meeting.scope_name, produced=today, sections=shown
    )
    name = exports.filename(meeting.title, period.label, "committee report", extension="docx")
    return committee_report.docx_response(content, filename=name)


@login_required
def meeting_xlsx(request, pk: int):
    meeting = _get_meeting_for_user(request.user, pk)
    data, _, _ = packs.pack_shown(meeting, today=timezone.localdate(), version=_version(request))
    return pack_exports.pack_xlsx(data, pack_sections.readable(data.get("sections"), request.user))


@login_required
def meeting_summary(request, pk: int):
    """A Performance Review Team's summary of key issues, gathered by the corporate PRT."""
    meeting = get_object_or_404(Meeting, pk=pk)
    require(services.can_summarise(request.user, meeting))
    form = SummaryForm(
        request.POST if request.method == "POST" else None,
        initial={"summary": meeting.summary, "version": meeting.version},
    )
    if request.method == "POST" and form.is_valid():
        with form_refusals(form):
            services.meeting_summary_record(
                meeting=meeting,
                summary=form.cleaned_data["summary"],
                expected_version=form.cleaned_data["version"],
                by=request.user,
            )
        if not form.errors:
            messages.success(request, "Summary of key issues saved.")
            return redirect("reviews:meeting", meeting.pk)
    return render(request, "reviews/meeting_summary.html", {"form": form, "meeting": meeting})


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
