"""Writes for meetings, packs, actions, surgeries and the complaints log."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from indicators.models import Frequency, Period
from organisation.models import Role, Service
from organisation.permissions import has_role, is_performance_team
from outbox.services import absolute, email_queue
from pmis.locking import check_version, save_as, save_with_m2m

from . import packs
from .models import (
    PRT_KINDS,
    Action,
    ActionStatus,
    ActionStep,
    ActionUpdate,
    BudgetLine,
    Feedback,
    GoodNewsStory,
    Meeting,
    MeetingKind,
    PackSnapshot,
    Referral,
    Scorecard,
    ScorecardGrouping,
    ScorecardMeasure,
)

# Besides the performance team, these convene performance surgeries (and only those).
SURGERY_CONVENERS = (Role.CHIEF_OFFICER, Role.PORTFOLIO_HOLDER, Role.SCRUTINY_MEMBER)


def can_arrange(user) -> bool:
    """Whether the user may arrange meetings of some kind: performance surgeries at least."""
    return is_performance_team(user) or has_role(user, *SURGERY_CONVENERS)


def can_update_action(user, action: Action) -> bool:
    """Its owner, or the performance team."""
    return action.owner_id == user.pk or is_performance_team(user)


def can_change_meeting(user, meeting: Meeting) -> bool:
    """The performance team changes or cancels any meeting; the SURGERY_CONVENERS, surgeries."""
    return is_performance_team(user) or (meeting.kind == MeetingKind.SURGERY and has_role(user, *SURGERY_CONVENERS))


def _may_hold(by, kind: str) -> None:
    if not (is_performance_team(by) or (kind == MeetingKind.SURGERY and has_role(by, *SURGERY_CONVENERS))):
        raise ValidationError({"kind": "You can arrange performance surgeries only."})


@transaction.atomic
def meeting_arrange(
    *,
    kind: str,
    title: str,
    date: datetime.date,
    period,
    by,
    service=None,
    portfolio=None,
    directorate=None,
    chair=None,
    attendees: Iterable = (),
    indicators: Iterable = (),
) -> Meeting:
    """Arrange a meeting with its attendees (and for a surgery, the indicators it examines).

    The performance team arranges every kind; the SURGERY_CONVENERS, performance surgeries.
    """
    _may_hold(by, kind)
    attendees, indicators = list(attendees), list(indicators)
    if kind == MeetingKind.SURGERY:
        # Chaired by the portfolio holder who asked for it, with the chairs of the scrutiny
        # boards that referred its indicators invited (seed 003).
        if chair is None and has_role(by, Role.PORTFOLIO_HOLDER):
            chair = by
        referred = Referral.objects.filter(indicator__in=indicators, board__chair__isnull=False)
        attendees += [r.board.chair for r in referred.select_related("board__chair") if r.board.chair not in attendees]
    meeting = Meeting(
        kind=kind,
        title=title,
        date=date,
        period=period,
        service=service,
        portfolio=portfolio,
        directorate=directorate,
        chair=chair,
    )
    meeting._change_reason = "Arranged"
    save_with_m2m(meeting, by, attendees=attendees)
    meeting.indicators.set(indicators)
    return meeting


def _tell_of_change(meeting: Meeting, *, subject: str, text: str, key: str) -> None:
    link = absolute(reverse("reviews:meeting", args=[meeting.pk]))
    for attendee in meeting.attendees.exclude(email=""):
        email_queue(
            to=attendee.email,
            subject=f"{subject}: {meeting.title}",
            body=f"{text}\n\n{link}\n",
            key=f"{key}:{attendee.pk}",
        )


@transaction.atomic
def meeting_change(
    *,
    meeting: Meeting,
    by,
    expected_version: int | None = None,
    attendees: Iterable = (),
    indicators: Iterable = (),
    **fields,
) -> Meeting:
    """Change a meeting's details; a new date (a reschedule) is said in its history and
    emailed to the attendees."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    check_version(meeting, expected_version)
    if meeting.is_cancelled:
        raise ValidationError("This meeting is cancelled and cannot be changed.")
    _may_hold(by, fields.get("kind", meeting.kind))
    was = meeting.date
    for name, value in fields.items():
        setattr(meeting, name, value)
    moved = meeting.date != was
    meeting._change_reason = f"Rescheduled from {was:%-d %B %Y} to {meeting.date:%-d %B %Y}" if moved else "Changed"
    save_with_m2m(meeting, by, attendees=attendees)
    meeting.indicators.set(indicators)
    if moved:
        _tell_of_change(
            meeting,
            subject="Meeting rescheduled",
            text=f"{meeting.title} is moved from {was:%-d %B %Y} to {meeting.date:%-d %B %Y}.",
            key=f"meeting-moved:{meeting.pk}:{meeting.version}",
        )
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, reason: str, by, expected_version: int | None = None) -> Meeting:
    """Cancel a meeting, saying why; it stays listed as cancelled, and the attendees are told."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    check_version(meeting, expected_version)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the meeting is cancelled."})
    if meeting.is_cancelled:
        raise ValidationError("This meeting is already cancelled.")
    meeting.cancelled_reason = reason.strip()
    meeting._change_reason = "Cancelled"
    save_as(meeting, by)
    _tell_of_change(
        meeting,
        subject="Meeting cancelled",
        text=f"{meeting.title} on {meeting.date:%-d %B %Y} is cancelled: {meeting.cancelled_reason}",
        key=f"meeting-cancelled:{meeting.pk}",
    )
    return meeting


def can_summarise(user, meeting: Meeting) -> bool:
    """The performance team or the chair records a Performance Review Team's key issues."""
    return meeting.kind in PRT_KINDS and (is_performance_team(user) or meeting.chair_id == user.pk)


