"""Scorecards and exception reports as Excel workbooks and CSV files.

The same rows as the page, in the same order. In Excel, figures are numbers formatted in
the indicator's unit and decimal places, the header row is frozen, and ratings are
filled with their colour and always carry their word. In CSV, figures are plain numbers
with a unit column beside them.
"""

import io
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from indicators.models import RATE_WORDS, Assurance, Indicator, Rag, Target, Travel, Unit, Variation
from pmis.spreadsheets import CsvWriter, text_as_text

from . import action_plans
from .pack_sections import Shown
from .scorecards import OVERDUE, ExceptionReport, Row

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# GOV.UK Frontend's tag colours, so a printed sheet matches the page.
FILLS = {
    Rag.GREEN: ("CCE2D8", "005A30"),
    Rag.AMBER: ("FCD6C3", "6E3619"),
    Rag.RED: ("F4CDC6", "2A0B06"),
    Rag.INCOMPLETE: ("FFF7BF", "594D00"),
    OVERDUE: ("F4CDC6", "2A0B06"),
}
GREY = ("E5E6E7", "282D30")
# Long text columns wrap rather than run on.
WRAPPED = {"Indicator", "Commentary", "Action plan"}
TRAVEL = dict(Travel.choices)
VARIATION_WORDS = dict(Variation.choices)
ASSURANCE_WORDS = dict(Assurance.choices)


def number_format(indicator: Indicator) -> str:
    """The Excel number format for an indicator's figures: '0.0"%"' for a percentage stored as 95.2."""
    places = indicator.decimal_places
    decimals = "." + "0" * places if places else ""
    if indicator.unit == Unit.PERCENTAGE:
        return f'0{decimals}"%"'
    if indicator.unit == Unit.CURRENCY:
        return f"£#,##0{decimals}"
    if indicator.unit == Unit.DAYS:
        return f'#,##0{decimals}" days"'
    if indicator.unit in RATE_WORDS:
        return f'#,##0{decimals}" {RATE_WORDS[indicator.unit]}"'
    if indicator.unit == Unit.RATIO:
        return f"0{decimals}"
    return f"#,##0{decimals}"


def plain(indicator: Indicator, value: Decimal | None) -> str:
    """A figure for CSV: the number in the indicator's decimal places, no unit or separators."""
    return "" if value is None else f"{value:.{indicator.decimal_places}f}"


def filename(*parts: str, extension: str) -> str:
    """ "council-scorecard-2025-26-q2.xlsx"."""
    return "-".join(slugify(part.replace("/", "-")) for part in parts if part) + "." + extension


# A column: its heading, the cell's value, and whether the cell is a figure, a status or text.
Column = tuple[str, Callable[[Row], object], str]

