"""Remedial action plans are updated each quarter: once a quarter has ended, each open plan
raised by then needs a progress update dated after its end. Which plans await that update
(for home pages), and chasing their owners by email once a week (the daily
`reviews.tasks.remind_plan_updates`, CELERY_BEAT_SCHEDULE "plan-updates")."""

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from indicators.models import Frequency, Period
from outbox.services import absolute, email_queue

from .models import Action


def quarter_to_update(today: datetime.date) -> Period | None:
    """The latest quarter that has ended: the one whose progress plans report now."""
    return Period.objects.ended_on(today).filter(frequency=Frequency.QUARTER).first()


def awaiting_update(quarter: Period | None) -> QuerySet[Action]:
    """Open plans raised by the quarter's end with no progress update dated after it."""
    if quarter is None:
        return Action.objects.none()
    return (
        Action.objects.still_open()
        .filter(recover_by__isnull=False, raised_at__date__lte=quarter.end)
        .exclude(updates__date__gt=quarter.end)
    )


def _with_progress(plans: QuerySet[Action]) -> QuerySet[Action]:
    return plans.annotate(
        steps_total=Count("steps", distinct=True),
        steps_done=Count("steps", filter=Q(steps__done_on__isnull=False), distinct=True),
        last_update=Max("updates__date"),
    )


def plan_for(indicator_ids) -> dict[int, Action]:
    """Each indicator's open action plan due soonest, with steps_total, steps_done and
    last_update (one query), for the Red and Amber measures home pages list."""
    found: dict[int, Action] = {}
    plans = Action.objects.still_open().filter(recover_by__isnull=False, indicator_id__in=list(indicator_ids))
    for plan in _with_progress(plans).order_by("-due", "-pk"):
        found[plan.indicator_id] = plan
    return found


def plans_owned(user, today: datetime.date) -> tuple[Period | None, list[Action]]:
    """The user's open action plans with their progress, for the home page (two queries): the
    quarter plans report on now, and each plan (due date order) given steps_total, steps_done,
    last_update (the latest update's date, or None) and awaiting (no update since the quarter
    ended, though raised by then)."""
    quarter = quarter_to_update(today)
    plans = list(
        _with_progress(Action.objects.still_open().filter(owner=user, recover_by__isnull=False))
        .select_related("indicator", "recover_by")
        .order_by("due", "pk")
    )
    for plan in plans:
        raised = timezone.localdate(plan.raised_at)
        plan.awaiting = bool(
            quarter and raised <= quarter.end and (plan.last_update is None or plan.last_update <= quarter.end)
        )
    return quarter, plans


def plan_updates_remind(*, today: datetime.date | None = None) -> int:
    """Email each owner of plans awaiting the quarter's update one list of them, at most once
    a week (the email's key names the owner and the week, so a re-run sends nothing more).
    Returns the number of emails queued."""
    today = today or timezone.localdate()
    quarter = quarter_to_update(today)
    by_owner = defaultdict(list)
    for action in awaiting_update(quarter).select_related("owner", "indicator").order_by("owner", "due", "pk"):
        by_owner[action.owner].append(action)
    year, week, _ = today.isocalendar()
    sent = 0
    for owner, actions in by_owner.items():
        if not owner.email or not owner.is_active:
            continue
        lines = "\n".join(
            f"- {a.indicator.code} {a.indicator.title}: {a.description}\n"
            f"  {absolute(reverse('reviews:action', args=[a.pk]))}"
            for a in actions
        )
        count = len(actions)
        subject = ngettext(
            "%(count)d action plan needs its update for %(quarter)s",
            "%(count)d action plans need their update for %(quarter)s",
            count,
        ) % {"count": count, "quarter": quarter.label}
        with transaction.atomic():
            if email_queue(
                to=owner.email,
                subject=subject,
                body=(
                    f"{quarter.label} ended on {quarter.end:%-d %B %Y}. Record how each of these plans you own "
                    f"has progressed since, and tick the steps done, so that the next pack shows it:\n\n{lines}\n"
                ),
                key=f"plan-updates:{owner.pk}:{quarter.pk}:{year}-W{week:02d}",
            ):
                sent += 1
    return sent
