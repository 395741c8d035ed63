"""Reminders about returns, sent by the scheduled jobs in indicators.tasks.

Each person gets one email listing their returns, from the indicator's responsible
officer or, without one, its service manager. Every reminder has a key (outbox.Email.key),
so running a job twice sends nothing more.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.urls import reverse

from .models import Indicator, Outturn, OutturnState, Period
from .notifications import notify
from .periods import add_working_days

DONE = (OutturnState.SUBMITTED, OutturnState.VALIDATED)


def _outstanding(periods: list[Period]) -> dict:
    """{person: [(indicator, period), ...]} of returns not yet submitted (three queries)."""
    if not periods:
        return {}
    by_frequency = defaultdict(list)
    for period in periods:
        by_frequency[period.frequency].append(period)
    indicators = (
        Indicator.objects.collected()
        .filter(frequency__in=by_frequency)
        .select_related("responsible_officer", "service__manager", "collected_from", "retired_after")
        .order_by("code")
    )
    done = set(Outturn.objects.filter(period__in=periods, state__in=DONE).values_list("indicator_id", "period_id"))
    owed = defaultdict(list)
    for indicator in indicators:
        person = indicator.responsible_officer or (indicator.service.manager if indicator.service else None)
        if person is None or not person.is_active:
            continue
        for period in by_frequency[indicator.frequency]:
            if (indicator.pk, period.pk) not in done and indicator.collects(period):
                owed[person].append((indicator, period))
    return owed


def _lines(returns) -> list[str]:
    return [
        f"- {indicator.code} {indicator.title}: {period}, due {period.due:%-d %B %Y}" for indicator, period in returns
    ]


def remind_overdue(today: datetime.date) -> int:
    """Email each person whose returns are overdue (due in the last PMIS_OVERDUE_REMINDER_DAYS days,
    period not locked), once a day. Returns the number of emails queued."""
    since = today - datetime.timedelta(days=settings.PMIS_OVERDUE_REMINDER_DAYS)
    periods = list(Period.objects.overdue_on(today).filter(due__gte=since, locked_at__isnull=True))
    sent = 0
    for person, returns in _outstanding(periods).items():
        sent += notify(
            person,
            f"{len(returns)} overdue return{'s' if len(returns) != 1 else ''}",
            ["These returns are overdue:", "\n".join(_lines(returns)), "Please enter and submit them:"],
            reverse("indicators:my-returns"),
            key=f"returns-overdue:{person.pk}:{today.isoformat()}",
        )
    return sent


def remind_due(today: datetime.date) -> int:
    """Email each person with returns due in PMIS_REMINDER_WORKING_DAYS working days, once per period."""
    due = add_working_days(today, settings.PMIS_REMINDER_WORKING_DAYS)
    # From a weekend or bank holiday, the due date is counted from the next working day, so
    # a period's reminder can fall on several days in a row: the key sends it once.
    periods = list(Period.objects.filter(due__gt=today, due__lte=due, locked_at__isnull=True))
    sent = 0
    for person, returns in _outstanding(periods).items():
        for period in sorted({period for _, period in returns}, key=lambda p: p.due):
            mine = [item for item in returns if item[1] == period]
            sent += notify(
                person,
                f"{len(mine)} return{'s' if len(mine) != 1 else ''} for {period} due {period.due:%-d %B}",
                [f"These returns are due by {period.due:%-d %B %Y}:", "\n".join(_lines(mine))],
                reverse("indicators:my-returns"),
                key=f"returns-due:{person.pk}:{period.pk}",
            )
    return sent
