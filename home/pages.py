"""What each role's home page shows: the things to act on or know this week, each a link.

One function per role, each running a fixed number of SQL queries whatever the number of
indicators, returns, meetings or actions (tests/home/test_home.py pins them at two sizes).
A person holding several roles sees each role's part. Lists are cut at LIST_LIMIT items,
with the full count and a link to the page that lists them all.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Min, Q, Window
from django.utils import timezone

from imports.models import ImportRun, Status
from indicators.models import (
    Frequency,
    Indicator,
    Outturn,
    OutturnState,
    Rag,
    Target,
    TargetStatus,
    collecting,
    quarter_to_report,
)
from indicators.periods import add_working_days, financial_year
from indicators.permissions import reportable
from indicators.returns import DUE_SOON_WORKING_DAYS, awaiting_validation, by_urgency, recent_returns
from indicators.targets import awaiting_quality_assurance, awaiting_sign_off, late_targets
from organisation.models import Directorate, Portfolio, Role
from organisation.permissions import has_role, is_performance_team
from plans.models import Plan, PlanStatus
from reviews import scorecards
from reviews.models import Action, Meeting, MeetingKind, PackSnapshot

# Longest list any part of the page shows; the rest are counted and linked.
LIST_LIMIT = 10
RED_AND_AMBER = (Rag.RED, Rag.AMBER)


@dataclass
class Cut:
    """A list cut at LIST_LIMIT items, with how many there are in all."""

    items: list
    total: int

    @classmethod
    def of(cls, items: list) -> "Cut":
        return cls(items[:LIST_LIMIT], len(items))

    @property
    def more(self) -> int:
        return self.total - len(self.items)


def _cut(queryset) -> Cut:
    """The first LIST_LIMIT rows of a queryset and how many it has, in one query (the count
    by a window over all its rows)."""
    rows = list(queryset.annotate(total=_window_count())[:LIST_LIMIT])
    return Cut(rows, rows[0].total if rows else 0)


def _window_count():
    return Window(Count("pk"))


def _actions_due(user, today: datetime.date) -> Cut:
    """The user's open actions overdue or due within DUE_SOON_WORKING_DAYS working days: one query."""
    horizon = add_working_days(today, DUE_SOON_WORKING_DAYS)
    return _cut(
        Action.objects.still_open()
        .filter(owner=user, due__lte=horizon)
        .select_related("indicator", "meeting")
        .order_by("due", "pk")
    )


def _latest_rated(rows: list[dict]) -> list[dict]:
    """Of "My returns" rows, each indicator's latest with a rated figure, if Red or Amber."""
    latest = {}
    for row in sorted(rows, key=lambda row: row["period"].end):
        outturn = row["outturn"]
        rating = getattr(outturn, "rating", None) if outturn else None
        if rating is not None:
            latest[row["indicator"].pk] = (row, rating)
    found = [row for row, rating in latest.values() if rating.shown_rag in RED_AND_AMBER]
    return sorted(found, key=lambda row: (row["outturn"].rating.shown_rag != Rag.RED, row["indicator"].code))


@dataclass
class Officer:
    overdue: Cut
    due_soon: Cut
    sent_back: Cut
    # Red or Amber latest figures with no open action against the indicator.
    needing_plan: Cut
    targets_to_propose: int
    actions: Cut


def _draft_targets(user) -> int:
    """Targets of the user's indicators still in draft (new or sent back): one query."""
    return Target.objects.filter(indicator__in=reportable(user), status=TargetStatus.DRAFT).count()


def officer(user, today: datetime.date, rows: list[dict]) -> Officer:
    """From the user's recent returns (recent_returns): 3 queries more (open actions against
    the Red and Amber indicators, draft targets, the user's actions)."""
    urgency = by_urgency(rows, today)
    red_amber = _latest_rated(rows)
    planned = set(
        Action.objects.still_open()
        .filter(indicator_id__in=[r["indicator"].pk for r in red_amber])
        .values_list("indicator_id", flat=True)
    )
    return Officer(
        overdue=Cut.of(urgency["overdue"]),
        due_soon=Cut.of(urgency["due_soon"]),
        sent_back=Cut.of(urgency["returned"]),
        needing_plan=Cut.of([r for r in red_amber if r["indicator"].pk not in planned]),
        targets_to_propose=_draft_targets(user),
        actions=_actions_due(user, today),
    )


