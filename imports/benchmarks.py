"""Importing benchmarks: other councils' figures (benchmark values) for the indicator page.

The performance team's import. A comparator council's figure that the source publishes as
missing or suppressed ("dna", "*", "#N/A", blank...) is skipped, not recorded as zero.
"""

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from indicators import services
from indicators.figures import parse_figure
from indicators.models import BenchmarkValue

from .checking import MISSING_MARKERS, Check, Codes, Periods
from .reading import Table, is_date
from .returns import ApplyRefused

REQUIRED = ("indicator_code", "period", "group", "council", "value")
KNOWN = REQUIRED
MAX_NAME = {"group": 100, "council": 200}
STORED = Decimal(1).scaleb(-BenchmarkValue._meta.get_field("value").decimal_places)


def check(table: Table, user, *, progress: Callable[[int], None] | None = None) -> Check:
    result = Check()
    codes = Codes({row.text("indicator_code") for row in table.rows})
    labels = Periods({row.text("period") for row in table.rows})
    indicator_ids = {i.pk for i in codes.by_code.values()}
    existing = {
        (v.indicator_id, v.period_id, v.group, v.council): v
        for v in BenchmarkValue.objects.filter(indicator_id__in=indicator_ids)
    }
    for row in table.rows:
        errors_before = len(result.errors)
        code = row.text("indicator_code")
        indicator = codes.get(code) if code else None
        if not code:
            result.error(row, table, "indicator_code", "Enter the indicator code.")
        elif indicator is None:
            result.error(row, table, "indicator_code", codes.unknown(code))
        period, why = labels.get_or_span(row.text("period"))
        if period is None:
            result.error(row, table, "period", why)
        names = {}
        for key, limit in MAX_NAME.items():
            names[key] = row.text(key)
            if not names[key]:
                result.error(row, table, key, f"Enter the {'comparator council' if key == 'council' else key}.")
            elif len(names[key]) > limit:
                result.error(row, table, key, f"This is too long: keep it to {limit} characters.")
        text = row.text("value")
        value = None
        if is_date(row.cells.get("value")):
            result.error(row, table, "value", f"The value is a date ({text}), not a figure.")
        elif not text or text.lower() in MISSING_MARKERS:
            if len(result.errors) == errors_before:
                result.skipped += 1  # published as missing or suppressed: nothing to record
            continue
        elif indicator is not None:
            try:
                value = parse_figure(text, indicator, "The value")
            except ValidationError as error:
                result.error(row, table, "value", " ".join(error.messages))
            else:
                # Compared and shown as stored: published figures may have more places than PMIS keeps.
                value = value.quantize(STORED, ROUND_HALF_UP)
        if len(result.errors) > errors_before:
            continue
        period_key = period.pk or period.label  # a span of years not yet recorded has no key
        key = (indicator.pk, period_key, names["group"], names["council"])
        if not result.once(key, row, table, "council", f"{names['council']} for {indicator.code} {period}"):
            continue
        before = existing.get(key)
        if before is not None and before.value == value:
            result.unchanged += 1
            continue
        result.pending.append(
            BenchmarkValue(
                indicator=indicator, period=period, group=names["group"], council=names["council"], value=value
            )
        )
        result.changes.append(
            {
                "row": row.number,
                "action": "update" if before else "create",
                "code": indicator.code,
                "title": indicator.title,
                "period": str(period),
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
    if progress:
        progress(len(table.rows))
    result.spans = labels.spans.values()
    return result


@transaction.atomic
def apply(table: Table, user, *, versions: dict[str, int]) -> dict:
    result = check(table, user)
    if result.errors:
        raise ApplyRefused("The file no longer passes its checks, so nothing has been imported. Upload it again.")
    if result.versions != versions:
        raise ApplyRefused(
            "Someone changed these benchmark figures after the file was checked, so nothing has been imported. "
            "Upload the file again."
        )
    services.periods_ensure_spans(spans=list(result.spans))
    services.benchmark_values_set(values=result.pending, by=user)
    return result.as_result()["summary"]
