"""Importing benchmarks: other councils' figures (benchmark values) for the indicator page.

The performance team's import, of downloads in the layouts they come in:

- long: one value a row, with indicator_code, period, an area and value columns;
- wide by indicator: one row per area and period, a column per indicator (headed by its code);
- wide by period: one row per area and indicator, a column per period (headed "2019/20", "2019-21").

An area is named (council, area, area_name, authority) or given as an ONS GSS code
(area_code, such as E07000089); with both, the name is recorded. A row for a whole country,
region or "all areas" (an average, not a comparator) is skipped. The comparator group is a
group column or the group named when importing ("CIPFA nearest neighbours", "All districts").
A comparator council's figure that the source publishes as missing or suppressed ("dna",
"*", "#N/A", blank...) is skipped, not recorded as zero.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from indicators import services
from indicators.figures import parse_figure
from indicators.models import BenchmarkValue

from .checking import MISSING_MARKERS, Check, Codes, Periods
from .reading import FileProblem, Row, Table, is_date, read_table
from .returns import ApplyRefused

AREA_NAMES = ("council", "area", "area_name", "authority", "local_authority")
AREA_CODES = ("area_code", "gss_code", "ons_code")
REQUIRED = ()
KNOWN = ("indicator_code", "period", "group", "value", *AREA_NAMES, *AREA_CODES)
MAX_NAME = {"group": 100, "council": 200}
STORED = Decimal(1).scaleb(-BenchmarkValue._meta.get_field("value").decimal_places)
GSS = re.compile(r"[EWSNK]\d{8}")
# GSS codes of whole countries, Great Britain and the UK, and English regions: not comparators.
AGGREGATE_CODES = ("E92", "W92", "S92", "N92", "K02", "K03", "K04", "E12")
AGGREGATE_NAMES = {
    "all", "all areas", "all councils", "all authorities", "all local authorities", "average", "mean", "median",
    "total", "england", "wales", "scotland", "northern ireland", "great britain", "united kingdom", "uk",
    "england and wales", "national", "national average", "england average", "scotland average", "wales average",
}  # fmt: skip


def read(data: bytes, filename: str) -> Table:
    """A benchmarks file in any of the three layouts: its heading row names an area column."""
    return read_table(data, filename, required=REQUIRED, known=KNOWN, any_of=AREA_NAMES + AREA_CODES, others=True)


@dataclass
class Item:
    """One value of the file, whatever its layout."""

    row: Row
    code: str
    code_key: str  # where a problem with the code is reported
    period: str
    period_key: str
    value_key: str


def _layout(table: Table) -> tuple[str, list[str]]:
    """ "long", "indicators" or "periods", and the wide layout's value columns."""
    wide = [key for key in table.columns if key.startswith("=")]
    has_code, has_period = "indicator_code" in table.columns, "period" in table.columns
    if has_code and has_period and "value" in table.columns:
        return "long", []
    if has_period and wide:
        return "indicators", wide
    if has_code and wide:
        return "periods", wide
    raise FileProblem(
        "The headings do not match a benchmarks layout: give indicator_code, period and value columns (one value a "
        "row), a period column and a column per indicator code, or an indicator_code column and a column per period."
    )


def _items(table: Table, layout: str, wide: list[str]) -> list[Item]:
    items = []
    for row in table.rows:
        if layout == "long":
            items.append(Item(row, row.text("indicator_code"), "indicator_code", row.text("period"), "period", "value"))
        for key in wide:
            if layout == "indicators":
                items.append(Item(row, key[1:], key, row.text("period"), "period", key))
            elif layout == "periods":
                items.append(Item(row, row.text("indicator_code"), "indicator_code", key[1:], key, key))
    return items


def _area(row: Row, table: Table, check: Check) -> str | bool | None:
    """The comparator's name (or GSS code); None when the row is an aggregate, "" when
    missing, False when its code is wrong (the problem is recorded)."""
    name = next((row.text(key) for key in AREA_NAMES if row.text(key)), "")
    code_key = next((key for key in AREA_CODES if row.text(key)), None)
    code = row.text(code_key).upper() if code_key else ""
    if code and not GSS.fullmatch(code):
        check.error(row, table, code_key, f"“{code}” is not an ONS GSS code, such as E07000089.")
        return False
    if name.lower() in AGGREGATE_NAMES or name.lower().startswith("all ") or code.startswith(AGGREGATE_CODES):
        return None
    return name or code


