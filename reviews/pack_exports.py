"""A meeting's pack as a PDF (fpdf2: pure Python, no system libraries) and as an Excel workbook.

Both are written from the pack's data (the snapshot once published), section by section
in the order of the page.
"""

import io
import unicodedata

from django.http import HttpResponse
from django.utils.text import slugify
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from openpyxl import Workbook
from openpyxl.styles import Font

from pmis.spreadsheets import text_as_text

from .exports import XLSX

# (heading, data key, columns as (label, key, relative width)).
SECTIONS = [
    (
        "Council summary by portfolio",
        "portfolios",
        [
            ("Portfolio", "name", 4),
            ("Indicators", "indicators", 1),
            ("Red", "red", 1),
            ("Amber", "amber", 1),
            ("Green", "green", 1),
            ("Overdue", "overdue", 1),
        ],
    ),
    (
        "Exceptions: Red, Amber and overdue indicators",
        "exceptions",
        [
            ("Code", "code", 1),
            ("Indicator", "title", 4),
            ("Rating", "status_label", 1),
            ("Actual", "actual", 1),
            ("Target", "target", 1),
            ("Commentary", "commentary", 4),
        ],
    ),
    (
        "Key business-plan targets chosen by the cabinet member",
        "key_targets",
        [
            ("Code", "code", 1),
            ("Indicator", "title", 5),
            ("Rating", "status_label", 1),
            ("Actual", "actual", 1),
            ("Target", "target", 1),
        ],
    ),
    (
        "Strategic targets: corporate and partnership plan priorities",
        "strategic",
        [("Plan", "plan", 3), ("Priority", "title", 4), ("Status", "status_label", 1)],
    ),
    (
        "Budget monitoring",
        "budget",
        [
            ("Service", "service", 3),
            ("Budget", "budget", 2),
            ("Forecast outturn", "forecast_outturn", 2),
            ("Variance", "variance", 2),
            ("Rating", "status_label", 1),
            ("Savings target", "savings_target", 2),
            ("Savings delivered", "savings_delivered", 2),
        ],
    ),
    (
        "Complaints and compliments",
        "feedback",
        [
            ("Service", "service", 3),
            ("Complaints", "complaints", 1),
            ("Compliments", "compliments", 1),
            ("Responded", "responded", 1),
            ("Late", "late", 1),
            ("Average days to respond", "average_days", 2),
        ],
    ),
    (
        "Action log",
        "actions",
        [("Action", "description", 5), ("Owner", "owner", 2), ("Due", "due", 1), ("Status", "status_label", 1)],
    ),
    ("Good news", "good_news", [("Date", "date", 1), ("Story", "title", 3), ("Detail", "text", 5)]),
]


def filename(data: dict, extension: str) -> str:
    return f"{slugify(data['title'])}-{data['date']}.{extension}"


# Typography the core PDF fonts (Latin-1) cannot draw, written as they can.
TYPOGRAPHY = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u2026": "..."}
)


def _latin(text) -> str:
    """Text the core PDF fonts (Latin-1) can draw: typography replaced, other accented
    letters without their accent ("Dvořák" as "Dvorák"), anything else as "?"."""
    return "".join(_latin_char(c) for c in str(text).translate(TYPOGRAPHY))


def _latin_char(c: str) -> str:
    if ord(c) < 256:
        return c
    base = "".join(d for d in unicodedata.normalize("NFKD", c) if not unicodedata.combining(d))
    return base if base and all(ord(d) < 256 for d in base) else "?"


def pack_pdf(data: dict, *, published: str = "") -> HttpResponse:
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title(_latin(data["title"]))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.multi_cell(0, 9, _latin(data["title"]), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", size=11)
    intro = f"{data['kind']}, {data['date']}. Period under review: {data['period']}. {data['scope']}."
    if published:
        intro += f" Published {published}."
    pdf.multi_cell(0, 6, _latin(intro), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for heading, key, columns in SECTIONS:
        rows = data.get(key) or []
        if key == "portfolios" and not rows:
            continue
        pdf.ln(4)
        pdf.set_font("Helvetica", "B", 13)
        pdf.multi_cell(0, 7, _latin(heading), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("Helvetica", size=9)
        if not rows:
            pdf.multi_cell(0, 5, "None.", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            continue
        total = sum(width for _, _, width in columns)
        widths = [pdf.epw * width / total for _, _, width in columns]
        with pdf.table(col_widths=widths, text_align="LEFT", line_height=5) as table:
            header = table.row()
            for label, _, _ in columns:
                header.cell(_latin(label))
            for row in rows:
                cells = table.row()
                for _, field, _ in columns:
                    cells.cell(_latin(row.get(field, "")))
    response = HttpResponse(bytes(pdf.output()), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename(data, "pdf")}"'
    return response


def pack_xlsx(data: dict) -> HttpResponse:
    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for heading, key, columns in SECTIONS:
        rows = data.get(key) or []
        if key == "portfolios" and not rows:
            continue
        sheet = book.create_sheet(heading.split(":")[0][:31])
        sheet.append([f"{data['title']}: {heading}"])
        sheet["A1"].font = bold
        sheet.append([label for label, _, _ in columns])
        for cell in sheet[2]:
            cell.font = bold
        for row in rows:
            sheet.append([row.get(field, "") for _, field, _ in columns])
        sheet.freeze_panes = "A3"
        for index, (_, _, width) in enumerate(columns):
            sheet.column_dimensions[chr(ord("A") + index)].width = 12 * width
    text_as_text(book)
    output = io.BytesIO()
    book.save(output)
    response = HttpResponse(output.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename(data, "xlsx")}"'
    return response
