"""A scorecard row rendered in Python: a council scorecard has thousands of rows, and one
template include per cell made the page several times slower (bench/README.md)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from indicators.templatetags.pmis import figure, rag_tag, state_tag, travel

register = template.Library()


@register.simple_tag
def row_figure(row):
    if row.actual is not None:
        return figure(row.indicator, row.actual)
    return "Not available" if row.outturn else "No figure"


@register.simple_tag
def row_rating(row):
    tag = state_tag("overdue", row.status_label) if row.status == "overdue" else rag_tag(row.status, row.status_label)
    if not row.is_overridden:
        return tag
    return format_html(
        '{}<p class="govuk-body-s govuk-!-margin-top-1 govuk-!-margin-bottom-0">Overridden: computed {}</p>',
        tag,
        row.computed_label.lower(),
    )


@register.simple_tag
def scorecard_row(row):
    indicator = row.indicator
    period = format_html('<br><span class="govuk-body-s">{}</span>', row.period) if row.period else ""
    target = figure(indicator, row.target_value) if row.target_value is not None else "No target"
    return format_html(
        '<tr class="govuk-table__row">'
        '<th scope="row" class="govuk-table__header pmis-nowrap">{}</th>'
        '<td class="govuk-table__cell"><a class="govuk-link" href="{}">{}</a></td>'
        '<td class="govuk-table__cell pmis-nowrap">{}{}</td>'
        '<td class="govuk-table__cell pmis-nowrap">{}</td>'
        '<td class="govuk-table__cell">{}</td>'
        '<td class="govuk-table__cell">{}</td>'
        '<td class="govuk-table__cell">{}</td>'
        '<td class="govuk-table__cell">{}</td>'
        '<td class="govuk-table__cell">{}</td>'
        '<td class="govuk-table__cell">{}</td>'
        "</tr>",
        indicator.code,
        reverse("indicators:indicator-detail", args=[indicator.pk]),
        indicator.title,
        row_figure(row),
        period,
        target,
        row_rating(row),
        travel(row.travel_previous),
        travel(row.travel_last_year),
        row.sparkline or "Too few figures",
        "Signed off" if row.signed_off else "Not signed off",
        row.commentary_start or "None",
    )