@transaction.atomic
def meeting_summary_record(*, meeting: Meeting, summary: str, by, expected_version: int | None = None) -> Meeting:
    """Record a Performance Review Team's summary of its key issues, for the corporate PRT."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    check_version(meeting, expected_version)
    if meeting.kind not in PRT_KINDS:
        raise ValidationError("Only a Performance Review Team records a summary of key issues.")
    if not summary.strip():
        raise ValidationError({"summary": "Enter the key issues the meeting found."})
    meeting.summary = summary.strip()
    meeting._change_reason = "Summary of key issues recorded"
    save_as(meeting, by)
    return meeting


def surgery_record(*, meeting: Meeting, action_plan: str, discussion: str, outcome: str, by) -> Meeting:
    """Record a performance surgery's action plan, discussion and outcome."""
    if meeting.kind != MeetingKind.SURGERY:
        raise ValidationError("Only a performance surgery has an action plan, discussion and outcome to record.")
    meeting.action_plan, meeting.discussion, meeting.outcome = action_plan, discussion, outcome
    meeting.save(update_fields=["action_plan", "discussion", "outcome"])
    return meeting


def feedback_services(user):
    """The services whose complaints and compliments the user logs: every one for the
    performance team; for a service manager, those they manage and their own; for an
    officer, their own."""
    if is_performance_team(user):
        return Service.objects.all()
    where = Q(pk=user.service_id) if user.service_id and has_role(user, Role.OFFICER, Role.SERVICE_MANAGER) else Q()
    if has_role(user, Role.SERVICE_MANAGER):
        where |= Q(manager=user)
    return Service.objects.filter(where) if where else Service.objects.none()


def feedback_log(*, feedback: Feedback, by) -> Feedback:
    """Add a complaint or compliment (filled in, unsaved) to the log: by the service itself
    (feedback_services) or the performance team, linked to the action taken if any."""
    if not feedback_services(by).filter(pk=feedback.service_id).exists():
        raise ValidationError({"service": "You log complaints and compliments for your own service only."})
    feedback.save()
    return feedback


