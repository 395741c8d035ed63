"""The indicator page: definition, tolerance in force, figures against targets, commentary,
benchmarking and the plans that use the indicator.

The page runs a fixed number of queries however many periods the indicator has.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.db.models import Subquery
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from organisation.permissions import is_performance_team

from . import benchmarks, charts, periods, rag, spc_views
from .models import (
    BenchmarkValue,
    Frequency,
    Indicator,
    Outturn,
    Period,
    Rating,
    Target,
    ToleranceMode,
    TolerancePolicy,
)
from .permissions import can_read, can_report, require

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

    @property
    def figure(self) -> Decimal | None:
        return self.rating.actual if self.rating else None


def get_indicator_for_reader(user, pk: int) -> Indicator:
    """Like permissions.get_indicator_for_user, but national indicators kept only for
    reference (not collected) have a page too: their proxies link to it."""
    indicator = get_object_or_404(
        Indicator.objects.select_related("service", "portfolio", "responsible_officer", "national_indicator"), pk=pk
    )
    require(can_read(user))
    return indicator


@login_required
def indicator_detail(request, indicator_id: int):
    indicator = get_indicator_for_reader(request.user, indicator_id)
    today = timezone.localdate()
    rows = period_rows(indicator, today=today)
    latest = next((row for row in reversed(rows) if row.outturn is not None), None)
    sentence = summary(indicator, latest)
    benchmarks_shown = benchmarking(indicator, rows)
    entry_period = None
    if can_report(request.user, indicator):
        entry_period = Period.objects.ended_on(today).filter(frequency=indicator.frequency).first() or (
            latest.period if latest else None
        )
    chart = charts.trend_chart(
        [
            charts.TrendPoint(
                row.period.label,
                row.figure,
                row.target,
                row.rating.shown_rag if row.rating else "",
                row.status_label,
            )
            for row in rows
        ],
        title=f"{indicator.code}: figures against targets",
        description=f"{sentence} The table below the chart gives every period's figure, target and rating.",
        unit_formatter=indicator.format_value,
    )
    control = spc_views.control_chart(indicator, rows)
    return render(
        request,
        "indicators/indicator_detail.html",
        {
            "control": control,
            "forecast": spc_views.forecast_sentence(indicator, latest),
            "is_team": is_performance_team(request.user),
            "indicator": indicator,
            "proxies": list(indicator.proxies.order_by("code")),
            # The tolerance that rates the latest figure, else today's.
            "tolerance": tolerance_in_force(indicator, latest.period.start if latest else today),
            "rows": rows,
            "summary": sentence,
            "chart": chart,
            "commentary": [row for row in reversed(rows) if row.outturn and row.outturn.commentary],
            "benchmarks": benchmarks_shown,
            "priorities": list(indicator.priorities.select_related("plan").order_by("plan__title", "position")),
            "entry_period": entry_period,
            "period_noun": PERIOD_NOUN[indicator.frequency],
        },
    )


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
        if rating is not None:
            status, label = rating.shown_rag, rating.shown_label
            target_value = rating.target
        else:
            status = period.return_status(today)
            label = periods.RETURN_LABELS[status]
            if outturn is not None:
                status, label = "not_rated", "Not rated"
            target_value = target.value if target else None
        rows.append(Row(period, outturn, rating, target_value, status, label))
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
    text += f": {row.status_label}"
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


def tolerance_in_force(indicator: Indicator, day: datetime.date) -> ToleranceInForce:
    """The indicator's own tolerance, else the corporate policy in force on day. One query at most."""
    if indicator.tolerance is not None:
        return ToleranceInForce(
            indicator.tolerance_words(indicator.tolerance, indicator.tolerance_mode),
            "Set for this indicator, overriding the corporate tolerance",
        )
    if indicator.polarity == rag.NONE:
        return ToleranceInForce("None", "Data only: this indicator is not rated")
    policy = TolerancePolicy.objects.in_force_on(day)
    return ToleranceInForce(
        indicator.tolerance_words(policy.tolerance, ToleranceMode.RELATIVE),
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