SCORECARD_COLUMNS: list[Column] = [
    ("Code", lambda r: r.indicator.code, "text"),
    ("Indicator", lambda r: r.indicator.title, "text"),
    ("Period", lambda r: r.period.label if r.period else "", "text"),
    ("Unit", lambda r: r.indicator.get_unit_display(), "text"),
    ("Figure", lambda r: r.actual, "figure"),
    ("Target", lambda r: r.target_value, "figure"),
    ("Rating", lambda r: (r.status, r.rating_words), "status"),
    ("Computed rating", lambda r: r.computed_label, "text"),
    ("Since previous period", lambda r: TRAVEL.get(r.travel_previous, "No comparison"), "text"),
    ("Since same period last year", lambda r: TRAVEL.get(r.travel_last_year, "No comparison"), "text"),
    ("Variation", lambda r: VARIATION_WORDS.get(r.variation, "Not enough data"), "text"),
    ("Assurance", lambda r: ASSURANCE_WORDS.get(r.assurance, "Not assessed"), "text"),
    ("Target signed off", lambda r: "Signed off" if r.signed_off else "Not signed off", "text"),
    ("Commentary", lambda r: r.commentary, "text"),
]
EXCEPTION_COLUMNS: list[Column] = [
    ("Code", lambda r: r.indicator.code, "text"),
    ("Indicator", lambda r: r.indicator.title, "text"),
    ("Period", lambda r: r.period.label, "text"),
    ("Unit", lambda r: r.indicator.get_unit_display(), "text"),
    ("Figure", lambda r: r.actual, "figure"),
    ("Target", lambda r: r.target_value, "figure"),
    ("Tolerance used", lambda r: r.tolerance_text, "text"),
    ("Rating", lambda r: (r.status, r.rating_words), "status"),
    ("Computed rating", lambda r: r.computed_label, "text"),
    ("Commentary", lambda r: r.commentary, "text"),
    ("Action plan", lambda r: plan_words(r), "text"),
]
OVERDUE_COLUMNS: list[Column] = [
    ("Code", lambda r: r.indicator.code, "text"),
    ("Indicator", lambda r: r.indicator.title, "text"),
    ("Period", lambda r: r.period.label, "text"),
    ("Due", lambda r: r.period.due, "date"),
    ("Service", lambda r: r.indicator.service, "text"),
    ("Responsible officer", lambda r: r.indicator.responsible_officer, "text"),
    ("Rating", lambda r: (r.status, r.status_label), "status"),
]
LIKELY_TO_MISS_COLUMNS: list[Column] = [
    ("Code", lambda r: r.indicator.code, "text"),
    ("Indicator", lambda r: r.indicator.title, "text"),
    ("Period", lambda r: r.period.label, "text"),
    ("Unit", lambda r: r.indicator.get_unit_display(), "text"),
    ("Year to date", lambda r: r.actual, "figure"),
    ("Year-end forecast", lambda r: r.rating.forecast, "figure"),
    ("Annual target", lambda r: r.rating.forecast_target, "figure"),
    ("Tolerance used", lambda r: r.tolerance_text, "text"),
    ("Commentary", lambda r: r.commentary, "text"),
]
TARGET_COLUMNS: list[tuple[str, Callable[[Target], object], str]] = [
    ("Code", lambda t: t.indicator.code, "text"),
    ("Indicator", lambda t: t.indicator.title, "text"),
    ("Period", lambda t: t.period.label, "text"),
    ("Unit", lambda t: t.indicator.get_unit_display(), "text"),
    ("Target", lambda t: t.value, "figure"),
    ("Status", lambda t: t.get_status_display(), "text"),
]


def _sheet(workbook: Workbook, title: str, columns: Sequence[Column], records: Iterable, *, first: bool = False):
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title[:31]
    bold = Font(bold=True)
    for index, (heading, _, _) in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=heading)
        cell.font = bold
    sheet.freeze_panes = "A2"
    widths = [len(heading) for heading, _, _ in columns]
    for row_number, record in enumerate(records, start=2):
        for index, (_, value_of, kind) in enumerate(columns, start=1):
            value = value_of(record)
            cell = sheet.cell(row=row_number, column=index)
            if kind == "status":
                status, label = value
                background, colour = FILLS.get(status, GREY)
                cell.value = label
                cell.fill = PatternFill("solid", start_color=background, end_color=background)
                cell.font = Font(bold=True, color=colour)
            elif kind == "figure":
                cell.value = value
                cell.number_format = number_format(record.indicator)
            elif kind == "date":
                cell.value = value
                cell.number_format = "d mmm yyyy"
            else:
                cell.value = value
                if columns[index - 1][0] in WRAPPED:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            widths[index - 1] = max(widths[index - 1], min(len(str(cell.value or "")), 60))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width + 2
    return sheet