@dataclass
class Progress:
    """Returns of a service (or of a period) against those expected."""

    name: str
    period: object
    expected: int = 0
    entered: int = 0
    submitted: int = 0
    validated: int = 0
    service_pk: int | None = None


@dataclass
class ServiceManager:
    progress: list[Progress]
    red_and_amber: Cut
    targets_to_propose: int
    actions: Cut


def service_manager(user, today: datetime.date, rows: list[dict]) -> ServiceManager:
    """The service's returns for each frequency's latest period, from the user's recent
    returns: 2 queries more (draft targets, the user's actions)."""
    latest = {}
    for row in rows:
        period = row["period"]
        if period.frequency not in latest or period.end > latest[period.frequency].end:
            latest[period.frequency] = period
    progress: dict[tuple, Progress] = {}
    for row in rows:
        period, service = row["period"], row["indicator"].service
        if period != latest[period.frequency] or service is None:
            continue
        found = progress.setdefault((service.pk, period.pk), Progress(service.name, period, service_pk=service.pk))
        found.expected += 1
        outturn = row["outturn"]
        if outturn is not None:
            found.entered += 1
            found.submitted += outturn.state in (OutturnState.SUBMITTED, OutturnState.VALIDATED)
            found.validated += outturn.state == OutturnState.VALIDATED
    ordered = sorted(progress.values(), key=lambda p: (p.name, -p.period.end.toordinal()))
    return ServiceManager(
        progress=ordered,
        red_and_amber=Cut.of(_latest_rated(rows)),
        targets_to_propose=_draft_targets(user),
        actions=_actions_due(user, today),
    )


@dataclass
class PackDue:
    meeting: Meeting
    state: str


@dataclass
class PerformanceTeam:
    quarter: object
    progress: list[Progress]
    awaiting_validation: int
    awaiting_quality_assurance: int
    targets_not_signed_off: int
    year: int
    late_deadline: datetime.date
    late_targets: Cut
    packs_due: Cut
    imports: Cut


def _stuck_before() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=settings.PMIS_IMPORT_STUCK_SECONDS)


def performance_team(today: datetime.date, periods: scorecards.Periods) -> PerformanceTeam:
    """Eleven queries: indicators expected by service, returns by service, the validation
    queue, targets to quality-assure, targets not signed off, those late for sign-off (three),
    packs due, import runs (periods are fetched once by the caller)."""
    quarters = [q for q in periods.by_frequency.get(Frequency.QUARTER, []) if q.end < today]
    quarter = quarters[-1] if quarters else None
    progress: list[Progress] = []
    if quarter is not None:
        current = {f: periods.current(f, quarter.end) for f in Frequency.values}
        current = {f: p for f, p in current.items() if p is not None}
        by_service: dict = {}
        # Expected: indicators collecting a figure for their frequency's period (collecting).
        collects = Q(pk__in=[])
        for frequency, period in current.items():
            collects |= Q(frequency=frequency) & collecting(period)
        expected = (
            Indicator.objects.collected()
            .filter(collects)
            .values_list("service_id", "service__name")
            .annotate(count=Count("pk"))
            .order_by()
        )
        for service_id, name, count in expected:
            by_service[service_id] = Progress(name or "No service", quarter, expected=count, service_pk=service_id)
        rule = Q(pk__in=[])
        for frequency, period in current.items():
            rule |= Q(indicator__frequency=frequency, period=period)
        entered = (
            Outturn.objects.filter(rule, indicator__is_collected=True)
            .values_list("indicator__service_id")
            .annotate(
                entered=Count("pk"),
                submitted=Count("pk", filter=Q(state__in=[OutturnState.SUBMITTED, OutturnState.VALIDATED])),
                validated=Count("pk", filter=Q(state=OutturnState.VALIDATED)),
            )
            .order_by()
        )
        for service_id, count, submitted, validated in entered:
            found = by_service.get(service_id)
            if found is not None:
                found.entered, found.submitted, found.validated = count, submitted, validated
        progress = sorted(by_service.values(), key=lambda p: (p.entered - p.expected, p.name))
    year = financial_year(today)
    packs = _cut(
        Meeting.objects.filter(date__gte=today, snapshots__isnull=True)
        .exclude(kind=MeetingKind.SURGERY)
        .select_related("period", "portfolio", "directorate")
        .order_by("date", "pk")
    )
    packs.items = [PackDue(meeting, meeting.deadline_state(today, None)) for meeting in packs.items]
    attention = Q(status__in=[Status.INVALID, Status.READY]) | Q(
        status__in=[Status.QUEUED, Status.CHECKING, Status.APPLYING], status_at__lt=_stuck_before()
    )
    late_deadline, late = late_targets(Indicator.objects.all(), today)
    return PerformanceTeam(
        late_deadline=late_deadline,
        late_targets=Cut.of(late),
        quarter=quarter,
        progress=progress,
        awaiting_validation=awaiting_validation().count(),
        awaiting_quality_assurance=awaiting_quality_assurance().count(),
        targets_not_signed_off=Target.objects.filter(period__year=year).exclude(status=TargetStatus.SIGNED_OFF).count(),
        year=year,
        packs_due=packs,
        imports=_cut(
            ImportRun.objects.filter(attention)
            .select_related("user")
            .only("pk", "kind", "status", "status_at", "filename", "created_at", "user__username")
            .order_by("-created_at", "-pk")
        ),
    )


