from django import template
from django.utils.html import format_html

register = template.Library()

# Milestone statuses are tags with their word, never colour alone (GOV.UK tag colours).
MILESTONE_COLOURS = {
    "on_track": "govuk-tag--green",
    "complete": "govuk-tag--blue",
    "at_risk": "govuk-tag--orange",
    "off_track": "govuk-tag--red",
    "not_started": "govuk-tag--grey",
}
PLAN_COLOURS = {
    "draft": "govuk-tag--grey",
    "quality_assured": "govuk-tag--light-blue",
    "scrutiny_review": "govuk-tag--purple",
    "approved": "govuk-tag--green",
}


@register.simple_tag
def milestone_tag(value: str, label: str):
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>', MILESTONE_COLOURS.get(value, "govuk-tag--grey"), label
    )


@register.simple_tag
def plan_status_tag(plan):
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>',
        PLAN_COLOURS.get(plan.status, "govuk-tag--grey"),
        plan.get_status_display(),
    )
