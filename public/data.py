"""The public read layer: what residents, the open data and the API may see.

Only published data leaves through here, whatever the caller asks for:

- indicators that are published (and collected);
- figures of validated outturns only (draft, submitted and returned figures do not exist
  publicly), with their commentary only when it was marked public;
- targets that are signed off only;
- a Green, Amber or Red rating only for a validated figure whose target for the same period
  is signed off and is the target it was rated against; otherwise "no signed-off target";
- for a cumulative indicator, the year-to-date figure and its rating only when every
  earlier period of the year has a validated figure (else "year to date incomplete"; an
  indicator whose figures are entered year to date needs only its own), and a
  direction of travel only when the figure compared with is validated too.

Each function runs a fixed number of queries, however many indicators and periods.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.db.models import Prefetch, Q, QuerySet

from indicators.models import (
    Frequency,
    Indicator,
    Outturn,
    Period,
    Polarity,
    Rag,
    Target,
    TargetStatus,
    Travel,
    quarter_to_report,
)
from indicators.year_to_date import entered_to_date
from plans.composites import Composite, Thresholds, composite, thresholds_on
from plans.models import Plan, PlanKind, PlanStatus, Priority
from reviews.models import GoodNewsStory, Scorecard

NOT_PUBLISHED = "not_published"
RATED = {Rag.GREEN, Rag.AMBER, Rag.RED}
STATUS_LABELS = {
    Rag.GREEN: "Green",
    Rag.AMBER: "Amber",
    Rag.RED: "Red",
    Rag.NO_TARGET: "No signed-off target",
    Rag.DATA_ONLY: "Data only (not rated)",
    Rag.NOT_AVAILABLE: "Not available",
    Rag.INCOMPLETE: "Year to date incomplete",
    NOT_PUBLISHED: "Not yet published",
}
# The order of the public summary, and "worst first".
SUMMARY = [Rag.GREEN, Rag.AMBER, Rag.RED, Rag.NO_TARGET, Rag.DATA_ONLY, Rag.NOT_AVAILABLE, NOT_PUBLISHED]
SUMMARY_BUCKET = {Rag.INCOMPLETE: Rag.NOT_AVAILABLE}
TRAVEL_LABELS = dict(Travel.choices)
LAST_NUMBER = {Frequency.MONTH: 12, Frequency.QUARTER: 4, Frequency.YEAR: 1}
INDICATOR_RELATIONS = ("service__directorate", "portfolio", "national_indicator")


@dataclass(slots=True)
class Figure:
    """One period of a published indicator as the public sees it.

    value is the period's validated figure as entered; actual the figure rated (the year to date
    of a cumulative indicator); target the signed-off target. A period with a signed-off
    target and no validated figure has status NOT_PUBLISHED and no value.
    """

    indicator: Indicator
    period: Period
    value: Decimal | None = None
    actual: Decimal | None = None
    not_available_reason: str = ""
    target: Decimal | None = None
    status: str = NOT_PUBLISHED
    travel_previous: str = ""
    travel_last_year: str = ""
    commentary: str = ""

    @property
    def has_figure(self) -> bool:
        return self.status != NOT_PUBLISHED

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def is_rated(self) -> bool:
        return self.status in RATED

    @property
    def shown(self) -> Decimal | None:
        """The figure to show: the year to date for a cumulative indicator (None while it is
        incomplete), else the period's."""
        if self.indicator.is_cumulative:
            return self.actual
        return self.actual if self.actual is not None else self.value

    def formatted(self, value: Decimal | None) -> str:
        if value is None:
            return ""
        return self.indicator.format_value(value)

    @property
    def shown_text(self) -> str:
        if not self.has_figure:
            return "Not yet published"
        if self.not_available_reason:
            return "Not available"
        if self.shown is None and self.value is not None:
            return f"{self.formatted(self.value)} in this period (year to date not yet complete)"
        return self.formatted(self.shown)

    @property
    def target_text(self) -> str:
        return self.formatted(self.target) if self.target is not None else "No signed-off target"

    @property
    def travel_previous_label(self) -> str:
        return TRAVEL_LABELS.get(self.travel_previous, "")

    @property
    def travel_last_year_label(self) -> str:
        return TRAVEL_LABELS.get(self.travel_last_year, "")


