"""The demo council's quarterly review calendar, its packs, actions and complaints log.

Every date is a working day in England (weekends and bank holidays skipped), counted in
working days from the end of the quarter under review: returns are due on the 15th working
day and checked in the week after; portfolio holders' check-ins and service PRTs follow; the
eight portfolio Performance Review Teams run every other working day from the 24th, so they
spread over three weeks and more; a performance surgery looks at the worst portfolio's Red indicators; the corporate PRT
closes the cycle, its pack published after the last PRT so that it gathers every PRT's summary
of key issues. Meetings are scheduled for every quarter from the start of last financial
year to the quarter under way. Each pack is published on time, six or seven working days
before its meeting, as the figures stood that day. Each portfolio PRT held agrees actions
about its own Red and Amber indicators, owned in the service that runs the indicator and due
before the next meeting, which reviews them.
"""

import datetime
import itertools
import random

from django.utils import timezone
from django.utils.translation import ngettext

from indicators import periods, rag
from indicators.models import Frequency, Indicator, Period, Rating
from organisation.models import Role, Service, User
from reviews import packs
from reviews import services as review_services
from reviews.models import (
    PRT_KINDS,
    Action,
    ActionStatus,
    ActionUpdate,
    Feedback,
    FeedbackKind,
    Meeting,
    MeetingKind,
    PackSnapshot,
)

# Working days after the end of the quarter.
PLANS_RECORDED = 16  # remedial plans for the quarter's Red figures
CHECK_INS_FROM = 19  # two a day
SERVICE_PRTS_FROM = 21  # one a day
PORTFOLIO_PRTS_FROM = 24  # one every PORTFOLIO_PRT_GAP working days, in catalogue order
PORTFOLIO_PRT_GAP = 2
SURGERY = 40
# After the last portfolio PRT, so that its pack gathers every PRT's summary of key issues.
CORPORATE_PRT = 46

# A complaint's response is due within this many working days of receipt.
COMPLAINT_WORKING_DAYS = 10


def working_day(quarter: Period, count: int) -> datetime.date:
    """The count-th working day after the quarter ended."""
    return periods.add_working_days(quarter.end, count)


def publish_day(meeting: Meeting) -> datetime.date:
    """When the demo's performance team publishes the pack: on time, 6 or 7 working days ahead."""
    return periods.working_days_before(meeting.date, 6 + sum(map(ord, meeting.title)) % 2)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def meetings_schedule(portfolios, people, today: datetime.date) -> None:
    """Each portfolio's PRT and the corporate PRT for every quarter from the start of last
    financial year to the one under way, with their attendees."""
    current = periods.financial_year(today)
    quarters = Period.objects.filter(frequency=Frequency.QUARTER, year__gte=current - 1, start__lte=today)
    performance = list(people[Role.PERFORMANCE_TEAM].values())
    leader = people[Role.PORTFOLIO_HOLDER].get("LEAD")
    directors = list(people[Role.CHIEF_OFFICER].values())
    managers = people[Role.SERVICE_MANAGER]
    for quarter in quarters.order_by("start"):
        for number, portfolio in enumerate(portfolios.values()):
            meeting = Meeting.objects.create(
                kind=MeetingKind.PORTFOLIO_PRT,
                title=f"{portfolio.name} Performance Review Team, {quarter.label}",
                date=working_day(quarter, PORTFOLIO_PRTS_FROM + PORTFOLIO_PRT_GAP * number),
                period=quarter,
                portfolio=portfolio,
                chair=portfolio.holder,
            )
            services = portfolio.services.order_by("code")
            heads = [managers[s.code] for s in services if s.code in managers]
            directorate_heads = {s.directorate.director for s in services if s.directorate.director}
            attendees = [portfolio.holder, *heads, *sorted(directorate_heads, key=lambda u: u.pk)]
            meeting.attendees.set([p for p in attendees if p] + performance[number % len(performance) :][:1])
        corporate = Meeting.objects.create(
            kind=MeetingKind.CORPORATE_PRT,
            title=f"Corporate Performance Review Team, {quarter.label}",
            date=working_day(quarter, CORPORATE_PRT),
            period=quarter,
            chair=leader,
        )
        corporate.attendees.set([p for p in [leader, *directors, *performance] if p])


