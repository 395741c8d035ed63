"""Open data: the published indicators' definitions and figures as records, CSV and JSON.

The same records back the downloads and the API, and SCHEMA documents them (the open
data page and the OpenAPI document are built from it, so they cannot drift apart).
Decimal figures are given as strings holding the exact decimal ("95.20"), rounded to the
indicator's decimal places, so no precision is lost to binary floating point.
"""

import io
import json

from django.conf import settings
from django.db.models import Q, QuerySet

from indicators.models import Indicator
from indicators.periods import year_label
from pmis.spreadsheets import CsvWriter

from . import data

# (name, JSON type, nullable, description) for each column, in order.
INDICATOR_SCHEMA = [
    ("code", "string", False, 'The indicator\'s code, for example "NI 192" (national) or "LPI 014" (local).'),
    ("title", "string", False, "The indicator's name."),
    ("description", "string", False, "What it measures, in plain English."),
    ("definition", "string", False, "How the figure is calculated."),
    ("kind", "string", False, '"national", "local" or "proxy" (a local measure standing in for a national one).'),
    ("national_indicator", "string", True, "For a proxy indicator: the code of the national indicator."),
    ("unit", "string", False, '"percentage", "number", "currency" (pounds), "days", "rate_per_1000" or "ratio".'),
    ("decimal_places", "integer", False, "How many decimal places figures and targets are given to."),
    ("polarity", "string", False, '"higher" or "lower" (which is better), or "none" for data only, never rated.'),
    ("frequency", "string", False, '"month", "quarter" or "year": how often a figure is collected.'),
    ("cumulative", "boolean", False, "True when the figure accumulates over the financial year (year to date)."),
    ("data_source", "string", False, "Where the figures come from."),
    ("service", "string", True, "The council service responsible."),
    ("directorate", "string", True, "The directorate the service belongs to."),
    ("portfolio", "string", True, "The cabinet portfolio the indicator reports to."),
    ("baseline", "string", True, "The baseline figure, an exact decimal in the unit."),
    ("baseline_year", "string", False, 'The financial year of the baseline, for example "2007/08".'),
    ("priorities", "array", False, "The ids of the corporate plan priorities the indicator measures."),
    ("url", "string", False, "The indicator's public page."),
]

FIGURE_SCHEMA = [
    ("indicator", "string", False, "The indicator's code."),
    ("indicator_title", "string", False, "The indicator's name."),
    (
        "period",
        "string",
        False,
        'The period\'s label: "2025/26" (year), "2025/26 Q2" (quarter) or "2025/26 Jul" (month).',
    ),
    ("frequency", "string", False, '"month", "quarter" or "year".'),
    ("financial_year", "string", False, 'The financial year (April to March), for example "2025/26".'),
    ("period_start", "string", False, "First day of the period (YYYY-MM-DD)."),
    ("period_end", "string", False, "Last day of the period (YYYY-MM-DD)."),
    ("unit", "string", False, "The indicator's unit (see the definitions)."),
    (
        "value",
        "string",
        True,
        "The period's validated figure as entered (the year to date for an indicator whose figures are entered "
        "year to date), an exact decimal; empty when not published or not available.",
    ),
    ("year_to_date", "string", True, "The figure rated: the year to date for a cumulative indicator, else the value."),
    ("not_available_reason", "string", False, "Why there is no figure, when it is recorded as not available."),
    (
        "target",
        "string",
        True,
        "The signed-off target for the period, an exact decimal; empty when none is signed off.",
    ),
    (
        "status",
        "string",
        False,
        "green, amber, red, target_not_agreed (the figure's target is not yet signed off), no_target, data_only, "
        "not_available, incomplete, not_validated (a figure is entered but not yet validated) or not_published.",
    ),
    ("status_label", "string", False, "The status in words."),
    ("overridden", "boolean", False, "Whether the council's performance team overrode the computed rating."),
    ("computed_status", "string", False, "The rating as computed, when it was overridden; else empty."),
    ("direction_since_previous", "string", False, '"improving", "worsening", "unchanged" or empty.'),
    ("direction_since_last_year", "string", False, "Against the same period last year: as above."),
    ("commentary", "string", False, "The council's commentary on the figure, when published."),
]


def licence() -> dict:
    return {"name": settings.PMIS_OPEN_DATA_LICENCE, "url": settings.PMIS_OPEN_DATA_LICENCE_URL}


