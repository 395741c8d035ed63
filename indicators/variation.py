"""Variation (statistical process control) and the year-end forecast as the indicator
page shows them: the XmR chart, its table and the sentences.

Worked out from the rows the page has already read, plus one query for the baseline:
the page's query count stays fixed.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from . import charts, periods, rag, spc, year_to_date
from .models import Indicator, SpcBaseline
from .periods import PERIODS_PER_YEAR
from .ratings import position

VARIATION_WORDS = {
    spc.IMPROVEMENT_HIGH: ("unusually high", "this is an improvement"),
    spc.IMPROVEMENT_LOW: ("unusually low", "this is an improvement"),
    spc.CONCERN_HIGH: ("unusually high", "this is a concern"),
    spc.CONCERN_LOW: ("unusually low", "this is a concern"),
    spc.NEUTRAL_HIGH: ("unusually high", "this indicator is data only, so it is neither better nor worse"),
    spc.NEUTRAL_LOW: ("unusually low", "this indicator is data only, so it is neither better nor worse"),
}


@dataclass
class ControlRow:
    """One period of the XmR table."""

    label: str
    figure: Decimal | None
    moving_range: Decimal | None
    variation: str
    reasons: str


@dataclass
class ControlChart:
    """What the indicator page shows about variation. limits is None when there are too few figures."""

    count: int
    minimum: int
    limits: spc.Limits | None
    rows: list[ControlRow]
    chart: str
    sentence: str
    assurance: str
    assurance_sentence: str
    baseline: SpcBaseline | None
    target: Decimal | None
    # The mean and limits rounded to the indicator's places, for display.
    mean: Decimal | None = None
    lower: Decimal | None = None
    upper: Decimal | None = None


def _label(frequency: str, place: int) -> str:
    per_year = PERIODS_PER_YEAR[frequency]
    return periods.label(frequency, place // per_year, place % per_year + 1)


def variation_sentence(indicator: Indicator, analysis: spc.Analysis, latest_label: str) -> str:
    """The latest figure's variation in plain English."""
    lim = analysis.limits
    figure = indicator.format_value(analysis.points[-1].value)
    range_words = (
        f"between the process limits of {indicator.format_value(indicator.quantize(lim.lower))} and "
        f"{indicator.format_value(indicator.quantize(lim.upper))} around a mean of "
        f"{indicator.format_value(indicator.quantize(lim.mean))}"
    )
    latest = analysis.variations[-1]
    if latest == spc.COMMON_CAUSE:
        return (
            f"The latest figure ({latest_label}, {figure}) shows only common-cause variation: it is {range_words}, "
            "with no unusual pattern. Changes of this size from one period to the next are noise, "
            "not a sign of better or worse performance."
        )
    how, meaning = VARIATION_WORDS[latest]
    reasons = " and ".join(analysis.signals[-1].reasons)
    polarity = {
        rag.HIGHER: "For this indicator higher is better, so ",
        rag.LOWER: "For this indicator lower is better, so ",
    }.get(indicator.polarity, "")
    follow = (
        "Something has changed: find out what, and whether it will last."
        if "improvement" in meaning
        else "Something has changed: find out what, and act on it."
        if "concern" in meaning
        else "Something has changed: find out what."
    )
    return (
        f"The latest figure ({latest_label}, {figure}) is {how}: it is part of a special-cause signal "
        f"({reasons}), which chance alone rarely produces. {polarity}{meaning if polarity else meaning.capitalize()}. "
        f"{follow}"
    )


def assurance_sentence(indicator: Indicator, code: str, target: Decimal | None, lim: spc.Limits) -> str:
    if indicator.polarity == rag.NONE:
        return "Assurance is not assessed: this indicator is data only and has no target."
    if indicator.is_cumulative:
        return (
            "Assurance is not assessed: this indicator is cumulative, so its targets are year to date and "
            "cannot be compared with each period's own figure. See the year-end forecast instead."
        )
    if target is None:
        return "Assurance is not assessed: the latest period has no target."
    target_words = indicator.format_value(target)
    if code == spc.PASS:
        return (
            f"The target of {target_words} is beyond the process limits on the good side: "
            "if nothing changes, the target will be met consistently."
        )
    if code == spc.FAIL:
        return (
            f"The target of {target_words} is beyond the process limits on the wrong side: "
            "without a change to the service, the target will consistently not be met."
        )
    return (
        f"The target of {target_words} lies between the process limits: "
        "if nothing changes, it will be hit and missed at random."
    )


