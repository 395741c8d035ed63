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

from ..models import OutturnState, Rag
from ..permissions import OWN_FIGURE, is_own_figure
from .pmis import rag_tag

register = template.Library()

# How much of the commentary a row shows; the entry page has the rest.
COMMENTARY_SHOWN = 160


@register.simple_tag
def queue_rows(rows, back: str, user):
    """The rows; back is the queue's address as filtered, for the send-back page to return to.
    The user's own figures offer no selection: someone else validates them."""
    back = html_escape("?" + urlencode({"next": back}))
    return SafeString("".join([_row_html(row, back, user) + "\n    " for row in rows]))


def _row_html(row, back: str, user) -> str:
    """One return as a table row: every text escaped (html.escape), figures made from numbers."""
    outturn, rating = row.outturn, row.rating
    indicator, period = outturn.indicator, outturn.period
    code, period_label = html_escape(indicator.code), _escaped(str(period))
    which = f"{code}, {period_label}"
    if outturn.state == OutturnState.SUBMITTED:
        if is_own_figure(user, outturn):
            select = f'<p class="govuk-body-s" id="own-{outturn.pk}">{OWN_FIGURE}</p>'
        else:
            select = (
                '<div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">'
                '<div class="govuk-checkboxes__item">'
                f'<input class="govuk-checkboxes__input" id="select-{outturn.pk}" name="outturn" type="checkbox" '
                f'value="{outturn.pk}" form="selection">'
                f'<label class="govuk-label govuk-checkboxes__label" for="select-{outturn.pk}">'
                f'<span class="govuk-visually-hidden">Select {which}</span></label></div></div>'
            )
        action = (
            f'<a class="govuk-link" href="{_address("indicators:outturn-return", outturn.pk)}{back}">'
            f'Send back<span class="govuk-visually-hidden"> {which}</span></a>'
        )
    else:
        select = ""
        action = "Sent back: " + html_escape(outturn.return_comment)
    figure = "Not available" if outturn.value is None else indicator.format_value(outturn.value)
    target = "No target" if rating is None or rating.target is None else indicator.format_value(rating.target)
    previous = "".join(
        f"<li>{_escaped(str(p))}: {'No figure' if value is None else indicator.format_value(value)}</li>"
        for p, value in row.previous
    )
    previous = f'<ul class="govuk-list govuk-body-s govuk-!-margin-bottom-1">{previous}</ul>' if previous else ""
    warnings = "".join(
        f'<p class="govuk-body-s govuk-!-margin-bottom-1"><strong class="govuk-tag govuk-tag--yellow">Check</strong> '
        f"{html_escape(warning)}</p>"
        for warning in row.warnings
    )
    commentary = outturn.commentary
    if len(commentary) > COMMENTARY_SHOWN:
        commentary = commentary[:COMMENTARY_SHOWN].rsplit(" ", 1)[0] + "..."
    commentary = html_escape(commentary) if commentary else "None"
    if outturn.commentary and outturn.commentary_is_public:
        commentary += '<br><span class="govuk-body-s">The officer asks to publish it.</span>'
    by = html_escape(str(outturn.submitted_by)) if outturn.submitted_by else "someone no longer here"
    submitted = (
        f"{by}<br>{_day(outturn.submitted_at)} "
        + (
            '<strong class="govuk-tag govuk-tag--red">Late</strong>'
            if outturn.is_late
            else '<strong class="govuk-tag govuk-tag--green">On time</strong>'
        )
        if outturn.submitted_at
        else by
    )
    return (
        f'<tr class="govuk-table__row" id="outturn-{outturn.pk}">'
        f'<td class="govuk-table__cell">{select}</td>'
        f'<th scope="row" class="govuk-table__header">'
        f'<a class="govuk-link" href="{_address("indicators:outturn-entry", indicator.pk, period.pk)}">{code}'
        f'<span class="govuk-visually-hidden">, {period_label}</span></a> {html_escape(indicator.title)}'
        f'<br><span class="govuk-body-s">{period_label}, {_escaped(str(indicator.service or ""))}</span></th>'
        f'<td class="govuk-table__cell govuk-table__cell--numeric pmis-nowrap">{figure}</td>'
        f'<td class="govuk-table__cell govuk-table__cell--numeric pmis-nowrap">{target}</td>'
        f'<td class="govuk-table__cell">{_rating(rating)}</td>'
        f'<td class="govuk-table__cell">{previous}{row.sparkline}</td>'
        f'<td class="govuk-table__cell">{warnings}{commentary}</td>'
        f'<td class="govuk-table__cell govuk-body-s">{submitted}</td>'
        f'<td class="govuk-table__cell">{action}</td>'
        "</tr>"
    )


def _rating(rating) -> str:
    if rating is None:
        return "Not rated"
    tag = _tag(rating.shown_rag)
    if rating.override_rag:
        return f'{tag}<br><span class="govuk-body-s">Overridden: computed {Rag(rating.rag).label}</span>'
    return tag


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


def _day(moment) -> str:
    """A date in words: "13 October 2026"."""
    return dateformat.format(timezone.localtime(moment), "j F Y")
