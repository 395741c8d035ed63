"""Importing budget monitoring: each service's budget, forecast outturn and savings for a quarter.

The performance team's import. Amounts are read by the same parser as the budget page
(indicators.figures.parse_money), and each line is written by the same service
(reviews.services.budget_line_set). A service and quarter already entered are replaced.
"""

from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from indicators.figures import parse_money
from indicators.models import Unit, format_figure
from organisation.models import Service
from reviews.models import BudgetLine
from reviews.services import budget_line_check, budget_line_set

from .checking import Check, Periods, too_long
from .reading import Row, Table, is_date
from .returns import ApplyRefused

REQUIRED = ("service_code", "period", "budget", "forecast_outturn")
OPTIONAL = ("savings_target", "savings_delivered", "commentary")
KNOWN = REQUIRED + OPTIONAL
AMOUNTS = {
    "budget": "The budget",
    "forecast_outturn": "The forecast outturn",
    "savings_target": "The savings target",
    "savings_delivered": "The savings delivered",
}


def _amount(row: Row, key: str, check: Check, table: Table) -> Decimal | None:
    """An amount column in pounds; None if it is missing or wrong (the problem is recorded)."""
    what = AMOUNTS[key]
    text = row.text(key)
    if is_date(row.cells.get(key)):
        check.error(row, table, key, f"{what} is a date ({text}), not an amount. Enter the amount in pounds.")
        return None
    try:
        value = parse_money(text, what)
    except ValidationError as error:
        check.error(row, table, key, " ".join(error.messages))
        return None
    if value is None:
        if key in REQUIRED:
            check.error(row, table, key, f"Enter {what[0].lower()}{what[1:]}.")
            return None
        return Decimal(0)
    return value


def _state(line: BudgetLine | None) -> list[str] | str:
    """What a preview was checked against: the line's amounts and commentary (as JSON keeps them)."""
    if line is None:
        return ""
    return [*(str(getattr(line, key)) for key in AMOUNTS), line.commentary]


def _shown(line: BudgetLine) -> str:
    pounds = {key: format_figure(getattr(line, key), Unit.CURRENCY, 2) for key in AMOUNTS}
    return (
        f"Budget {pounds['budget']}, forecast outturn {pounds['forecast_outturn']}; "
        f"savings {pounds['savings_delivered']} delivered of {pounds['savings_target']}"
    )


def check(table: Table, user, *, progress: Callable[[int], None] | None = None, locked: bool = False) -> Check:
    """Check every row of a budget monitoring file, in three queries whatever its length.
    With locked, the lines the file replaces are locked (for apply)."""
    result = Check()
    services = {service.code.upper(): service for service in Service.objects.all()}
    labels = Periods({row.text("period") for row in table.rows})
    lines = BudgetLine.objects.filter(period__in=[p for p in labels.by_label.values() if p is not None])
    if locked:
        lines = lines.select_for_update()
    existing = {(line.service_id, line.period_id): line for line in lines}
    for row in table.rows:
        errors_before = len(result.errors)
        code = row.text("service_code")
        service = services.get(code.upper())
        if not code:
            result.error(row, table, "service_code", "Enter the service code.")
        elif service is None:
            result.error(row, table, "service_code", f"No service has the code “{code}”.")
        period, why = labels.get(row.text("period"))
        if period is None:
            result.error(row, table, "period", why)
        else:
            try:
                budget_line_check(period=period)
            except ValidationError as error:
                result.error(row, table, "period", " ".join(error.messages))
        amounts = {key: _amount(row, key, result, table) for key in AMOUNTS}
        if too_long(row, ("commentary",)):
            result.error(row, table, "commentary", "This text is too long: keep it under 10,000 characters.")
        if len(result.errors) > errors_before:
            continue
        key = (service.pk, period.pk)
        if not result.once(key, row, table, "service_code", f"{service.code} for {period}"):
            continue
        line = BudgetLine(service=service, period=period, commentary=row.text("commentary"), **amounts)
        before = existing.get(key)
        result.versions[f"{service.pk}:{period.pk}"] = _state(before)
        if before is not None and all(getattr(before, f) == getattr(line, f) for f in (*AMOUNTS, "commentary")):
            result.unchanged += 1
            continue
        result.pending.append(line)
        result.changes.append(
            {
                "row": row.number,
                "action": "update" if before else "create",
                "code": service.code,
                "title": service.name,
                "period": str(period),
                "before": _shown(before) if before else "",
                "after": _shown(line),
                "target": "",
                "rag": "",
                "rag_label": "",
            }
        )
    if progress:
        progress(len(table.rows))
    return result


@transaction.atomic
def apply(table: Table, user, *, versions: dict[str, object]) -> dict:
    """Enter every line in the file in one transaction, or nothing (ApplyRefused)."""
    result = check(table, user, locked=True)
    if result.errors:
        raise ApplyRefused("The file no longer passes its checks, so nothing has been imported. Upload it again.")
    if result.versions != versions:
        raise ApplyRefused(
            "Someone changed budget monitoring in this file after it was checked, so nothing has been imported. "
            "Upload the file again to check it against the latest figures."
        )
    for line in result.pending:
        budget_line_set(
            service=line.service,
            period=line.period,
            by=user,
            commentary=line.commentary,
            **{key: getattr(line, key) for key in AMOUNTS},
        )
    return result.as_result()["summary"]
