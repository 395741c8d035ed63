"""The demo's review cycle as the councils run it (issue 21): for the last quarter reviewed,
a Performance Review Team for each service of the first portfolios and a check-in between
each portfolio holder and the head of a service, each with its summary of key issues and a
pack published on time; remedial action plans for most Red indicators (a few left without,
so that they show as exceptions); and the corporate PRT's pack gathering every PRT."""

import datetime

from django.utils import timezone

from indicators import periods, rag
from indicators.models import Indicator
from organisation.models import Portfolio, Role
from reviews import pack_sections, packs, scorecards, services
from reviews.models import Meeting, MeetingKind, PackSnapshot

# Every this-many-th Red indicator is left without a plan (flagged as an exception).
WITHOUT_PLAN_EVERY = 5
# Service PRTs for the services of this many portfolios (the others review by portfolio).
SERVICE_PRT_PORTFOLIOS = 2

STEPS = [
    ("Find the cause with the team and agree the fix", 14),
    ("Put the fix in place and check the first month's figures", 45),
    ("Report progress to the Performance Review Team", 80),
]


def _at(day: datetime.date, today: datetime.date, hour: int = 10) -> datetime.datetime:
    day = min(day, today - datetime.timedelta(days=1))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def review_cycle_load(people, today: datetime.date) -> None:
    performance = next(iter(people[Role.PERFORMANCE_TEAM].values()))
    corporate = (
        Meeting.objects.filter(kind=MeetingKind.CORPORATE_PRT, date__lt=today)
        .select_related("period")
        .order_by("-date")
        .first()
    )
    if corporate is None:
        return
    quarter = corporate.period
    _action_plans(quarter, performance, today)
    for index, portfolio in enumerate(Portfolio.objects.order_by("code").prefetch_related("services")):
        for number, service in enumerate(portfolio.services.order_by("code")):
            head = service.manager or performance
            attendees = [person for person in (portfolio.holder, head, performance) if person]
            if number == 0:
                check_in = services.meeting_arrange(
                    kind=MeetingKind.CHECK_IN,
                    title=f"{portfolio.name} check-in with the head of {service.name}, {quarter.label}",
                    date=quarter.end + datetime.timedelta(days=20),
                    period=quarter,
                    service=service,
                    portfolio=portfolio,
                    chair=portfolio.holder,
                    attendees=attendees,
                    by=performance,
                )
                _publish(check_in, performance, today)
            if index < SERVICE_PRT_PORTFOLIOS:
                meeting = services.meeting_arrange(
                    kind=MeetingKind.SERVICE_PRT,
                    title=f"{service.name} Performance Review Team, {quarter.label}",
                    date=quarter.end + datetime.timedelta(days=35 + number),
                    period=quarter,
                    service=service,
                    chair=portfolio.holder,
                    attendees=attendees,
                    by=performance,
                )
                _publish(meeting, performance, today)
                _summarise(meeting, performance)
    for meeting in Meeting.objects.filter(kind=MeetingKind.PORTFOLIO_PRT, period=quarter).select_related("portfolio"):
        _summarise(meeting, performance)
    # The corporate PRT's pack, as published, gathers every PRT of the cycle.
    snapshot = corporate.snapshots.order_by("-version").first()
    if snapshot is not None:
        snapshot.data = packs.pack(corporate, today=min(timezone.localdate(snapshot.published_at), today))
        snapshot.save(update_fields=["data"])


def _publish(meeting: Meeting, by, today: datetime.date) -> None:
    publish = periods.working_days_before(meeting.date, 6)
    if publish >= today:
        return
    PackSnapshot.objects.create(
        meeting=meeting, published_at=_at(publish, today, 9), published_by=by, data=packs.pack(meeting, today=publish)
    )


def _summarise(meeting: Meeting, by) -> None:
    pack = packs.pack(meeting, today=meeting.date)
    reds = [row for row in pack["exceptions"] if row["status"] == rag.RED]
    without = pack["reds_without_plan"]
    lines = [
        f"{len(reds)} Red indicator{'s' if len(reds) != 1 else ''}"
        + (f", the worst {reds[0]['code']} {reds[0]['title']}." if reds else "."),
        f"{len(without)} Red without an action plan: the service to record one before the next meeting."
        if without
        else "Every Red indicator has an action plan.",
        "Budget on track; complaints answered within the target time in most cases.",
    ]
    services.meeting_summary_record(meeting=meeting, summary=" ".join(lines), by=by)


def _action_plans(quarter, performance, today: datetime.date) -> None:
    report = scorecards.exceptions(Indicator.objects.collected().order_by("code"), quarter, today=today)
    red_ids = [row.indicator.pk for row in report.red_and_amber if row.status == rag.RED]
    red = Indicator.objects.filter(pk__in=red_ids).select_related("responsible_officer", "service__manager")
    following = list(
        type(quarter).objects.filter(frequency=quarter.frequency, start__gt=quarter.end).order_by("start")[:2]
    )
    if not following:
        return
    recover_by = following[-1]
    raised = quarter.end + datetime.timedelta(days=25)
    for number, indicator in enumerate(red.order_by("code")):
        if number % WITHOUT_PLAN_EVERY == WITHOUT_PLAN_EVERY - 1:
            continue
        owner = indicator.service.manager if indicator.service_id and indicator.service.manager else performance
        action = services.action_plan_record(
            indicator=indicator,
            description=f"Bring {indicator.title.lower()} back on target",
            owner=owner,
            due=raised + datetime.timedelta(days=90),
            recover_by=recover_by,
            steps=[(text, raised + datetime.timedelta(days=days)) for text, days in STEPS],
            by=indicator.responsible_officer or owner,
        )
        update_on = raised + datetime.timedelta(days=20)
        if update_on < today:
            first = action.steps.order_by("due").first()
            services.action_update(
                action=action,
                by=owner,
                status="in_progress",
                text="Cause found and the fix agreed with the team; first month's figures due next.",
                steps_done=[first.pk],
                today=update_on,
            )


def pack_sections_freeze(today: datetime.date) -> None:
    """Once the risk registers are loaded (after the review cycle, whose action plans they
    link), the published packs keep the sections apps above add (the scope's risks above
    appetite or rising), as publishing them would have."""
    for snapshot in PackSnapshot.objects.select_related("meeting"):
        meeting = snapshot.meeting
        if meeting.kind == MeetingKind.SURGERY:
            continue
        published = min(timezone.localdate(snapshot.published_at), today)
        snapshot.data["sections"] = pack_sections.build(packs.section_scope(meeting, published))
        snapshot.save(update_fields=["data"])