@dataclass
class Glance:
    """A scope's counts of Red, Amber and Green and its Red and Amber measures."""

    name: str
    counts: dict = field(default_factory=dict)
    red_and_amber: list = field(default_factory=list)
    pk: int | None = None


def _report(indicators, periods: scorecards.Periods, today: datetime.date):
    """The scorecard of the indicators for the latest ended quarter with figures (or None):
    one query to choose the quarter and five for the rows."""
    quarters = [q for q in periods.by_frequency.get(Frequency.QUARTER, []) if q.end < today]
    period = quarter_to_report(quarters, Outturn.objects.filter(indicator_id__in=indicators.values("pk")))
    if period is None:
        return None
    return scorecards.scorecard(indicators.order_by("code"), period, periods=periods, today=today)


def _glances(report, owner_of: dict, names: dict) -> list[Glance]:
    glances = {pk: Glance(name, pk=pk) for pk, name in names.items()}
    for row in report.rows if report else []:
        glance = glances.get(owner_of.get(row.indicator.pk))
        if glance is None:
            continue
        glance.counts[row.status] = glance.counts.get(row.status, 0) + 1
        if row.status in RED_AND_AMBER:
            glance.red_and_amber.append(row)
    for glance in glances.values():
        glance.red_and_amber.sort(key=lambda row: (row.status != Rag.RED, row.indicator.code))
    return list(glances.values())


@dataclass
class PortfolioHolder:
    period: object
    portfolios: list[Glance]
    awaiting_sign_off: int
    late_deadline: datetime.date
    late_targets: Cut
    actions: Cut
    next_prt: Meeting | None
    next_prt_state: str = ""


def portfolio_holder(user, today: datetime.date, periods: scorecards.Periods) -> PortfolioHolder:
    """Fourteen queries: portfolios, the default quarter, the scorecard's five, each row's
    portfolio, targets awaiting sign-off, those late for sign-off (three), the user's actions,
    the next PRT."""
    held = dict(Portfolio.objects.filter(holder=user).values_list("pk", "name"))
    indicators = Indicator.objects.collected().filter(portfolio__in=list(held))
    report = _report(indicators, periods, today)
    owner_of = dict(indicators.values_list("pk", "portfolio_id"))
    prt = (
        Meeting.objects.filter(kind=MeetingKind.PORTFOLIO_PRT, portfolio__in=list(held), date__gte=today)
        .select_related("portfolio", "period")
        # The pack's deadline is met by its first version; a reissue does not move it.
        .annotate(first_published=Min("snapshots__published_at"))
        .order_by("date", "pk")
        .first()
    )
    state = ""
    if prt is not None:
        published = timezone.localdate(prt.first_published) if prt.first_published else None
        state = prt.deadline_state(today, published)
    late_deadline, late = late_targets(Indicator.objects.filter(portfolio__in=list(held)), today)
    return PortfolioHolder(
        period=report.period if report else None,
        portfolios=_glances(report, owner_of, held),
        awaiting_sign_off=awaiting_sign_off(user).count(),
        late_deadline=late_deadline,
        late_targets=Cut.of(late),
        actions=_actions_due(user, today),
        next_prt=prt,
        next_prt_state=state,
    )


