"""Charts as server-rendered SVG: no JavaScript, legible in print, described for screen readers.

Each chart carries a <title> and <desc>; pages also show the same figures as a table.
"""

import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import lru_cache
from html import escape as html_escape
from operator import add
from typing import NamedTuple

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

NOT_ID = re.compile(r"[^a-z0-9]")


def sparkline(
    labels: Sequence[str],
    values: Sequence[Decimal | str | None],
    *,
    title: str,
    chart_id: str = "",
    width: int = 100,
    height: int = 24,
) -> str:
    """A small trend line of period labels and their values, oldest first; gaps are skipped.

    A value is a number, or a number's text as it is to be read out ("95.0"). chart_id
    names the title for aria-labelledby (made from the title when not given); it must be
    unique on the page.

    Returns "" when fewer than two values exist.
    """
    if None in values:
        labels = [label for label, value in zip(labels, values, strict=True) if value is not None]
        values = [value for value in values if value is not None]
    count = len(values)
    if count < 2:
        return ""
    # Plain string building, every value escaped: scorecards draw thousands of these.
    # Labels are escaped once each (they repeat across rows); values need no escaping:
    # each was converted by float() in _tenths, which refuses any text but a number's.
    # Coordinates are in tenths of a pixel (the viewBox is ten times the drawn size), so
    # each is a whole number: formatting decimals was a third of a sparkline's time (as
    # was mark_safe's check for lazy strings, hence SafeString).
    ys = _tenths(values, 20, height * 10 - 20)
    coordinates = " ".join(map(add, _xs(count, width), ys))
    description = "; ".join(map(add, map(_label_prefix, labels), map(str, values)))
    chart_id = chart_id or _id(title)
    return SafeString(
        f'<svg class="pmis-sparkline" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width * 10} {height * 10}" aria-labelledby="{chart_id}">'
        f'<title id="{chart_id}">{html_escape(str(title))}</title><desc>{description}</desc>'
        f'<polyline fill="none" stroke="currentColor" stroke-width="15" points="{coordinates}"/>'
        f'<circle cx="{width * 10 - 20}" cy="{ys[-1]}" r="20" fill="currentColor"/></svg>'
    )


def _tenths(values: Sequence[Decimal | str], low: int, high: int) -> list[str]:
    """Each value's y coordinate, in whole tenths of a pixel: the lowest value at high, the
    highest at low (all at high when they are equal)."""
    numbers = list(map(float, values))
    bottom = min(numbers)
    scale = (high - low) / ((max(numbers) - bottom) or 1.0)
    # Every coordinate is positive, so int() of it plus a half rounds it.
    top = high + 0.5
    return [str(int(top - (n - bottom) * scale)) for n in numbers]


@lru_cache(maxsize=64)
def _xs(count: int, width: int) -> tuple[str, ...]:
    """The x coordinates of a sparkline's points in tenths of a pixel, each with the comma
    that follows (the same for every line of a length)."""
    step = (width * 10 - 40) / (count - 1)
    return tuple(f"{round(20 + i * step)}," for i in range(count))


@lru_cache(maxsize=256)
def _label_prefix(label: str) -> str:
    """A period label escaped, as it begins its entry in a sparkline's description."""
    return html_escape(str(label)) + ": "


def _id(text: str) -> str:
    return "chart-" + NOT_ID.sub("-", text.lower())[:60]


class TrendPoint(NamedTuple):
    """One period of an indicator chart: the figure rated, its target and the rating shown."""

    label: str
    figure: Decimal | None
    target: Decimal | None
    rag: str = ""
    rag_label: str = ""


# The rating is shown by the marker's shape as well as its colour (never colour alone).
# GOV.UK colours, dark enough to print.
MARKERS = {
    "green": ("circle", "#00703c", "Green"),
    "amber": ("triangle", "#b35c00", "Amber"),
    "red": ("square", "#d4351c", "Red"),
}
OTHER_MARKER = ("diamond", "#505a5f", "Other status (no target, data only)")
WIDTH, HEIGHT = 640, 340
LEFT, RIGHT, TOP, BOTTOM = 80, 20, 20, 280


