"""A scorecard row rendered in Python: a council scorecard has thousands of rows, and one
template include per cell made the page several times slower (bench/README.md)."""

from functools import lru_cache
from html import escape as html_escape

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from indicators.templatetags.pmis import assurance_tag, figure, rag_tag, state_tag, travel, variation_tag

register = template.Library()


@register.simple_tag
def row_figure(row):
    if row.actual is not None:
        return figure(row.indicator, row.actual)
    return "Not available" if row.outturn else "No figure"


@register.simple_tag
def row_rating(row):
    """A row's status as a tag, marked in words when provisional (its target not signed off),
    with the computed rating beside an override (indicators.shown)."""
    tag = _status_tag(row.status, row.status_label)
    if row.provisional:
        tag = _provisional(tag)
    return _overridden(tag, row.computed_label) if row.is_overridden else tag


@register.simple_tag
def scorecard_rows(rows):
    """Every row of the table, each followed by the line break and indent a for loop gave."""
    return SafeString("".join([_row_html(row) + "\n    " for row in rows]))


def _row_html(row) -> str:
    """One row of the compact table, as markup: the indicator (its commentary and the other
    columns one click away in a details element), figure, target, rating, direction and
    trend. Each cell names its column (data-label) for the stacked cards of a narrow screen.

    Plain string building, every text escaped (html.escape: what Django's escape() does,
    without its lazy-string checks; figures are made by format_figure from numbers and
    need none): format_html's per-argument machinery was most of this page's time at
    2,000 rows. The few distinct tags are made once each.
    """
    indicator = row.indicator
    period = row.period
    period = f'<br><span class="govuk-body-s">{_escaped(row.period_label or str(period))}</span>' if period else ""
    target_value = row.target_value
    target = indicator.format_value(target_value) if target_value is not None else "No target"
    tag = row_rating(row)
    code = html_escape(indicator.code)
    commentary = html_escape(row.commentary).replace("\n", "<br>") if row.commentary else "None given"
    return (
        '<tr class="govuk-table__row">'
        f'<th scope="row" class="govuk-table__header pmis-indicator" data-label="Indicator">'
        f'<span class="pmis-code">{code}</span> '
        f'<a class="govuk-link" href="{_detail_address().format(indicator.pk)}">{html_escape(indicator.title)}</a>'
        '<details class="govuk-details pmis-row-details"><summary class="govuk-details__summary">'
        f'<span class="govuk-details__summary-text">Commentary and more<span class="govuk-visually-hidden"> on {code}'
        "</span></span></summary>"
        f'<div class="govuk-details__text"><p class="govuk-body-s">{commentary}</p>'
        '<dl class="pmis-row-more govuk-body-s">'
        f"<dt>Since same period last year</dt><dd>{_travel(row.travel_last_year)}</dd>"
        f"<dt>Variation</dt><dd>{_variation(row.variation)}</dd>"
        f"<dt>Assurance</dt><dd>{_assurance(row.assurance)}</dd>"
        f"<dt>Target</dt><dd>{'Signed off' if row.signed_off else 'Not signed off'}</dd>"
        "</dl></div></details></th>"
        f'<td class="govuk-table__cell pmis-nowrap" data-label="Figure">{row_figure(row)}{period}</td>'
        f'<td class="govuk-table__cell pmis-nowrap" data-label="Target">{target}</td>'
        f'<td class="govuk-table__cell" data-label="Rating">{tag}</td>'
        f'<td class="govuk-table__cell" data-label="Since previous period">{_travel(row.travel_previous)}</td>'
        f'<td class="govuk-table__cell" data-label="Trend">{row.sparkline or "Too few figures"}</td>'
        "</tr>"
    )


@lru_cache(maxsize=256)
def _escaped(text: str) -> str:
    return html_escape(text)


@lru_cache(maxsize=64)
def _status_tag(status: str, label: str) -> str:
    return state_tag("overdue", label) if status == "overdue" else rag_tag(status, label)


@lru_cache(maxsize=64)
def _provisional(tag: str) -> str:
    return format_html(
        '{} <span class="pmis-provisional">Provisional</span>'
        '<p class="govuk-body-s govuk-!-margin-top-1 govuk-!-margin-bottom-0">Target not signed off</p>',
        tag,
    )


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
