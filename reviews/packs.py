"""A meeting's pack, assembled from live data on an exception basis.

The pack is plain data (strings, numbers, lists, dicts) so that publishing can freeze it as
JSON on a PackSnapshot and the published pack renders exactly as it was.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Q

from indicators import benchmarks, rag
from indicators.models import BenchmarkValue, Indicator, Outturn, OutturnState, Period, format_figure
from organisation.models import Portfolio, Service
from plans import composites
from plans.models import Milestone, PlanKind, Priority

from . import action_plans, pack_sections, scorecards
from .models import (
    PRT_KINDS,
    Action,
    BudgetLine,
    Feedback,
    FeedbackKind,
    GoodNewsStory,
    Meeting,
    MeetingKind,
    PackSnapshot,
)

RAG_LABELS = {rag.GREEN: "Green", rag.AMBER: "Amber", rag.RED: "Red"}
STRATEGIC_PLANS = (PlanKind.CORPORATE, PlanKind.PARTNERSHIP)


def _money(value: Decimal) -> str:
    return format_figure(value, "currency", 0)


def scope_indicators(meeting: Meeting):
    """The indicators a meeting reviews: a surgery's chosen ones, else those of its scope."""
    collected = Indicator.objects.collected()
    if meeting.kind == MeetingKind.SURGERY and meeting.indicators.exists():
        return collected.filter(pk__in=meeting.indicators.values("pk"))
    if meeting.service_id:
        return collected.filter(service=meeting.service_id)
    if meeting.portfolio_id:
        return collected.filter(portfolio=meeting.portfolio_id)
    if meeting.directorate_id:
        return collected.filter(service__directorate=meeting.directorate_id)
    return collected


def scope_services(meeting: Meeting):
    if meeting.kind == MeetingKind.SURGERY and meeting.indicators.exists():
        return Service.objects.filter(indicators__in=meeting.indicators.values("pk")).distinct()
    if meeting.service_id:
        return Service.objects.filter(pk=meeting.service_id)
    if meeting.portfolio_id:
        return Service.objects.filter(portfolios=meeting.portfolio_id)
    if meeting.directorate_id:
        return Service.objects.filter(directorate=meeting.directorate_id)
    return Service.objects.all()


def _row(row: scorecards.Row) -> dict:
    fmt = row.indicator.format_value
    return {
        "pk": row.indicator.pk,
        "code": row.indicator.code,
        "title": row.indicator.title,
        "service": row.indicator.service,
        "status": row.status,
        "status_label": row.rating_words,
        "provisional": row.provisional,
        "actual": fmt(row.actual) if row.actual is not None else "",
        "target": fmt(row.target_value) if row.target_value is not None else "",
        "commentary": row.outturn.commentary if row.outturn else "",
    }


def _action(action: Action, today: datetime.date) -> dict:
    return {
        "pk": action.pk,
        "description": action.description,
        "owner": action.owner.get_full_name() or action.owner.username,
        "due": action.due.isoformat(),
        "status": action.status,
        "status_label": action.get_status_display(),
        "overdue": action.is_overdue(today),
        "dropped_reason": action.dropped_reason,
        "updates": [{"date": u.date.isoformat(), "text": u.text} for u in action.updates.all()],
    }


def action_log(meeting: Meeting) -> list[Action]:
    """The actions the meeting reviews: those raised at earlier meetings of its series that were
    still open at the previous meeting (carried forward until closed), and those raised at it."""
    previous = meeting.previous()
    earlier = Q(meeting__in=meeting.series().filter(date__lt=meeting.date))
    if previous is not None:
        earlier &= Q(closed_on__isnull=True) | Q(closed_on__gte=previous.date)
    return list(
        Action.objects.filter(earlier | Q(meeting=meeting))
        .select_related("owner")
        .prefetch_related("updates")
        .order_by("due", "pk")
    )


