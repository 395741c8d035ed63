"""A meeting's pack as an Excel workbook, written from the pack's data (the snapshot once
published), section by section in the order of the page: each exception with its action
plan's progress, the Reds without a plan, a surgery's chosen indicators in depth, the
corporate PRT's roll-up of every PRT, and the sections apps above add (risks) for those who
may read them. The PDF is the page itself,
printed by WeasyPrint (reviews.views.meetings.meeting_pdf, pmis/pdfs.py).
"""

import io

from django.http import HttpResponse
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Font

from pmis.spreadsheets import text_as_text

from . import action_plans
from .exports import XLSX
from .pack_sections import Shown
from .templatetags.packs import in_words

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
            ("Action plan", "plan_words", 5),
        ],
    ),
    (
        "Reds without an action plan",
        "reds_without_plan",
        [("Code", "code", 1), ("Indicator", "title", 4), ("Service", "service", 3), ("Actual", "actual", 1)],
    ),
    (
        "Surgery: the chosen indicators in depth",
        "focus",
        [
            ("Code", "code", 1),
            ("Indicator", "title", 4),
            ("Rating", "status_label", 1),
            ("Actual", "actual", 1),
            ("Target", "target", 1),
            ("Trend", "trend_words", 4),
            ("Variation", "variation", 2),
            ("Benchmarks", "benchmark_words", 4),
            ("Commentary", "commentary", 4),
            ("Action plan", "plan_words", 5),
        ],
    ),
    (
        "Corporate roll-up: each Performance Review Team of the cycle",
        "prts",
        [
            ("Meeting", "title", 3),
            ("Scope", "scope", 3),
            ("Date", "date_words", 2),
            ("Summary of key issues", "summary", 5),
            ("New actions", "new_words", 5),
            ("Overdue actions", "overdue_words", 5),
            ("Reds without an action plan", "reds_words", 4),
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


def _action_words(action: dict) -> str:
    overdue = ", overdue" if action.get("overdue") else ""
    status = action["status_label"].lower()
    return f"{action['description']} ({action['owner']}; {status}, due {in_words(action['due'])}{overdue})"


def _lines(items, words) -> str:
    return "\n".join(words(item) for item in items)


def _derived(key: str, row: dict) -> dict:
    """A row with the words its sheet shows for its lists (plans, trend, actions)."""
    row = dict(row)
    if key in ("exceptions", "focus"):
        plans = row.get("plans") or []
        none = "Red without a plan" if row.get("without_plan") else "No action plan"
        row["plan_words"] = _lines(plans, action_plans.in_words) or none
    if key == "focus":
        row["trend_words"] = "; ".join(f"{t['period']}: {t['figure'] or 'No figure'}" for t in row.get("trend", []))
        row["benchmark_words"] = _lines(row.get("benchmarks", []), str) or "No benchmark"
    if key == "prts":
        row["date_words"] = in_words(row["date"])
        row["new_words"] = _lines(row["new_actions"], _action_words) or "No actions agreed."
        row["overdue_words"] = _lines(row["overdue_actions"], _action_words) or "No overdue actions."
        reds = row["reds_without_plan"]
        row["reds_words"] = _lines(reds, lambda r: f"{r['code']} {r['title']}") or "None: every Red has a plan."
    return row


def _sections(data: dict, shown: list[Shown]):
    """(heading, rows, columns) of each sheet: the pack's own, then the sections apps above add."""
    for heading, key, columns in SECTIONS:
        rows = data.get(key) or []
        if key in ("portfolios", "prts", "focus") and not rows:
            continue  # only the corporate PRT's pack has the roll-up; only a surgery's, the focus
        yield heading, [_derived(key, row) for row in rows], columns
    for item in shown:
        yield item.section.heading, item.rows, item.section.columns


def pack_xlsx(data: dict, shown: list[Shown] = ()) -> HttpResponse:
    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    names = set()
    for heading, rows, columns in _sections(data, list(shown)):
        name = heading.split(":")[0][:31]
        name = name if name not in names else f"{name[:28]} {len(names)}"
        names.add(name)
        sheet = book.create_sheet(name)
        sheet.append([f"{data['title']}: {heading}"])
        sheet["A1"].font = bold
        sheet.append([label for label, _, _ in columns])
        for cell in sheet[2]:
            cell.font = bold
        for row in rows:
            # Dates in words, as on the page (a pack keeps them as ISO text).
            sheet.append([in_words(row.get(f, "")) if f in ("due", "date") else row.get(f, "") for _, f, _ in columns])
        sheet.freeze_panes = "A3"
        for index, (_, _, width) in enumerate(columns):
            sheet.column_dimensions[chr(ord("A") + index)].width = 12 * width
    text_as_text(book)
    output = io.BytesIO()
    book.save(output)
    response = HttpResponse(output.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename(data, "xlsx")}"'
    return response