def latest_complete_cycle(today: datetime.date) -> Period | None:
    """The last quarter whose corporate PRT has been held."""
    corporate = (
        Meeting.objects.filter(kind=MeetingKind.CORPORATE_PRT, date__lt=today)
        .select_related("period")
        .order_by("-date")
        .first()
    )
    return corporate.period if corporate else None


def surgery_arrange(people, today: datetime.date) -> Meeting | None:
    """A performance surgery on the Red indicators of the portfolio with most of them in the
    last complete cycle, chaired by its portfolio holder, between its PRTs and the corporate PRT."""
    quarter = latest_complete_cycle(today)
    if quarter is None:
        return None
    red = (
        Rating.objects.filter(
            rag=rag.RED, outturn__period=quarter, outturn__indicator__is_collected=True, outturn__value__isnull=False
        )
        .select_related("outturn__indicator__portfolio", "outturn__indicator__service")
        .order_by("outturn__indicator__code")
    )
    by_portfolio: dict[int, list[Indicator]] = {}
    for rating in red:
        indicator = rating.outturn.indicator
        by_portfolio.setdefault(indicator.portfolio_id, []).append(indicator)
    if not by_portfolio:
        return None
    examined = max(by_portfolio.values(), key=lambda found: (len(found), -found[0].portfolio_id))[:3]
    portfolio = examined[0].portfolio
    services = sorted({i.service for i in examined}, key=lambda s: s.code)
    performance = next(iter(people[Role.PERFORMANCE_TEAM].values()))
    attendees = [
        portfolio.holder,
        *(s.manager for s in services),
        *(i.responsible_officer for i in examined),
        *{s.directorate.director for s in services},
        performance,
        next(iter(people[Role.SCRUTINY_MEMBER].values()), None),
    ]
    titles = _and(lower_first(i.title) for i in examined)
    worst = examined[0]
    surgery = Meeting.objects.create(
        kind=MeetingKind.SURGERY,
        title=f"Performance surgery: {portfolio.name}, {quarter.label}",
        date=working_day(quarter, SURGERY),
        period=quarter,
        portfolio=portfolio,
        chair=portfolio.holder,
        action_plan=f"The heads of {_and(s.name for s in services)} set out what they are doing about "
        f"{titles}: weekly figures to the portfolio holder, and extra staff where the work has backed up.",
        discussion=f"The portfolio holder asked why {lower_first(worst.title)} fell below target and whether "
        "the fall was a blip or a trend; the data officer showed the last two years' figures against the limits.",
        outcome="Targets kept; each head of service brings progress to the next portfolio Performance Review Team.",
    )
    surgery.attendees.set(list(dict.fromkeys(p for p in attendees if p)))
    surgery.indicators.set(examined)
    return surgery


