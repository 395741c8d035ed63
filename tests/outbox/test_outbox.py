"""Emails are written with the change they tell of, so nothing is lost while Redis or the mail
server is down; the sweep sends what is left; a reminder's key makes it go once."""

import datetime
from decimal import Decimal as D

import pytest
import time_machine
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from indicators import services
from indicators.models import Rating
from outbox.models import Email
from outbox.services import email_queue
from outbox.tasks import deliver_email, deliver_pending_emails
from pmis.celery import app as celery_app
from tests.indicators.factories import IndicatorFactory, period
from tests.organisation.factories import UserFactory

pytestmark = pytest.mark.django_db

# Nothing listens here: the mail server is really unreachable.
SMTP_DOWN = override_settings(
    MAILERS={
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 1},
        }
    }
)


def returned_outturn(officer):
    indicator = IndicatorFactory()
    outturn = services.outturn_record(indicator=indicator, period=period("2025/26 Q1"), value=D("50"), by=officer)
    return services.outturn_submit(outturn=outturn, by=officer)


def test_a_change_is_saved_while_redis_is_down_and_its_email_sent_later(
    broker_down, django_capture_on_commit_callbacks, caplog
):
    officer = UserFactory(email="olly@example.org")
    team = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        outturn = services.outturn_return(outturn=returned_outturn(officer), by=team, comment="Check the figure")

    outturn.refresh_from_db()
    assert outturn.state == "returned"  # the change stands
    email = Email.objects.get()
    assert email.to == "olly@example.org" and email.sent_at is None
    assert "Could not queue" in caplog.text
    assert not mail.outbox

    # Redis is back; the scheduled sweep sends what waited (run here in-process).
    celery_app.conf.task_always_eager = True
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5)):
        assert deliver_pending_emails.delay().get() == 1
    email.refresh_from_db()
    assert email.sent_at is not None and email.attempts == 1
    assert mail.outbox[0].to == ["olly@example.org"] and "Check the figure" in mail.outbox[0].body


def test_a_new_tolerance_is_recorded_while_redis_is_down_and_applied_by_the_nightly_check(
    broker_down, django_capture_on_commit_callbacks
):
    from indicators.tasks import ratings_check

    indicator = IndicatorFactory()
    services.target_set(indicator=indicator, period=period("2025/26 Q1"), value=D("100"), rationale="", by=None)
    services.outturn_record(indicator=indicator, period=period("2025/26 Q1"), value=D("96"), by=None)
    assert Rating.objects.get().rag == "amber"  # 96 misses 100 by less than 5%

    with django_capture_on_commit_callbacks(execute=True):
        services.tolerance_policy_create(
            tolerance=D("0.02"), reason="Cabinet decision", effective_from=period("2025/26 Q1"), by=UserFactory()
        )
    assert Rating.objects.get().rag == "amber"  # the re-rating could not be queued

    celery_app.conf.task_always_eager = True
    assert ratings_check.delay().get() == 1
    assert Rating.objects.get().rag == "red"  # 96 misses 100 by more than 2%
    assert ratings_check.delay().get() == 0  # nothing left to do


@SMTP_DOWN
def test_a_mail_server_failure_is_recorded_and_retried_by_the_sweep(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = email_queue(to="olly@example.org", subject="Hello", body="Body")
    with pytest.raises(OSError):
        deliver_email.run(email.pk)
    email.refresh_from_db()
    assert email.sent_at is None and email.attempts == 1 and email.last_error

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5)):
        assert deliver_pending_emails.run() == 0  # still down: logged, kept for the next sweep
    email.refresh_from_db()
    assert email.attempts == 2 and email.sent_at is None
    assert len(callbacks) == 1


def test_the_sweep_leaves_new_and_sent_emails_alone(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        waiting = email_queue(to="a@example.org", subject="Waiting", body="")
        just_queued = email_queue(to="b@example.org", subject="Just queued", body="")
    Email.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=10))

    assert deliver_pending_emails.run() == 1
    assert [m.subject for m in mail.outbox] == ["Waiting"]
    assert deliver_pending_emails.run() == 0  # a sent email is never sent again
    assert not deliver_email.run(waiting.pk)
    just_queued.refresh_from_db()
    assert just_queued.sent_at is None


def test_an_email_with_a_key_is_queued_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = email_queue(to="a@example.org", subject="Reminder", body="", key="returns-due:1:2")
        again = email_queue(to="a@example.org", subject="Reminder", body="", key="returns-due:1:2")
    assert first is not None and again is None
    assert Email.objects.count() == 1 and len(mail.outbox) == 1
