from django import template
from django.utils.html import format_html

register = template.Library()

# Ratings are tags with their word, never colour alone (GOV.UK tag colours).
TAG_COLOURS = {
    "green": "govuk-tag--green",
    "amber": "govuk-tag--orange",
    "red": "govuk-tag--red",
    "incomplete": "govuk-tag--yellow",
}
TRAVEL = {"improving": ("↑", "Improving"), "worsening": ("↓", "Worsening"), "unchanged": ("→", "Unchanged")}
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
# cause; a tick, a cross or both for assurance.
VARIATION_TAGS = {
    "improvement_high": ("▲", "Improvement (high)", "govuk-tag--blue"),
    "improvement_low": ("▼", "Improvement (low)", "govuk-tag--blue"),
    "concern_high": ("▲", "Concern (high)", "govuk-tag--orange"),
    "concern_low": ("▼", "Concern (low)", "govuk-tag--orange"),
    "neutral_high": ("▲", "Unusually high", "govuk-tag--purple"),
    "neutral_low": ("▼", "Unusually low", "govuk-tag--purple"),
    "common_cause": ("~", "Common cause", "govuk-tag--grey"),
}
ASSURANCE_TAGS = {
    "pass": ("✓", "Consistently passes", "govuk-tag--blue"),
    "hit_and_miss": ("?", "Hit and miss", "govuk-tag--grey"),
    "fail": ("✗", "Consistently fails", "govuk-tag--orange"),
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
