"""The rating engine: every outturn rated against its target with the tolerance in force,
with its direction of travel, SPC variation and assurance and year-end forecast, stored as
Rating rows. Reads only what it rates and writes only ratings; the writes that change what
an outturn is rated against (indicators.services) call ratings_refresh or
ratings_recalculate in their own transaction, holding the indicators' locks
(lock_indicators).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from . import forecast, rag, spc, year_to_date
from .models import (
    ADDITIVE_UNITS,
    Frequency,
    Indicator,
    Outturn,
    Period,
    Rating,
    SpcBaseline,
    Target,
    TolerancePolicy,
    policy_in_force,
)
from .periods import PERIODS_PER_YEAR

RATING_FIELDS = [
    "rag",
    "actual",
    "target",
    "tolerance",
    "tolerance_mode",
    "policy",
    "travel_previous",
    "travel_last_year",
    "rated_at",
    "variation",
    "assurance",
    "forecast",
    "forecast_target",
    "forecast_method",
    "likely_to_miss",
]
# Indicators re-rated per batch in a bulk recalculation: memory stays bounded, and each
# batch costs a fixed number of queries.
BATCH_SIZE = 500


def position(frequency: str, year: int, number: int) -> int:
    """A period's place in its frequency's sequence: consecutive periods, consecutive numbers."""
    return year * PERIODS_PER_YEAR[frequency] + number - 1


class Figure(NamedTuple):
    """An outturn as the rating engine reads it: ref is its key (the Outturn itself for a preview)."""

    ref: object
    year: int
    number: int
    start: datetime.date
    period_id: int
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None


@dataclass
class History:
    """Everything about an indicator's past that its ratings' statistics need.

    figures: (year, number) -> the period's own figure, every period with one;
    baseline: the positions of a fixed SPC baseline, or None;
    annual_targets: financial year -> annual target.
    """

    figures: dict[tuple[int, int], Decimal] = field(default_factory=dict)
    baseline: tuple[int, int] | None = None
    annual_targets: dict[int, Decimal] = field(default_factory=dict)


class _Corporate:
    """The corporate policy rating each period, from TolerancePolicy.objects.timeline(),
    resolved once per period start."""

    def __init__(self, policies: list[TolerancePolicy]):
        self.policies = policies
        self.by_start: dict[datetime.date, TolerancePolicy] = {}

    def __call__(self, start: datetime.date) -> TolerancePolicy:
        policy = self.by_start.get(start)
        if policy is None:
            policy = self.by_start[start] = policy_in_force(self.policies, start)
        return policy


def _earlier_years(indicator: Indicator, history: History) -> list[tuple[int, list[Decimal], Decimal]]:
    """Each complete year of the history: (year, its year-to-date figure after each period, its total)."""
    per_year = PERIODS_PER_YEAR[indicator.frequency]
    years = []
    for year in sorted({y for y, _ in history.figures}):
        values = [history.figures.get((year, n)) for n in range(1, per_year + 1)]
        if all(v is not None for v in values):
            running, to_date = 0, []
            for value in values:
                running += value
                to_date.append(running)
            years.append((year, to_date, running))
    return years


def _rate_indicator(
    indicator: Indicator,
    figures: list[Figure],
    targets: dict[int, Decimal],
    corporate: _Corporate,
    since: datetime.date,
    now: datetime.datetime,
    history: History | None = None,
) -> list[tuple]:
    """The ratings of the indicator's figures in periods starting on or after since, each a
    tuple of the figure's ref and the values of RATING_FIELDS (the policy as its key).

    figures must include the whole financial year before since's, so that year-to-date
    figures and both directions of travel can be formed; history, every figure the
    indicator has had (for its statistics: SPC variation and assurance as known when each
    figure was reported, and year-end forecasts). One pass over the figures.
    """
    history = history or History()
    frequency, polarity = indicator.frequency, indicator.polarity
    per_year = PERIODS_PER_YEAR[frequency]
    by_key = {(f.year, f.number): f for f in figures}
    actuals = year_to_date.to_date(indicator, by_key)
    # The periods' own figures (derived from the years to date when they are entered so).
    owns = year_to_date.own(indicator, by_key)
    series = sorted(
        (spc.Point(position(frequency, y, n), value) for (y, n), value in history.figures.items()),
        key=lambda p: p.position,
    )
    reported = dict(
        zip(
            (p.position for p in series),
            spc.as_reported(
                series, polarity=polarity, min_points=settings.PMIS_SPC_MIN_POINTS, baseline=history.baseline
            ),
            strict=True,
        )
    )
    # A cumulative indicator's target is a year-to-date profile, not comparable with the
    # period's own figure: no assurance for it.
    with_assurance = not indicator.is_cumulative
    forecasting = indicator.is_cumulative and indicator.unit in ADDITIVE_UNITS
    earlier = _earlier_years(indicator, history) if forecasting else []
    own = indicator.tolerance is not None
    ratings = []
    for figure in figures:
        if figure.start < since:
            continue
        year, number, value = figure.year, figure.number, owns[(figure.year, figure.number)]
        this = actuals[(year, number)]
        target = targets.get(figure.period_id)
        policy_id = None
        if own:
            tolerance, mode = indicator.tolerance, indicator.tolerance_mode
        else:
            policy = corporate(figure.start)
            tolerance, mode, policy_id = policy.tolerance, policy.mode, policy.pk
        status = rag.rate(this, target, polarity, tolerance, mode)
        if this is None and figure.value is not None:
            status = rag.INCOMPLETE
        # Direction since the previous period compares the periods' own figures: for a
        # cumulative indicator that is like with like, where year-to-date figures are not.
        before = owns.get((year, number - 1) if number > 1 else (year - 1, per_year))
        variation = assurance = ""
        if value is not None:
            variation, lim = reported.get(position(frequency, year, number), ("", None))
            if with_assurance:
                assurance = spc.assurance(lim, target, polarity)
        found = forecast_target = None
        method, likely = "", False
        if forecasting and this is not None:
            prior = [(to_date[number - 1], total) for y, to_date, total in earlier if y < year]
            projected = forecast.year_end(year_to_date=this, number=number, periods_per_year=per_year, earlier=prior)
            if projected is not None:
                found, method = indicator.quantize(projected.value), projected.method
                forecast_target = history.annual_targets.get(year)
                likely = forecast.likely_to_miss(found, forecast_target, polarity, tolerance, mode)
        ratings.append(
            (
                figure.ref,
                status,
                this,
                target,
                tolerance,
                mode,
                policy_id,
                rag.travel(value, before, polarity) or "",
                rag.travel(this, actuals.get((year - 1, number)), polarity) or "",
                now,
                variation,
                assurance,
                found,
                forecast_target,
                method,
                likely,
            )
        )
    return ratings


def _rate_batch(ids: list[int], since: datetime.date) -> int:
    """Re-rate a batch of indicators under their row locks (the caller's transaction): a
    fixed number of queries, rows read as tuples. Returns the number of ratings written."""
    batch = {i.pk: i for i in lock_indicators(ids)}
    if not batch:
        return 0
    ratings = _ratings(batch, since, _Corporate(list(TolerancePolicy.objects.timeline())))
    _ratings_write(ratings)
    return len(ratings)


def _ratings(batch: dict[int, Indicator], since: datetime.date, corporate: "_Corporate") -> list[tuple]:
    """The ratings of the batch's outturns in periods starting on or after since, as
    _rate_indicator gives them (the outturn's key first): four queries, writing nothing."""
    figures = defaultdict(list)
    histories = {pk: History() for pk in batch}
    # Every figure: those from the year before since's form years to date and directions of
    # travel, and all of them the statistics.
    for indicator_id, *row in (
        Outturn.objects.filter(indicator_id__in=batch)
        .order_by()
        .values_list(
            "indicator_id",
            "pk",
            "period__year",
            "period__number",
            "period__start",
            "period_id",
            "value",
            "numerator",
            "denominator",
        )
    ):
        figures[indicator_id].append(Figure(*row))
    for indicator_id, indicator_figures in figures.items():
        owns = year_to_date.own(batch[indicator_id], {(f.year, f.number): f for f in indicator_figures})
        histories[indicator_id].figures = {key: value for key, value in owns.items() if value is not None}
    targets = defaultdict(dict)
    wanted = Target.objects.filter(indicator_id__in=batch).order_by()
    if since > datetime.date.min:
        wanted = wanted.filter(Q(period__start__gte=since) | Q(period__frequency=Frequency.YEAR))
    for indicator_id, period_id, frequency, year, start, value in wanted.values_list(
        "indicator_id", "period_id", "period__frequency", "period__year", "period__start", "value"
    ):
        if start >= since:
            targets[indicator_id][period_id] = value
        if frequency == Frequency.YEAR:
            histories[indicator_id].annual_targets[year] = value
    for indicator_id, first_year, first_number, last_year, last_number in SpcBaseline.objects.filter(
        indicator_id__in=batch
    ).values_list(
        "indicator_id", "first_period__year", "first_period__number", "last_period__year", "last_period__number"
    ):
        frequency = batch[indicator_id].frequency
        histories[indicator_id].baseline = (
            position(frequency, first_year, first_number),
            position(frequency, last_year, last_number),
        )
    now = timezone.now()
    ratings = []
    for indicator_id, indicator_figures in figures.items():
        ratings += _rate_indicator(
            batch[indicator_id],
            indicator_figures,
            targets[indicator_id],
            corporate,
            since,
            now,
            histories[indicator_id],
        )
    return ratings


def _ratings_write(ratings: list[tuple]) -> None:
    """Insert or update ratings (tuples as _rate_indicator gives them, ref the outturn's key),
    one statement per thousand; an override the performance team set is left as it is.

    A hand-written INSERT ... ON CONFLICT: Django's bulk_create(update_conflicts=True) does
    the same, but prepares each value through its field, which took half of a re-rating.
    """
    if not ratings:
        return
    opts = Rating._meta
    quote = connection.ops.quote_name
    columns = ["outturn_id", *(opts.get_field(name).column for name in RATING_FIELDS)]
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ", '', '')"
    # Every rating of a batch has the same time; as the database driver takes it (SQLite: naive UTC).
    at = RATING_FIELDS.index("rated_at") + 1
    rated_at = connection.ops.adapt_datetimefield_value(ratings[0][at])
    size = min(1000, (connection.features.max_query_params or 65535) // len(columns))
    with connection.cursor() as cursor:
        for offset in range(0, len(ratings), size):
            chunk = ratings[offset : offset + size]
            params = []
            for rating in chunk:
                params += rating[:at]
                params.append(rated_at)
                params += rating[at + 1 :]
            cursor.execute(
                f"INSERT INTO {quote(opts.db_table)} "
                f"({', '.join(quote(c) for c in [*columns, 'override_rag', 'override_reason'])}) "
                f"VALUES {', '.join([placeholders] * len(chunk))} "
                f"ON CONFLICT ({quote('outturn_id')}) DO UPDATE SET "
                + ", ".join(f"{quote(c)} = EXCLUDED.{quote(c)}" for c in columns[1:]),
                params,
            )


def ratings_recalculate(*, since: datetime.date | None = None, indicator_ids: Iterable[int] | None = None) -> int:
    """Re-rate every outturn in periods starting on or after since (all periods when None).

    Limited to indicator_ids when given. Works in batches of indicators, each in its own
    transaction holding the indicators' row locks, so that a figure saved meanwhile (which
    takes its indicator's lock too) is never overwritten by a rating read before it. Each
    batch is a fixed number of queries. Inside a caller's transaction (a save) a batch
    takes no savepoint: a failure rolls back the caller's transaction whole. Returns the
    number of ratings written.
    """
    if indicator_ids is None:
        ids = list(Indicator.objects.order_by("pk").values_list("pk", flat=True))
    else:
        ids = sorted(set(indicator_ids))
    since = since or datetime.date.min
    written = 0
    for offset in range(0, len(ids), BATCH_SIZE):
        with transaction.atomic(savepoint=False):
            written += _rate_batch(ids[offset : offset + BATCH_SIZE], since)
    return written


def lock_indicators(ids: Iterable[int]) -> list[Indicator]:
    """Lock indicator rows, always in key order so that two lockers cannot deadlock.

    Every write that changes what an indicator's outturns are rated against takes this
    lock first, inside its transaction.
    """
    return list(Indicator.objects.select_for_update().filter(pk__in=list(ids)).order_by("pk"))


def ratings_refresh(*, indicator: Indicator, period: Period) -> None:
    """Re-rate what a change to one indicator's figure or target for period can affect.

    That is the period itself and everything after it: later year-to-date figures and
    directions of travel are formed from it.
    """
    ratings_recalculate(since=period.start, indicator_ids=[indicator.pk])


def ratings_preview(
    *, indicator: Indicator, outturns: list[Outturn], targets: dict[int, Decimal], since: datetime.date, policies=None
) -> list[Rating]:
    """The ratings outturns (saved or not, each with its period) would get, unsaved.

    outturns must include the indicator's figures from the financial year before since's;
    targets maps period ids to target values. policies: TolerancePolicy.objects.timeline()
    (read once when None).
    """
    if policies is None:
        policies = list(TolerancePolicy.objects.timeline())
    figures = [
        Figure(o, o.period.year, o.period.number, o.period.start, o.period_id, o.value, o.numerator, o.denominator)
        for o in outturns
    ]
    by_pk = {policy.pk: policy for policy in policies}
    ratings = []
    for outturn, *values in _rate_indicator(indicator, figures, targets, _Corporate(policies), since, timezone.now()):
        fields = dict(zip(RATING_FIELDS, values, strict=True))
        fields["policy"] = by_pk.get(fields["policy"])
        ratings.append(Rating(outturn=outturn, **fields))
    return ratings


@dataclass(frozen=True)
class RatingChange:
    """A stored rating that a change would alter: its figure's indicator and period, the
    rating (Rag value) and tolerance before and after."""

    outturn_id: int
    indicator: Indicator
    period_id: int
    before: str
    after: str
    tolerance_before: Decimal
    tolerance_after: Decimal

    @property
    def recoloured(self) -> bool:
        return self.before != self.after


def ratings_changes(
    *, indicators: Iterable[Indicator], since: datetime.date | None = None, policies=None
) -> list[RatingChange]:
    """What re-rating indicators (saved ones, perhaps changed and not saved: a definition
    being edited) from since with a tolerance timeline (policies: newest first, perhaps
    with a policy not yet recorded; the recorded ones when None) would change in their
    stored ratings. Writes nothing; five queries a batch of BATCH_SIZE indicators."""
    since = since or datetime.date.min
    if policies is None:
        policies = list(TolerancePolicy.objects.timeline())
    corporate = _Corporate(list(policies))
    indicators = sorted(indicators, key=lambda i: i.pk)
    changes = []
    for offset in range(0, len(indicators), BATCH_SIZE):
        batch = {i.pk: i for i in indicators[offset : offset + BATCH_SIZE]}
        ratings = _ratings(batch, since, corporate)
        stored = {
            pk: (indicator_id, period_id, rag, tolerance)
            for pk, indicator_id, period_id, rag, tolerance in Rating.objects.filter(
                outturn__indicator_id__in=batch, outturn__period__start__gte=since
            )
            .order_by()
            .values_list("pk", "outturn__indicator_id", "outturn__period_id", "rag", "tolerance")
        }
        rag_at, tolerance_at = 1 + RATING_FIELDS.index("rag"), 1 + RATING_FIELDS.index("tolerance")
        for rating in ratings:
            before = stored.get(rating[0])
            if before is None:
                continue
            indicator_id, period_id, rag_before, tolerance_before = before
            if rag_before != rating[rag_at] or tolerance_before != rating[tolerance_at]:
                changes.append(
                    RatingChange(
                        rating[0],
                        batch[indicator_id],
                        period_id,
                        rag_before,
                        rating[rag_at],
                        tolerance_before,
                        rating[tolerance_at],
                    )
                )
    return changes
