"""Writes for meetings, packs, actions, budget monitoring and the complaints log."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from indicators.models import Frequency, Period
from indicators.services import ConflictError
from outbox.services import email_queue

from . import packs
from .models import Action, ActionStatus, ActionUpdate, BudgetLine, Meeting, PackSnapshot


@transaction.atomic
def pack_publish(*, meeting: Meeting, by, today: datetime.date | None = None) -> PackSnapshot:
    """Freeze the meeting's pack as it stands and email every attendee that it is published."""
    today = today or timezone.localdate()
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if PackSnapshot.objects.filter(meeting=meeting).exists():
        raise ValidationError("This pack has already been published.")
    snapshot = PackSnapshot.objects.create(
        meeting=meeting, published_at=timezone.now(), published_by=by, data=packs.pack(meeting, today=today)
    )
    link = reverse("reviews:meeting", args=[meeting.pk])
    for attendee in meeting.attendees.exclude(email=""):
        email_queue(
            to=attendee.email,
            subject=f"Papers published: {meeting.title}",
            body=(
                f"The pack for {meeting.title} on {meeting.date:%d %B %Y} "
                f"(period under review {meeting.period.label}) is published.\n\n{link}\n"
            ),
            key=f"pack-published:{meeting.pk}:{attendee.pk}",
        )
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
) -> Action:
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
    if not any((meeting, indicator, milestone, priority)):
        raise ValidationError("An action is raised at a meeting or against an indicator, milestone or priority.")
    action._history_user = by
    action.save()
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
) -> Action:
    """Record a dated progress update and the action's status; closing it dates the closure."""
    today = today or timezone.localdate()
    action = Action.objects.select_for_update().get(pk=action.pk)
    if expected_version is not None and action.version != expected_version:
        raise ConflictError(action)
    if status == ActionStatus.DROPPED and not dropped_reason.strip():
        raise ValidationError({"dropped_reason": "Say why the action is dropped."})
    action.status = status
    action.dropped_reason = dropped_reason.strip() if status == ActionStatus.DROPPED else ""
    action.closed_on = None if action.is_open else (action.closed_on or today)
    action.version += 1
    action._history_user = by
    action.save()
    if text.strip():
        ActionUpdate.objects.create(action=action, date=today, text=text.strip(), by=by)
    return action


def overdue_actions_remind(*, today: datetime.date | None = None) -> int:
    """Email each owner of overdue actions one list of them; a re-run the same day sends nothing
    more (the email's key names the owner and the day). Returns the number of emails queued."""
    today = today or timezone.localdate()
    by_owner = defaultdict(list)
    for action in Action.objects.overdue(today).select_related("owner").order_by("owner", "due", "pk"):
        by_owner[action.owner].append(action)
    sent = 0
    link = reverse("reviews:my-actions")
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