def _budget(services, period) -> list[dict]:
    tolerance = settings.PMIS_BUDGET_TOLERANCE
    lines = []
    for line in BudgetLine.objects.filter(service__in=services, period=period).select_related("service"):
        status = rag.rate(line.forecast_outturn, line.budget, rag.LOWER, tolerance)
        lines.append(
            {
                "service": line.service.name,
                "budget": _money(line.budget),
                "forecast_outturn": _money(line.forecast_outturn),
                "variance": _money(line.variance),
                "status": status,
                "status_label": RAG_LABELS.get(status, status),
                "savings_target": _money(line.savings_target),
                "savings_delivered": _money(line.savings_delivered),
                "commentary": line.commentary,
            }
        )
    return lines


def _feedback(services, period) -> list[dict]:
    counts: dict[str, dict] = defaultdict(
        lambda: {"complaints": 0, "compliments": 0, "responded": 0, "days": 0, "late": 0}
    )
    for item in Feedback.objects.filter(
        service__in=services, received__gte=period.start, received__lte=period.end
    ).select_related("service"):
        count = counts[item.service.name]
        if item.kind == FeedbackKind.COMPLIMENT:
            count["compliments"] += 1
            continue
        count["complaints"] += 1
        if item.response_sent:
            count["responded"] += 1
            count["days"] += (item.response_sent - item.received).days
            if item.response_due and item.response_sent > item.response_due:
                count["late"] += 1
    return [
        {
            "service": name,
            "complaints": c["complaints"],
            "compliments": c["compliments"],
            "responded": c["responded"],
            "late": c["late"],
            "average_days": f"{c['days'] / c['responded']:.1f}" if c["responded"] else "",
        }
        for name, c in sorted(counts.items())
    ]


def _strategic(indicators, period, today) -> list[dict]:
    priorities = list(
        Priority.objects.filter(plan__kind__in=STRATEGIC_PLANS, indicators__in=indicators)
        .select_related("plan")
        .distinct()
        .order_by("plan__title", "pk")
    )
    rated = composites.priority_composites([p.pk for p in priorities], period)
    overdue = defaultdict(list)
    for milestone in Milestone.objects.overdue(today).filter(priority__in=priorities):
        overdue[milestone.priority_id].append({"title": milestone.title, "due": milestone.due.isoformat()})
    return [
        {
            "plan": p.plan.title,
            "title": p.title,
            "status": rated[p.pk].status,
            "status_label": rated[p.pk].label,
            "overdue_milestones": overdue[p.pk],
        }
        for p in priorities
    ]


def _corporate(meeting: Meeting, periods, today) -> tuple[list[dict], list[dict]]:
    """For the corporate pack, from one scorecard of every collected indicator (a fixed number
    of queries however many portfolios and PRTs): each portfolio's counts of Red, Amber, Green
    and overdue; and each Performance Review Team of the cycle (its period) with its summary of
    key issues, the actions raised at it, its series' overdue actions and the Reds of its scope
    without an action plan."""
    period = meeting.period
    collected = Indicator.objects.collected()
    where = {
        pk: (service, portfolio) for pk, service, portfolio in collected.values_list("pk", "service_id", "portfolio_id")
    }
    report = scorecards.scorecard(collected.order_by("code"), period, periods=periods, today=today)
    statuses = defaultdict(list)
    for row in report.rows:
        statuses[where.get(row.indicator.pk, (None, None))[1]].append(row.status)
    summaries = []
    for portfolio in Portfolio.objects.order_by("name"):
        found = statuses.get(portfolio.pk, [])
        summaries.append(
            {
                "name": portfolio.name,
                "indicators": len(found),
                "red": found.count(rag.RED),
                "amber": found.count(rag.AMBER),
                "green": found.count(rag.GREEN),
                "overdue": found.count(scorecards.OVERDUE),
            }
        )
    prts = list(
        Meeting.objects.filter(kind__in=PRT_KINDS, period=period, cancelled_reason="")
        .select_related("service", "portfolio", "directorate")
        .order_by("date", "title")
    )
    planned = set(Action.objects.still_open().filter(indicator__isnull=False).values_list("indicator_id", flat=True))
    reds = [row for row in report.rows if row.status == rag.RED and row.indicator.pk not in planned]
    raised = defaultdict(list)
    for action in Action.objects.filter(meeting__in=prts).select_related("owner").prefetch_related("updates"):
        raised[action.meeting_id].append(action)
    overdue = defaultdict(list)
    for action in (
        Action.objects.overdue(today)
        .filter(meeting__kind__in=PRT_KINDS)
        .select_related("owner", "meeting")
        .prefetch_related("updates")
        .order_by("due", "pk")
    ):
        m = action.meeting
        overdue[(m.kind, m.service_id, m.portfolio_id, m.directorate_id)].append(action)
    rollup = []
    for prt in prts:
        side = 0 if prt.service_id else 1
        scope = prt.service_id or prt.portfolio_id
        rollup.append(
            {
                "pk": prt.pk,
                "title": prt.title,
                "scope": prt.scope_name,
                "date": prt.date.isoformat(),
                "summary": prt.summary,
                "new_actions": [_action(a, today) for a in raised[prt.pk]],
                "overdue_actions": [
                    _action(a, today) for a in overdue[(prt.kind, prt.service_id, prt.portfolio_id, prt.directorate_id)]
                ],
                "reds_without_plan": [
                    _row(row) for row in reds if where.get(row.indicator.pk, (None, None))[side] == scope
                ],
            }
        )
    return summaries, rollup


