"""The indicator page's read model: each period's figure, target and rating, the sentence
on the latest figure, the tolerance in force and the benchmarks.

A fixed number of queries however many periods the indicator has.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Subquery

from . import benchmarks, periods, rag
from .models import (
    BenchmarkValue,
    Frequency,
    Indicator,
    Outturn,
    Period,
    Rating,
    Target,
    TargetStatus,
    TolerancePolicy,
)
from .shown import ShownRating, shown_rating

# How the previous period is named in sentences, by frequency.
PERIOD_NOUN = {Frequency.MONTH: "month", Frequency.QUARTER: "quarter", Frequency.YEAR: "year"}


@dataclass
class Row:
    """One period of the indicator: its figure (year to date for a cumulative indicator),
    target and rating, or the status of a figure not yet entered."""

    period: Period
    outturn: Outturn | None
    rating: Rating | None
    target: Decimal | None
    status: str
    status_label: str
    # The rating as shown (indicators.shown): provisional, overridden; None without a rating.
    shown: ShownRating | None = None

    @property
    def figure(self) -> Decimal | None:
        return self.rating.actual if self.rating else None

    @property
    def rating_words(self) -> str:
        """The status with its markers: "Green (overridden, computed Red)"."""
        return self.shown.words if self.shown else self.status_label


def period_rows(indicator: Indicator, *, today: datetime.date) -> list[Row]:
    """Every period with a figure or a target, oldest first. Two queries."""
    outturns = {
        o.period_id: o
        for o in Outturn.objects.filter(indicator=indicator).select_related("period", "rating", "entered_by")
    }
    targets = {
        t.period_id: t
        for t in Target.objects.filter(indicator=indicator, period__frequency=indicator.frequency).select_related(
            "period"
        )
    }
    found = {o.period_id: o.period for o in outturns.values()} | {t.period_id: t.period for t in targets.values()}
    rows = []
    for period in sorted(found.values(), key=lambda p: p.end):
        outturn = outturns.get(period.pk)
        rating = getattr(outturn, "rating", None) if outturn else None
        target = targets.get(period.pk)
        shown = None
        if rating is not None:
            shown = shown_rating(
                rag_computed=rating.rag,
                override=rating.override_rag,
                target_signed_off=target is not None and target.status == TargetStatus.SIGNED_OFF,
            )
            status, label = shown.status, shown.label
            target_value = rating.target
        else:
            status = indicator.return_status(period, today)
            label = periods.RETURN_LABELS[status]
            if outturn is not None:
                status, label = "not_rated", "Not rated"
            target_value = target.value if target else None
        rows.append(Row(period, outturn, rating, target_value, status, label, shown))
    return rows


def summary(indicator: Indicator, row: Row | None) -> str:
    """One sentence on the latest figure: "In 2026/27 Q2 the figure was 92.1% against a
    target of 95.0%: Amber, worsening since the previous quarter." """
    if row is None:
        return f"No figures have been reported for {indicator.code} yet."
    if row.figure is None:
        reason = row.outturn.not_available_reason
        return f"In {row.period} no figure was available" + (f": {reason.rstrip('.')}." if reason else ".")
    noun = PERIOD_NOUN[indicator.frequency]
    year_to_date = " year to date" if indicator.is_cumulative else ""
    text = f"In {row.period} the figure{year_to_date} was {indicator.format_value(row.figure)}"
    if row.target is not None:
        text += f" against a target of {indicator.format_value(row.target)}"
    text += f": {row.rating_words}"
    directions = []
    if row.rating.travel_previous:
        directions.append(f"{row.rating.get_travel_previous_display().lower()} since the previous {noun}")
    if row.rating.travel_last_year and indicator.frequency != Frequency.YEAR:
        directions.append(f"{row.rating.get_travel_last_year_display().lower()} since the same {noun} last year")
    if directions:
        text += ", " + " and ".join(directions)
    return text + "."


@dataclass(frozen=True)
class ToleranceInForce:
    amount: str
    source: str
    reason: str = ""
    # Set for the indicator itself, rather than the corporate policy's.
    own: bool = False


def tolerance_in_force(indicator: Indicator, day: datetime.date) -> ToleranceInForce:
    """The indicator's own tolerance, else the corporate policy in force on day. One query at most."""
    if indicator.tolerance is not None:
        return ToleranceInForce(
            indicator.tolerance_words(indicator.tolerance, indicator.tolerance_mode),
            "Set for this indicator, overriding the corporate tolerance",
            own=True,
        )
    if indicator.polarity == rag.NONE:
        return ToleranceInForce("None", "Data only: this indicator is not rated")
    policy = TolerancePolicy.objects.in_force_on(day)
    return ToleranceInForce(
        indicator.tolerance_words(policy.tolerance, policy.mode),
        f"The corporate tolerance from {policy.effective_from_label}",
        policy.reason,
    )


def benchmarking(indicator: Indicator, rows: list[Row]) -> dict | None:
    """The benchmark groups for the latest period with benchmark values, one query."""
    latest = BenchmarkValue.objects.filter(indicator=indicator).order_by("-period__end").values("period")[:1]
    values = list(BenchmarkValue.objects.filter(indicator=indicator, period=Subquery(latest)).select_related("period"))
    if not values:
        return None
    period = values[0].period
    own = next((row.figure for row in rows if row.period.pk == period.pk), None)
    return {
        "period": period,
        "own": own,
        "groups": benchmarks.benchmarks(
            [(value.group, value.value) for value in values], own=own, polarity=indicator.polarity
        ),
    }