def _xlsx_response(workbook: Workbook, name: str) -> HttpResponse:
    text_as_text(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _csv_value(record, value, kind: str) -> str:
    if kind == "status":
        return value[1]
    if kind == "figure":
        return plain(record.indicator, value)
    if kind == "date":
        return value.isoformat()
    return "" if value is None else str(value)


def _csv_response(heading: Sequence[str], lines: Iterable[Sequence[str]], name: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    # A byte order mark, so Excel reads "£" and accents correctly.
    response.write("\ufeff")
    writer = CsvWriter(response)
    writer.writerow(heading)
    writer.writerows(lines)
    return response


def scorecard_xlsx(rows: Sequence[Row], *, title: str, name: str) -> HttpResponse:
    workbook = Workbook()
    workbook.properties.title = title
    _sheet(workbook, "Scorecard", SCORECARD_COLUMNS, rows, first=True)
    return _xlsx_response(workbook, name)


def scorecard_csv(rows: Sequence[Row], *, name: str) -> HttpResponse:
    heading = [heading for heading, _, _ in SCORECARD_COLUMNS]
    lines = ([_csv_value(row, get(row), kind) for _, get, kind in SCORECARD_COLUMNS] for row in rows)
    return _csv_response(heading, lines, name)


EXCEPTION_SECTIONS = (
    ("Red and Amber", "red_and_amber", EXCEPTION_COLUMNS),
    ("Overdue returns", "overdue", OVERDUE_COLUMNS),
    ("Targets not signed off", "targets_not_signed_off", TARGET_COLUMNS),
)


def plan_words(row: Row) -> str:
    """A Red or Amber row's action plan (the actions attached to it by the exception report
    page, with their progress), one action a line; else whether it needs one."""
    today = timezone.localdate()
    actions = getattr(row, "actions", None) or []
    if not actions:
        return "Red without a plan" if row.status == Rag.RED else "No action plan recorded"
    return "\n".join(action_plans.in_words(action_plans.as_data(action, today)) for action in actions)


WITHOUT_PLAN_COLUMNS: list[Column] = [
    ("Code", lambda r: r.indicator.code, "text"),
    ("Indicator", lambda r: r.indicator.title, "text"),
    ("Service", lambda r: r.indicator.service, "text"),
    ("Responsible officer", lambda r: r.indicator.responsible_officer, "text"),
    ("Figure", lambda r: r.actual, "figure"),
    ("Target", lambda r: r.target_value, "figure"),
]


def _section_sheet(workbook: Workbook, shown: Shown) -> None:
    """A section an app above adds (reviews.pack_sections), from its plain rows."""
    columns = [(heading, lambda row, key=key: row.get(key, ""), "text") for heading, key, _ in shown.section.columns]
    _sheet(workbook, shown.section.heading, columns, shown.rows)


def exceptions_xlsx(
    report: ExceptionReport, without_plan: Sequence[Row], sections: Sequence[Shown], *, title: str, name: str
) -> HttpResponse:
    """One sheet per section of the report, the Red and Amber rows with their action plans;
    then the Reds without a plan, and the sections apps above add (risks)."""
    workbook = Workbook()
    workbook.properties.title = title
    for index, (sheet_title, attribute, columns) in enumerate(EXCEPTION_SECTIONS):
        _sheet(workbook, sheet_title, columns, getattr(report, attribute), first=index == 0)
    if report.includes_likely_to_miss:
        _sheet(workbook, "Likely to miss at year end", LIKELY_TO_MISS_COLUMNS, report.likely_to_miss)
    _sheet(workbook, "Reds without an action plan", WITHOUT_PLAN_COLUMNS, without_plan)
    for shown in sections:
        _section_sheet(workbook, shown)
    return _xlsx_response(workbook, name)


# In CSV the sections share one table, told apart by the first column.
EXCEPTION_CSV_HEADING = ["Section", "Code", "Indicator", "Period", "Unit", "Figure", "Target"]
EXCEPTION_CSV_HEADING += ["Tolerance used", "Rating", "Computed rating", "Due", "Target status", "Commentary"]
EXCEPTION_CSV_HEADING += ["Action plan"]


def exceptions_csv(report: ExceptionReport, *, name: str) -> HttpResponse:
    def lines():
        for row in report.red_and_amber:
            yield [
                "Red and Amber",
                *_common(row.indicator, row.period.label),
                plain(row.indicator, row.actual),
                plain(row.indicator, row.target_value),
                row.tolerance_text,
                row.rating_words,
                row.computed_label,
                "",
                "",
                row.commentary,
                plan_words(row),
            ]
        for row in report.overdue:
            common = _common(row.indicator, row.period.label)
            due = row.period.due.isoformat()
            yield ["Overdue returns", *common, "", "", "", row.status_label, "", due, "", "", ""]
        for target in report.targets_not_signed_off:
            yield [
                "Targets not signed off",
                *_common(target.indicator, target.period.label),
                "",
                plain(target.indicator, target.value),
                "",
                "",
                "",
                "",
                target.get_status_display(),
                "",
                "",
            ]
        # Figure and target: the year-end forecast and the annual target.
        for row in report.likely_to_miss:
            yield [
                "Likely to miss at year end",
                *_common(row.indicator, row.period.label),
                plain(row.indicator, row.rating.forecast),
                plain(row.indicator, row.rating.forecast_target),
                row.tolerance_text,
                "Likely to miss",
                "",
                "",
                "",
                row.commentary,
                "",
            ]

    return _csv_response(EXCEPTION_CSV_HEADING, lines(), name)


def _common(indicator: Indicator, period: str) -> list[str]:
    return [indicator.code, indicator.title, period, indicator.get_unit_display()]
