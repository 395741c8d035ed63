"""Return reminders: one email per person listing their returns, never twice for the same day
(overdue) or period (due soon), counted in England and Wales working days."""

import datetime
from decimal import Decimal as D

import pytest

from indicators import reminders, services
from indicators.models import Period
from indicators.tasks import send_return_reminders
from outbox.models import Email
from tests.indicators.factories import IndicatorFactory, period
from tests.organisation.factories import ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db


def due_on(label: str, day: datetime.date) -> Period:
    found = period(label)
    found.due = day
    found.save()
    return found


def test_overdue_returns_are_listed_once_a_day_to_the_responsible_officer():
    officer = UserFactory(email="olly@example.org")
    IndicatorFactory(code="LATE1", title="Bins collected", responsible_officer=officer)
    done = IndicatorFactory(code="DONE1", responsible_officer=officer)
    quarter = due_on("2025/26 Q2", datetime.date(2025, 11, 3))
    submitted = services.outturn_record(indicator=done, period=quarter, value=D("5"), by=officer)
    services.outturn_submit(outturn=submitted, by=officer)

    today = datetime.date(2025, 11, 4)
    assert reminders.remind_overdue(today) == 1
    (email,) = Email.objects.all()
    assert email.to == "olly@example.org" and "1 overdue return" in email.subject
    assert "LATE1 Bins collected: 2025/26 Q2, due 3 November 2025" in email.body and "DONE1" not in email.body

    assert reminders.remind_overdue(today) == 0  # a re-run the same day sends nothing
    assert reminders.remind_overdue(today + datetime.timedelta(days=1)) == 1  # the next day, again


def test_a_draft_still_counts_as_outstanding_and_a_locked_or_old_period_does_not():
    officer = UserFactory()
    indicator = IndicatorFactory(responsible_officer=officer)
    quarter = due_on("2025/26 Q2", datetime.date(2025, 11, 3))
    services.outturn_record(indicator=indicator, period=quarter, value=D("5"), by=officer)  # draft only
    assert reminders.remind_overdue(datetime.date(2025, 11, 4)) == 1

    quarter.locked_at = datetime.datetime(2025, 11, 5, tzinfo=datetime.UTC)
    quarter.save()
    assert reminders.remind_overdue(datetime.date(2025, 11, 6)) == 0
    quarter.locked_at = None
    quarter.save()
    assert reminders.remind_overdue(datetime.date(2026, 6, 1)) == 0  # due more than 90 days ago


def test_without_a_responsible_officer_the_service_manager_is_reminded():
    manager = UserFactory(email="mary@example.org")
    IndicatorFactory(service=ServiceFactory(manager=manager), responsible_officer=None)
    due_on("2025/26 Q2", datetime.date(2025, 11, 3))
    assert reminders.remind_overdue(datetime.date(2025, 11, 4)) == 1
    assert Email.objects.get().to == "mary@example.org"


def test_nobody_to_remind_sends_nothing():
    IndicatorFactory(service=ServiceFactory(manager=None), responsible_officer=None)
    IndicatorFactory(responsible_officer=UserFactory(email=""))
    IndicatorFactory(responsible_officer=UserFactory(is_active=False))
    due_on("2025/26 Q2", datetime.date(2025, 11, 3))
    assert reminders.remind_overdue(datetime.date(2025, 11, 4)) == 0
    assert not Email.objects.exists()


def test_due_soon_counts_working_days_across_christmas_and_reminds_once_per_period(settings):
    settings.PMIS_REMINDER_WORKING_DAYS = 3
    officer = UserFactory()
    IndicatorFactory(code="M1", responsible_officer=officer, frequency="month")
    # Wednesday 23 December 2026: the next three working days are Thursday 24, then (after
    # Christmas Day, the weekend and the Boxing Day holiday on Monday 28) Tuesday 29 and
    # Wednesday 30 December.
    due_on("2026/27 Nov", datetime.date(2026, 12, 30))

    assert reminders.remind_due(datetime.date(2026, 12, 22)) == 0  # four working days ahead
    assert reminders.remind_due(datetime.date(2026, 12, 23)) == 1
    assert "2026/27 Nov due 30 December" in Email.objects.get().subject
    assert reminders.remind_due(datetime.date(2026, 12, 24)) == 0  # once per period


def test_the_daily_job_sends_both_kinds():
    officer = UserFactory()
    IndicatorFactory(responsible_officer=officer, frequency="quarter")
    IndicatorFactory(responsible_officer=officer, frequency="month")
    due_on("2025/26 Q2", datetime.date(2025, 10, 1))  # long overdue: left to the performance team
    today = datetime.date.today()
    due_on("2025/26 Oct", today - datetime.timedelta(days=1))
    due_on("2025/26 Nov", today + datetime.timedelta(days=1))
    assert send_return_reminders.delay().get() == 2
    assert send_return_reminders.delay().get() == 0
