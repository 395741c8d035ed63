"""The indicator page (definition, tolerance in force, figures against targets, commentary,
variation, benchmarking and the plans that use the indicator) and its audit trail.

The indicator page (with each year's targets, their rationale and history) runs a fixed
number of queries however many periods the indicator has.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from organisation.permissions import is_performance_team
from pmis.web import form_refusals

from .. import chart_notes, charts, history, variation
from ..forms import ChartNoteForm
from ..indicator_page import PERIOD_NOUN, benchmarking, period_rows, summary, tolerance_in_force
from ..models import ChartNote, Period
from ..permissions import can_report, get_indicator_for_reader, get_indicator_for_user, require
from ..targets import years_shown


@login_required
def indicator_detail(request, indicator_id: int):
    indicator = get_indicator_for_reader(request.user, indicator_id)
    today = timezone.localdate()
    rows = period_rows(indicator, today=today)
    latest = next((row for row in reversed(rows) if row.outturn is not None), None)
    sentence = summary(indicator, latest)
    notes = dict(ChartNote.objects.filter(indicator=indicator).values_list("period_id", "text"))
    for row in rows:
        row.note = notes.get(row.period.pk, "")
    benchmarks_shown = benchmarking(indicator, rows)
    entry_period = None
    if can_report(request.user, indicator):
        # The latest ended period it is collected for; a new indicator's first period.
        ended = Period.objects.ended_on(today).filter(frequency=indicator.frequency)
        if indicator.collected_from_id:
            ended = ended.filter(start__gte=indicator.collected_from.start)
        if indicator.retired_after_id:
            ended = ended.filter(end__lte=indicator.retired_after.end)
        entry_period = ended.first() or indicator.collected_from or (latest.period if latest else None)
    chart = charts.trend_chart(
        [
            charts.TrendPoint(
                row.period.label,
                row.figure,
                row.target,
                row.shown.status if row.shown else "",
                row.rating_words,
                row.note,
            )
            for row in rows
        ],
        title=f"{indicator.code}: figures against targets",
        description=f"{sentence} The table below the chart gives every period's figure, target and rating.",
        unit_formatter=indicator.format_value,
    )
    control = variation.control_chart(indicator, rows)
    return render(
        request,
        "indicators/indicator_detail.html",
        {
            "control": control,
            "forecast": variation.forecast_sentence(indicator, latest),
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
            "target_years": years_shown(indicator),
            "may_note": chart_notes.can_note(request.user, indicator),
        },
    )


@login_required
def chart_note(request, indicator_id: int):
    """Add, change or take off the note on one period's figure, shown on the chart and in its table."""
    indicator = get_indicator_for_reader(request.user, indicator_id)
    require(chart_notes.can_note(request.user, indicator))
    today = timezone.localdate()
    choices = [row.period for row in period_rows(indicator, today=today)]
    form = ChartNoteForm(request.POST if request.method == "POST" else None, periods=choices)
    if request.method == "POST" and form.is_valid():
        with form_refusals(form):
            note = chart_notes.chart_note_save(
                indicator=indicator, period=form.cleaned_data["period"], text=form.cleaned_data["text"], by=request.user
            )
        if not form.errors:
            messages.success(request, "Note saved on the chart." if note else "Note taken off the chart.")
            return redirect(reverse("indicators:indicator-detail", args=[indicator.pk]) + "#chart")
    notes = list(ChartNote.objects.filter(indicator=indicator).select_related("period").order_by("period__start"))
    return render(request, "indicators/chart_note.html", {"indicator": indicator, "form": form, "notes": notes})


@login_required
def indicator_history(request, indicator_id: int):
    indicator = get_indicator_for_user(request.user, indicator_id)
    return render(
        request,
        "indicators/indicator_history.html",
        {"indicator": indicator, "entries": history.indicator_history(indicator)},
    )
