"""The public read layer: what residents, the open data and the API may see.

Only published data leaves through here, whatever the caller asks for:

- indicators that are published (and collected);
- figures of validated outturns only (draft, submitted and returned figures do not exist
  publicly), with their commentary only when it was marked public;
- targets that are signed off only;
- each rating as indicators.shown.shown_rating gives it for the public, the same word as
  inside PMIS: Green, Amber or Red only for a validated figure whose target for the same
  period is signed off, else "Target not yet agreed"; a figure entered and not validated is
  "Not yet validated" for its period (its value never leaves), and a period is never filled
  with an earlier period's figure;
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

from indicators import shown
from indicators.models import (
    Frequency,
    Indicator,
    Outturn,
    OutturnState,
    Period,
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

NOT_PUBLISHED = shown.NOT_PUBLISHED
NOT_VALIDATED = shown.NOT_VALIDATED
TARGET_NOT_AGREED = shown.TARGET_NOT_AGREED
RATED = {Rag.GREEN, Rag.AMBER, Rag.RED}
# The same words as inside PMIS (indicators.shown), and the public pages' own reasons.
STATUS_LABELS = shown.LABELS
# The order of the public summary, and "worst first".
SUMMARY = [
    Rag.GREEN,
    Rag.AMBER,
    Rag.RED,
    TARGET_NOT_AGREED,
    Rag.NO_TARGET,
    Rag.DATA_ONLY,
    Rag.NOT_AVAILABLE,
    NOT_VALIDATED,
    NOT_PUBLISHED,
]
# Statuses of a period the public sees no figure for.
WITHOUT_FIGURE = {NOT_PUBLISHED, NOT_VALIDATED}
TRAVEL_LABELS = dict(Travel.choices)
LAST_NUMBER = {Frequency.MONTH: 12, Frequency.QUARTER: 4, Frequency.YEAR: 1}
INDICATOR_RELATIONS = ("service__directorate", "portfolio", "national_indicator")


@dataclass(slots=True)
class Figure:
    """One period of a published indicator as the public sees it.

    value is the period's validated figure as entered; actual the figure rated (the year to date
    of a cumulative indicator); target the signed-off target. A period with a signed-off
    target and no figure has status NOT_PUBLISHED, one with a figure not yet validated
    NOT_VALIDATED, and neither has a value. overridden and computed: the performance team's
    override of the computed rating (indicators.shown).
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
    overridden: bool = False
    computed: str = ""

    @property
    def has_figure(self) -> bool:
        return self.status not in WITHOUT_FIGURE

    @property
    def rating_words(self) -> str:
        """The status with its marker: "Green (overridden, computed Red)"."""
        return shown.ShownRating(self.status, self.computed, self.overridden).words

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
            return self.status_label
        if self.not_available_reason:
            return "Not available"
        if self.shown is None and self.value is not None:
            return f"{self.formatted(self.value)} in this period (year to date not yet complete)"
        return self.formatted(self.shown)

    @property
    def target_text(self) -> str:
        if self.target is not None:
            return self.formatted(self.target)
        return "Not yet agreed" if self.status == TARGET_NOT_AGREED else "No signed-off target"

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
    "state",
    "value",
    "not_available_reason",
    "commentary",
    "commentary_is_public",
    "rating__rag",
    "rating__override_rag",
    "rating__actual",
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
    returned. Three queries (two when periods are given): periods, outturns with their
    ratings (of a figure not validated only that it exists), targets (of one not signed off
    only that it is not).
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

    outturns = Outturn.objects.of_published_indicators().filter(indicator_id__in=ids)
    targets = Target.objects.filter(indicator_id__in=ids)
    if periods is not None:
        outturns = outturns.filter(period_id__in=list(by_id))
        targets = targets.filter(period_id__in=list(by_id))
    validated: dict[tuple[int, int], tuple] = {}
    entered: set[tuple[int, int]] = set()
    for row in outturns.order_by().values_list(*OUTTURN_FIELDS):
        key = (row[0], row[1])
        if row[2] == OutturnState.VALIDATED:
            validated[key] = row
        else:
            # A figure not validated: only that there is one (nothing of it leaves here).
            entered.add(key)
    signed_off, target_statuses = {}, {}
    for indicator_id, period_id, value, status in targets.order_by().values_list(
        "indicator_id", "period_id", "value", "status"
    ):
        target_statuses[(indicator_id, period_id)] = status
        if status == TargetStatus.SIGNED_OFF:
            signed_off[(indicator_id, period_id)] = value

    def is_validated(indicator_id: int, key: tuple[str, int, int]) -> bool:
        period = by_key.get(key)
        return period is not None and (indicator_id, period.pk) in validated

    result: dict[int, list[Figure]] = defaultdict(list)
    for indicator_id, period_id in sorted(
        set(validated) | entered | set(signed_off), key=lambda k: (by_id[k[1]].end, -by_id[k[1]].start.toordinal())
    ):
        if wanted is not None and period_id not in wanted:
            continue
        indicator = indicators[indicator_id]
        period = by_id[period_id]
        target = signed_off.get((indicator_id, period_id))
        figure = Figure(indicator=indicator, period=period, target=_quantize(indicator, target))
        if (indicator_id, period_id) in entered:
            figure.status = NOT_VALIDATED
        row = validated.get((indicator_id, period_id))
        if row is not None:
            (_, _, _, value, reason, commentary, public, rag, override, actual, previous, last_year) = row
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
            if rag:
                rating = shown.shown_rating(
                    rag_computed=rag,
                    override=override,
                    target_signed_off=target_statuses.get((indicator_id, period_id)) == TargetStatus.SIGNED_OFF,
                    public=True,
                    year_to_date_validated=year_complete,
                )
                figure.status = rating.status
                figure.overridden, figure.computed = rating.overridden, rating.computed
            else:
                figure.status = Rag.NOT_AVAILABLE if reason else Rag.NO_TARGET
                if not year_complete:
                    figure.status = Rag.INCOMPLETE
            if year_complete:
                figure.actual = _quantize(indicator, actual) if actual is not None else figure.value
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