def _focus(indicators, period, periods, today) -> list[dict]:
    """A surgery's chosen indicators in depth: each one's trend, commentary, variation, action
    plan with its progress, and its position among the benchmarking groups' councils."""
    rows = scorecards.scorecard(indicators.order_by("code"), period, periods=periods, today=today).rows
    against = action_plans.actions_by_indicator(row.indicator.pk for row in rows)
    polarity = dict(indicators.values_list("pk", "polarity"))
    # Each indicator's comparators for its latest benchmarked period up to the one reviewed.
    compared: dict[int, tuple[int, list]] = {}
    for indicator_id, period_id, group, value in (
        BenchmarkValue.objects.filter(indicator__in=indicators, period__end__lte=period.end)
        .order_by("indicator", "-period__end", "group")
        .values_list("indicator_id", "period_id", "group", "value")
    ):
        found = compared.setdefault(indicator_id, (period_id, []))
        if found[0] == period_id:
            found[1].append((group, value))
    labels = {p.pk: p.label for p in Period.objects.filter(pk__in={pk for pk, _ in compared.values()})}
    focus = []
    for row in rows:
        item = _row(row)
        period_id, values = compared.get(row.indicator.pk, (None, []))
        label = labels.get(period_id, "")
        item["benchmarks"] = [
            f"{b.quartile_words or 'No position'} among {b.count} {b.group}, {label}"
            for b in benchmarks.benchmarks(values, own=row.actual, polarity=polarity[row.indicator.pk])
        ]
        item["trend"] = [{"period": label, "figure": figure or ""} for label, figure in row.trend]
        item["variation"] = row.variation
        item["plans"] = [action_plans.as_data(a, today) for a in against.get(row.indicator.pk, []) if a.is_open]
        focus.append(item)
    return focus


