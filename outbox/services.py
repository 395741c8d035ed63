"""Emails written with the change they tell of, so that none is lost while Redis or the mail
server is down: the sweep (outbox.tasks.deliver_pending_emails) sends what is left."""

from django.conf import settings
from django.db import IntegrityError, transaction

from pmis.queue import enqueue_after_commit

from .models import Email


def absolute(path: str) -> str:
    """An address in PMIS for an email: the installation's address (PMIS_BASE_URL) and path."""
    return settings.PMIS_BASE_URL + path


def email_queue(*, to: str, subject: str, body: str, key: str | None = None) -> Email | None:
    """Write an email to send once the current transaction commits.

    Call it inside the transaction of the change the email tells of, so that the email is
    written if and only if the change is.

    With a key, an email with the same key is never queued twice (reminders re-run safely);
    returns None when it already was.
    """
    try:
        with transaction.atomic():
            email = Email.objects.create(to=to, subject=subject, body=body, key=key)
    except IntegrityError:
        if key is None or not Email.objects.filter(key=key).exists():
            raise
        return None
    enqueue_after_commit("outbox.tasks.deliver_email", email.pk)
    return email