def _tell_attendees(meeting: Meeting, snapshot: PackSnapshot) -> None:
    """Email every attendee that the pack is published (version 1) or reissued (later ones)."""
    link = absolute(reverse("reviews:meeting", args=[meeting.pk]))
    reissued = snapshot.version > 1
    what = f"Version {snapshot.version} of the pack" if reissued else "The pack"
    why = f"\n\nWhy it is reissued: {snapshot.reason}" if reissued else ""
    for attendee in meeting.attendees.exclude(email=""):
        email_queue(
            to=attendee.email,
            subject=f"Papers {'reissued' if reissued else 'published'}: {meeting.title}",
            body=(
                f"{what} for {meeting.title} on {meeting.date:%-d %B %Y} (period under review "
                f"{meeting.period.label}) is {'reissued' if reissued else 'published'}.{why}\n\n{link}\n"
            ),
            key=f"pack-published:{meeting.pk}:{snapshot.version}:{attendee.pk}",
        )


@transaction.atomic
def pack_publish(*, meeting: Meeting, by, today: datetime.date | None = None) -> PackSnapshot:
    """Freeze the meeting's pack as it stands and email every attendee that it is published.

    Refused before the period under review has ended: its figures are not all in."""
    today = today or timezone.localdate()
    meeting = Meeting.objects.select_for_update().select_related("period").get(pk=meeting.pk)
    if meeting.snapshots.exists():
        raise ValidationError("This pack has already been published: reissue it to publish a new version.")
    if meeting.period.end >= today:
        raise ValidationError(
            f"The period under review, {meeting.period.label}, ends on {meeting.period.end:%-d %B %Y}: "
            "a pack is published only after its period has ended."
        )
    snapshot = PackSnapshot.objects.create(
        meeting=meeting, published_at=timezone.now(), published_by=by, data=packs.pack(meeting, today=today)
    )
    _tell_attendees(meeting, snapshot)
    return snapshot


@transaction.atomic
def pack_reissue(*, meeting: Meeting, reason: str, by, today: datetime.date | None = None) -> PackSnapshot:
    """Publish a new version of a published pack from today's data, saying why; the earlier
    versions stay as they were, and every attendee is told."""
    today = today or timezone.localdate()
    meeting = Meeting.objects.select_for_update().select_related("period").get(pk=meeting.pk)
    latest = meeting.snapshots.order_by("-version").first()
    if latest is None:
        raise ValidationError("This pack is not published yet: publish it first.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the pack is reissued, for example a figure was corrected."})
    snapshot = PackSnapshot.objects.create(
        meeting=meeting,
        version=latest.version + 1,
        reason=reason.strip(),
        published_at=timezone.now(),
        published_by=by,
        data=packs.pack(meeting, today=today),
    )
    _tell_attendees(meeting, snapshot)
    return snapshot


def action_raise(
    *,
    description: str,
    owner,
    due: datetime.date,
    by,
    meeting: Meeting | None = None,
    indicator=None,
    milestone=None,
    priority=None,
    linked: bool = False,
) -> Action:
    """Raise an action at a meeting or against an indicator, milestone or priority; linked: it
    is raised from a record of an app above (a risk, a recommendation), which links it."""
    action = Action(
        description=description,
        owner=owner,
        due=due,
        meeting=meeting,
        indicator=indicator,
        milestone=milestone,
        priority=priority,
        raised_by=by,
        raised_at=timezone.now(),
    )
    if not (linked or any((meeting, indicator, milestone, priority))):
        raise ValidationError("An action is raised at a meeting or against an indicator, milestone or priority.")
    save_as(action, by)
    return action


@transaction.atomic
def action_plan_record(
    *,
    indicator,
    description: str,
    owner,
    due: datetime.date,
    recover_by: Period,
    steps: Iterable[tuple[str, datetime.date]],
    by,
) -> Action:
    """Record a remedial action plan for an indicator: what will be done, its owner, dated
    steps and the period by which the figure should recover. Its progress is updated on the
    action like any other, and it carries into exception reports and packs."""
    steps = [(text.strip(), due_on) for text, due_on in steps if text.strip()]
    if not steps:
        raise ValidationError({"step_1_text": "Enter at least one step and when it is due."})
    action = Action(
        description=description.strip(),
        owner=owner,
        due=due,
        indicator=indicator,
        recover_by=recover_by,
        raised_by=by,
        raised_at=timezone.now(),
    )
    save_as(action, by)
    for text, due_on in steps:
        step = ActionStep(action=action, text=text, due=due_on)
        save_as(step, by)
    return action