def _quantize(indicator: Indicator, value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-indicator.decimal_places), rounding=ROUND_HALF_UP)


def _previous_key(key: tuple[str, int, int]) -> tuple[str, int, int]:
    frequency, year, number = key
    return (frequency, year, number - 1) if number > 1 else (frequency, year - 1, LAST_NUMBER[frequency])


OUTTURN_FIELDS = (
    "indicator_id",
    "period_id",
    "value",
    "not_available_reason",
    "commentary",
    "commentary_is_public",
    "rating__rag",
    "rating__override_rag",
    "rating__actual",
    "rating__target",
    "rating__travel_previous",
    "rating__travel_last_year",
)


def figures(
    indicators: Iterable[Indicator],
    *,
    periods: Iterable[Period] | None = None,
    period_filter: Q | None = None,
) -> dict[int, list[Figure]]:
    """Each indicator's public figures, oldest first, by indicator id.

    indicators must be published ones (Indicator.objects.published()). periods, when given, limits
    the figures read to those periods (give whole financial years: a cumulative indicator's
    year to date needs the year's earlier periods); period_filter narrows the periods
    returned. Three queries (two when periods are given): periods, validated
    outturns with their ratings, signed-off targets.
    """
    indicators = {indicator.pk: indicator for indicator in indicators}
    if not indicators:
        return {}
    all_periods = list(periods) if periods is not None else list(Period.objects.all())
    by_id = {p.pk: p for p in all_periods}
    by_key = {(p.frequency, p.year, p.number): p for p in all_periods}
    wanted = None
    if period_filter is not None:
        wanted = set(Period.objects.filter(period_filter).values_list("pk", flat=True))
    ids = list(indicators)

    outturns = Outturn.objects.published().filter(indicator_id__in=ids)
    targets = Target.objects.filter(indicator_id__in=ids, status=TargetStatus.SIGNED_OFF)
    if periods is not None:
        outturns = outturns.filter(period_id__in=list(by_id))
        targets = targets.filter(period_id__in=list(by_id))
    validated: dict[tuple[int, int], tuple] = {}
    for row in outturns.order_by().values_list(*OUTTURN_FIELDS):
        validated[(row[0], row[1])] = row
    signed_off = {
        (indicator_id, period_id): value
        for indicator_id, period_id, value in targets.order_by().values_list("indicator_id", "period_id", "value")
    }

    def is_validated(indicator_id: int, key: tuple[str, int, int]) -> bool:
        period = by_key.get(key)
        return period is not None and (indicator_id, period.pk) in validated

    result: dict[int, list[Figure]] = defaultdict(list)
    for indicator_id, period_id in sorted(
        set(validated) | set(signed_off), key=lambda k: (by_id[k[1]].end, -by_id[k[1]].start.toordinal())
    ):
        if wanted is not None and period_id not in wanted:
            continue
        indicator = indicators[indicator_id]
        period = by_id[period_id]
        target = signed_off.get((indicator_id, period_id))
        figure = Figure(indicator=indicator, period=period, target=_quantize(indicator, target))
        row = validated.get((indicator_id, period_id))
        if row is not None:
            (_, _, value, reason, commentary, public, rag, override, actual, rated_target, previous, last_year) = row
            key = (period.frequency, period.year, period.number)
            figure.value = _quantize(indicator, value)
            figure.not_available_reason = reason
            figure.commentary = commentary if public else ""
            # Entered year to date, the figure is the year to date itself.
            year_complete = (
                not indicator.is_cumulative
                or entered_to_date(indicator)
                or all(is_validated(indicator_id, (period.frequency, period.year, n)) for n in range(1, period.number))
            )
            status = (override or rag) if rag else (Rag.NOT_AVAILABLE if reason else Rag.NO_TARGET)
            if not year_complete:
                status = Rag.INCOMPLETE
            else:
                figure.actual = _quantize(indicator, actual) if actual is not None else figure.value
            if status in RATED and (target is None or rated_target is None or rated_target != target):
                status = Rag.NO_TARGET
            if indicator.polarity == Polarity.NONE and status in RATED:
                status = Rag.DATA_ONLY
            figure.status = status
            # A cumulative indicator's first period has no like-for-like previous figure.
            first_of_year = indicator.is_cumulative and period.number == 1
            if year_complete and not first_of_year and is_validated(indicator_id, _previous_key(key)):
                figure.travel_previous = previous or ""
            if year_complete and is_validated(indicator_id, (period.frequency, period.year - 1, period.number)):
                earlier_complete = (
                    not indicator.is_cumulative
                    or entered_to_date(indicator)
                    or all(
                        is_validated(indicator_id, (period.frequency, period.year - 1, n))
                        for n in range(1, period.number)
                    )
                )
                if earlier_complete:
                    figure.travel_last_year = last_year or ""
        result[indicator_id].append(figure)
    return result