def control_chart(indicator: Indicator, rows: list) -> ControlChart:
    """The XmR chart, table and sentences for the indicator page's rows (its figures and
    targets, oldest first). One query: the baseline."""
    baseline = (
        SpcBaseline.objects.filter(indicator=indicator).select_related("first_period", "last_period", "set_by").first()
    )
    frequency = indicator.frequency
    figures = {}
    latest_target = None
    # The periods' own figures, as the ratings' variation uses (derived from the years to
    # date for an indicator whose figures are entered year to date).
    owns = year_to_date.own(
        indicator,
        {
            (row.period.year, row.period.number): row.outturn
            for row in rows
            if row.outturn is not None and row.period.frequency == frequency
        },
    )
    for row in rows:
        if row.outturn is not None and row.outturn.value is not None and row.period.frequency == frequency:
            own = owns.get((row.period.year, row.period.number))
            if own is None:
                continue
            figures[position(frequency, row.period.year, row.period.number)] = own
            latest_target = row.target
    points = [spc.Point(place, value) for place, value in sorted(figures.items())]
    window = None
    if baseline is not None:
        window = tuple(position(frequency, p.year, p.number) for p in (baseline.first_period, baseline.last_period))
    minimum = settings.PMIS_SPC_MIN_POINTS
    analysis = spc.analyse(points, polarity=indicator.polarity, min_points=minimum, baseline=window)
    result = ControlChart(
        count=len(points),
        minimum=minimum,
        limits=analysis.limits,
        rows=[],
        chart="",
        sentence="",
        assurance="",
        assurance_sentence="",
        baseline=baseline,
        target=latest_target,
    )
    if analysis.limits is None:
        return result
    lim = analysis.limits
    by_place = {p.position: i for i, p in enumerate(points)}
    ranges = spc.moving_ranges(points)
    table, chart_rows = [], []
    for place in range(points[0].position, points[-1].position + 1):
        label = _label(frequency, place)
        i = by_place.get(place)
        if i is None:
            table.append(ControlRow(label, None, None, "", "No figure"))
            chart_rows.append(charts.XmrPoint(label, None))
            continue
        signal = analysis.signals[i]
        reasons = "; ".join(signal.reasons) if signal.special else "Common cause"
        table.append(ControlRow(label, points[i].value, ranges[i], analysis.variations[i], reasons))
        chart_rows.append(charts.XmrPoint(label, points[i].value, analysis.variations[i], reasons.lower()))
    latest_label = _label(frequency, points[-1].position)
    result.rows = table
    result.mean, result.lower, result.upper = (indicator.quantize(v) for v in (lim.mean, lim.lower, lim.upper))
    result.sentence = variation_sentence(indicator, analysis, latest_label)
    with_assurance = not indicator.is_cumulative
    result.assurance = spc.assurance(lim, latest_target, indicator.polarity) if with_assurance else ""
    result.assurance_sentence = assurance_sentence(indicator, result.assurance, latest_target, lim)
    fmt = indicator.format_value
    result.chart = charts.xmr_chart(
        chart_rows,
        mean=lim.mean,
        lower=lim.lower,
        upper=lim.upper,
        target=latest_target if with_assurance else None,
        title=f"{indicator.code}: variation over time (XmR chart)",
        description=(
            f"{result.sentence} Mean {fmt(indicator.quantize(lim.mean))}, process limits "
            f"{fmt(indicator.quantize(lim.lower))} to {fmt(indicator.quantize(lim.upper))}. "
            "The table below the chart gives every period's figure and signal."
        ),
        unit_formatter=lambda value: fmt(indicator.quantize(Decimal(value))),
    )
    return result


def forecast_sentence(indicator: Indicator, latest) -> str:
    """The year-end forecast of the latest row with a figure (an indicator page Row), in
    words, or "" when there is none."""
    rating = latest.rating if latest is not None else None
    if rating is None or rating.forecast is None:
        return ""
    label = latest.period.label
    method = (
        "the share of the year earlier years had reached by the same period"
        if rating.forecast_method == "share"
        else "the pace so far this year"
    )
    text = (
        f"From the year to date at {label}, using {method}, the year-end figure is forecast to be "
        f"{indicator.format_value(rating.forecast)}"
    )
    if rating.forecast_target is None:
        return text + ". There is no annual target to compare it with."
    text += f" against an annual target of {indicator.format_value(rating.forecast_target)}"
    if rating.likely_to_miss:
        return text + ": likely to miss, because the forecast is outside the tolerance."
    return text + ": not likely to miss."
