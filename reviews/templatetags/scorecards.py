"""A scorecard row rendered in Python: a council scorecard has thousands of rows, and one
template include per cell made the page several times slower (bench/README.md)."""

from functools import lru_cache
from html import escape as html_escape

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from indicators.templatetags.pmis import assurance_tag, figure, rag_tag, state_tag, travel, variation_tag
from reviews.scorecards import STATUS_LABELS

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
def scorecard_rows(rows):
    """Every row of the table, each followed by the line break and indent a for loop gave."""
    return mark_safe("".join([scorecard_row(row) + "\n    " for row in rows]))


@register.simple_tag
def scorecard_row(row):
    # Plain string building with every value escaped (html.escape: what Django's escape()
    # does, without its lazy-string checks): format_html's per-argument machinery was most
    # of this page's time at 2,000 rows. The few distinct tags are made once each.
    indicator = row.indicator
    period = row.period
    period = f'<br><span class="govuk-body-s">{html_escape(row.period_label or str(period))}</span>' if period else ""
    target_value = row.target_value
    target = figure(indicator, target_value) if target_value is not None else "No target"
    status = row.status
    rating = _status_tag(status, STATUS_LABELS[status])
    if row.is_overridden:
        rating = _overridden(rating, row.computed_label)
    return mark_safe(
        '<tr class="govuk-table__row">'
        f'<th scope="row" class="govuk-table__header pmis-nowrap">{html_escape(str(indicator.code))}</th>'
        f'<td class="govuk-table__cell"><a class="govuk-link" href="{_detail_address().format(indicator.pk)}">'
        f"{html_escape(str(indicator.title))}</a></td>"
        f'<td class="govuk-table__cell pmis-nowrap">{html_escape(str(row_figure(row)))}{period}</td>'
        f'<td class="govuk-table__cell pmis-nowrap">{html_escape(str(target))}</td>'
        f'<td class="govuk-table__cell">{rating}</td>'
        f'<td class="govuk-table__cell">{_travel(row.travel_previous)}</td>'
        f'<td class="govuk-table__cell">{_travel(row.travel_last_year)}</td>'
        f'<td class="govuk-table__cell">{_variation(row.variation)}</td>'
        f'<td class="govuk-table__cell">{_assurance(row.assurance)}</td>'
        f'<td class="govuk-table__cell">{row.sparkline or "Too few figures"}</td>'
        f'<td class="govuk-table__cell">{"Signed off" if row.signed_off else "Not signed off"}</td>'
        f'<td class="govuk-table__cell">{html_escape(str(row.commentary_start or "None"))}</td>'
        "</tr>"
    )


@lru_cache(maxsize=64)
def _status_tag(status: str, label: str) -> str:
    return state_tag("overdue", label) if status == "overdue" else rag_tag(status, label)


@lru_cache(maxsize=64)
def _overridden(tag: str, computed_label: str) -> str:
    return format_html(
        '{}<p class="govuk-body-s govuk-!-margin-top-1 govuk-!-margin-bottom-0">Overridden: computed {}</p>',
        tag,
        computed_label.lower(),
    )


@lru_cache(maxsize=16)
def _travel(value: str) -> str:
    return travel(value)


@lru_cache(maxsize=16)
def _variation(value: str) -> str:
    return variation_tag(value)


@lru_cache(maxsize=8)
def _assurance(value: str) -> str:
    return assurance_tag(value)


@lru_cache(maxsize=1)
def _detail_address() -> str:
    """The indicator page's address with a hole for the id, reversed once."""
    return reverse("indicators:indicator-detail", args=[0]).replace("/0/", "/{}/")