@transaction.atomic
def action_update(
    *,
    action: Action,
    by,
    status: str,
    text: str = "",
    dropped_reason: str = "",
    expected_version: int | None = None,
    today: datetime.date | None = None,
    steps_done: Iterable[int] | None = None,
) -> Action:
    """Record a dated progress update and the action's status; closing it dates the closure.
    For an action plan, steps_done (ids) are the steps now done: newly done ones are dated today."""
    today = today or timezone.localdate()
    action = Action.objects.select_for_update().get(pk=action.pk)
    check_version(action, expected_version)
    if status == ActionStatus.DROPPED and not dropped_reason.strip():
        raise ValidationError({"dropped_reason": "Say why the action is dropped."})
    action.status = status
    action.dropped_reason = dropped_reason.strip() if status == ActionStatus.DROPPED else ""
    action.closed_on = None if action.is_open else (action.closed_on or today)
    save_as(action, by)
    if text.strip():
        ActionUpdate.objects.create(action=action, date=today, text=text.strip(), by=by)
    if steps_done is not None:
        done = set(steps_done)
        for step in action.steps.all():
            now = step.done_on or today if step.pk in done else None
            if now != step.done_on:
                step.done_on = now
                save_as(step, by)
    return action


def overdue_actions_remind(*, today: datetime.date | None = None) -> int:
    """Email each owner of overdue actions one list of them; a re-run the same day sends nothing
    more (the email's key names the owner and the day). Returns the number of emails queued."""
    today = today or timezone.localdate()
    by_owner = defaultdict(list)
    for action in Action.objects.overdue(today).select_related("owner").order_by("owner", "due", "pk"):
        by_owner[action.owner].append(action)
    sent = 0
    link = absolute(reverse("reviews:my-actions"))
    for owner, actions in by_owner.items():
        if not owner.email:
            continue
        lines = "\n".join(f"- {a.description} (due {a.due:%d %B %Y})" for a in actions)
        with transaction.atomic():
            if email_queue(
                to=owner.email,
                subject=f"{len(actions)} overdue action{'s' if len(actions) != 1 else ''}",
                body=f"These actions are past their due date:\n\n{lines}\n\nUpdate them at {link}\n",
                key=f"actions-overdue:{owner.pk}:{today.isoformat()}",
            ):
                sent += 1
    return sent


# Budget monitoring


def budget_line_check(*, period: Period) -> None:
    """Raise ValidationError if a budget line cannot be entered for period (only quarters can)."""
    if period.frequency != Frequency.QUARTER:
        raise ValidationError(
            {"period": f"Budget monitoring is entered for a quarter, such as 2025/26 Q2; {period} is not."}
        )


@transaction.atomic
def budget_line_set(
    *,
    service,
    period: Period,
    budget: Decimal,
    forecast_outturn: Decimal,
    savings_target: Decimal = Decimal(0),
    savings_delivered: Decimal = Decimal(0),
    commentary: str = "",
    by,
) -> BudgetLine:
    """Enter a service's budget monitoring for a quarter, replacing what was entered before."""
    budget_line_check(period=period)
    line = BudgetLine.objects.select_for_update().filter(service=service, period=period).first()
    line = line or BudgetLine(service=service, period=period)
    line.budget, line.forecast_outturn = budget, forecast_outturn
    line.savings_target, line.savings_delivered = savings_target, savings_delivered
    line.commentary = commentary
    line._history_user = by
    line.save()
    return line


# Scorecards and their measures (the performance team)


