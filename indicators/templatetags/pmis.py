from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from indicators.shown import LABELS

register = template.Library()

# Ratings are tags with their word, never colour alone (GOV.UK tag colours).
TAG_COLOURS = {
    "green": "govuk-tag--green",
    "amber": "govuk-tag--orange",
    "red": "govuk-tag--red",
    "incomplete": "govuk-tag--yellow",
}
# Symbols are written as character references (↑ is &#8593;): a page made only of ASCII is
# held by Python one byte a character and encoded by a copy, while a single other character
# makes it two bytes a character throughout and slow to encode (a 2,000-row scorecard).
TRAVEL = {
    "improving": (mark_safe("&#8593;"), "Improving"),
    "worsening": (mark_safe("&#8595;"), "Worsening"),
    "unchanged": (mark_safe("&#8594;"), "Unchanged"),
}
STATE_COLOURS = {
    "overdue": "govuk-tag--red",
    "returned": "govuk-tag--orange",
    "submitted": "govuk-tag--blue",
    "validated": "govuk-tag--green",
    "signed_off": "govuk-tag--green",
    "quality_assured": "govuk-tag--blue",
    "proposed": "govuk-tag--light-blue",
}


@register.simple_tag
def rag_tag(value: str, label: str):
    return format_html('<strong class="govuk-tag {}">{}</strong>', TAG_COLOURS.get(value, "govuk-tag--grey"), label)


@register.filter
def rating_word(status: str) -> str:
    """A rating or status key in words, as every page says it (indicators.shown.LABELS)."""
    return LABELS.get(status, status)


@register.simple_tag
def shown_rating_tag(shown):
    """A rating as indicators.shown gives it: its word as a tag, "Provisional" in words beside
    it when its target is not signed off, and the computed rating beside an override."""
    if shown is None:
        return ""
    html = rag_tag(shown.status, shown.label)
    if shown.provisional:
        html = format_html(
            '{} <span class="pmis-provisional">Provisional</span>'
            '<span class="govuk-body-s"> (target not signed off)</span>',
            html,
        )
    if shown.overridden:
        html = format_html(
            '{} <span class="govuk-body-s">(overridden: computed {})</span>', html, shown.computed_label.lower()
        )
    return html


@register.simple_tag
def state_tag(value: str, label: str):
    return format_html('<strong class="govuk-tag {}">{}</strong>', STATE_COLOURS.get(value, "govuk-tag--grey"), label)


@register.simple_tag
def travel(value: str):
    if not value:
        return "No comparison"
    arrow, word = TRAVEL[value]
    return format_html('<span class="pmis-nowrap"><span aria-hidden="true">{}</span> {}</span>', arrow, word)


@register.simple_tag
def figure(indicator, value):
    return "None" if value is None else indicator.format_value(value)


# Statistical process control: a symbol and a word, never colour alone. The symbols follow
# "Making Data Count": an arrow for a special cause and its direction, a tilde for common
# cause; a tick, a cross or both for assurance (▲ &#9650;, ▼ &#9660;, ✓ &#10003;, ✗ &#10007;).
UP, DOWN = mark_safe("&#9650;"), mark_safe("&#9660;")
VARIATION_TAGS = {
    "improvement_high": (UP, "Improvement (high)", "govuk-tag--blue"),
    "improvement_low": (DOWN, "Improvement (low)", "govuk-tag--blue"),
    "concern_high": (UP, "Concern (high)", "govuk-tag--orange"),
    "concern_low": (DOWN, "Concern (low)", "govuk-tag--orange"),
    "neutral_high": (UP, "Unusually high", "govuk-tag--purple"),
    "neutral_low": (DOWN, "Unusually low", "govuk-tag--purple"),
    "common_cause": ("~", "Common cause", "govuk-tag--grey"),
}
ASSURANCE_TAGS = {
    "pass": (mark_safe("&#10003;"), "Consistently passes", "govuk-tag--blue"),
    "hit_and_miss": ("?", "Hit and miss", "govuk-tag--grey"),
    "fail": (mark_safe("&#10007;"), "Consistently fails", "govuk-tag--orange"),
}


def _symbol_tag(found, empty: str):
    if found is None:
        return empty
    symbol, word, colour = found
    return format_html(
        '<strong class="govuk-tag {} pmis-nowrap"><span aria-hidden="true">{} </span>{}</strong>', colour, symbol, word
    )


@register.simple_tag
def variation_tag(value: str):
    """A rating's variation as a tag; "Not enough data" when it has none."""
    return _symbol_tag(VARIATION_TAGS.get(value), "Not enough data")


@register.simple_tag
def assurance_tag(value: str):
    return _symbol_tag(ASSURANCE_TAGS.get(value), "Not assessed")


@register.simple_tag
def rag_label(value: str):
    """A rating (a Rag value) as its tag with its word."""
    from indicators.models import Rag

    return rag_tag(value, Rag(value).label if value in Rag.values else value)
