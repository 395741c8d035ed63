"""The demo's review cycle as the councils run it (issue 21): for the last quarter whose cycle
is complete, a Performance Review Team for each service of the first portfolios and a check-in
between each portfolio holder and the head of a service, on working days before the portfolio
PRTs (demo/cycle.py publishes their packs and records their summaries); and remedial action
plans for most Red indicators (a few left without, so that they show as exceptions), due
before the portfolio PRT that will review them."""

import datetime
from collections.abc import Callable

from django.utils import timezone

from indicators import periods, rag
from indicators.models import Indicator, Period, Rating
from organisation.models import Portfolio, Role
from reviews import scorecards, services
from reviews.models import Action, Meeting, MeetingKind

from .cycle import (
    CHECK_INS_FROM,
    PLANS_RECORDED,
    SERVICE_PRTS_FROM,
    latest_complete_cycle,
    lower_first,
    publish_day,
    working_day,
)

# Every this-many-th Red indicator is left without a plan (flagged as an exception).
WITHOUT_PLAN_EVERY = 5
# Service PRTs for the services of this many portfolios (the others review by portfolio).
SERVICE_PRT_PORTFOLIOS = 2

# The steps of a remedial plan: what, and how many working days after it is raised.
STEPS = [
    ("Find the cause with the team and agree the fix", 8),
    ("Put the fix in place and check the first month's figures", 30),
]
REPORT_STEP = "Report progress to the portfolio Performance Review Team"


def review_cycle_load(people, today: datetime.date) -> list[tuple[datetime.date, Callable[[], None]]]:
    """Arrange the cycle's check-ins and service PRTs; return the dated steps that record and
    update the action plans, for demo/cycle.py to run in date order with the packs."""
    performance = next(iter(people[Role.PERFORMANCE_TEAM].values()))
    quarter = latest_complete_cycle(today)
    if quarter is None:
        return []
    service_prts = 0
    for index, portfolio in enumerate(Portfolio.objects.order_by("code").prefetch_related("services")):
        for number, service in enumerate(portfolio.services.order_by("code")):
            head = service.manager or performance
            attendees = [person for person in (portfolio.holder, head, performance) if person]
            if number == 0:
                services.meeting_arrange(
                    kind=MeetingKind.CHECK_IN,
                    title=f"{portfolio.name} check-in with the head of {service.name}, {quarter.label}",
                    date=working_day(quarter, CHECK_INS_FROM + index // 2),
                    period=quarter,
                    service=service,
                    portfolio=portfolio,
                    chair=portfolio.holder,
                    attendees=attendees,
                    by=performance,
                )
            if index < SERVICE_PRT_PORTFOLIOS:
                services.meeting_arrange(
                    kind=MeetingKind.SERVICE_PRT,
                    title=f"{service.name} Performance Review Team, {quarter.label}",
                    date=working_day(quarter, SERVICE_PRTS_FROM + service_prts),
                    period=quarter,
                    service=service,
                    chair=portfolio.holder,
                    attendees=[*attendees, *([service.directorate.director] if service.directorate.director else [])],
                    by=performance,
                )
                service_prts += 1
    return _action_plans(quarter, performance, today)


def _action_plans(quarter, performance, today: datetime.date) -> list[tuple[datetime.date, Callable[[], None]]]:
    report = scorecards.exceptions(Indicator.objects.collected().order_by("code"), quarter, today=today)
    red_ids = [row.indicator.pk for row in report.red_and_amber if row.status == rag.RED]
    red = Indicator.objects.filter(pk__in=red_ids).select_related("responsible_officer", "service__manager")
    following = list(Period.objects.filter(frequency=quarter.frequency, start__gt=quarter.end).order_by("start")[:2])
    if not following:
        return []
    recover_by = following[-1]
    # Recorded the day after the returns were due, so every pack of the cycle shows them.
    raised = working_day(quarter, PLANS_RECORDED)
    update_on = periods.add_working_days(raised, 12)
    made = []

    def record():
        for number, indicator in enumerate(red.order_by("code")):
            if number % WITHOUT_PLAN_EVERY == WITHOUT_PLAN_EVERY - 1:
                continue
            # Reviewed at the portfolio's PRT on the next quarter: done before its pack goes out.
            review = Meeting.objects.filter(
                kind=MeetingKind.PORTFOLIO_PRT, portfolio=indicator.portfolio_id, period=following[0]
            ).first()
            due = periods.add_working_days(raised, 60)
            if review:
                due = periods.working_days_before(publish_day(review), 1)
            owner = indicator.service.manager if indicator.service_id and indicator.service.manager else performance
            steps = [(text, periods.add_working_days(raised, days)) for text, days in STEPS] + [(REPORT_STEP, due)]
            made.append(
                services.action_plan_record(
                    indicator=indicator,
                    description=f"Bring {lower_first(indicator.title)} back on target",
                    owner=owner,
                    due=due,
                    recover_by=recover_by,
                    steps=steps,
                    by=indicator.responsible_officer or owner,
                )
            )
            Action.objects.filter(pk=made[-1].pk).update(raised_at=_at(raised))

    def update():
        for action in made:
            first = action.steps.order_by("due").first()
            services.action_update(
                action=action,
                by=action.owner,
                status="in_progress",
                text="Cause found and the fix agreed with the team; first month's figures due next.",
                steps_done=[first.pk],
                today=update_on,
            )

    def review(day):
        """At each plan's due date, before the next PRT's pack: closed if the figure recovered."""
        for action in made:
            if action.due != day:
                continue
            latest = (
                Rating.objects.filter(outturn__indicator=action.indicator, outturn__period__end__lte=following[0].end)
                .exclude(outturn__value__isnull=True)
                .select_related("outturn__period")
                .order_by("-outturn__period__end")
                .first()
            )
            steps = list(action.steps.order_by("due"))
            if latest is not None and latest.outturn.period.end > quarter.end and latest.rag != rag.RED:
                figure = action.indicator.format_value(latest.actual)
                services.action_update(
                    action=action,
                    by=action.owner,
                    status="done",
                    text=f"Back out of Red in {latest.outturn.period.label} ({figure}); plan closed.",
                    steps_done=[step.pk for step in steps],
                    today=day,
                )
            else:
                services.action_update(
                    action=action,
                    by=action.owner,
                    status="in_progress",
                    text="The fix is in place but the figure is still Red; more help to be agreed at the PRT.",
                    steps_done=[step.pk for step in steps[:2]],
                    today=day,
                )

    dues = set()
    for indicator in red:
        review_at = Meeting.objects.filter(
            kind=MeetingKind.PORTFOLIO_PRT, portfolio=indicator.portfolio_id, period=following[0]
        ).first()
        if review_at:
            dues.add(periods.working_days_before(publish_day(review_at), 1))
    reviews = [(day, lambda day=day: review(day)) for day in sorted(dues) if day < today]
    return [(raised, record)] + ([(update_on, update)] if update_on < today else []) + reviews


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(15)))