def current_periods(periods: Iterable[Period], end: datetime.date) -> dict[str, Period]:
    """Each frequency's latest period ending on or before end: the period a row shows, as
    the internal scorecard chooses it (reviews.scorecards.Periods.current)."""
    current: dict[str, Period] = {}
    for period in periods:
        if period.end <= end:
            chosen = current.get(period.frequency)
            if chosen is None or (period.end, -period.start.toordinal()) > (chosen.end, -chosen.start.toordinal()):
                current[period.frequency] = period
    return current


def current_figure(figs: list[Figure], period: Period | None) -> Figure | None:
    """The indicator's figure for period (its current one), whatever its status: a period
    whose figure is not yet published says so, rather than an earlier period standing in."""
    if period is None:
        return None
    return next((figure for figure in figs if figure.period.pk == period.pk), None)


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
        counts[shown.public_summary_key(row.status)] += 1
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
    current = current_periods(all_periods, period.end)
    rows = [Row(i, current_figure(figs.get(i.pk, []), current.get(i.frequency))) for i in indicators]
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
    figs, current = {}, {}
    if indicators:
        # Two years back: an annual indicator's current year, and the one before it to compare.
        years = list(Period.objects.filter(year__gte=year - 2, year__lte=year))
        figs = figures(indicators.values(), periods=years)
        current = current_periods(years, end)
    thresholds = thresholds_on(end) if priorities else Thresholds()
    return [
        PriorityView(
            p, [Row(i, current_figure(figs.get(i.pk, []), current.get(i.frequency))) for i in p.published], thresholds
        )
        for p in priorities
    ]


def approved_corporate_plans() -> QuerySet[Plan]:
    return Plan.objects.filter(kind=PlanKind.CORPORATE, status=PlanStatus.APPROVED)


# The annual report -----------------------------------------------------------------------


def year_end_figure(figs: list[Figure], frequency: str, year: int) -> Figure | None:
    """The figure of a financial year's last period in the indicator's frequency, whatever its
    status (not yet validated says so, rather than an earlier period standing in)."""
    last = LAST_NUMBER[frequency]
    return next(
        (f for f in figs if f.period.frequency == frequency and f.period.year == year and f.period.number == last),
        None,
    )


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