def _and(names) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def lower_first(text: str) -> str:
    """A title inside a sentence: its first letter lower case, unless it starts an acronym."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def complaints_load(today: datetime.date) -> None:
    """Complaints and compliments for every quarter since last financial year began, each
    received on its own working day, answered within a few working days (a few late)."""
    current = periods.financial_year(today)
    quarters = Period.objects.filter(frequency=Frequency.QUARTER, year__gte=current - 1, start__lte=today)
    made = []
    for quarter in quarters.order_by("start"):
        days = [
            quarter.start + datetime.timedelta(days=n)
            for n in range((min(quarter.end, today - datetime.timedelta(days=1)) - quarter.start).days + 1)
        ]
        days = [day for day in days if periods.is_working_day(day)]
        if not days:
            continue
        for service in Service.objects.order_by("code"):
            rng = random.Random(f"fernley:feedback:{service.code}:{quarter.label}")
            for _ in range(rng.randint(1, 6)):
                received = rng.choice(days)
                sent = periods.add_working_days(received, rng.choice([2, 3, 4, 5, 6, 7, 8, 9, 9, 12]))
                made.append(
                    Feedback(
                        kind=FeedbackKind.COMPLAINT,
                        service=service,
                        received=received,
                        category=rng.choice(COMPLAINT_CATEGORIES),
                        response_due=periods.add_working_days(received, COMPLAINT_WORKING_DAYS),
                        response_sent=sent if sent < today else None,
                        outcome=rng.choice(["Upheld", "Partly upheld", "Not upheld", "Not upheld"])
                        if sent < today
                        else "",
                    )
                )
            for _ in range(rng.randint(0, 3)):
                made.append(
                    Feedback(
                        kind=FeedbackKind.COMPLIMENT,
                        service=service,
                        received=rng.choice(days),
                        category=rng.choice(COMPLIMENT_CATEGORIES),
                    )
                )
    Feedback.objects.bulk_create(made)


COMPLAINT_CATEGORIES = [
    "Delay in providing a service",
    "Quality of service",
    "Staff attitude or conduct",
    "Not kept informed",
    "Disagrees with a decision",
    "Service not provided",
]
COMPLIMENT_CATEGORIES = ["Helpful staff", "Quick response", "Quality of service"]


# Actions a portfolio PRT agrees about one of its indicators: (text, who owns it: the head
# of the indicator's service or its data officer). {title} is the indicator's title,
# {actual} and {target} its figures for the quarter, {quarter} the quarter.
RED_ACTIONS = [
    (
        "Explain why {title} was {actual} against a target of {target} in {quarter}, and when it will be "
        "back on target",
        "manager",
    ),
    ("Compare {title} with the nearest-neighbour councils and say what the best of them do differently", "manager"),
    ("Cost the extra staff or overtime needed to bring {title} back to {target}", "manager"),
    ("Set out the month-by-month trajectory for {title} back to {target}", "manager"),
]
AMBER_ACTIONS = [
    ("Check the {quarter} figure for {title} ({actual}) against the source records", "officer"),
    (
        "Say whether {title} at {actual} is a blip or the start of a decline, using the last two years' figures",
        "officer",
    ),
    ("Report whether the year-end target of {target} for {title} is still in reach", "manager"),
]
RECOVERY = "Agree a recovery plan for {title} with the portfolio holder"
RECOVERY_UPDATE = (
    "Draft plan discussed with the team and the portfolio holder; the final version goes to the next meeting."
)
DONE_UPDATES = [
    "Done: reported to the meeting.",
    "Done; the note was circulated with the pack.",
    "Done. Figures checked and confirmed.",
]


def reviews_load(people, today: datetime.date, steps=()) -> None:
    """Publish each meeting's pack on time (as the figures stood that day) and, at each portfolio
    PRT held, agree actions on its Red and Amber indicators, in date order so that every pack
    shows the actions carried from earlier meetings; steps are other dated work, (day, do),
    done in its place in that order."""
    performance = next(iter(people[Role.PERFORMANCE_TEAM].values()))
    meetings = list(Meeting.objects.select_related("portfolio", "period", "service").order_by("date", "kind", "title"))
    series: dict[tuple, list[Meeting]] = {}
    for meeting in meetings:
        series.setdefault((meeting.kind, meeting.portfolio_id, meeting.service_id), []).append(meeting)
    following = {}
    recovery_at = set()
    asked: set[tuple[int, str]] = set()  # (indicator, action template) already agreed
    for members in series.values():
        for meeting, after in itertools.pairwise(members):
            following[meeting.pk] = after
        published = [m for m in members if publish_day(m) < today]
        if len(published) >= 2 and members[0].kind == MeetingKind.PORTFOLIO_PRT:
            recovery_at.add(published[-2].pk)
    events = [(publish_day(m), 0, m) for m in meetings if publish_day(m) < today]
    events += [(m.date, 1, m) for m in meetings if m.date < today]
    for day, do in steps:
        if day < today:
            events.append((day, -1, do))
    for day, step, item in sorted(events, key=lambda e: (e[0], e[1], str(getattr(e[2], "date", "")), str(e[2]))):
        if step == -1:
            item()
            continue
        meeting = item
        if step == 0:
            PackSnapshot.objects.create(
                meeting=meeting,
                published_at=_at(day, 9),
                published_by=performance,
                data=packs.pack(meeting, today=day),
            )
        else:
            if meeting.kind == MeetingKind.PORTFOLIO_PRT and meeting.pk in following:
                after = following[meeting.pk]
                _agree_actions(meeting, after, meeting.pk in recovery_at, performance, today, asked)
            if meeting.kind == MeetingKind.SURGERY:
                _surgery_action(meeting, performance, today)
            if meeting.kind == MeetingKind.CORPORATE_PRT and meeting.pk in following:
                _corporate_action(meeting, following[meeting.pk], performance, today)
            if meeting.kind in PRT_KINDS:
                _summarise(meeting, performance)


def _summarise(meeting: Meeting, by) -> None:
    """The PRT's summary of key issues, for the corporate PRT's pack."""
    pack = packs.pack(meeting, today=meeting.date)
    reds = [row for row in pack["exceptions"] if row["status"] == rag.RED]
    without = pack["reds_without_plan"]
    over = [line for line in pack["budget"] if line["status"] == rag.RED]
    late = sum(row["late"] for row in pack["feedback"])
    lines = [
        ngettext("%(count)d Red indicator", "%(count)d Red indicators", len(reds)) % {"count": len(reds)}
        + f", the worst {reds[0]['code']} {reds[0]['title']}."
        if reds
        else "No Red indicators.",
        ngettext(
            "%(count)d Red without an action plan: the service to record one before the next meeting.",
            "%(count)d Red without an action plan: the services to record them before the next meeting.",
            len(without),
        )
        % {"count": len(without)}
        if without
        else "Every Red indicator has an action plan."
        if reds
        else "",
        f"Forecast overspend in {_and(line['service'] for line in over)}." if over else "",
        ngettext(
            "%(count)d complaint answered late this quarter.", "%(count)d complaints answered late this quarter.", late
        )
        % {"count": late}
        if late
        else "Every complaint answered on time.",
    ]
    review_services.meeting_summary_record(meeting=meeting, summary=" ".join(line for line in lines if line), by=by)


def _agree_actions(meeting, after, recovery: bool, performance, today: datetime.date, asked: set) -> None:
    """Actions on the meeting's own Red and Amber indicators, due before the next meeting. They
    name their indicator and sit in the meeting's action log; only remedial plans are raised
    against the indicator itself (the exception report's plan column)."""
    snapshot = meeting.snapshots.order_by("-version").first()
    rows = snapshot.data["exceptions"] if snapshot else []
    rows = [r for r in rows if r["status"] == rag.RED] + [r for r in rows if r["status"] == rag.AMBER]
    if not rows:
        return
    indicators = Indicator.objects.select_related("service__manager", "responsible_officer").in_bulk(
        [r["pk"] for r in rows]
    )
    rng = random.Random(f"fernley:actions:{meeting.title}")
    review_by = periods.working_days_before(publish_day(after), 1)
    chosen = rows[:1] + rng.sample(rows[1:], min(len(rows) - 1, 1 + rng.randint(0, 1)))
    for number, row in enumerate(chosen):
        indicator = indicators[row["pk"]]
        words = {
            "title": lower_first(indicator.title),
            "actual": row["actual"],
            "target": row["target"] or "its target",
            "quarter": meeting.period.label,
        }
        manager, officer = indicator.service.manager, indicator.responsible_officer
        if recovery and number == 0:
            _raise(
                meeting, None, RECOVERY.format(**words), manager, after.date, performance,
                status=ActionStatus.IN_PROGRESS, update=(periods.add_working_days(meeting.date, 8), RECOVERY_UPDATE),
                today=today,
            )  # fmt: skip
            continue
        # Never the same question twice about one indicator: an earlier one is carried forward instead.
        templates = RED_ACTIONS if row["status"] == rag.RED else AMBER_ACTIONS
        fresh = [(text, who) for text, who in templates if (indicator.pk, text) not in asked]
        if not fresh:
            continue
        text, who = rng.choice(fresh)
        asked.add((indicator.pk, text))
        owner = (officer if who == "officer" else manager) or manager or officer or performance
        due = min(review_by, periods.add_working_days(meeting.date, rng.randint(15, 35)))
        if due >= today:
            status, closed, update = ActionStatus.OPEN, None, None
            if periods.add_working_days(meeting.date, 10) < today and rng.random() < 0.5:
                status = ActionStatus.IN_PROGRESS
                update = (periods.add_working_days(meeting.date, 10), "Work started; figures being gathered.")
        elif rng.random() < 0.1:
            status, closed, update = ActionStatus.OPEN, None, None  # missed: overdue
        else:
            closed = max(periods.working_days_before(due, rng.randint(0, 6)), meeting.date + datetime.timedelta(days=1))
            status, update = ActionStatus.DONE, (closed, rng.choice(DONE_UPDATES))
        _raise(meeting, None, text.format(**words), owner, due, performance, status, update, today, closed)


def _corporate_action(meeting: Meeting, after: Meeting, performance, today: datetime.date) -> None:
    """The corporate PRT asks the head of the service behind one of the cycle's Reds for a
    recovery report at its next meeting."""
    snapshot = meeting.snapshots.order_by("-version").first()
    reds = [row for row in (snapshot.data["exceptions"] if snapshot else []) if row["status"] == rag.RED]
    if not reds:
        return
    rng = random.Random(f"fernley:corporate:{meeting.title}")
    row = rng.choice(reds)
    indicator = Indicator.objects.select_related("service__manager").get(pk=row["pk"])
    owner = indicator.service.manager or performance
    due = periods.working_days_before(publish_day(after), 1)
    text = (
        f"Report to the next corporate Performance Review Team how {lower_first(indicator.title)} "
        f"({row['actual']} against {row['target'] or 'its target'} in {meeting.period.label}) will be back on target"
    )
    if due < today:
        closed = periods.working_days_before(due, rng.randint(0, 4))
        _raise(meeting, None, text, owner, due, performance, ActionStatus.DONE, (closed, "Report sent with the pack."),
               today, closed)  # fmt: skip
    else:
        _raise(meeting, None, text, owner, due, performance, ActionStatus.OPEN, None, today)


def _surgery_action(surgery: Meeting, performance, today: datetime.date) -> None:
    """The surgery's follow-up for its worst indicator, due before its portfolio's next PRT."""
    worst = surgery.indicators.order_by("code").select_related("service__manager").first()
    after = (
        Meeting.objects.filter(kind=MeetingKind.PORTFOLIO_PRT, portfolio=surgery.portfolio_id, date__gt=surgery.date)
        .order_by("date")
        .first()
    )
    if worst is None or after is None:
        return
    owner = worst.responsible_officer or worst.service.manager
    due = periods.working_days_before(publish_day(after), 1)
    text = f"Send the portfolio holder weekly figures for {lower_first(worst.title)} until it is back on target"
    status = ActionStatus.IN_PROGRESS
    update = (
        min(periods.add_working_days(surgery.date, 5), today - datetime.timedelta(days=1)),
        "First two weeks' figures sent.",
    )
    _raise(surgery, worst, text, owner, due, performance, status, update, today)


def _raise(meeting, indicator, text, owner, due, by: User, status, update, today, closed=None) -> Action:
    action = Action(
        description=text,
        owner=owner,
        due=due,
        status=status,
        closed_on=closed,
        meeting=meeting,
        indicator=indicator,
        raised_by=by,
        raised_at=_at(meeting.date, 16),
    )
    action._history_user = by
    action.save()
    if update and update[0] < today:
        ActionUpdate.objects.create(action=action, date=update[0], text=update[1], by=owner)
    return action
