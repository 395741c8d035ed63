"""Budget monitoring from a CSV file: every row checked first, then all saved or none.

Columns: service_code, period (a quarter such as 2025/26 Q2), budget, forecast_outturn, and
optionally savings_target, savings_delivered, commentary. Amounts are pounds ("£1,234.50"
and "1234.5" both read). A service and quarter already entered are replaced.
"""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction

from indicators.models import Frequency, Period
from indicators.periods import parse_label
from organisation.models import Service

from .models import BudgetLine

REQUIRED = ("service_code", "period", "budget", "forecast_outturn")
AMOUNTS = ("budget", "forecast_outturn", "savings_target", "savings_delivered")


@dataclass
class Problem:
    row: int
    column: str
    message: str

    def __str__(self):
        return f"Row {self.row}, {self.column}: {self.message}"


def _amount(text: str) -> Decimal:
    cleaned = text.strip().replace("£", "").replace(",", "")
    value = Decimal(cleaned)
    if not value.is_finite() or value != value.quantize(Decimal("0.01")) or abs(value) >= Decimal("1e12"):
        raise InvalidOperation
    return value


def budget_lines_check(data: bytes) -> tuple[list[dict], list[Problem]]:
    """The rows as BudgetLine fields, and every problem found (none means all can be saved)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [Problem(1, "file", "save the file as CSV (UTF-8)")]
    reader = csv.DictReader(io.StringIO(text))
    missing = [column for column in REQUIRED if column not in (reader.fieldnames or [])]
    if missing:
        return [], [Problem(1, "header", f"the column {column} is missing") for column in missing]
    services = {s.code.upper(): s for s in Service.objects.all()}
    quarters = {(p.year, p.number): p for p in Period.objects.filter(frequency=Frequency.QUARTER)}
    rows, problems, seen = [], [], set()
    for number, raw in enumerate(reader, start=2):
        row = {key: (value or "").strip() for key, value in raw.items() if key}
        fields = {"commentary": row.get("commentary", "")}
        service = services.get(row["service_code"].upper())
        if service is None:
            problems.append(Problem(number, "service_code", f"no service has the code {row['service_code']!r}"))
        fields["service"] = service
        try:
            frequency, year, quarter = parse_label(row["period"])
            if frequency != Frequency.QUARTER or (year, quarter) not in quarters:
                raise ValueError(f"{row['period']!r} is not a quarter PMIS knows, such as 2025/26 Q2")
            fields["period"] = quarters[(year, quarter)]
        except ValueError as error:
            problems.append(Problem(number, "period", str(error)))
            fields["period"] = None
        for column in AMOUNTS:
            value = row.get(column, "")
            if not value and column not in REQUIRED:
                fields[column] = Decimal(0)
                continue
            try:
                fields[column] = _amount(value)
            except (InvalidOperation, ValueError):
                problems.append(Problem(number, column, f"{value!r} is not an amount in pounds, like 1234.50"))
        key = (fields["service"], fields["period"])
        if None not in key:
            if key in seen:
                problems.append(Problem(number, "period", "this service and quarter are already in the file"))
            seen.add(key)
        rows.append(fields)
    if not rows and not problems:
        problems.append(Problem(2, "file", "the file has no rows"))
    return rows, problems


@transaction.atomic
def budget_lines_apply(*, rows: list[dict], by) -> int:
    for fields in rows:
        line = BudgetLine.objects.filter(service=fields["service"], period=fields["period"]).first() or BudgetLine()
        for name, value in fields.items():
            setattr(line, name, value)
        line._history_user = by
        line.save()
    return len(rows)