def _decimal(value) -> str | None:
    return None if value is None else f"{value:f}"


def indicator_record(indicator: Indicator, priority_ids: list[int]) -> dict:
    from django.urls import reverse

    service = indicator.service
    return {
        "code": indicator.code,
        "title": indicator.title,
        "description": indicator.description,
        "definition": indicator.definition,
        "kind": indicator.kind,
        "national_indicator": indicator.national_indicator.code if indicator.national_indicator else None,
        "unit": indicator.unit,
        "decimal_places": indicator.decimal_places,
        "polarity": indicator.polarity,
        "frequency": indicator.frequency,
        "cumulative": indicator.is_cumulative,
        "data_source": indicator.data_source,
        "service": service.name if service else None,
        "directorate": service.directorate.name if service else None,
        "portfolio": indicator.portfolio.name if indicator.portfolio else None,
        "baseline": _decimal(data._quantize(indicator, indicator.baseline)),
        "baseline_year": indicator.baseline_year,
        "priorities": priority_ids,
        "url": reverse("public:indicator", args=[indicator.code]),
    }


def indicators_for(*, priority: int | None = None, code: str | None = None) -> QuerySet[Indicator]:
    chosen = Indicator.objects.published().select_related(*data.INDICATOR_RELATIONS)
    if priority is not None:
        chosen = chosen.filter(priorities__pk=priority, priorities__in=_public_priorities())
    if code is not None:
        chosen = chosen.filter(code=code)
    return chosen


def _public_priorities():
    from plans.models import Priority

    return Priority.objects.filter(plan__in=data.approved_corporate_plans()).values("pk")


def indicator_records(indicators: QuerySet[Indicator]) -> list[dict]:
    """Definitions of the indicators (two queries: indicators, their public priorities)."""
    indicators = list(indicators)
    links: dict[int, list[int]] = {i.pk: [] for i in indicators}
    through = Indicator.priorities.through
    for indicator_id, priority_id in (
        through.objects.filter(indicator_id__in=list(links), priority_id__in=_public_priorities())
        .order_by("priority_id")
        .values_list("indicator_id", "priority_id")
    ):
        links[indicator_id].append(priority_id)
    return [indicator_record(i, links[i.pk]) for i in indicators]


def figure_record(figure: data.Figure) -> dict:
    period, indicator = figure.period, figure.indicator
    published = figure.has_figure
    return {
        "indicator": indicator.code,
        "indicator_title": indicator.title,
        "period": period.label,
        "frequency": period.frequency,
        "financial_year": year_label(period.year),
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
        "unit": indicator.unit,
        "value": _decimal(figure.value) if published else None,
        "year_to_date": _decimal(figure.actual) if published else None,
        "not_available_reason": figure.not_available_reason,
        "target": _decimal(figure.target),
        "status": figure.status,
        "status_label": figure.status_label,
        "overridden": figure.overridden,
        "computed_status": figure.computed if figure.overridden else "",
        "direction_since_previous": figure.travel_previous,
        "direction_since_last_year": figure.travel_last_year,
        "commentary": figure.commentary,
    }


def figure_records(
    *,
    year: int | None = None,
    period=None,
    indicator: str | None = None,
    priority: int | None = None,
) -> list[dict]:
    """Published figures and signed-off targets, by indicator code then period (four queries)."""
    indicators = list(indicators_for(priority=priority, code=indicator))
    period_filter = None
    if period is not None:
        period_filter = Q(pk=period.pk)
    elif year is not None:
        period_filter = Q(year=year)
    figs = data.figures(indicators, period_filter=period_filter)
    return [figure_record(f) for i in indicators for f in figs.get(i.pk, [])]


def as_csv(records: list[dict], schema: list[tuple]) -> str:
    out = io.StringIO()
    writer = CsvWriter(out)
    names = [name for name, *_ in schema]
    writer.writerow(names)
    for record in records:
        row = []
        for name in names:
            value = record[name]
            if isinstance(value, list):
                value = ";".join(str(v) for v in value)
            elif isinstance(value, bool):
                value = "true" if value else "false"
            row.append("" if value is None else value)
        writer.writerow(row)
    return out.getvalue()


def as_json(records: list[dict], *, about: str) -> str:
    return json.dumps(
        {"about": about, "publisher": settings.PMIS_COUNCIL_NAME, "licence": licence(), "data": records},
        ensure_ascii=False,
        indent=1,
    )