def pack(meeting: Meeting, *, today: datetime.date) -> dict:
    """The meeting's pack from live data for its period under review."""
    period = meeting.period
    indicators = scope_indicators(meeting)
    services = scope_services(meeting)
    periods = scorecards.Periods.fetch()
    report = scorecards.exceptions(indicators.order_by("code"), period, periods=periods, today=today)
    actions = action_log(meeting)
    rows = report.red_and_amber + report.overdue
    against = action_plans.actions_by_indicator(row.indicator.pk for row in rows)
    exceptions = []
    for row in rows:
        item = _row(row)
        found = against.get(row.indicator.pk, [])
        item["actions"] = [action.description for action in found if action.is_open]
        item["plans"] = [action_plans.as_data(action, today) for action in found if action.is_open]
        item["without_plan"] = row.status == rag.RED and not action_plans.has_plan(found)
        item["trend"] = [{"period": label, "figure": figure or ""} for label, figure in row.trend]
        exceptions.append(item)
    key_ids = set(indicators.filter(prt_plans__isnull=False).values_list("pk", flat=True))
    key_rows = [
        _row(row)
        for row in scorecards.scorecard(
            indicators.filter(pk__in=key_ids).order_by("code"), period, periods=periods, today=today
        ).rows
    ]
    data = {
        "title": meeting.title,
        "kind": meeting.get_kind_display(),
        "date": meeting.date.isoformat(),
        "period": period.label,
        "scope": meeting.scope_name,
        "exceptions": exceptions,
        "reds_without_plan": [item for item in exceptions if item["without_plan"]],
        "key_targets": key_rows,
        "strategic": _strategic(indicators, period, today),
        "budget": _budget(services, period),
        "feedback": _feedback(services, period),
        "good_news": [
            {"title": s.title, "date": s.date.isoformat(), "text": s.text}
            for s in GoodNewsStory.objects.filter(
                Q(indicator__in=indicators) | Q(indicator__isnull=True),
                is_published=True,
                date__gte=period.start,
                date__lte=min(meeting.date, today),
            ).order_by("date", "pk")
        ],
        "actions": [_action(a, today) for a in actions],
        "portfolios": [],
        "prts": [],
    }
    if meeting.kind == MeetingKind.CORPORATE_PRT:
        data["portfolios"], data["prts"] = _corporate(meeting, periods, today)
    if meeting.kind == MeetingKind.SURGERY:
        data["focus"] = _focus(indicators, period, periods, today)
    else:
        # What apps above add for the scope (the risks above appetite or rising), frozen with it.
        data["sections"] = pack_sections.build(section_scope(meeting, today))
    return data


def section_scope(meeting: Meeting, today: datetime.date) -> pack_sections.Scope:
    pk = {"service": meeting.service_id, "portfolio": meeting.portfolio_id, "directorate": meeting.directorate_id}
    return pack_sections.Scope(meeting.scope, pk.get(meeting.scope), today)


def pack_shown(
    meeting: Meeting, *, today: datetime.date, version: int | None = None
) -> tuple[dict, PackSnapshot | None, list[PackSnapshot]]:
    """The pack the meeting's pages show: a published version's figures (the current one,
    the highest, unless version asks for an earlier one), else the pack assembled from live
    data; that version (None if unpublished); and every published version, current first.
    One query when published."""
    versions = list(meeting.snapshots.select_related("published_by").order_by("-version"))
    if not versions:
        return pack(meeting, today=today), None, []
    shown = next((s for s in versions if s.version == version), versions[0])
    return shown.data, shown, versions


@dataclass
class PublishChecks:
    """What the publisher confirms before a pack goes to the attendees."""

    period_ended: bool
    period_end: datetime.date
    figures: int
    validated: int
    reds_without_plan: list[dict]
    deadline: datetime.date
    deadline_met: bool

    @property
    def validated_percent(self) -> int | None:
        return round(100 * self.validated / self.figures) if self.figures else None


def publish_checks(meeting: Meeting, *, today: datetime.date) -> PublishChecks:
    """Has the period ended, how many of its figures are validated, which Reds have no action
    plan (no open action against them), and whether the papers go out by the deadline."""
    period = meeting.period
    indicators = scope_indicators(meeting)
    states = Counter(
        Outturn.objects.filter(
            indicator__in=indicators, period__start__gte=period.start, period__end__lte=period.end
        ).values_list("state", flat=True)
    )
    report = scorecards.exceptions(indicators.order_by("code"), period, today=today)
    planned = set(Action.objects.still_open().filter(indicator__in=indicators).values_list("indicator_id", flat=True))
    return PublishChecks(
        period_ended=period.end < today,
        period_end=period.end,
        figures=sum(states.values()),
        validated=states[OutturnState.VALIDATED],
        reds_without_plan=[
            _row(row) for row in report.red_and_amber if row.status == rag.RED and row.indicator.pk not in planned
        ],
        deadline=meeting.pack_deadline,
        deadline_met=today <= meeting.pack_deadline,
    )
