"""Importing returns (outturns) from the returns template or a CSV file.

check() reads what the file refers to in a fixed number of queries (indicators, aliases,
periods, the user's roles, existing outturns with their periods, targets, tolerance
policies) and checks every row in Python, with the same figure parser, figure checks and
rating rule as the entry pages. apply() re-checks under the indicators' row locks and
writes everything in one transaction with set-based writes, or nothing.
"""

from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from indicators import periods, services, unusual
from indicators.figures import parse_figure
from indicators.models import Frequency, Outturn, OutturnState, Period, Rag, Target, TolerancePolicy
from indicators.permissions import can_report
from indicators.rag import needs_commentary
from indicators.ratings import lock_indicators, ratings_preview
from indicators.returns import figure_queries
from organisation.permissions import is_performance_team

from .checking import MISSING_MARKERS, Check, Codes, Periods, too_long
from .reading import Row, Table, is_date

REQUIRED = ("indicator_code", "period", "value")
OPTIONAL = ("not_available_reason", "commentary", "numerator", "denominator")
# Columns the returns template fills in for reference; read, never imported.
REFERENCE = ("title", "unit", "target", "last_figure")
KNOWN = REQUIRED + OPTIONAL + REFERENCE
FIGURES = ("value", "numerator", "denominator")
PROGRESS_EVERY = 500


class ApplyRefused(Exception):
    """Nothing was applied; the message says why."""


def _key(indicator_id: int, period_id: int) -> str:
    return f"{indicator_id}:{period_id}"


def _figure(row: Row, key: str, indicator, check: Check, table: Table) -> tuple[Decimal | None, bool]:
    """A figure column parsed in the indicator's unit; (value, ok)."""
    text = row.text(key)
    if not text:
        return None, True
    what = {"value": "The value", "numerator": "The numerator", "denominator": "The denominator"}[key]
    if is_date(row.cells.get(key)):
        check.error(row, table, key, f"{what} is a date ({text}), not a figure. Enter the figure as a number.")
        return None, False
    if text.lower() in MISSING_MARKERS:
        check.error(
            row,
            table,
            key,
            f"“{text}” is not a figure. If there is no figure, leave {key} empty and say why in not_available_reason.",
        )
        return None, False
    try:
        return parse_figure(text, indicator, what, may_be_missing=True), True
    except ValidationError as error:
        check.error(row, table, key, " ".join(error.messages))
        return None, False


