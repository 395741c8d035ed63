"""What the demo council's people write beside its figures: officers' commentary, the
reasons a figure is missing and the rationale of each target (from demo/stories.py)."""

from indicators import periods, rag
from indicators.models import Frequency, Rag, Unit

from . import stories


def rationale(spec, indicator, period, value, kind: str, median: str) -> str:
    """Why the target is what it is: the period and the figure, the indicator's trend, its
    nearest neighbours' median and the kind of target agreed ("stretch", "pace", "demand",
    "hold"), and for a target within the year how it is profiled."""
    additive = spec.cumulative and spec.unit in (Unit.NUMBER, Unit.CURRENCY, Unit.DAYS)
    per_year = {"monthly": 12, "quarterly": 4, "annual": 1}[spec.frequency] if additive else 1
    change = spec.yearly_change * per_year
    amount = f"{abs(change).normalize():f}"
    if spec.unit == Unit.PERCENTAGE:
        size = f"{amount} point{'' if amount == '1' else 's'}"
    else:
        size = indicator.format_value(abs(change))
    since = periods.year_label(period.year - 3)
    if abs(spec.yearly_change) * 5 < spec.noise:
        trend = "The figure has been broadly flat for three years"
    elif (change > 0) == (spec.polarity == rag.HIGHER):
        trend = f"Performance has improved by about {size} a year since {since}"
    else:
        trend = f"Performance has slipped by about {size} a year since {since}"
    if spec.statutory:
        basis = f"This measures a legal duty, so the target is 100% whatever the trend. {trend}."
    elif kind == "stretch":
        basis = (
            f"{trend}; the portfolio holder asked for a stretch beyond it, towards the nearest neighbours' upper "
            f"quartile (their median is about {median})."
        )
    elif kind == "pace":
        basis = f"{trend}; the target keeps that pace and sits near the nearest neighbours' median of about {median}."
    elif kind == "demand":
        basis = f"{trend}, but demand is rising and the target allows for it (nearest neighbours' median {median})."
    else:
        basis = f"{trend}; the target holds steady while the service makes a budget saving (neighbours: {median})."
    if spec.profile and period.frequency == Frequency.MONTH:
        share = f"{(spec.profile[period.number - 1] * 100).normalize():f}%"
        basis += f" Profiled: by this month the council usually has {share} of the year's final collection."
    elif additive and period.frequency != Frequency.YEAR:
        basis += " Year to date: the annual target builds up period by period."
    return f"{period.label}: {indicator.format_value(value)}. {basis}"


def comment(indicator, rating, period, rng) -> str:
    """An officer's commentary on a rated figure: what happened; for Red and Amber why, what
    is being done and when it should recover; for Green what went well. Empty for ratings
    that carry none."""
    fill = {
        "value": indicator.format_value(rating.actual),
        "target": indicator.format_value(rating.target) if rating.target is not None else "",
        "period": period.label,
    }
    if rating.rag == Rag.DATA_ONLY:
        parts = [rng.choice(stories.CONTEXT), rng.choice(stories.CONTEXT_USE)]
    elif rating.rag in stories.OPENERS:
        story = stories.STORIES[stories.STORY_OF.get(indicator.code, indicator.service.code)]
        lines = {part: stories.lines_for(indicator.code, story, part) for part in ("worse", "better", "action")}
        opener = rng.choice(stories.OPENERS[rating.rag])
        if rating.rag == Rag.GREEN:
            parts = [opener, rng.choice(lines["better"]), rng.choice(stories.KEEP)]
        else:
            parts = [opener, rng.choice(lines["worse"]), rng.choice(lines["action"]), rng.choice(stories.RECOVERY)]
    else:
        return ""
    return " ".join(part for part in parts if part).format(**fill)


def not_available(spec, period, rng) -> str:
    """Why a figure is missing, fitting where the figure comes from."""
    reasons = list(stories.NOT_AVAILABLE_ANY)
    for word, own in stories.NOT_AVAILABLE_BY_SOURCE.items():
        if word.lower() in spec.data_source.lower():
            reasons = own
    return rng.choice(reasons).format(period=period.label)
