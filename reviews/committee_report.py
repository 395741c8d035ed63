"""A committee report as a Word document (python-docx), for the council's committee
management system: a scorecard, portfolio or PRT meeting's indicators for a period.

It opens with the council, scope, period and date produced and a summary table of the
statuses, then takes each group of indicators in turn (corporate priorities, each with its
composite; or portfolios): a table of the group's indicators, then each exception (Red,
Amber or overdue) with its figure, target, direction, its trend chart (the very sparkline
the scorecard and exception report pages draw, indicators.charts, turned from SVG into a
PNG by CairoSVG because Word takes only raster pictures, with the chart's title and
description as its alt text), the same recent figures as a table (readable without the
chart), the commentary and the action plan (the open and recent actions raised against
it). Headings use Word's own heading styles, so the document can be navigated and a
contents page built from it.
"""

import datetime
import io
import xml.etree.ElementTree as ElementTree
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from django.conf import settings
from django.http import HttpResponse
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Mm, Pt
from docx.text.run import Run

from indicators.models import Rag

from .groups import Group
from .models import Action
from .pack_sections import Shown
from .scorecards import OVERDUE, Report, Row
from .templatetags.packs import in_words

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXCEPTIONS = (Rag.RED, Rag.AMBER, OVERDUE)
# The sparkline drawn four times its on-screen size, so it prints sharply, and placed 80 mm wide.
CHART_SCALE = 4
CHART_WIDTH = Mm(80)


def _table(document, headings: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headings, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
    document.add_paragraph()


def _figure(row: Row) -> str:
    if row.actual is not None:
        return row.indicator.format_value(row.actual)
    return "Not available" if row.outturn else "No figure"


def _target(row: Row) -> str:
    value = row.target_value
    if value is None:
        return "No target"
    return f"{row.indicator.format_value(value)} ({'signed off' if row.signed_off else 'not signed off'})"


def _travel(value: str) -> str:
    return value.capitalize() if value else "No comparison"


def chart_png(svg: str) -> tuple[bytes, str]:
    """A chart's SVG as a PNG, and its words for alt text: its title, then its description
    (the figures it draws)."""
    import cairosvg

    # A chart drawn into a page has no xmlns of its own (HTML gives it one).
    texts = {}
    for child in ElementTree.fromstring(svg):
        texts.setdefault(child.tag.rpartition("}")[2], " ".join("".join(child.itertext()).split()))
    words = [texts.get("title", ""), texts.get("desc", "")]
    png = cairosvg.svg2png(bytestring=svg.encode(), scale=CHART_SCALE, background_color="white")
    return png, ". ".join(word for word in words if word)


def _chart(document, svg: str) -> None:
    """The chart as a picture in its own paragraph, described for screen readers (Word's alt
    text, the picture's docPr descr)."""
    png, words = chart_png(svg)
    run: Run = document.add_paragraph().add_run()
    shape = run.add_picture(io.BytesIO(png), width=CHART_WIDTH)
    properties = shape._inline.docPr
    properties.set("descr", words)
    properties.set("title", words.split(". ")[0])


def _exception(document, row: Row, actions: list[Action]) -> None:
    indicator = row.indicator
    document.add_heading(f"{indicator.code} {indicator.title}", level=2)
    _table(
        document,
        ["Period", "Figure", "Target", "Rating", "Since previous period", "Since same period last year"],
        [
            [
                row.period_label or (row.period.label if row.period else "None"),
                _figure(row),
                _target(row),
                row.rating_words,
                _travel(row.travel_previous),
                _travel(row.travel_last_year),
            ]
        ],
    )
    trend = [(label, figure) for label, figure in row.trend if figure is not None]
    if trend:
        document.add_paragraph("Recent figures (the trend)", style="Heading 3")
        if row.sparkline:
            _chart(document, row.sparkline)
        _table(document, [label for label, _ in trend], [[indicator.format_value(Decimal(f)) for _, f in trend]])
    document.add_paragraph("Commentary", style="Heading 3")
    document.add_paragraph(row.commentary or "None given.")
    document.add_paragraph("Action plan", style="Heading 3")
    if not actions:
        document.add_paragraph("No action recorded.")
    for action in actions:
        document.add_paragraph(
            f"{action.description} ({action.owner}; due {action.due:%d %B %Y}; {action.get_status_display().lower()})",
            style="List Bullet",
        )


def _section(document, shown: Shown) -> None:
    """A section an app above adds (reviews.pack_sections: the scope's risks above appetite or
    rising), as a table of its spreadsheet columns."""
    document.add_heading(shown.section.heading, level=1)
    if not shown.rows:
        document.add_paragraph("None.")
        return
    columns = shown.section.columns
    _table(
        document,
        [heading for heading, _, _ in columns],
        [[str(in_words(row.get(key, ""))) for _, key, _ in columns] for row in shown.rows],
    )


def committee_report(
    report: Report,
    groups: list[Group],
    *,
    title: str,
    scope: str,
    produced: datetime.date,
    sections: Sequence[Shown] = (),
) -> bytes:
    """The report as .docx bytes, ending with the sections apps above add for its reader. One
    query: the actions raised against the exceptions."""
    exceptions = {row.indicator.pk for group in groups for row in group.rows if row.status in EXCEPTIONS}
    actions = defaultdict(list)
    for action in Action.objects.filter(indicator_id__in=exceptions).select_related("owner").order_by("due", "pk"):
        actions[action.indicator_id].append(action)

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(10)
    document.core_properties.title = f"{title}, {report.period.label}"
    document.core_properties.language = "en-GB"

    document.add_heading(f"{title}: performance report, {report.period.label}", level=0)
    document.add_paragraph(
        f"{settings.PMIS_COUNCIL_NAME}. Scope: {scope}. Period: {report.period.label}. "
        f"Produced {produced:%d %B %Y}. Red, Amber and overdue indicators are reported as exceptions, "
        "each with its commentary and action plan."
    )
    document.add_heading("Summary", level=1)
    since = report.previous.label if report.previous else None
    _table(
        document,
        ["Status", "Indicators", f"Change since {since}" if since else "Change"],
        [
            [count.label, str(count.count), "" if count.change is None else f"{count.change:+d}"]
            for count in report.summary
        ],
    )
    for group in groups:
        heading = group.title or "Indicators"
        document.add_heading(heading, level=1)
        if group.composite is not None:
            composite = group.composite
            document.add_paragraph(f"Composite status: {composite.label} ({composite.counts_in_words}).")
        _table(
            document,
            ["Indicator", "Figure", "Target", "Rating", "Since previous period"],
            [
                [
                    f"{row.indicator.code} {row.indicator.title}",
                    _figure(row),
                    _target(row),
                    row.rating_words,
                    _travel(row.travel_previous),
                ]
                for row in group.rows
            ],
        )
        mine = [row for row in group.rows if row.status in EXCEPTIONS]
        if not mine:
            document.add_paragraph("No exception: no indicator is Red, Amber or overdue.")
        for row in mine:
            _exception(document, row, actions.get(row.indicator.pk, []))
    for shown in sections:
        _section(document, shown)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def docx_response(content: bytes, *, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