# The periods of scorecards and reports -------------------------------------------------


def ended_quarters(today: datetime.date) -> list[Period]:
    """The quarters ended before today, the latest first: the public scorecard's choices."""
    return list(Period.objects.ended_on(today).filter(frequency=Frequency.QUARTER))


def latest_public_quarter(quarters: list[Period]) -> Period | None:
    """The public pages' default quarter: of quarters (ended_quarters()), the latest with a
    published figure, else the latest. One query."""
    return quarter_to_report(quarters, Outturn.objects.published())


def current_figure(figs: list[Figure], frequency: str, end: datetime.date) -> Figure | None:
    """The latest published figure of the indicator's frequency for a period ending on or
    before end (a period whose figure is not yet published is passed over)."""
    chosen = None
    for figure in figs:
        if figure.period.frequency == frequency and figure.period.end <= end and figure.has_figure:
            chosen = figure
    return chosen


@dataclass
class Row:
    indicator: Indicator
    figure: Figure | None

    @property
    def status(self) -> str:
        return self.figure.status if self.figure else NOT_PUBLISHED

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class Count:
    status: str
    label: str
    count: int


def summary(rows: Iterable[Row]) -> list[Count]:
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[SUMMARY_BUCKET.get(row.status, row.status)] += 1
    return [Count(status, STATUS_LABELS[status], counts[status]) for status in SUMMARY if counts[status]]


def scorecard_indicators() -> QuerySet[Indicator]:
    """The public scorecard's indicators: the published ones on the Council Scorecard, or
    every published indicator when the council has no scorecard."""
    council = Scorecard.objects.filter(is_council_scorecard=True).values("pk")[:1]
    chosen = Indicator.objects.published().filter(scorecards__in=council)
    if not Scorecard.objects.filter(is_council_scorecard=True).exists():
        chosen = Indicator.objects.published()
    return chosen.select_related(*INDICATOR_RELATIONS)


@dataclass
class Report:
    period: Period | None
    rows: list[Row]
    summary: list[Count] = field(default_factory=list)


def scorecard(period: Period | None) -> Report:
    """The public scorecard for a quarter: each published indicator of the Council Scorecard
    with its figure for its own latest period ending by the quarter's end. Five queries."""
    indicators = list(scorecard_indicators())
    if period is None:
        return Report(period=None, rows=[Row(i, None) for i in indicators])
    # The periods a row needs: this and last financial year up to the quarter's end (the
    # earlier periods of a year for year to date; last year's for the direction of travel).
    all_periods = list(Period.objects.filter(year__gte=period.year - 1, year__lte=period.year))
    figs = figures(indicators, periods=all_periods)
    rows = [Row(i, current_figure(figs.get(i.pk, []), i.frequency, period.end)) for i in indicators]
    return Report(period=period, rows=rows, summary=summary(rows))


# Plans and priorities --------------------------------------------------------------------