@dataclass
class ChiefOfficer:
    period: object
    directorates: list[Glance]
    overdue_by_service: list[tuple[str, int, int]]
    overdue_actions: Cut
    surgeries: Cut


def chief_officer(user, today: datetime.date, periods: scorecards.Periods) -> ChiefOfficer:
    """Eleven queries: directorates, the default quarter, the scorecard's five, each row's
    directorate and service, overdue actions, surgeries. A chief officer who directs no
    directorate sees the whole council."""
    directed = dict(Directorate.objects.filter(director=user).values_list("pk", "name"))
    indicators = Indicator.objects.collected()
    if directed:
        indicators = indicators.filter(service__directorate__in=list(directed))
    report = _report(indicators, periods, today)
    places = {
        pk: (directorate, service, name)
        for pk, directorate, service, name in indicators.values_list(
            "pk", "service__directorate_id", "service_id", "service__name"
        )
    }
    if directed:
        glances = _glances(report, {pk: place[0] for pk, place in places.items()}, directed)
    else:
        glances = _glances(report, dict.fromkeys(places, 0), {0: "Whole council"})
        glances[0].pk = None
    overdue: dict[tuple, int] = defaultdict(int)
    for row in report.rows if report else []:
        if row.status == scorecards.OVERDUE:
            _, service_id, name = places[row.indicator.pk]
            overdue[(name or "No service", service_id)] += 1
    actions = Action.objects.overdue(today)
    if directed:
        ids = list(directed)
        actions = actions.filter(
            Q(indicator__service__directorate__in=ids)
            | Q(meeting__directorate__in=ids)
            | Q(owner__service__directorate__in=ids)
        )
    surgeries = Meeting.objects.filter(kind=MeetingKind.SURGERY, date__gte=today - datetime.timedelta(days=90))
    return ChiefOfficer(
        period=report.period if report else None,
        directorates=glances,
        overdue_by_service=sorted(((n, s, c) for (n, s), c in overdue.items()), key=lambda t: (-t[2], t[0])),
        overdue_actions=_cut(actions.select_related("owner", "indicator").order_by("due", "pk")),
        surgeries=_cut(surgeries.order_by("date", "pk")),
    )


@dataclass
class ScrutinyMember:
    plans: Cut
    packs: Cut


def scrutiny_member(user) -> ScrutinyMember:
    """Two queries: plans in scrutiny review (with the comments the user made on each) and
    the latest published packs."""
    plans = Plan.objects.filter(status=PlanStatus.SCRUTINY_REVIEW).annotate(
        mine=Count("scrutiny_comments", filter=Q(scrutiny_comments__made_by=user))
    )
    return ScrutinyMember(
        plans=_cut(plans.order_by("scrutiny_started_at", "pk")),
        packs=_cut(
            PackSnapshot.objects.select_related("meeting", "meeting__period")
            .defer("data")
            .order_by("-published_at", "-pk")
        ),
    )


def home_page(user, today: datetime.date) -> dict:
    """Each of the user's roles' parts of the home page, by name, for the template."""
    parts = {"today": today, "horizon": add_working_days(today, DUE_SOON_WORKING_DAYS)}
    if has_role(user, Role.OFFICER, Role.SERVICE_MANAGER):
        rows = recent_returns(user, today)
        if has_role(user, Role.OFFICER):
            parts["officer"] = officer(user, today, rows)
        if has_role(user, Role.SERVICE_MANAGER):
            parts["service_manager"] = service_manager(user, today, rows)
    periods = None
    if has_role(user, Role.PERFORMANCE_TEAM, Role.PORTFOLIO_HOLDER, Role.CHIEF_OFFICER):
        periods = scorecards.Periods.fetch()
    if is_performance_team(user):
        parts["performance_team"] = performance_team(today, periods)
    if has_role(user, Role.PORTFOLIO_HOLDER):
        parts["portfolio_holder"] = portfolio_holder(user, today, periods)
    if has_role(user, Role.CHIEF_OFFICER):
        parts["chief_officer"] = chief_officer(user, today, periods)
    if has_role(user, Role.SCRUTINY_MEMBER):
        parts["scrutiny_member"] = scrutiny_member(user)
    return parts
