"""The validation queue's rows rendered in Python: the queue may hold thousands of returns
at quarter end, and a template include per cell would make the page several times slower
(as for scorecards, reviews/templatetags/scorecards.py)."""

from functools import lru_cache
from html import escape as html_escape
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.safestring import SafeString

from ..models import OutturnState, Rag, format_figure
from .pmis import rag_tag

register = template.Library()

# How much of the commentary a row shows; the entry page has the rest.
COMMENTARY_SHOWN = 160


@register.simple_tag
def queue_rows(rows, back: str):
    """The rows; back is the queue's address as filtered, for the send-back page to return to."""
    back = html_escape("?" + urlencode({"next": back}))
    return SafeString("".join([_row_html(row, back) + "\n    " for row in rows]))


def _row_html(row, back: str) -> str:
    """One return (a returns.QueueRow) as a table row: every text escaped (html.escape),
    figures made from numbers."""
    pk, period = row.pk, row.period
    code, period_label = html_escape(row.code), _escaped(row.period_label)
    which = f"{code}, {period_label}"
    if row.state == OutturnState.SUBMITTED:
        select = (
            '<div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">'
            '<div class="govuk-checkboxes__item">'
            f'<input class="govuk-checkboxes__input" id="select-{pk}" name="outturn" type="checkbox" '
            f'value="{pk}" form="selection">'
            f'<label class="govuk-label govuk-checkboxes__label" for="select-{pk}">'
            f'<span class="govuk-visually-hidden">Select {which}</span></label></div></div>'
        )
        action = (
            f'<a class="govuk-link" href="{_address("indicators:outturn-return", pk)}{back}">'
            f'Send back<span class="govuk-visually-hidden"> {which}</span></a>'
        )
    else:
        select = ""
        action = "Sent back: " + html_escape(row.return_comment)
    unit, places = row.unit, row.decimal_places
    figure = "Not available" if row.value is None else format_figure(row.value, unit, places)
    target = "No target" if row.target is None else format_figure(row.target, unit, places)
    # The earlier figures in a line, each period named for screen readers and in print
    # (the line beside them names them too).
    previous = ", ".join(
        f'<span class="govuk-visually-hidden">{_escaped(label)}: </span>'
        f"{'no figure' if value is None else format_figure(value, unit, places)}"
        for label, value in row.previous
    )
    previous = f"{previous}<br>" if previous else "None"
    warnings = "".join(
        f'<p class="govuk-!-margin-top-0 govuk-!-margin-bottom-1">'
        f'<strong class="govuk-tag govuk-tag--yellow">Check</strong> '
        f"{html_escape(warning)}</p>"
        for warning in row.warnings
    )
    commentary = row.commentary
    if len(commentary) > COMMENTARY_SHOWN:
        commentary = commentary[:COMMENTARY_SHOWN].rsplit(" ", 1)[0] + "..."
    commentary = html_escape(commentary) if commentary else "None"
    if row.commentary and row.commentary_is_public:
        commentary += "<br><em>The officer asks to publish it.</em>"
    by = _escaped(row.submitted_by) if row.submitted_by else "someone no longer here"
    if row.submitted_at:
        lateness = LATE if row.is_late else ON_TIME
        submitted = f"{by}<br>{_day(timezone.localdate(row.submitted_at))} {lateness}"
    else:
        submitted = by
    return (
        f'<tr class="govuk-table__row" id="outturn-{pk}">'
        f'<td class="govuk-table__cell">{select}</td>'
        f'<th scope="row" class="govuk-table__header">'
        f'<a class="govuk-link govuk-!-font-weight-bold" '
        f'href="{_address("indicators:outturn-entry", row.indicator_id, period.pk)}">{code}'
        f'<span class="govuk-visually-hidden">, {period_label}</span></a> {html_escape(row.title)}'
        f"<br>{period_label}, {_escaped(row.service or '')}</th>"
        f'<td class="govuk-table__cell govuk-table__cell--numeric pmis-nowrap">{figure}</td>'
        f'<td class="govuk-table__cell govuk-table__cell--numeric pmis-nowrap">{target}</td>'
        f'<td class="govuk-table__cell">{_rating(row.rag, row.override_rag)}</td>'
        f'<td class="govuk-table__cell">{previous}{row.sparkline}</td>'
        f'<td class="govuk-table__cell">{warnings}{commentary}</td>'
        f'<td class="govuk-table__cell">{submitted}</td>'
        f'<td class="govuk-table__cell">{action}</td>'
        "</tr>"
    )


LATE = '<strong class="govuk-tag govuk-tag--red">Late</strong>'
ON_TIME = '<strong class="govuk-tag govuk-tag--green">On time</strong>'


@lru_cache(maxsize=64)
def _rating(rag: str, override: str) -> str:
    """The shown rating as a tag in words, with the computed one beside an override."""
    if not rag:
        return "Not rated"
    if override:
        return f"{_tag(override)}<br>Overridden: computed {Rag(rag).label}"
    return _tag(rag)


@lru_cache(maxsize=16)
def _tag(value: str) -> str:
    return str(rag_tag(value, Rag(value).label))


@lru_cache(maxsize=256)
def _escaped(text: str) -> str:
    return html_escape(text)


@lru_cache(maxsize=8)
def _pattern(name: str, count: int) -> str:
    return reverse(name, args=[987654321 + i for i in range(count)])


def _address(name: str, *args: int) -> str:
    address = _pattern(name, len(args))
    for i, arg in enumerate(args):
        address = address.replace(str(987654321 + i), str(arg), 1)
    return address


@lru_cache(maxsize=256)
def _day(day) -> str:
    """A date in words: "13 October 2026"."""
    return dateformat.format(day, "j F Y")