def scorecard_save(
    *,
    scorecard: Scorecard | None = None,
    name: str,
    description: str = "",
    group_by: str = "",
    by,
    expected_version: int | None = None,
) -> Scorecard:
    """Create a named scorecard, or change one's name, description and grouping."""
    if not is_performance_team(by):
        raise ValidationError("Only the performance team sets up scorecards.")
    name = name.strip()
    errors = {}
    if not name:
        errors["name"] = "Enter the scorecard's name."
    if group_by not in ScorecardGrouping.values:
        errors["group_by"] = "Choose how to group the measures."
    with transaction.atomic():
        if scorecard is not None:
            scorecard = Scorecard.objects.select_for_update().get(pk=scorecard.pk)
            check_version(scorecard, expected_version)
        others = Scorecard.objects.exclude(pk=scorecard.pk) if scorecard else Scorecard.objects.all()
        if name and others.filter(name__iexact=name).exists():
            errors["name"] = f"There is already a scorecard called “{name}”."
        if errors:
            raise ValidationError(errors)
        if scorecard is None:
            base = slugify(name)[:90] or "scorecard"
            slug, n = base, 1
            while Scorecard.objects.filter(slug=slug).exists() or slug in RESERVED_SLUGS:
                n += 1
                slug = f"{base}-{n}"
            scorecard = Scorecard(slug=slug)
        scorecard.name, scorecard.description, scorecard.group_by = name, description.strip(), group_by
        save_as(scorecard, by)
    return scorecard


# Scorecard addresses that are pages of their own (reviews/urls.py).
RESERVED_SLUGS = {"new"}


def scorecard_measures_set(
    *, scorecard: Scorecard, indicators: Iterable, by, expected_version: int | None = None
) -> Scorecard:
    """Make the scorecard's measures exactly these indicators, in this order; its history
    records who changed them, when, and which were added or removed."""
    if not is_performance_team(by):
        raise ValidationError("Only the performance team chooses a scorecard's measures.")
    chosen = list(dict.fromkeys(indicators))
    with transaction.atomic():
        scorecard = Scorecard.objects.select_for_update().get(pk=scorecard.pk)
        check_version(scorecard, expected_version)
        before = dict(
            ScorecardMeasure.objects.filter(scorecard=scorecard).values_list("indicator_id", "indicator__code")
        )
        after = {i.pk for i in chosen}
        added = [i.code for i in chosen if i.pk not in before]
        removed = [code for pk, code in before.items() if pk not in after]
        words = ([f"added {', '.join(added)}"] if added else []) + (
            [f"removed {', '.join(removed)}"] if removed else []
        )
        reason = "Measures " + "; ".join(words) if words else "Measures reordered"
        scorecard._change_reason = reason if len(reason) <= 100 else reason[:99] + "…"
        ScorecardMeasure.objects.filter(scorecard=scorecard).delete()
        ScorecardMeasure.objects.bulk_create(
            ScorecardMeasure(scorecard=scorecard, indicator=indicator, position=n)
            for n, indicator in enumerate(chosen, start=1)
        )
        save_as(scorecard, by)
    return scorecard


# Good news stories (the performance team writes, publishes and withdraws them)


def good_news_save(
    *,
    story: GoodNewsStory | None = None,
    title: str,
    text: str,
    date: datetime.date,
    indicator=None,
    priority=None,
    by,
    expected_version: int | None = None,
) -> GoodNewsStory:
    """Write a story (unpublished) or change one; a published story changes on the public pages at once."""
    if not is_performance_team(by):
        raise ValidationError("Only the performance team writes good news stories.")
    errors = {}
    if not title.strip():
        errors["title"] = "Enter the story's headline."
    if not text.strip():
        errors["text"] = "Write the story, in plain English for residents."
    if date is None:
        errors["date"] = "Enter the date of the good news."
    elif date > timezone.localdate():
        errors["date"] = "The date of the good news cannot be in the future."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if story is None:
            story = GoodNewsStory()
        else:
            story = GoodNewsStory.objects.select_for_update().get(pk=story.pk)
            check_version(story, expected_version)
        story.title, story.text, story.date = title.strip(), text.strip(), date
        story.indicator, story.priority = indicator, priority
        save_as(story, by)
    return story


def good_news_publish(*, story: GoodNewsStory, publish: bool, by) -> GoodNewsStory:
    """Publish a story on the public pages, or withdraw it from them."""
    if not is_performance_team(by):
        raise ValidationError("Only the performance team publishes good news stories.")
    with transaction.atomic():
        story = GoodNewsStory.objects.select_for_update().get(pk=story.pk)
        if story.is_published == publish:
            raise ValidationError(f"“{story.title}” is already {'published' if publish else 'withdrawn'}.")
        story.is_published = publish
        story._change_reason = "Published" if publish else "Withdrawn"
        save_as(story, by)
    return story
