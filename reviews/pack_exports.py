"""A meeting's pack as an Excel workbook, written from the pack's data (the snapshot once
published), section by section in the order of the page. The PDF is the page itself,
printed by WeasyPrint (reviews.views.meetings.meeting_pdf, pmis/pdfs.py).
"""

import io

from django.http import HttpResponse
from django.utils.text import slugify
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
