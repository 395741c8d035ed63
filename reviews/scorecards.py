"""The read layer of scorecards and the exception report (docs/domain.md, "Reviewing performance").

Given a set of indicators and a reporting period P, each indicator is reported for its
"current" period: the latest period of its own frequency that ends on or before P's end
(the last month of a quarter for a monthly indicator, the last year ended for an annual
one). Each function here runs a fixed number of SQL queries however many indicators and
periods there are: the periods once, then one query each for the indicators, the outturns
with their ratings, the previous period's statuses, the trend figures and the targets;
everything else is worked out in Python.
"""

import datetime
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import CharField, Exists, Func, OuterRef, QuerySet, Value

from indicators import shown as display
from indicators.charts import sparkline
from indicators.models import (
    Indicator,
    Outturn,
    OutturnState,
    Period,
    Rag,
    Rating,
    Target,
    TargetStatus,
    Unit,
    format_figure,
    tolerance_words,
)
from indicators.periods import NOT_COLLECTED, NOT_YET_DUE, OVERDUE, RETURN_LABELS, collects

# Periods in a sparkline, the current one last.
TREND_LENGTH = 8
COMMENTARY_LENGTH = 160

# Statuses of a row besides the ratings: the return is missing after its due date, is not
# due yet, the indicator does not collect a figure for the period (before its collected-from
# period or after its retired-after period), or there is no period of the indicator's
# frequency on or before the one chosen.
NOT_DUE = NOT_YET_DUE
NO_PERIOD = "no_period"
STATUS_LABELS = {
    **dict(Rag.choices),
    OVERDUE: "Overdue",
    NOT_DUE: "Not yet due",
    NOT_COLLECTED: RETURN_LABELS[NOT_COLLECTED],
    NO_PERIOD: "No period",
    display.NOT_PUBLISHED: display.LABELS[display.NOT_PUBLISHED],
    display.NOT_VALIDATED: display.LABELS[display.NOT_VALIDATED],
    display.TARGET_NOT_AGREED: display.LABELS[display.TARGET_NOT_AGREED],
}
# The summary's counts, in the order shown. A year to date that cannot be formed counts
# as not available.
SUMMARY = [
    (Rag.GREEN, "Green"),
    (Rag.AMBER, "Amber"),
    (Rag.RED, "Red"),
    (Rag.NO_TARGET, "No target"),
    (Rag.DATA_ONLY, "Data only"),
    (Rag.NOT_AVAILABLE, "Not available or incomplete"),
    (OVERDUE, "Overdue"),
]
# Counted apart, each shown only when there is one: ratings against targets not yet signed
# off; and with "as the public sees it", the periods the public pages show no rating for.
PROVISIONAL_SUMMARY = [
    (f"{display.PROVISIONAL}_{Rag.GREEN}", "Green, provisional (target not signed off)"),
    (f"{display.PROVISIONAL}_{Rag.AMBER}", "Amber, provisional (target not signed off)"),
    (f"{display.PROVISIONAL}_{Rag.RED}", "Red, provisional (target not signed off)"),
]
PUBLIC_SUMMARY = [
    (display.TARGET_NOT_AGREED, display.LABELS[display.TARGET_NOT_AGREED]),
    (display.NOT_VALIDATED, display.LABELS[display.NOT_VALIDATED]),
    (display.NOT_PUBLISHED, display.LABELS[display.NOT_PUBLISHED]),
]
SUMMARY_BUCKET = {Rag.INCOMPLETE: Rag.NOT_AVAILABLE}
# Without a figure, the public pages say only that the period's figure is not yet published.
PUBLIC_WITHOUT_FIGURE = {OVERDUE, NOT_DUE, NOT_COLLECTED, NO_PERIOD}

RAG_LABELS = dict(Rag.choices)
UNIT_LABELS = dict(Unit.choices)


# Light stand-ins for the rows' indicators, outturns, ratings and targets, read with
# values_list(): building thousands of model instances was most of a council scorecard's
# read time.
@dataclass(slots=True)
class RowIndicator:
    """The fields of an Indicator a scorecard row uses, with its service's and officer's names."""

    pk: int
    code: str
    title: str
    unit: str
    decimal_places: int
    frequency: str
    service: str
    responsible_officer: str
    # The start of its collected-from period and the end of its retired-after period.
    collected_from: datetime.date | None = None
    retired_after: datetime.date | None = None

    def format_value(self, value: Decimal | None) -> str:
        return format_figure(value, self.unit, self.decimal_places)

    def get_unit_display(self) -> str:
        return UNIT_LABELS.get(self.unit, self.unit)