def _marker(shape: str, colour: str, x: float, y: float, size: float = 5) -> str:
    if shape == "circle":
        return format_html('<circle cx="{}" cy="{}" r="{}" fill="{}"/>', f"{x:.1f}", f"{y:.1f}", size, colour)
    if shape == "square":
        s = size * 0.9
        return format_html(
            '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
            f"{x - s:.1f}",
            f"{y - s:.1f}",
            f"{2 * s:.1f}",
            f"{2 * s:.1f}",
            colour,
        )
    if shape == "triangle":
        s = size * 1.2
        points = f"{x:.1f},{y - s:.1f} {x + s:.1f},{y + s * 0.8:.1f} {x - s:.1f},{y + s * 0.8:.1f}"
    else:
        s = size * 1.1
        points = f"{x:.1f},{y - s:.1f} {x + s:.1f},{y:.1f} {x:.1f},{y + s:.1f} {x - s:.1f},{y:.1f}"
    return format_html('<polygon points="{}" fill="{}"/>', points, colour)


def _paths(segments: list[list[tuple[float, float]]], *, stepped: bool = False) -> str:
    """SVG path data for runs of points; a stepped path holds each value until the next."""
    parts = []
    for run in segments:
        (x, y), rest = run[0], run[1:]
        parts.append(f"M{x:.1f},{y:.1f}")
        for nx, ny in rest:
            parts.append(f"H{nx:.1f}V{ny:.1f}" if stepped else f"L{nx:.1f},{ny:.1f}")
    return " ".join(parts)