def check(table: Table, user, *, progress: Callable[[int], None] | None = None, locked: bool = False) -> Check:
    """Check every row of a returns file for user (None: the command run with no user,
    who may report every collected indicator). With locked, the indicators' rows are
    locked first (for apply)."""
    result = Check()
    has_commentary = "commentary" in table.columns
    codes = Codes({row.text("indicator_code") for row in table.rows})
    labels = Periods({row.text("period") for row in table.rows})
    indicators = {i.pk: i for i in codes.by_code.values() if i.is_collected}
    if locked and indicators:
        lock_indicators(indicators)
    wanted_periods = [p for p in labels.by_label.values() if p is not None]
    context_from = None
    if wanted_periods:
        earliest = min(p.start for p in wanted_periods)
        context_from = periods.bounds(Frequency.YEAR, periods.financial_year(earliest) - 1, 1)[0]
    existing = defaultdict(dict)  # indicator id -> {(period id): outturn}
    if indicators and context_from:
        # Periods once each, not once per outturn (select_related would build thousands).
        by_id = {p.pk: p for p in Period.objects.filter(start__gte=context_from)}
        for outturn in Outturn.objects.filter(indicator_id__in=indicators, period__start__gte=context_from):
            outturn.period = by_id[outturn.period_id]
            existing[outturn.indicator_id][outturn.period_id] = outturn
    targets = defaultdict(dict)
    if indicators and wanted_periods:
        for indicator_id, period_id, value in Target.objects.filter(
            indicator_id__in=indicators, period__start__gte=min(p.start for p in wanted_periods)
        ).values_list("indicator_id", "period_id", "value"):
            targets[indicator_id][period_id] = value
    allowed = {pk: user is None or can_report(user, i) for pk, i in indicators.items()}
    team = user is not None and is_performance_team(user)

    pending = []  # (row, unsaved outturn, saved outturn or None) for rows that create or change a figure
    for count, row in enumerate(table.rows, start=1):
        if progress and count % PROGRESS_EVERY == 0:
            progress(count)
        errors_before = len(result.errors)
        code = row.text("indicator_code")
        indicator = codes.get(code) if code else None
        if not code:
            result.error(row, table, "indicator_code", "Enter the indicator code.")
        elif indicator is None:
            result.error(row, table, "indicator_code", codes.unknown(code))
        elif not indicator.is_collected:
            result.error(row, table, "indicator_code", f"{indicator.code} is not collected: it takes no figures.")
            indicator = None
        elif not allowed[indicator.pk]:
            message = f"You do not report {indicator.code}, so cannot import its figures."
            result.error(row, table, "indicator_code", message)
            indicator = None
        if indicator is not None:
            period, why = labels.for_indicator(row.text("period"), indicator.frequency)
        else:
            period, why = labels.get(row.text("period"))
        if period is None:
            result.error(row, table, "period", why)
        elif period.is_locked:
            result.error(
                row,
                table,
                "period",
                f"{period} is locked. Only the performance team can amend its figures, one at a time, giving a reason.",
            )
            period = None
        long_key = too_long(row, ("not_available_reason", "commentary"))
        if long_key:
            result.error(row, table, long_key, "This text is too long: keep it under 10,000 characters.")
        if indicator is None:
            continue
        figures = {}
        for key in FIGURES:
            figures[key], _ = _figure(row, key, indicator, result, table)
        if period is None or len(result.errors) > errors_before:
            continue
        key = (indicator.pk, period.pk)
        if not result.once(key, row, table, "indicator_code", f"{indicator.code} for {period}"):
            continue
        reason = row.text("not_available_reason")
        before = existing[indicator.pk].get(period.pk)
        commentary = row.text("commentary") if has_commentary else (before.commentary if before else "")
        if not any(row.text(k) for k in (*FIGURES, "not_available_reason", "commentary")):
            result.skipped += 1  # a template row left empty
            continue
        try:
            value = services.outturn_check(
                indicator=indicator,
                period=period,
                value=figures["value"],
                numerator=figures["numerator"],
                denominator=figures["denominator"],
                not_available_reason=reason,
            )
        except ValidationError as error:
            by_field = error.message_dict if hasattr(error, "error_dict") else {"value": error.messages}
            for field, messages in by_field.items():
                column = field if field in table.columns else "value"
                for message in messages:
                    result.error(row, table, column, message)
            continue
        new = (value, figures["numerator"], figures["denominator"], reason, commentary)
        if before is not None:
            old = (before.value, before.numerator, before.denominator, before.not_available_reason, before.commentary)
            if old == new:
                result.unchanged += 1
                continue
            if before.state == OutturnState.VALIDATED and not team:
                result.error(
                    row,
                    table,
                    "value",
                    f"The {period} figure for {indicator.code} is validated: only the performance team can change it, "
                    "giving a reason.",
                )
                continue
        outturn = Outturn(indicator=indicator, period=period, entered_at=timezone.now())
        if before is not None:
            outturn.pk, outturn.version = before.pk, before.version
        outturn.value, outturn.numerator, outturn.denominator, outturn.not_available_reason, outturn.commentary = new
        pending.append((row, outturn, before))
        result.versions[_key(indicator.pk, period.pk)] = before.version if before else 0
    if progress:
        progress(len(table.rows))
    history = defaultdict(dict)  # indicator id -> {position: value}, for the queries on unusual figures
    if pending:
        for indicator_id, frequency, year, number, value in Outturn.objects.filter(
            indicator_id__in={o.indicator_id for _, o, _ in pending}, value__isnull=False
        ).values_list("indicator_id", "period__frequency", "period__year", "period__number", "value"):
            if frequency == indicators[indicator_id].frequency:
                history[indicator_id][unusual.position(frequency, year, number)] = value
    _preview_ratings(result, table, pending, existing, targets, indicators, history)
    result.pending = pending
    return result


