"""A pack's dates in words: a published pack keeps its dates as ISO text (JSON)."""

import datetime

from django import template
from django.utils.text import slugify

from indicators.charts import sparkline

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


@register.simple_tag
def trend_chart(item: dict, where: str, width: int = 100, height: int = 24) -> str:
    """A pack row's recent figures (its frozen "trend") as the scorecards' sparkline: an SVG
    with a title and a description that reads out each figure, drawn the same in the page and
    in the PDF (WeasyPrint draws SVG). "Too few figures" when it has fewer than two."""
    points = [point for point in item.get("trend") or [] if point.get("figure") not in ("", None)]
    chart = sparkline(
        [point["period"] for point in points],
        [point["figure"] for point in points],
        title=f"{item['code']}: recent figures",
        chart_id=f"{where}-trend-{slugify(item['code'])}",
        width=width,
        height=height,
    )
    return chart or "Too few figures"