def _runs(points: list[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    runs, current = [], []
    for point in points:
        if point is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append(point)
    if current:
        runs.append(current)
    return runs


def _held(run: list[tuple[float, float]], half: float) -> list[tuple[float, float]]:
    """Corners of a stepped line on which each target holds for its own period, half a step each side."""
    corners = [(max(run[0][0] - half, LEFT), run[0][1])]
    corners += [(x - half, y) for x, y in run[1:]]
    corners.append((min(run[-1][0] + half, WIDTH - RIGHT), run[-1][1]))
    return corners


def trend_chart(
    rows: list[TrendPoint], *, title: str, description: str, unit_formatter: Callable[[Decimal], str]
) -> str:
    """An indicator's figures (a solid line) against its targets (a dashed, stepped line), oldest first.

    Each period with a figure has a marker whose shape and colour show its rating, named
    in a legend. The y axis is labelled with the lowest and highest value, the x axis with
    the first and last period. Sized by its viewBox, so it scales on screen and in print.
    Returns "" when no period has a figure or a target.
    """
    values = [v for row in rows for v in (row.figure, row.target) if v is not None]
    if not values:
        return ""
    bottom, top = min(values), max(values)
    low, high = float(bottom), float(top)
    if low == high:
        low, high = low - 1, high + 1
    span = high - low

    def y_of(value: Decimal) -> float:
        # Clear of the axis at the bottom and the frame at the top.
        return BOTTOM - 15 - (float(value) - low) / span * (BOTTOM - TOP - 25)

    step = (WIDTH - RIGHT - LEFT - 20) / max(len(rows) - 1, 1)
    xs = [LEFT + 10 + i * step for i in range(len(rows))]
    figures = [(x, y_of(row.figure)) if row.figure is not None else None for x, row in zip(xs, rows, strict=True)]
    targets = [(x, y_of(row.target)) if row.target is not None else None for x, row in zip(xs, rows, strict=True)]
    target_runs = [_held(run, step / 2) for run in _runs(targets)]
    markers = []
    for row, point in zip(rows, figures, strict=True):
        if point is None:
            continue
        shape, colour, word = MARKERS.get(row.rag, OTHER_MARKER)
        words = f"{row.label}: {unit_formatter(row.figure)}"
        words += f" against a target of {unit_formatter(row.target)}" if row.target is not None else ", no target"
        words += f", {row.rag_label or word}"
        markers.append(
            format_html(
                '<g class="pmis-chart__marker" data-rag="{}"><title>{}</title>{}</g>',
                row.rag or "none",
                words,
                _marker(shape, colour, *point),
            )
        )
    legend_items = [("line", "#0b0c0c", "Figure"), ("dash", "#1d70b8", "Target")]
    legend_items += [(shape, colour, word) for shape, colour, word in [*MARKERS.values(), OTHER_MARKER]]
    legend, lx = [], LEFT
    for shape, colour, word in legend_items:
        if shape in ("line", "dash"):
            legend.append(
                format_html(
                    '<line x1="{}" y1="322" x2="{}" y2="322" stroke="{}" stroke-width="2.5" stroke-dasharray="{}"/>',
                    lx,
                    lx + 20,
                    colour,
                    "6 4" if shape == "dash" else "none",
                )
            )
        else:
            legend.append(_marker(shape, colour, lx + 10, 322, 4))
        legend.append(format_html('<text x="{}" y="326" font-size="12">{}</text>', lx + 25, word.split(" (")[0]))
        lx += 30 + 7 * len(word.split(" (")[0])
    # The markers and legend are joined from parts each escaped by format_html.
    content = format_html(
        '<path class="pmis-chart__targets" d="{targets}" fill="none" stroke="#1d70b8" stroke-width="2" '
        'stroke-dasharray="6 4"/>'
        '<path class="pmis-chart__figures" d="{figures}" fill="none" stroke="#0b0c0c" stroke-width="2.5"/>'
        '{markers}<g class="pmis-chart__legend">{legend}</g>',
        targets=_paths(target_runs, stepped=True),
        figures=_paths(_runs(figures)),
        markers=mark_safe("".join(markers)),
        legend=mark_safe("".join(legend)),
    )
    return _frame(title, description, rows, y_of, top, bottom, unit_formatter, content)


def _frame(title, description, rows, y_of, top, bottom, unit_formatter, content) -> str:
    """A chart's SVG: title and description for screen readers, axes with the highest and
    lowest values and the first and last period, around content (safe markup)."""
    chart_id = _id(title)
    return format_html(
        '<svg class="pmis-chart" role="img" viewBox="0 0 {w} {h}" width="100%" '
        'aria-labelledby="{id}-title {id}-desc" '
        'font-family="inherit" fill="#0b0c0c">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        '<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="#505a5f"/>'
        '<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#505a5f"/>'
        '<text x="{lab}" y="{ytop}" font-size="12" text-anchor="end">{high}</text>'
        '<text x="{lab}" y="{ybottom}" font-size="12" text-anchor="end">{low}</text>'
        '<text x="{first_x}" y="{xlabel}" font-size="12" text-anchor="start">{first}</text>'
        '<text x="{right}" y="{xlabel}" font-size="12" text-anchor="end">{last}</text>'
        "{content}</svg>",
        w=WIDTH,
        h=HEIGHT,
        id=chart_id,
        title=title,
        desc=description,
        left=LEFT,
        top=TOP,
        bottom=BOTTOM,
        right=WIDTH - RIGHT,
        lab=LEFT - 6,
        ytop=f"{y_of(top) + 4:.1f}",
        ybottom=f"{y_of(bottom) + 4:.1f}",
        high=unit_formatter(top),
        low=unit_formatter(bottom),
        first_x=LEFT,
        xlabel=BOTTOM + 18,
        first=rows[0].label,
        last=rows[-1].label if len(rows) > 1 else "",
        content=content,
    )


class XmrPoint(NamedTuple):
    """One period of an XmR chart: its own figure (None for a gap) and its variation."""

    label: str
    figure: Decimal | None
    variation: str = ""
    words: str = ""


# Special causes are shown by the marker's shape as well as its colour, as in "Making Data
# Count": orange for concern, blue for improvement, purple for neither, grey common cause.
XMR_MARKERS = {
    "improvement": ("circle", "#1d70b8", "Improvement"),
    "concern": ("square", "#b35c00", "Concern"),
    "neutral": ("diamond", "#4c2c92", "Special cause (no better or worse)"),
    "common": ("circle-small", "#505a5f", "Common cause"),
}


def _xmr_marker(variation: str) -> tuple[str, str, str]:
    return XMR_MARKERS.get(variation.split("_")[0], XMR_MARKERS["common"])


def xmr_chart(
    rows: list[XmrPoint],
    *,
    mean: Decimal,
    lower: Decimal,
    upper: Decimal,
    target: Decimal | None,
    title: str,
    description: str,
    unit_formatter: Callable[[Decimal], str],
) -> str:
    """An XmR chart: the figures (a solid line, broken at gaps), the mean (a solid grey
    line), the process limits (dashed grey lines) and the latest target (a dotted blue
    line), oldest first. Each figure's marker shape and colour show its variation, named in
    a legend. Returns "" when no period has a figure."""
    values = [row.figure for row in rows if row.figure is not None]
    if not values:
        return ""
    lines = [mean, lower, upper] + ([target] if target is not None else [])
    bottom, top = min(values + lines), max(values + lines)
    low, high = float(bottom), float(top)
    if low == high:
        low, high = low - 1, high + 1
    span = high - low

    def y_of(value: Decimal) -> float:
        return BOTTOM - 15 - (float(value) - low) / span * (BOTTOM - TOP - 25)

    step = (WIDTH - RIGHT - LEFT - 20) / max(len(rows) - 1, 1)
    xs = [LEFT + 10 + i * step for i in range(len(rows))]
    figures = [(x, y_of(row.figure)) if row.figure is not None else None for x, row in zip(xs, rows, strict=True)]
    markers = []
    for row, point in zip(rows, figures, strict=True):
        if point is None:
            continue
        shape, colour, word = _xmr_marker(row.variation)
        size = 3 if shape == "circle-small" else 5
        markers.append(
            format_html(
                '<g class="pmis-xmr__marker" data-variation="{}"><title>{}: {}, {}</title>{}</g>',
                row.variation or "none",
                row.label,
                unit_formatter(row.figure),
                row.words or word.lower(),
                _marker("circle" if shape == "circle-small" else shape, colour, *point, size),
            )
        )
    x1, x2 = LEFT, WIDTH - RIGHT
    horizontal = []
    for value, colour, dash, css in [
        (upper, "#505a5f", "6 4", "pmis-chart__upper"),
        (mean, "#505a5f", "none", "pmis-chart__mean"),
        (lower, "#505a5f", "6 4", "pmis-chart__lower"),
        *([(target, "#1d70b8", "2 3", "pmis-chart__target")] if target is not None else []),
    ]:
        horizontal.append(
            format_html(
                '<line class="{}" x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{}" stroke-width="1.5" '
                'stroke-dasharray="{}"/>',
                css,
                x1,
                x2,
                colour,
                dash,
                y=f"{y_of(value):.1f}",
            )
        )
    legend_items = [("line", "#505a5f", "none", "Mean"), ("line", "#505a5f", "6 4", "Process limits")]
    if target is not None:
        legend_items.append(("line", "#1d70b8", "2 3", "Target"))
    legend_items += [(shape, colour, "", word.split(" (")[0]) for shape, colour, word in XMR_MARKERS.values()]
    # The legend wraps onto a second line when it would run past the chart's right edge.
    legend, lx, ly = [], LEFT, 314
    for shape, colour, dash, word in legend_items:
        if lx + 25 + 7 * len(word) > WIDTH - RIGHT:
            lx, ly = LEFT, ly + 18
        if shape == "line":
            legend.append(
                format_html(
                    '<line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{}" stroke-width="2" stroke-dasharray="{}"/>',
                    lx,
                    lx + 20,
                    colour,
                    dash,
                    y=ly,
                )
            )
        else:
            small = shape == "circle-small"
            legend.append(_marker("circle" if small else shape, colour, lx + 10, ly, 3 if small else 4))
        legend.append(format_html('<text x="{}" y="{}" font-size="12">{}</text>', lx + 25, ly + 4, word))
        lx += 30 + 7 * len(word)
    content = format_html(
        "{horizontal}"
        '<path class="pmis-chart__figures" d="{figures}" fill="none" stroke="#0b0c0c" stroke-width="2"/>'
        '{markers}<g class="pmis-chart__legend">{legend}</g>',
        horizontal=mark_safe("".join(horizontal)),
        figures=_paths(_runs(figures)),
        markers=mark_safe("".join(markers)),
        legend=mark_safe("".join(legend)),
    )
    return _frame(title, description, rows, y_of, top, bottom, unit_formatter, content)
