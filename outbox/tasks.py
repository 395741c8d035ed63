import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import DatabaseError, transaction
from django.utils import timezone

from .models import Email

logger = logging.getLogger(__name__)


def _deliver(pk: int) -> bool:
    """Send one email unless it is sent already or another worker is sending it."""
    failure = None
    with transaction.atomic():
        email = Email.objects.select_for_update(skip_locked=True).filter(pk=pk, sent_at__isnull=True).first()
        if email is None:
            return False
        try:
            send_mail(email.subject, email.body, None, [email.to])
        except OSError as error:
            failure = error
        Email.objects.filter(pk=pk).update(
            attempts=email.attempts + 1,
            sent_at=None if failure else timezone.now(),
            last_error=str(failure)[:300] if failure else "",
        )
    if failure:
        raise failure
    return True


# Not safe to run twice: a worker lost after the mail server took the email but before
# sent_at was saved would send it again. Acknowledged on receipt (acks_late=False): if its
# worker is lost, the sweep sends what is still unsent.
@shared_task(
    acks_late=False, autoretry_for=(OSError, DatabaseError), retry_backoff=True, retry_backoff_max=600, max_retries=8
)
def deliver_email(pk: int) -> bool:
    return _deliver(pk)


# The sweep itself: acknowledged on receipt, for the same reason; it runs again on schedule.
@shared_task(acks_late=False, autoretry_for=(DatabaseError,), retry_backoff=True, retry_backoff_max=600, max_retries=3)
def deliver_pending_emails() -> int:
    """Send every email left unsent (queued while Redis was down, or failed): the sweep."""
    # An unsent email older than this was not queued (or its worker died); newer ones are
    # most likely on their way.
    after = datetime.timedelta(seconds=settings.PMIS_EMAIL_SWEEP_AFTER_SECONDS)
    due = Email.objects.filter(sent_at__isnull=True, created_at__lt=timezone.now() - after)
    sent = 0
    for pk in due.order_by("created_at").values_list("pk", flat=True)[:500]:
        try:
            sent += _deliver(pk)
        except OSError:
            logger.warning("Email %s could not be sent; will try again", pk, exc_info=True)
    return sent
