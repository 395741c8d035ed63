"""Emails written with the change they tell of, so that none is lost while Redis or the mail
server is down: the sweep (outbox.tasks.deliver_pending_emails) sends what is left."""

from django.db import IntegrityError, transaction

from pmis.queue import enqueue_after_commit

from .models import Email


def email_queue(*, to: str, subject: str, body: str, key: str | None = None) -> Email | None:
    """Write an email to send once the current transaction commits.

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
