"""The public pages and open data downloads: no sign-in, only published data (public/data.py).

Every answer is the same for every visitor, so pages are rendered without the request's
user or CSRF token (render_to_string with no request) and kept in the cache by data
version (public/caching.py).
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from indicators import charts, shown
from indicators.indicator_page import tolerance_in_force
from indicators.models import (
    Frequency,
    Indicator,
    Period,
    Polarity,
    ToleranceMode,
    TolerancePolicy,
    policy_in_force,
)
from indicators.periods import financial_year, year_label
from indicators.targets import years_shown

from . import data, opendata
from .caching import public_answer
from .glossary import TERMS

NAVIGATION = [
    ("Home", "public:home"),
    ("Scorecard", "public:scorecard"),
    ("Annual report", "public:annual-report-latest"),
    ("Open data", "public:open-data"),
    ("How ratings work", "public:ratings"),
    ("Glossary", "public:glossary"),
]
# Periods of an indicator's chart, the latest last.
CHART_LENGTH = 12


def _render(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    path = request.path
    navigation = []
    for text, name in NAVIGATION:
        href = reverse(name)
        navigation.append({"text": text, "href": href, "current": path == href})
    context = {
        "council_name": settings.PMIS_COUNCIL_NAME,
        "licence": opendata.licence(),
        "navigation": navigation,
        **context,
    }
    return HttpResponse(render_to_string(template, context), status=status)


def _today() -> datetime.date:
    return timezone.localdate()


@public_answer
def home(request):
    today = _today()
    period = data.latest_public_quarter(data.ended_quarters(today))
    report = data.scorecard(period)
    year = period.year if period else financial_year(today)
    return _render(
        request,
        "public/home.html",
        {
            "period": period,
            "report": report,
            "priorities": data.priority_views(year, period.end if period else today),
            "year": year,
            "stories": list(data.published_stories()[:3]),
        },
    )


@public_answer(params=("period",))
def scorecard(request):
    today = _today()
    quarters = data.ended_quarters(today)
    error = None
    period = None
    chosen = request.GET.get("period", "")
    if chosen:
        period = next((q for q in quarters if q.label == chosen), None)
        if period is None:
            error = "Choose a quarter from the list"
    if period is None:
        period = data.latest_public_quarter(quarters)
    report = data.scorecard(period)
    response = _render(
        request,
        "public/scorecard.html",
        {"report": report, "period": period, "quarters": quarters, "error": error, "rule": shown.PUBLIC_RULE},
    )
    response.cacheable = error is None
    return response


def _published_or_404(code: str):
    indicator = Indicator.objects.published().select_related(*data.INDICATOR_RELATIONS).filter(code=code).first()
    if indicator is None:
        raise Http404("No published indicator has this code.")
    return indicator


@public_answer
def indicator(request, code: str):
    indicator = _published_or_404(code)
    figs = data.figures([indicator]).get(indicator.pk, [])
    own = [f for f in figs if f.period.frequency == indicator.frequency]
    annual = [f for f in figs if f.period.frequency == Frequency.YEAR and indicator.frequency != Frequency.YEAR]
    recent = own[-CHART_LENGTH:]
    published = [f for f in own if f.has_figure]
    latest = published[-1] if published else None
    sentence = ""
    if latest is not None:
        sentence = f"The latest published figure, for {latest.period.label}, is {latest.shown_text}"
        sentence += f" against a target of {latest.target_text}: {latest.rating_words}." if latest.target else "."
    chart = charts.trend_chart(
        [
            charts.TrendPoint(
                f.period.label,
                f.shown if f.has_figure and not f.not_available_reason else None,
                f.target,
                f.status if f.is_rated else "",
                f.status_label,
            )
            for f in recent
        ],
        title=f"{indicator.code}: published figures against signed-off targets",
        description=f"{sentence} The table below the chart gives every published figure, target and rating.",
        unit_formatter=indicator.format_value,
    )
    # The tolerance that rated the latest published figure, else today's.
    tolerance = tolerance_in_force(indicator, latest.period.start if latest else _today())
    whose = "set for this indicator" if tolerance.own else "the council's tolerance"
    return _render(
        request,
        "public/indicator.html",
        {
            "indicator": indicator,
            "figures": list(reversed(own)),
            "annual": list(reversed(annual)),
            "latest": latest,
            "sentence": sentence,
            "chart": chart,
            "commentary": [f for f in reversed(own) if f.commentary],
            # Each signed-off year's targets with the rationale the portfolio holder agreed.
            "target_years": years_shown(indicator, signed_off_only=True),
            "public": True,
            "tolerance": f"{tolerance.amount} ({whose})",
            "rated": indicator.polarity != Polarity.NONE,
        },
    )


@public_answer
def annual_report_latest(request):
    years = data.report_years()
    if not years:
        return _render(request, "public/annual_report.html", {"report": None, "years": []})
    # The latest financial year that has ended, else the one under way.
    ended = [y for y in years if financial_year(_today()) > y]
    return redirect("public:annual-report", year=(ended or years)[0])


@public_answer
def annual_report(request, year: int):
    years = data.report_years()
    if year not in years:
        raise Http404("No published figures for this year.")
    return _render(
        request,
        "public/annual_report.html",
        {"report": data.annual_report(year), "years": years, "year_label": year_label(year)},
    )


@public_answer
def glossary(request):
    return _render(request, "public/glossary.html", {"terms": TERMS})


@public_answer
def accessibility(request):
    return _render(request, "public/accessibility.html", {})


@public_answer
def ratings(request):
    policies = list(TolerancePolicy.objects.timeline())
    in_force = policy_in_force(policies, _today())
    return _render(
        request,
        "public/ratings.html",
        {
            "in_force": in_force,
            "in_force_text": in_force.tolerance_text,
            "in_points": in_force.mode == ToleranceMode.ABSOLUTE,
            # The Amber boundary for a target of 100, higher being better.
            "example_low": f"{(100 - in_force.band(Decimal(100))).normalize():f}",
            "earlier": [(p, p.tolerance_text) for p in policies if p != in_force],
        },
    )


@public_answer
def open_data(request):
    return _render(
        request,
        "public/open_data.html",
        {
            "indicator_schema": opendata.INDICATOR_SCHEMA,
            "figure_schema": opendata.FIGURE_SCHEMA,
            "years": [(y, year_label(y)) for y in data.report_years()],
        },
    )


FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def _download(records: list[dict], schema, *, name: str, extension: str, about: str) -> HttpResponse:
    content = opendata.as_csv(records, schema) if extension == "csv" else opendata.as_json(records, about=about)
    response = HttpResponse(content, content_type=FORMATS[extension])
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response


@public_answer
def download_indicators(request, extension: str):
    records = opendata.indicator_records(opendata.indicators_for())
    return _download(
        records,
        opendata.INDICATOR_SCHEMA,
        name="indicators",
        extension=extension,
        about=f"Definitions of {settings.PMIS_COUNCIL_NAME}'s published performance indicators.",
    )


@public_answer
def download_figures(request, extension: str, year: int | None = None):
    if year is not None and not Period.objects.filter(year=year).exists():
        raise Http404("No periods in this year.")
    records = opendata.figure_records(year=year)
    what = f"in {year_label(year)}" if year is not None else "in every year"
    return _download(
        records,
        opendata.FIGURE_SCHEMA,
        name=f"figures-{year}" if year is not None else "figures",
        extension=extension,
        about=f"{settings.PMIS_COUNCIL_NAME}'s published figures, signed-off targets and ratings {what}.",
    )