INDICATOR_FIELDS = (
    "pk",
    "code",
    "title",
    "unit",
    "decimal_places",
    "frequency",
    "service__name",
    "responsible_officer__first_name",
    "responsible_officer__last_name",
    "responsible_officer__username",
    "collected_from__start",
    "retired_after__end",
)


def _row_indicators(indicators: QuerySet[Indicator]) -> list[RowIndicator]:
    """The indicators as RowIndicators, in the queryset's order (one query)."""
    rows = []
    for *fields, service, first_name, last_name, username, collected_from, retired_after in indicators.values_list(
        *INDICATOR_FIELDS
    ):
        # The officer's name as User.__str__ gives it: full name, else username.
        officer = f"{first_name} {last_name}".strip() or username or ""
        rows.append(RowIndicator(*fields, service or "", officer, collected_from, retired_after))
    return rows


@dataclass(slots=True)
class RowRating:
    """The fields of a Rating a scorecard row uses."""

    rag: str
    override_rag: str
    actual: Decimal | None
    target: Decimal | None
    tolerance: Decimal
    tolerance_mode: str
    travel_previous: str
    travel_last_year: str
    # Statistical process control and the year-end forecast (indicators/spc.py, forecast.py).
    variation: str = ""
    assurance: str = ""
    likely_to_miss: bool = False
    forecast: Decimal | None = None
    forecast_target: Decimal | None = None

    @property
    def shown_rag(self) -> str:
        return self.override_rag or self.rag

    def get_rag_display(self) -> str:
        return RAG_LABELS.get(self.rag, self.rag)


@dataclass(slots=True)
class RowOutturn:
    """The fields of an Outturn a scorecard row uses, with its rating (None when unrated)."""

    value: Decimal | None
    not_available_reason: str
    commentary: str
    rating: RowRating | None
    # The status it gives its row (_outturn_status).
    status: str
    # The rating as shown (indicators.shown), None when unrated.
    shown: display.ShownRating | None = None
    # Draft, submitted, returned or validated.
    state: str = ""


@dataclass(slots=True)
class RowTarget:
    """The fields of a Target a scorecard row uses."""

    value: Decimal | None
    status: str


OUTTURN_FIELDS = (
    "indicator_id",
    "period_id",
    "state",
    "value",
    "not_available_reason",
    "commentary",
    "rating__rag",
    "rating__override_rag",
    "rating__actual",
    "rating__target",
    "rating__tolerance",
    "rating__tolerance_mode",
    "rating__travel_previous",
    "rating__travel_last_year",
    "rating__variation",
    "rating__assurance",
    "rating__likely_to_miss",
    "rating__forecast",
    "rating__forecast_target",
)


