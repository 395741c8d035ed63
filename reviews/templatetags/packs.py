"""A pack's dates in words: a published pack keeps its dates as ISO text (JSON)."""

import datetime

from django import template

register = template.Library()


@register.filter
def in_words(value) -> str:
    """ "2026-10-13" (or a date) as "13 October 2026"; anything else as it is."""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime.date):
        return f"{value.day} {value:%B %Y}"
    return value
