"""Queue emails and background work so that a change never fails because Redis is down."""

import logging

from django.db import IntegrityError, transaction

from .models import Email

logger = logging.getLogger(__name__)


def enqueue(task, *args) -> None:
    """Queue a Celery task, or log and carry on when the broker cannot be reached.

    Call it after the change commits (transaction.on_commit): the work it starts must also
    be recoverable by a scheduled job (see CELERY_BEAT_SCHEDULE), which picks up anything
    that could not be queued.
    """
    try:
        task.delay(*args)
    except Exception:  # the broker's errors vary by transport; the change itself is saved
        logger.warning("Could not queue %s%r; the scheduled sweep will do it", task.name, args, exc_info=True)


def email_queue(*, to: str, subject: str, body: str, key: str | None = None) -> Email | None:
    """Write an email to send once the current transaction commits.

    With a key, an email with the same key is never queued twice (reminders re-run safely);
    returns None when it already was.
    """
    from .tasks import deliver_email

    try:
        with transaction.atomic():
            email = Email.objects.create(to=to, subject=subject, body=body, key=key)
    except IntegrityError:
        if key is None or not Email.objects.filter(key=key).exists():
            raise
        return None
    transaction.on_commit(lambda: enqueue(deliver_email, email.pk))
    return email
