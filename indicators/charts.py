"""Charts as server-rendered SVG: no JavaScript, legible in print, described for screen readers.

Each chart carries a <title> and <desc>; pages also show the same figures as a table.
"""

from decimal import Decimal

from django.utils.html import format_html


def _scale(values: list[Decimal], low: float, high: float) -> list[float]:
    numbers = [float(v) for v in values]
    bottom, top = min(numbers), max(numbers)
    span = (top - bottom) or 1.0
    return [high - (n - bottom) / span * (high - low) for n in numbers]


def sparkline(points: list[tuple[str, Decimal | None]], *, title: str, width: int = 100, height: int = 24) -> str:
    """A small trend line of (period label, value) pairs, oldest first; gaps are skipped.

    Returns "" when fewer than two values exist.
    """
    known = [(label, value) for label, value in points if value is not None]
    if len(known) < 2:
        return ""
    step = (width - 4) / (len(known) - 1)
    ys = _scale([value for _, value in known], 2, height - 2)
    coordinates = " ".join(f"{2 + i * step:.1f},{y:.1f}" for i, y in enumerate(ys))
    description = "; ".join(f"{label}: {value}" for label, value in known)
    last_x, last_y = 2 + (len(known) - 1) * step, ys[-1]
    return format_html(
        '<svg class="pmis-sparkline" role="img" width="{}" height="{}" viewBox="0 0 {} {}" aria-labelledby="{}">'
        '<title id="{}">{}</title><desc>{}</desc>'
        '<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="{}"/>'
        '<circle cx="{}" cy="{}" r="2" fill="currentColor"/></svg>',
        width,
        height,
        width,
        height,
        _id(title),
        _id(title),
        title,
        description,
        coordinates,
        f"{last_x:.1f}",
        f"{last_y:.1f}",
    )


def _id(text: str) -> str:
    return "chart-" + "".join(c if c.isalnum() else "-" for c in text.lower())[:60]
