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


def nice_ticks(low: Decimal, high: Decimal) -> list[Decimal]:
    """Four to six evenly spaced round values from at or below low to at or above high: a
    step of 1, 2 or 5 times a power of ten, the count nearest five (then the larger step)."""
    low, high = Decimal(low), Decimal(high)
    if low == high:
        low, high = low - 1, high + 1
    span = high - low
    magnitude = span.adjusted()
    candidates = []
    for exponent in range(magnitude - 2, magnitude + 2):
        for multiplier in (1, 2, 5):
            step = Decimal(multiplier).scaleb(exponent)
            first = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
            last = (high / step).to_integral_value(rounding="ROUND_CEILING") * step
            count = int((last - first) / step) + 1
            candidates.append((count, step, first))
    fitting = [c for c in candidates if 4 <= c[0] <= 6] or [c for c in candidates if c[0] <= 6]
    count, step, first = min(fitting, key=lambda c: (abs(c[0] - 5), -c[1]))
    return [first + i * step for i in range(count)]


def year_starts(labels: Sequence[str]) -> list[int]:
    """The indexes of the labels that start a financial year ("2025/26 Q1" after "2024/25
    Q4"; the first always): where a chart's period axis is labelled."""
    starts, year = [], None
    for index, label in enumerate(labels):
        this = str(label).split(" ")[0]
        if this != year:
            starts.append(index)
            year = this
    return starts


FONT = "GDS Transport, arial, sans-serif"
GRID = "#dddddd"


class TrendPoint(NamedTuple):
    """One period of an indicator chart: the figure rated, its target and the rating shown."""

    label: str
    figure: Decimal | None
    target: Decimal | None
    rag: str = ""
    rag_label: str = ""
    # A note on the period's figure (indicators.chart_notes), numbered on the chart.
    note: str = ""


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
    in a legend; the target line is labelled with its latest value. The value axis has
    four to six round ticks with light gridlines (nice_ticks), the period axis a label at
    each financial year's start (year_starts). Sized by its viewBox, so it scales on screen and in print.
    Returns "" when no period has a figure or a target.
    """
    values = [v for row in rows for v in (row.figure, row.target) if v is not None]
    if not values:
        return ""
    ticks = nice_ticks(min(values), max(values))
    low, high = float(ticks[0]), float(ticks[-1])
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
        words += f". Note: {row.note}" if row.note else ""
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
    # The target line is labelled with its latest value where it ends.
    target_label = ""
    if target_runs:
        end_x, end_y = target_runs[-1][-1]
        latest = next(row.target for row in reversed(rows) if row.target is not None)
        target_label = format_html(
            '<text class="pmis-chart__target-label" x="{}" y="{}" font-size="12" text-anchor="end" fill="#1d70b8" '
            'stroke="#ffffff" stroke-width="3" paint-order="stroke">'
            "Target {}</text>",
            f"{end_x:.1f}",
            f"{end_y - 6:.1f}",
            unit_formatter(latest),
        )
    # Each note is a dotted line at its period, numbered at the top; its text is in the
    # line's title and in the table beside the chart.
    noted = [(x, row) for x, row in zip(xs, rows, strict=True) if row.note]
    notes = "".join(
        format_html(
            '<g class="pmis-chart__note"><title>Note {}, {}: {}</title>'
            '<line x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="#505a5f" stroke-width="1" stroke-dasharray="2 3"/>'
            '<text x="{x}" y="{}" font-size="12" text-anchor="middle" fill="#0b0c0c">Note {}</text></g>',
            number,
            row.label,
            row.note,
            TOP + 16,
            BOTTOM - 15,
            TOP + 10,
            number,
            x=f"{x:.1f}",
        )
        for number, (x, row) in enumerate(noted, start=1)
    )
    # The markers and legend are joined from parts each escaped by format_html.
    content = format_html(
        '<path class="pmis-chart__targets" d="{targets}" fill="none" stroke="#1d70b8" stroke-width="2" '
        'stroke-dasharray="6 4"/>{target_label}'
        '<path class="pmis-chart__figures" d="{figures}" fill="none" stroke="#0b0c0c" stroke-width="2.5"/>'
        '{notes}{markers}<g class="pmis-chart__legend">{legend}</g>',
        targets=_paths(target_runs, stepped=True),
        target_label=target_label,
        figures=_paths(_runs(figures)),
        notes=mark_safe(notes),
        markers=mark_safe("".join(markers)),
        legend=mark_safe("".join(legend)),
    )
    return _frame(title, description, rows, y_of, ticks, xs, unit_formatter, content)


def _frame(title, description, rows, y_of, ticks, xs, unit_formatter, content) -> str:
    """A chart's SVG: title and description for screen readers; a value axis with its
    round ticks and light gridlines; the period axis labelled at each financial year's
    start; around content (safe markup). Text in the GOV.UK font stack."""
    chart_id = _id(title)
    grid = mark_safe(
        "".join(
            format_html(
                '<line class="pmis-chart__grid" x1="{left}" y1="{y}" x2="{right}" y2="{y}" stroke="{grid}"/>'
                '<text x="{lab}" y="{ty}" font-size="12" text-anchor="end">{text}</text>',
                left=LEFT,
                right=WIDTH - RIGHT,
                y=f"{y_of(tick):.1f}",
                ty=f"{y_of(tick) + 4:.1f}",
                lab=LEFT - 6,
                grid=GRID,
                text=unit_formatter(tick),
            )
            for tick in ticks
        )
    )
    periods = mark_safe(
        "".join(
            format_html(
                '<line x1="{x}" y1="{bottom}" x2="{x}" y2="{tick}" stroke="#505a5f"/>'
                '<text x="{x}" y="{y}" font-size="12" text-anchor="{anchor}">{label}</text>',
                x=f"{xs[index]:.1f}",
                bottom=BOTTOM,
                tick=BOTTOM + 5,
                y=BOTTOM + 18,
                anchor="start" if index == 0 else "middle",
                label=rows[index].label,
            )
            for index in year_starts([row.label for row in rows])
        )
    )
    return format_html(
        '<svg class="pmis-chart" role="img" viewBox="0 0 {w} {h}" width="100%" '
        'aria-labelledby="{id}-title {id}-desc" '
        'font-family="{font}" fill="#0b0c0c">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        '<g class="pmis-chart__axis">{grid}</g>'
        '<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="#505a5f"/>'
        '<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#505a5f"/>'
        '<g class="pmis-chart__periods">{periods}</g>'
        "{content}</svg>",
        w=WIDTH,
        h=HEIGHT,
        id=chart_id,
        font=FONT,
        title=title,
        desc=description,
        grid=grid,
        periods=periods,
        left=LEFT,
        top=TOP,
        bottom=BOTTOM,
        right=WIDTH - RIGHT,
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
    ticks = nice_ticks(min(values + lines), max(values + lines))
    low, high = float(ticks[0]), float(ticks[-1])
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
    return _frame(title, description, rows, y_of, ticks, xs, unit_formatter, content)
