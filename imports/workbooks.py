"""Workbooks PMIS writes: the returns template, and an uploaded file with its problems marked."""

import io

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill, Protection
from openpyxl.utils import column_index_from_string
from openpyxl.worksheet.datavalidation import DataValidation

from indicators.models import Unit
from indicators.year_to_date import entered_to_date
from pmis.spreadsheets import text_as_text

from .reading import FileProblem, _check_zip, _read_csv

PROBLEM_FILL = PatternFill("solid", fgColor="FFD4D4")
INPUT_FILL = PatternFill("solid", fgColor="FFF7BF")
HEADINGS = [
    ("Indicator code", 14),
    ("Period", 12),
    ("Title", 50),
    ("Unit", 16),
    ("Target", 12),
    ("Last figure", 14),
    ("Value", 14),
    ("Numerator", 12),
    ("Denominator", 12),
    ("Not available reason", 30),
    ("Commentary", 60),
]
FIRST_INPUT = 7  # column G, "Value"


def returns_template(*, rows: list[dict], period, title: str) -> bytes:
    """The returns template: one row per indicator due (code, period, title, unit, target
    and last figure filled in and protected), value (or numerator and denominator, which
    cumulative percentages and rates entered per period need), reason and commentary to
    fill in. The unit says "year to date" for an indicator whose figures are entered so.

    rows: {"indicator", "target" (Decimal or None), "last" (Decimal or None)}.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Returns"
    for index, (heading, width) in enumerate(HEADINGS, start=1):
        cell = sheet.cell(row=1, column=index, value=heading)
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = "A2"
    numbers = DataValidation(
        type="decimal",
        operator="between",
        formula1="-99999999999999",
        formula2="99999999999999",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Not a figure",
        error="Enter a number. If there is no figure, leave this empty and say why in the next column.",
    )
    text = DataValidation(
        type="textLength",
        operator="lessThanOrEqual",
        formula1="10000",
        allow_blank=True,
        showErrorMessage=True,
        error="Keep this under 10,000 characters.",
    )
    sheet.add_data_validation(numbers)
    sheet.add_data_validation(text)
    for number, row in enumerate(rows, start=2):
        indicator = row["indicator"]
        places = indicator.decimal_places
        fmt = "0" if places == 0 else "0." + "0" * places
        fmt = "#,##" + fmt if indicator.unit in (Unit.NUMBER, Unit.CURRENCY) else fmt
        values = [
            indicator.code,
            str(period),
            indicator.title,
            f"{indicator.get_unit_display()}, {places} dp" + (", year to date" if entered_to_date(indicator) else ""),
            row["target"],
            row["last"],
        ]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=number, column=column, value=value)
            if column in (5, 6):
                cell.number_format = fmt
        for column in range(FIRST_INPUT, FIRST_INPUT + 5):
            cell = sheet.cell(row=number, column=column)
            cell.protection = Protection(locked=False)
            cell.fill = INPUT_FILL
        sheet.cell(row=number, column=FIRST_INPUT).number_format = fmt
        numbers.add(f"G{number}:I{number}")
        text.add(f"J{number}:K{number}")
    # Protected without a password: it guards against typing over the reference columns,
    # not against a determined user.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    workbook.properties.title = title
    text_as_text(workbook)
    return _save(workbook)


def marked(*, data: bytes, filename: str, errors: list[dict]) -> bytes:
    """The uploaded file as a workbook, each cell with a problem filled and explained in a
    comment (problems with no column are noted on the row's first cell)."""
    if data.startswith(b"PK\x03\x04"):
        _check_zip(data)
        try:
            workbook = load_workbook(io.BytesIO(data))
        except Exception:
            raise FileProblem("The workbook cannot be opened to mark its problems.") from None
        sheet = workbook.worksheets[0]
        sheet.protection.sheet = False
    else:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Import"
        for number, cells in _read_csv(data):
            for index, cell in cells.items():
                sheet.cell(row=number, column=index, value=cell.value)
        # The file's text, shown back as text: an uploaded "=..." is not made a formula.
        text_as_text(workbook)
    by_cell = {}
    for error in errors:
        column = column_index_from_string(error["column"]) if error["column"] else 1
        by_cell.setdefault((error["row"], column), []).append(error["message"])
    for (row, column), messages in by_cell.items():
        cell = sheet.cell(row=row, column=column)
        if type(cell).__name__ == "MergedCell":
            continue
        cell.fill = PROBLEM_FILL
        comment = Comment("\n".join(messages), "PMIS")
        comment.width, comment.height = 300, 40 + 20 * len(messages)
        cell.comment = comment
    return _save(workbook)


def _save(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