class FigureText(Func):
    """A figure's text to a number of decimal places (both expressions), halves rounded away
    from zero as Indicator.quantize does: 85.25 to 1 place is "85.3", 85 to 2 is "85.00".

    Worked out by the database: rounding thousands of trend figures in Python was a tenth
    of a council scorecard's time.
    """

    output_field = CharField()
    arity = 2

    def as_sql(self, compiler, connection, **extra_context):
        # PostgreSQL rounds a numeric exactly, and writes exactly the places it rounded to.
        return super().as_sql(compiler, connection, template="CAST(ROUND(%(expressions)s) AS TEXT)", **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite holds the figure as a binary real; its printf rounds the decimal it reads as.
        (value, value_params), (places, places_params) = map(compiler.compile, self.get_source_expressions())
        return f"printf('%%.*f', {places}, {value})", [*places_params, *value_params]


def _shown(
    rag: str | None,
    override_rag: str | None,
    target_status: str | None,
    state: str,
    *,
    public: bool,
    year_to_date_validated: bool = True,
) -> display.ShownRating | None:
    """An outturn's rating as shown (indicators.shown.shown_rating); None when unrated (and,
    for the public, validated)."""
    if rag is None and not (public and state != OutturnState.VALIDATED):
        return None
    return display.shown_rating_of(
        rag or "",
        override_rag or "",
        target_status == TargetStatus.SIGNED_OFF,
        state == OutturnState.VALIDATED,
        public,
        year_to_date_validated,
    )


def _outturn_status(rating: display.ShownRating | None, reason: str) -> str:
    """The status an outturn gives its row: its shown rating; unrated, not available, or
    not yet due (a figure awaiting its rating)."""
    if rating is not None:
        return rating.status
    return Rag.NOT_AVAILABLE if reason else NOT_DUE


def _status(indicator: RowIndicator, period: Period | None, outturn_status: str | None, today: datetime.date) -> str:
    """A row's status: its outturn's (above); without one, not collected, overdue, not yet
    due or no period."""
    if outturn_status is not None:
        return outturn_status
    if period is None:
        return NO_PERIOD
    if not collects(period.start, period.end, indicator.collected_from, indicator.retired_after):
        return NOT_COLLECTED
    return OVERDUE if period.is_overdue(today) else NOT_DUE


@dataclass
class Row:
    """One indicator as a scorecard shows it for its current period."""

    indicator: RowIndicator
    period: Period | None
    outturn: RowOutturn | None
    target: RowTarget | None
    # The shown rating, else not available, overdue, not yet due or no period.
    status: str
    # The recent periods' labels, oldest first, and the figure rated for each (its text to
    # the indicator's places; None without one): the trend line.
    trend_labels: Sequence[str] = ()
    trend_figures: Sequence[str | None] = ()
    # The period's label when known (worked out once per period, not per row).
    period_label: str = ""

    @property
    def rating(self) -> RowRating | None:
        return self.outturn.rating if self.outturn else None

    @property
    def shown(self) -> display.ShownRating | None:
        """The rating as shown (indicators.shown), None for a row without a rated figure."""
        return self.outturn.shown if self.outturn else None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def rating_words(self) -> str:
        """The status with its markers, for files and papers: "Red (provisional: target not
        signed off)", "Green (overridden, computed Red)"."""
        rating = self.shown
        return rating.words if rating is not None else self.status_label

    @property
    def summary_key(self) -> str:
        """The summary count the row falls in: a provisional rating apart from the others."""
        rating = self.shown
        if rating is not None:
            return rating.summary_key
        return SUMMARY_BUCKET.get(self.status, self.status)

    @property
    def provisional(self) -> bool:
        return bool(self.shown and self.shown.provisional)

    @property
    def computed_rag(self) -> str:
        return self.shown.computed if self.shown else ""

    @property
    def computed_label(self) -> str:
        return self.shown.computed_label if self.shown else ""

    @property
    def is_overridden(self) -> bool:
        return bool(self.shown and self.shown.overridden)

    @property
    def actual(self) -> Decimal | None:
        """The figure rated (year to date for a cumulative indicator)."""
        if self.rating is not None:
            return self.rating.actual
        return self.outturn.value if self.outturn else None

    @property
    def target_value(self) -> Decimal | None:
        """The target the figure was rated against, else the period's current target."""
        if self.rating is not None and self.rating.target is not None:
            return self.rating.target
        return self.target.value if self.target else None

    @property
    def signed_off(self) -> bool:
        return self.target is not None and self.target.status == TargetStatus.SIGNED_OFF

    @property
    def travel_previous(self) -> str:
        return self.rating.travel_previous if self.rating else ""

    @property
    def travel_last_year(self) -> str:
        return self.rating.travel_last_year if self.rating else ""

    @property
    def commentary(self) -> str:
        return self.outturn.commentary if self.outturn else ""

    @cached_property
    def commentary_start(self) -> str:
        text = self.commentary
        return text if len(text) <= COMMENTARY_LENGTH else text[: COMMENTARY_LENGTH - 1].rstrip() + "…"

    @property
    def tolerance_text(self) -> str:
        """The tolerance the rating used, in words (indicators.models.tolerance_words)."""
        rating = self.rating
        if rating is None:
            return ""
        indicator = self.indicator
        return tolerance_words(rating.tolerance, rating.tolerance_mode, indicator.unit, indicator.decimal_places)

    @property
    def trend(self) -> list[tuple[str, str | None]]:
        """The trend line's (period label, figure) pairs."""
        return list(zip(self.trend_labels, self.trend_figures, strict=True))

    @cached_property
    def sparkline(self) -> str:
        if self.period is None:
            return ""
        label = self.period_label or self.period.label
        return sparkline(
            self.trend_labels,
            self.trend_figures,
            title=f"{self.indicator.code}: recent figures to {label}",
            chart_id=f"trend-{self.indicator.pk}",
        )

    @property
    def variation(self) -> str:
        return self.rating.variation if self.rating else ""

    @property
    def assurance(self) -> str:
        return self.rating.assurance if self.rating else ""

    @property
    def likely_to_miss(self) -> bool:
        return bool(self.rating and self.rating.likely_to_miss)


@dataclass
class Count:
    status: str
    label: str
    count: int
    previous: int | None

    @property
    def change(self) -> int | None:
        return None if self.previous is None else self.count - self.previous

    def in_words(self, since: Period | None) -> str:
        """ "Red: 12 (up 3 since 2026/27 Q1)"."""
        text = f"{self.label}: {self.count}"
        change = self.change
        if change is None or since is None:
            return text
        if change == 0:
            return f"{text} (no change since {since.label})"
        return f"{text} ({'up' if change > 0 else 'down'} {abs(change)} since {since.label})"


@dataclass
class Report:
    """A scorecard for a reporting period: its rows and the summary of their statuses."""

    period: Period
    previous: Period | None
    rows: list[Row]
    summary: list[Count]

    def summary_in_words(self) -> list[str]:
        return [count.in_words(self.previous) for count in self.summary]


class Periods:
    """Every period, fetched once, indexed by frequency in order of end date."""

    def __init__(self, periods: Iterable[Period]):
        self.all = sorted(periods, key=lambda p: (p.end, -p.start.toordinal()))
        self.by_frequency: dict[str, list[Period]] = defaultdict(list)
        for period in self.all:
            self.by_frequency[period.frequency].append(period)
        self._ends = {f: [p.end for p in ps] for f, ps in self.by_frequency.items()}

    @classmethod
    def fetch(cls) -> "Periods":
        return cls(Period.objects.all())

    def current_index(self, frequency: str, end: datetime.date) -> int | None:
        """Index in by_frequency[frequency] of the latest period ending on or before end."""
        index = bisect_right(self._ends.get(frequency, []), end) - 1
        return index if index >= 0 else None

    def current(self, frequency: str, end: datetime.date) -> Period | None:
        index = self.current_index(frequency, end)
        return None if index is None else self.by_frequency[frequency][index]

    def recent(self, frequency: str, end: datetime.date, count: int = TREND_LENGTH) -> list[Period]:
        """Up to count periods of a frequency ending on or before end, oldest first."""
        index = self.current_index(frequency, end)
        return [] if index is None else self.by_frequency[frequency][max(0, index - count + 1) : index + 1]

    def before(self, period: Period) -> Period | None:
        """The period of the same frequency just before this one."""
        same = self.by_frequency.get(period.frequency, [])
        index = next((i for i, p in enumerate(same) if p.pk == period.pk), None)
        return same[index - 1] if index else None

    def ended(self, today: datetime.date) -> list[Period]:
        """Periods that have ended, newest first: the choices of the period picker."""
        return [p for p in reversed(self.all) if p.end < today]

    def get(self, pk: int) -> Period | None:
        return next((p for p in self.all if p.pk == pk), None)


def _status_counts(keys: Iterable[str]) -> Counter:
    """Counts of the rows' summary keys (Row.summary_key)."""
    bucket = SUMMARY_BUCKET.get
    return Counter(bucket(key, key) for key in keys)


def _summary_key(status: str, rating: display.ShownRating | None) -> str:
    return rating.summary_key if rating is not None else status


def _year_unvalidated():
    """Whether the figure is of a cumulative indicator and an earlier period of its year has a
    figure not validated: the public pages form no year to date from it (an Exists)."""
    return Exists(
        Outturn.objects.filter(
            indicator_id=OuterRef("indicator_id"),
            indicator__is_cumulative=True,
            period__frequency=OuterRef("period__frequency"),
            period__year=OuterRef("period__year"),
            period__number__lt=OuterRef("period__number"),
        ).exclude(state=OutturnState.VALIDATED)
    )


def scorecard(
    indicators: QuerySet[Indicator],
    period: Period,
    *,
    periods: Periods | None = None,
    today: datetime.date,
    public: bool = False,
) -> Report:
    """The rows of a scorecard for a reporting period, with the summary of their statuses.

    Rows follow the indicators' order. Each summary count carries its value for the
    previous reporting period (the period of the same frequency before), so the change
    can be told; ratings against targets not signed off are counted apart. With public,
    the scorecard as the public sees it: published indicators only, each rating as the
    public pages show it (indicators.shown), a period without a figure as not yet
    published. Five queries (six without periods): indicators, targets, outturns with their
    ratings, the previous period's statuses, trend figures.
    """
    periods = periods or Periods.fetch()
    if public:
        indicators = indicators.filter(pk__in=Indicator.objects.published().values("pk"))
    chosen = indicators
    indicators = _row_indicators(chosen)
    previous = periods.before(period)

    frequencies = {indicator.frequency for indicator in indicators}
    current = {f: periods.current(f, period.end) for f in frequencies}
    recent = {f: periods.recent(f, period.end) for f in frequencies}
    earlier = {f: periods.current(f, previous.end) if previous else None for f in frequencies}
    wanted = {p.pk for ps in recent.values() for p in ps} | {p.pk for p in earlier.values() if p}

    # The indicators' ids as a subquery, not a list: Django prepares each id of a list,
    # which cost more than the queries at 2,000 indicators. An empty list runs no query.
    ids = chosen.values("pk") if indicators else []
    current_ids = {p.pk for p in current.values() if p}
    earlier_ids = {p.pk for p in earlier.values() if p}
    # The targets of the rows' periods and of the previous reporting period's.
    targets = {
        (indicator_id, period_id): RowTarget(value, status)
        for indicator_id, period_id, value, status in Target.objects.filter(
            indicator_id__in=ids, period_id__in=current_ids | earlier_ids
        )
        .order_by()
        .values_list("indicator_id", "period_id", "value", "status")
    }
    # Outturns with their ratings for the rows' periods, and for the previous reporting
    # period's counts just what gives a status. No ordering: the rows keep the indicators'.
    current_outturns = Outturn.objects.filter(indicator_id__in=ids, period_id__in=current_ids).order_by()
    if public:
        current_outturns = current_outturns.annotate(year_unvalidated=_year_unvalidated())
        fields = (*OUTTURN_FIELDS, "year_unvalidated")
    else:
        fields = OUTTURN_FIELDS
    outturns = {}
    for (
        indicator_id,
        period_id,
        state,
        value,
        reason,
        commentary,
        rag,
        override_rag,
        *rating,
    ) in current_outturns.values_list(*fields):
        year_validated = not (public and rating.pop())
        target = targets.get((indicator_id, period_id))
        rated = _shown(
            rag,
            override_rag,
            target.status if target else None,
            state,
            public=public,
            year_to_date_validated=year_validated,
        )
        outturns[(indicator_id, period_id)] = RowOutturn(
            value,
            reason,
            commentary,
            None if rag is None else RowRating(rag, override_rag, *rating),
            _outturn_status(rated, reason),
            rated,
            state,
        )
    earlier_outturns = Outturn.objects.filter(indicator_id__in=ids, period_id__in=earlier_ids).order_by()
    if public:
        earlier_outturns = earlier_outturns.annotate(year_unvalidated=_year_unvalidated())
    else:
        earlier_outturns = earlier_outturns.annotate(year_unvalidated=Value(False))
    statuses_before = {}
    for indicator_id, period_id, state, reason, rag, override_rag, unvalidated in earlier_outturns.values_list(
        "indicator_id",
        "period_id",
        "state",
        "not_available_reason",
        "rating__rag",
        "rating__override_rag",
        "year_unvalidated",
    ):
        target = targets.get((indicator_id, period_id))
        rated = _shown(
            rag,
            override_rag,
            target.status if target else None,
            state,
            public=public,
            year_to_date_validated=not unvalidated,
        )
        statuses_before[(indicator_id, period_id)] = (_outturn_status(rated, reason), rated)
    # Each indicator's rated figures by period, as text to its places: making a Decimal of
    # each was half the read's time at thousands of rows, and the trend lines need only text.
    figures: dict[int, dict[int, str]] = defaultdict(dict)
    trend = Rating.objects.filter(outturn__indicator_id__in=ids, outturn__period_id__in=wanted)
    if public:
        # The public sees no unvalidated figure, in a trend line either.
        trend = trend.filter(outturn__state=OutturnState.VALIDATED)
    for indicator_id, period_id, actual in trend.order_by().values_list(
        "outturn__indicator_id",
        "outturn__period_id",
        FigureText("actual", "outturn__indicator__decimal_places"),
    ):
        figures[indicator_id][period_id] = actual

    # Worked out once, not per row: each frequency's trend periods and their labels.
    trend_ids = {f: [p.pk for p in ps] for f, ps in recent.items()}
    trend_labels = {f: [p.label for p in ps] for f, ps in recent.items()}
    period_labels = {p.pk: p.label for p in current.values() if p}
    no_figures: dict[int, str] = {}

    def without_figure(status: str) -> str:
        return display.NOT_PUBLISHED if public and status in PUBLIC_WITHOUT_FIGURE else status

    def row_for(indicator: RowIndicator) -> Row:
        this = current[indicator.frequency]
        if this is None:
            return Row(indicator, None, None, None, without_figure(NO_PERIOD))
        key = (indicator.pk, this.pk)
        outturn = outturns.get(key)
        mine = figures.get(indicator.pk, no_figures)
        return Row(
            indicator,
            this,
            outturn,
            targets.get(key),
            without_figure(_status(indicator, this, outturn.status if outturn else None, today)),
            trend_labels[indicator.frequency],
            [mine.get(period_id) for period_id in trend_ids[indicator.frequency]],
            period_labels[this.pk],
        )

    def key_before(indicator: RowIndicator) -> str:
        """The summary key a row had for the previous reporting period (no Row needed)."""
        this = earlier[indicator.frequency]
        status, rated = statuses_before.get((indicator.pk, this.pk), (None, None)) if this else (None, None)
        return _summary_key(without_figure(_status(indicator, this, status, today)), rated)

    rows = [row_for(i) for i in indicators]
    now = _status_counts(row.summary_key for row in rows)
    before = _status_counts(key_before(i) for i in indicators) if previous else None
    # The public pages count no overdue returns: a period without a figure is not yet published.
    base = [(status, label) for status, label in SUMMARY if not (public and status == OVERDUE)]
    summary = [
        Count(status, label, now[status], before[status] if before is not None else None) for status, label in base
    ]
    extra = [*PROVISIONAL_SUMMARY, *(PUBLIC_SUMMARY if public else [])]
    extra += [(status, STATUS_LABELS[status]) for status in (NOT_DUE, NOT_COLLECTED)]
    for status, label in extra:
        if now[status]:
            summary.append(Count(status, label, now[status], before[status] if before is not None else None))
    return Report(period=period, previous=previous, rows=rows, summary=summary)


@dataclass
class ExceptionReport:
    """What needs attention for a period: Red and Amber, overdue, targets not signed off."""

    period: Period
    red_and_amber: list[Row]
    overdue: list[Row]
    targets_not_signed_off: list[Target]
    # Cumulative indicators whose year-end forecast is outside tolerance of the annual
    # target: only when asked for (include_likely_to_miss).
    likely_to_miss: list[Row] = field(default_factory=list)
    includes_likely_to_miss: bool = False


def exceptions(
    indicators: QuerySet[Indicator],
    period: Period,
    *,
    periods: Periods | None = None,
    today: datetime.date,
    include_likely_to_miss: bool = False,
) -> ExceptionReport:
    """The exception report for the indicators and reporting period.

    Red before Amber (the shown rating, so an override counts), then by code; overdue
    returns by code; the targets of the period's financial year that are not signed off,
    by indicator and period; with include_likely_to_miss, the rows whose year-end forecast is
    likely to miss, by code. Six queries (seven without periods).
    """
    report = scorecard(indicators, period, periods=periods, today=today)
    rank = {Rag.RED: 0, Rag.AMBER: 1}
    red_and_amber = sorted(
        (row for row in report.rows if row.status in rank),
        key=lambda row: (rank[row.status], row.indicator.code),
    )
    targets = list(
        Target.objects.filter(indicator_id__in=[row.indicator.pk for row in report.rows], period__year=period.year)
        .exclude(status=TargetStatus.SIGNED_OFF)
        .select_related("indicator", "period")
        .order_by("indicator__code", "period__end", "-period__start")
    )
    return ExceptionReport(
        period=period,
        red_and_amber=red_and_amber,
        overdue=[row for row in report.rows if row.status == OVERDUE],
        targets_not_signed_off=targets,
        likely_to_miss=[row for row in report.rows if row.likely_to_miss] if include_likely_to_miss else [],
        includes_likely_to_miss=include_likely_to_miss,
    )