def check(table: Table, user, *, progress: Callable[[int], None] | None = None, group: str = "") -> Check:
    """Check every value of a benchmarks file in a fixed number of queries whatever its length.
    group: the comparator group of values whose row has no group column."""
    result = Check()
    layout, wide = _layout(table)
    items = _items(table, layout, wide)
    codes = Codes({item.code for item in items})
    labels = Periods({item.period for item in items})
    indicator_ids = {i.pk for i in codes.by_code.values()}
    existing = {
        (v.indicator_id, v.period_id, v.group, v.council): v
        for v in BenchmarkValue.objects.filter(indicator_id__in=indicator_ids)
    }
    area_column = next((key for key in AREA_NAMES + AREA_CODES if key in table.columns), "")
    shown = {}  # period key -> its label
    reported = set()  # a wide heading's problem is reported once, on the heading row
    areas = {}
    for item in items:
        row = item.row
        errors_before = len(result.errors)
        if row.number not in areas:
            areas[row.number] = _area(row, table, result)
        area = areas[row.number]
        if area is False:
            continue
        if area is None:
            result.skipped += 1  # a country, region or "all areas": not a comparator
            continue
        text = row.text(item.value_key)
        if not text or text.lower() in MISSING_MARKERS:
            if layout == "long" or text:
                result.skipped += 1  # published as missing or suppressed: nothing to record
            continue
        indicator = codes.get(item.code) if item.code else None
        period, why = labels.get_or_span(item.period)
        problems = []
        if not item.code:
            problems.append((item.code_key, "Enter the indicator code."))
        elif indicator is None:
            problems.append((item.code_key, codes.unknown(item.code)))
        if period is None:
            problems.append((item.period_key, why))
        for key, message in problems:
            if key.startswith("="):
                if key not in reported:
                    reported.add(key)
                    result.error(table.header_row, table, key, message)
            else:
                result.error(row, table, key, message)
        names = {"group": row.text("group") or group, "council": area}
        for key, limit in MAX_NAME.items():
            if not names[key]:
                what = "comparator council (council, area or area_code)" if key == "council" else "comparator group"
                hint = "" if key == "council" else ": a group column, or the group named when importing"
                result.error(row, table, key if key in table.columns else item.value_key, f"Enter the {what}{hint}.")
            elif len(names[key]) > limit:
                result.error(row, table, key, f"This is too long: keep it to {limit} characters.")
        value = None
        if is_date(row.cells.get(item.value_key)):
            result.error(row, table, item.value_key, f"The value is a date ({text}), not a figure.")
        elif indicator is not None:
            try:
                value = parse_figure(text, indicator, "The value")
            except ValidationError as error:
                result.error(row, table, item.value_key, " ".join(error.messages))
            else:
                # Compared and shown as stored: published figures may have more places than PMIS keeps.
                value = value.quantize(STORED, ROUND_HALF_UP)
        if problems or len(result.errors) > errors_before:
            continue
        period_key = period.pk or period.label  # a span of years not yet recorded has no key
        if period_key not in shown:
            shown[period_key] = str(period)
        key = (indicator.pk, period_key, names["group"], names["council"])
        where = area_column if layout == "long" else item.value_key
        if not result.once(key, row, table, where, f"{names['council']} for {indicator.code} {shown[period_key]}"):
            continue
        before = existing.get(key)
        if before is not None and before.value == value:
            result.unchanged += 1
            continue
        # Rows, not model instances: an instance for each value would cost more than the check.
        result.pending.append((indicator.pk, period, names["group"], names["council"], value))
        result.changes.append(
            {
                "row": row.number,
                "action": "update" if before else "create",
                "code": indicator.code,
                "title": indicator.title,
                "period": shown[period_key],
                "before": f"{before.council}: {indicator.format_value(before.value)}" if before else "",
                "after": f"{names['council']} ({names['group']}): {indicator.format_value(value)}",
                "target": "",
                "rag": "",
                "rag_label": "",
            }
        )
        result.versions[f"{indicator.pk}:{period_key}:{names['group']}:{names['council']}"] = (
            "" if before is None else str(before.value)
        )
    result.errors.sort(key=lambda error: error["row"])
    if progress:
        progress(len(table.rows))
    result.spans = labels.spans.values()
    return result


@transaction.atomic
def apply(table: Table, user, *, versions: dict[str, int], group: str = "") -> dict:
    result = check(table, user, group=group)
    if result.errors:
        raise ApplyRefused("The file no longer passes its checks, so nothing has been imported. Upload it again.")
    if result.versions != versions:
        raise ApplyRefused(
            "Someone changed these benchmark figures after the file was checked, so nothing has been imported. "
            "Upload the file again."
        )
    services.periods_ensure_spans(spans=list(result.spans))
    values = [
        (indicator_id, period.pk, group, council, value)
        for indicator_id, period, group, council, value in result.pending
    ]
    services.benchmark_values_set(values=values, by=user)
    return result.as_result()["summary"]