@dataclass
class PriorityView:
    """A priority of an approved corporate plan with its published indicators' latest figures,
    and its composite status worked out from those published figures only (the internal
    composite counts unvalidated figures too)."""

    priority: Priority
    rows: list[Row]
    thresholds: Thresholds = field(default_factory=Thresholds)

    @cached_property
    def composite(self) -> Composite:
        return composite([row.status for row in self.rows], self.thresholds)

    @property
    def summary(self) -> list[Count]:
        return summary(self.rows)


def corporate_priorities(year: int | None) -> QuerySet[Priority]:
    """Priorities of the approved corporate plans covering a financial year (any year when
    None), with their published indicators prefetched (two queries when evaluated)."""
    chosen = Priority.objects.filter(plan__kind=PlanKind.CORPORATE, plan__status=PlanStatus.APPROVED)
    if year is not None:
        chosen = chosen.filter(plan__first_year__lte=year, plan__last_year__gte=year)
    return (
        chosen.select_related("plan")
        .prefetch_related(
            Prefetch(
                "indicators",
                queryset=Indicator.objects.published().select_related(*INDICATOR_RELATIONS),
                to_attr="published",
            )
        )
        .order_by("plan__title", "position", "title")
    )


def priority_views(year: int, end: datetime.date) -> list[PriorityView]:
    """The corporate priorities for a year with each published indicator's figure for its
    latest period ending by end, and their composites. Six queries."""
    priorities = list(corporate_priorities(year))
    indicators = {i.pk: i for p in priorities for i in p.published}
    figs = figures(indicators.values()) if indicators else {}
    thresholds = thresholds_on(end) if priorities else Thresholds()
    return [
        PriorityView(p, [Row(i, current_figure(figs.get(i.pk, []), i.frequency, end)) for i in p.published], thresholds)
        for p in priorities
    ]


def approved_corporate_plans() -> QuerySet[Plan]:
    return Plan.objects.filter(kind=PlanKind.CORPORATE, status=PlanStatus.APPROVED)


# The annual report -----------------------------------------------------------------------


def year_end_figure(figs: list[Figure], frequency: str, year: int) -> Figure | None:
    """The last validated figure of a financial year in the indicator's frequency."""
    chosen = None
    for figure in figs:
        if figure.period.frequency == frequency and figure.period.year == year and figure.has_figure:
            chosen = figure
    return chosen


@dataclass
class AnnualReport:
    year: int
    priorities: list[PriorityView]
    improved: list[Row]
    worsened: list[Row]
    stories: list[GoodNewsStory]
    summary: list[Count]


def annual_report(year: int) -> AnnualReport:
    """Outturns against targets by corporate priority for a financial year, what improved on
    the year before and what did not, and the year's published good news. Seven queries."""
    priorities = list(corporate_priorities(year))
    indicators = {i.pk: i for p in priorities for i in p.published}
    years = list(Period.objects.filter(year__in=[year - 1, year]))
    figs = figures(indicators.values(), periods=years) if indicators else {}
    thresholds = thresholds_on(datetime.date(year + 1, 3, 31)) if priorities else Thresholds()
    views = [
        PriorityView(
            p, [Row(i, year_end_figure(figs.get(i.pk, []), i.frequency, year)) for i in p.published], thresholds
        )
        for p in priorities
    ]
    rows = {row.indicator.pk: row for view in views for row in view.rows}
    ordered = sorted(rows.values(), key=lambda row: row.indicator.code)
    start, end = datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)
    return AnnualReport(
        year=year,
        priorities=views,
        improved=[r for r in ordered if r.figure and r.figure.travel_last_year == Travel.IMPROVING],
        worsened=[r for r in ordered if r.figure and r.figure.travel_last_year == Travel.WORSENING],
        stories=list(published_stories().filter(date__range=(start, end))),
        summary=summary(ordered),
    )


def report_years() -> list[int]:
    """Financial years with a validated figure of a published indicator, newest first."""
    return sorted(
        set(Outturn.objects.published().values_list("period__year", flat=True).distinct()),
        reverse=True,
    )


def published_stories() -> QuerySet[GoodNewsStory]:
    """Published good news stories, with a link only to a published indicator."""
    return GoodNewsStory.objects.published().select_related("indicator", "priority__plan")
