"""A scorecard row rendered in Python: a council scorecard has thousands of rows, and one
template include per cell made the page several times slower (bench/README.md)."""

from functools import lru_cache

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

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
    # Plain string building with escape() on every value: format_html's per-argument
    # machinery was most of this page's time at 2,000 rows.
    indicator = row.indicator
    period = f'<br><span class="govuk-body-s">{escape(row.period)}</span>' if row.period else ""
    target = figure(indicator, row.target_value) if row.target_value is not None else "No target"
    cells = [
        f'<th scope="row" class="govuk-table__header pmis-nowrap">{escape(indicator.code)}</th>',
        f'<td class="govuk-table__cell"><a class="govuk-link" href="{_detail_address().format(indicator.pk)}">'
        f"{escape(indicator.title)}</a></td>",
        f'<td class="govuk-table__cell pmis-nowrap">{escape(row_figure(row))}{period}</td>',
        f'<td class="govuk-table__cell pmis-nowrap">{escape(target)}</td>',
        f'<td class="govuk-table__cell">{row_rating(row)}</td>',
        f'<td class="govuk-table__cell">{travel(row.travel_previous)}</td>',
        f'<td class="govuk-table__cell">{travel(row.travel_last_year)}</td>',
        f'<td class="govuk-table__cell">{row.sparkline or "Too few figures"}</td>',
        f'<td class="govuk-table__cell">{"Signed off" if row.signed_off else "Not signed off"}</td>',
        f'<td class="govuk-table__cell">{escape(row.commentary_start or "None")}</td>',
    ]
    return mark_safe('<tr class="govuk-table__row">' + "".join(cells) + "</tr>")


@lru_cache(maxsize=1)
def _detail_address() -> str:
    """The indicator page's address with a hole for the id, reversed once."""
    return reverse("indicators:indicator-detail", args=[0]).replace("/0/", "/{}/")
