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
