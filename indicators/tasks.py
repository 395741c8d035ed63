import datetime
import logging

from django.utils import timezone

from pmis.queue import repeatable_task

from . import ratings, reminders
from .models import Rating, TolerancePolicy

logger = logging.getLogger(__name__)


# Safe to run twice: re-rating gives the same ratings.
@repeatable_task(max_retries=8)
def recalculate_ratings_for_policy(policy_id: int) -> int:
    """Re-rate every outturn from the policy's effective period onwards."""
    policy = TolerancePolicy.objects.select_related("effective_from").filter(pk=policy_id).first()
    if policy is None:
        logger.warning("Tolerance policy %s no longer exists; nothing to recalculate", policy_id)
        return 0
    written = ratings.ratings_recalculate(since=policy.since)
    logger.info("Re-rated %s outturns from %s for tolerance policy %s", written, policy.effective_from_label, policy_id)
    return written


# Safe to run twice: re-rating gives the same ratings.
@repeatable_task(max_retries=8)
def ratings_check() -> int:
    """Nightly: re-rate from any tolerance policy whose re-rating never ran.

    A policy's re-rating is queued when it is recorded; if Redis was down then, or the
    worker died, ratings in its periods are older than the policy. Idempotent: once they
    are re-rated there is nothing to do.
    """
    stale = [
        policy
        for policy in reversed(list(TolerancePolicy.objects.timeline()))
        if Rating.objects.filter(
            outturn__period__start__gte=policy.since or datetime.date.min,
            outturn__indicator__tolerance__isnull=True,
            rated_at__lt=policy.created_at,
        ).exists()
    ]
    if not stale:
        return 0
    written = ratings.ratings_recalculate(since=stale[0].since)
    logger.info("Nightly check re-rated %s outturns from %s", written, stale[0].effective_from_label)
    return written


# Safe to run twice: each reminder's key sends it once.
@repeatable_task(max_retries=3)
def send_return_reminders() -> int:
    """Daily: remind people of overdue returns and of returns due soon (idempotent)."""
    today = timezone.localdate()
    return reminders.remind_overdue(today) + reminders.remind_due(today)
