import logging

from celery import shared_task
from django.core.mail import send_mail
from django.db import DatabaseError

from . import services
from .models import TolerancePolicy

logger = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def recalculate_ratings_for_policy(policy_id: int) -> int:
    """Re-rate every outturn from the policy's effective period onwards."""
    policy = TolerancePolicy.objects.select_related("effective_from").filter(pk=policy_id).first()
    if policy is None:
        logger.warning("Tolerance policy %s no longer exists; nothing to recalculate", policy_id)
        return 0
    written = services.ratings_recalculate(since=policy.effective_from.start)
    logger.info("Re-rated %s outturns from %s for tolerance policy %s", written, policy.effective_from, policy_id)
    return written


@shared_task(autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, max_retries=8)
def send_notification(address: str, subject: str, body: str) -> None:
    send_mail(subject, body, None, [address])