def _preview_ratings(result: Check, table: Table, pending, existing, targets, indicators, history) -> None:
    """Rate the figures as they would be after applying (the stored rule, unsaved) and list
    the changes with their ratings, what each asks of the importer (Red and Amber figures
    without commentary, unusual figures) and what it does to a submitted or validated return."""
    by_indicator = defaultdict(list)
    for item in pending:
        by_indicator[item[1].indicator_id].append(item)
    policies = list(TolerancePolicy.objects.timeline()) if by_indicator else []
    ratings = {}
    for indicator_id, items in by_indicator.items():
        merged = dict(existing[indicator_id])
        for _, outturn, _ in items:
            merged[outturn.period_id] = outturn
        since = min(outturn.period.start for _, outturn, _ in items)
        for rating in ratings_preview(
            indicator=indicators[indicator_id],
            outturns=list(merged.values()),
            targets=targets[indicator_id],
            since=since,
            policies=policies,
        ):
            ratings[(indicator_id, rating.outturn.period_id)] = rating
    for _, outturn, _ in pending:  # the file's own figures are history for its later rows
        if outturn.value is not None:
            period = outturn.period
            history[outturn.indicator_id][unusual.position(period.frequency, period.year, period.number)] = (
                outturn.value
            )
    for row, outturn, before in pending:
        indicator = indicators[outturn.indicator_id]
        rating = ratings.get((outturn.indicator_id, outturn.period_id))
        rag = rating.rag if rating else ""
        notes = []
        if needs_commentary(rag, outturn.commentary):
            notes.append(
                f"Rated {Rag(rag).label} without commentary: saved as a draft, to be explained before it is submitted."
            )
        if before is not None and before.state == OutturnState.SUBMITTED:
            notes.append("Withdraws the submitted return to draft.")
        if before is not None and before.state == OutturnState.VALIDATED:
            notes.append("Changes a validated figure, back to draft: give the reason when you import.")
        queries = figure_queries(indicator, outturn.period, outturn.value, history[outturn.indicator_id])
        result.changes.append(
            {
                "notes": notes,
                "queries": queries,
                "needs_commentary": needs_commentary(rag, outturn.commentary),
                "withdraws": before is not None and before.state == OutturnState.SUBMITTED,
                "validated": before is not None and before.state == OutturnState.VALIDATED,
                "row": row.number,
                "action": "update" if before else "create",
                "code": indicator.code,
                "title": indicator.title,
                "period": str(outturn.period),
                "before": _shown(indicator, before) if before else "",
                "after": _shown(indicator, outturn),
                "target": indicator.format_value(rating.target) if rating and rating.target is not None else "",
                "rag": rag,
                "rag_label": Rag(rag).label if rag else "",
            }
        )


def _shown(indicator, outturn: Outturn) -> str:
    if outturn.value is None:
        return f"Not available: {outturn.not_available_reason}"
    return indicator.format_value(outturn.value)


@transaction.atomic
def apply(
    table: Table, user, *, versions: dict[str, int], confirmed: bool = False, submit: bool = False, reason: str = ""
) -> dict:
    """Apply a checked returns file in one transaction, or nothing (ApplyRefused).

    versions are those the preview was checked against: a figure saved by anyone since
    refuses the whole file. confirmed: the importer has checked the unusual figures the
    preview queried. submit: submit the complete figures (those not needing commentary).
    reason: why validated figures are changed (the performance team's).
    """
    result = check(table, user, locked=True)
    if result.errors:
        raise ApplyRefused(
            f"The file no longer passes its checks ({len(result.errors)} problem(s)), so nothing has been imported. "
            "Upload it again to see them."
        )
    if result.versions != versions:
        names = {_key(o.indicator_id, o.period_id): f"{o.indicator.code} {o.period}" for _, o, _ in result.pending}
        changed = sorted(
            key for key in versions.keys() | result.versions.keys() if versions.get(key) != result.versions.get(key)
        )
        named = [names[key] for key in changed if key in names][:3]
        raise ApplyRefused(
            "Someone changed figures in this file after it was checked"
            + (f" ({', '.join(named)})" if named else "")
            + ", so nothing has been imported. Upload the file again to check it against the latest figures."
        )
    summary = result.as_result()["summary"]
    if summary["queries"] and not confirmed:
        raise ApplyRefused(
            f"{summary['queries']} figure(s) in the file look unusual against their history. "
            "Nothing has been imported: check them, then confirm that they are right (or correct the file)."
        )
    if summary["validated"] and not reason.strip():
        raise ApplyRefused(
            f"The file changes {summary['validated']} validated figure(s): say why, so that the change is recorded. "
            "Nothing has been imported."
        )
    complete = {
        (change["code"], change["period"]) for change in result.changes if submit and not change["needs_commentary"]
    }
    submitted = []
    for _, outturn, before in result.pending:
        if before is not None and before.state == OutturnState.VALIDATED:
            outturn.amendment_reason = reason.strip()
        elif before is not None:
            outturn.amendment_reason = before.amendment_reason
        if (outturn.indicator.code, str(outturn.period)) in complete:
            submitted.append(outturn)
    services.outturns_import(outturns=[outturn for _, outturn, _ in result.pending], by=user, submit=submitted)
    summary["submitted"] = len(submitted)
    summary["applied_at"] = timezone.now().isoformat()
    return summary
