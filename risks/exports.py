"""The corporate risk register as an Excel workbook; text stays text (pmis/spreadsheets.py)."""

import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from pmis.spreadsheets import text_as_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

COLUMNS = [
    ("Reference", lambda r: r.reference, 10),
    ("Risk", lambda r: r.title, 40),
    ("Register", lambda r: r.register_name, 18),
    ("Category", lambda r: r.category.name, 14),
    ("Owner", lambda r: str(r.owner), 20),
    ("Cause", lambda r: r.cause, 40),
    ("Event", lambda r: r.event, 40),
    ("Consequence", lambda r: r.consequence, 40),
    ("Inherent likelihood", lambda r: r.inherent_likelihood, 10),
    ("Inherent impact", lambda r: r.inherent_impact, 10),
    ("Inherent score", lambda r: r.inherent_score, 10),
    ("Controls in place", lambda r: r.controls, 40),
    ("Residual likelihood", lambda r: r.residual_likelihood, 10),
    ("Residual impact", lambda r: r.residual_impact, 10),
    ("Residual score", lambda r: r.residual_score, 10),
    ("Previous residual score", lambda r: r.previous_residual_score, 10),
    ("Appetite", lambda r: r.category.appetite, 10),
    ("Above appetite", lambda r: "Yes" if r.above_appetite else "No", 10),
    ("Target score", lambda r: r.target_score, 10),
    ("Status", lambda r: r.get_status_display(), 18),
    ("Next review due", lambda r: r.review_due, 14),
    ("Last reviewed", lambda r: r.last_reviewed, 14),
    (
        "Actions agreed",
        lambda r: "\n".join(
            f"{a.description} ({a.owner}, due {a.due:%-d %B %Y}, {a.get_status_display().lower()})"
            for a in r.actions.all()
        ),
        50,
    ),
]


def register_xlsx(risks, *, title: str, name: str) -> HttpResponse:
    workbook = Workbook()
    workbook.properties.title = title
    sheet = workbook.active
    sheet.title = "Risks"
    for column, (heading, _, width) in enumerate(COLUMNS, start=1):
        sheet.cell(row=1, column=column, value=heading).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "C2"
    for row, risk in enumerate(risks, start=2):
        for column, (_, value_of, _) in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=row, column=column, value=value_of(risk))
            if hasattr(cell.value, "isoformat"):
                cell.number_format = "d mmm yyyy"
            elif isinstance(cell.value, str):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    text_as_text(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
