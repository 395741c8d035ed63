"""Importing the framework: indicator definitions and their targets (the performance team).

One row per indicator, or several rows for one indicator to give several targets (the
definition columns must then agree). An indicator whose definition is already as the
file says is left alone, and so is a target already at the file's value and rationale,
so importing the same file again changes nothing.
"""

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower

from indicators import services
from indicators.definitions import (
    indicator_collection_check,
    indicator_create,
    indicator_entry_basis_check,
    indicator_frequency_check,
    indicator_update,
)
from indicators.figures import parse_figure
from indicators.models import EntryBasis, Frequency, Indicator, Kind, Period, Polarity, Target, ToleranceMode, Unit
from organisation.models import Portfolio, Service

from .checking import Check, Periods, code_key
from .models import CodeAlias
from .reading import Row, Table
from .returns import ApplyRefused

REQUIRED = ("code", "title", "unit", "polarity", "frequency")
DEFINITION = (
    "decimal_places",
    "cumulative",
    "service",
    "portfolio",
    "description",
    "definition",
    "data_source",
    "published",
)
# Further definition columns: an existing indicator's field changes only if its column is in the file.
MORE = (
    "kind",
    "national_indicator",
    "responsible_officer",
    "tolerance",
    "tolerance_mode",
    "baseline",
    "baseline_year",
    "collected_from",
    "retired_after",
    "entry_basis",
    "allows_negative",
)
TARGET = ("target_period", "target", "target_rationale")
# Other ways files write the indicator's code, separated by ";" (or on lines of their own).
ALIASES = ("aliases",)
KNOWN = REQUIRED + DEFINITION + MORE + TARGET + ALIASES
FIELDS = [
    "title",
    "unit",
    "polarity",
    "frequency",
    "decimal_places",
    "is_cumulative",
    "service",
    "portfolio",
    "description",
    "definition",
    "data_source",
    "is_published",
    *MORE,
]
# The file's column for each field, where its name differs.
COLUMNS = {"is_cumulative": "cumulative", "is_published": "published"}
# How the preview names a field whose column name is not plain words.
WORDS = {"allows_negative": "negative figures allowed", "entry_basis": "entered per period or year to date"}
YES, NO = {"yes", "y", "true", "1"}, {"no", "n", "false", "0", ""}


def _column(field: str) -> str:
    return COLUMNS.get(field, field)


def _present(table: Table) -> list[str]:
    """The fields the file has a column for: an existing indicator's other fields are left alone."""
    return [f for f in FIELDS if _column(f) in table.columns]


def _choice(row: Row, key: str, choices, check: Check, table: Table):
    """A choice written as its value or its label, in any case: "percentage" or "Percentage"."""
    text = " ".join(row.text(key).lower().replace("_", " ").split())
    for value, label in choices.choices:
        if text in (value.lower().replace("_", " "), label.lower()):
            return value
    check.error(row, table, key, f"Write one of: {', '.join(v for v, _ in choices.choices)}.")
    return None


def _more(row: Row, table: Table, check: Check, lookups) -> dict:
    """The further definition columns (MORE) of a row, read; problems recorded."""
    fields = {
        "kind": _choice(row, "kind", Kind, check, table) if row.text("kind") else Kind.LOCAL,
        "entry_basis": _choice(row, "entry_basis", EntryBasis, check, table)
        if row.text("entry_basis")
        else EntryBasis.PERIOD,
        "baseline_year": row.text("baseline_year")[:7],
        "tolerance_mode": _choice(row, "tolerance_mode", ToleranceMode, check, table)
        if row.text("tolerance_mode")
        else "",
    }
    text = row.text("allows_negative").lower()
    if text not in YES | NO:
        check.error(row, table, "allows_negative", "Write yes or no.")
    fields["allows_negative"] = text in YES
    for key in ("tolerance", "baseline"):
        text = row.text(key).replace(",", "")
        fields[key] = None
        if text:
            try:
                number = Decimal(text.removesuffix("%").strip() if key == "tolerance" else text)
                if not number.is_finite():
                    raise InvalidOperation
                fields[key] = number
            except InvalidOperation:
                check.error(
                    row,
                    table,
                    key,
                    "Write a number"
                    + (", such as 5 for 5% of the target or 2 for 2 points." if key == "tolerance" else "."),
                )
    fields["tolerance"] = _tolerance(row, table, check, fields["tolerance"], fields["tolerance_mode"])
    for key, found, what in (
        ("national_indicator", lookups["national"], "No national indicator has the code"),
        ("responsible_officer", lookups["people"], "No one has the username"),
    ):
        text = row.text(key)
        fields[key] = found.get(code_key(text)) if text else None
        if text and fields[key] is None:
            check.error(row, table, key, f"{what} “{text}”.")
    for key in ("collected_from", "retired_after"):
        text = row.text(key)
        fields[key] = None
        if text:
            period, why = lookups["periods"].get(text)
            if period is None:
                check.error(row, table, key, why)
            fields[key] = period
    return fields


def _tolerance(row: Row, table: Table, check: Check, number: Decimal | None, mode: str | None) -> Decimal | None:
    """The tolerance column as stored: written as a percentage of the target (5 or 5% is 5%)
    when relative, as points when absolute; never as a fraction."""
    if number is None:
        return None
    if number < 0:
        check.error(row, table, "tolerance", "The tolerance cannot be negative.")
        return None
    if mode == ToleranceMode.ABSOLUTE:
        if row.text("tolerance").endswith("%"):
            check.error(row, table, "tolerance", "A tolerance in points is an amount, without %: for example 2.")
            return None
        return number
    if number > 100:
        check.error(row, table, "tolerance", "A tolerance cannot be more than 100% of the target.")
        return None
    return number / 100


def _definition(row: Row, table: Table, check: Check, services_by_code, portfolios_by_code, lookups) -> dict | None:
    before = len(check.errors)
    code, title = row.text("code"), row.text("title")
    if not code or len(code) > 30:
        check.error(row, table, "code", "Enter the indicator's code, up to 30 characters.")
    if not title or len(title) > 400:
        check.error(row, table, "title", "Enter the indicator's title, up to 400 characters.")
    fields = {
        "title": title,
        "unit": _choice(row, "unit", Unit, check, table),
        "polarity": _choice(row, "polarity", Polarity, check, table),
        "frequency": _choice(row, "frequency", Frequency, check, table),
        "description": row.text("description"),
        "definition": row.text("definition"),
        "data_source": row.text("data_source")[:300],
    }
    places = row.text("decimal_places") or "0"
    if places not in ("0", "1", "2", "3", "4"):
        check.error(row, table, "decimal_places", "Write a whole number of decimal places from 0 to 4.")
    fields["decimal_places"] = int(places) if places in ("0", "1", "2", "3", "4") else 0
    for key, field in (("cumulative", "is_cumulative"), ("published", "is_published")):
        text = row.text(key).lower()
        if text not in YES | NO:
            check.error(row, table, key, "Write yes or no.")
        fields[field] = text in YES
    for key, found in (("service", services_by_code), ("portfolio", portfolios_by_code)):
        text = row.text(key)
        fields[key] = found.get(text) if text else None
        if text and fields[key] is None:
            check.error(row, table, key, f"No {key} has the code “{text}”.")
    fields.update(_more(row, table, check, lookups))
    return None if len(check.errors) > before else fields


def check(table: Table, user, *, progress: Callable[[int], None] | None = None, remove_targets: bool = False) -> Check:
    """Check a framework file. remove_targets: the existing targets of the file's indicators
    that it does not give are to be removed (else kept); the preview lists them either way."""
    result = Check()
    result.removals = []  # targets to remove: (code, period)
    if remove_targets and "target_period" not in table.columns:
        result.error(
            1,
            table,
            "target_period",
            "The file gives no targets (it has no target_period column), so it cannot say which to remove. "
            "Add the targets, or import it without removing targets.",
        )
    result.aliases = []  # (code, alias) to record
    # An existing indicator is matched ignoring case and spacing, and keeps its code.
    keys = {code_key(row.text("code")) for row in table.rows}
    all_codes = dict(Indicator.objects.values_list("code", "pk"))
    wanted = [pk for code, pk in all_codes.items() if code_key(code) in keys]
    indicators = {
        code_key(i.code): i for i in Indicator.objects.filter(pk__in=wanted).select_related("service", "portfolio")
    }
    aliases = {code_key(a): (a, pk) for a, pk in CodeAlias.objects.values_list("alias", "indicator_id")}
    code_owner = {code_key(code): pk for code, pk in all_codes.items()}
    services_by_code = {s.code: s for s in Service.objects.filter(code__in={r.text("service") for r in table.rows})}
    portfolios_by_code = {
        p.code: p for p in Portfolio.objects.filter(code__in={r.text("portfolio") for r in table.rows})
    }
    labels = Periods({row.text("target_period") for row in table.rows if row.text("target_period")})
    lookups = {
        "national": {code_key(i.code): i for i in Indicator.objects.filter(kind=Kind.NATIONAL)}
        if "national_indicator" in table.columns
        else {},
        "people": {
            code_key(u.username): u
            for u in get_user_model()
            .objects.alias(lower=Lower("username"))
            .filter(lower__in={row.text("responsible_officer").lower() for row in table.rows})
        }
        if "responsible_officer" in table.columns
        else {},
        "periods": Periods(
            {row.text(key) for row in table.rows for key in ("collected_from", "retired_after") if row.text(key)}
        ),
    }
    targets = {(t.indicator_id, t.period_id): t for t in Target.objects.filter(indicator__in=list(indicators.values()))}
    definitions, first_row, seen_targets = {}, {}, {}
    planned_targets = []
    file_aliases: dict[str, dict[str, int]] = {}  # code -> {alias: row}
    for row in table.rows:
        fields = _definition(row, table, result, services_by_code, portfolios_by_code, lookups)
        if fields is None:
            continue
        existing = indicators.get(code_key(row.text("code")))
        code = existing.code if existing else row.text("code")
        for alias in _aliases(row, table, result):
            file_aliases.setdefault(code, {}).setdefault(alias, row.number)
        if code in definitions:
            if definitions[code] != fields:
                result.error(row, table, "code", f"{code} is defined differently on row {first_row[code]}.")
                continue
        else:
            try:  # the definition's own rules (a year-to-date entry basis needs a cumulative indicator...)
                Indicator(code=code, **fields).clean()
            except ValidationError as error:
                for key, messages in error.message_dict.items():
                    column = _column(key) if _column(key) in table.columns else "code"
                    for message in messages:
                        result.error(row, table, column, message)
                continue
            definitions[code], first_row[code] = fields, row.number
            result.rows_seen[("definition", code)] = row.number
        if not any(row.text(key) for key in TARGET):
            continue
        period, why = labels.get(row.text("target_period"))
        if period is None:
            result.error(row, table, "target_period", why)
            continue
        probe = Indicator(code=code, **fields)
        try:
            value = parse_figure(row.text("target"), probe, "The target")
            if value is None:
                raise ValidationError("Enter the target, or leave target_period empty.")
            services.target_check(indicator=probe, period=period, value=value)
        except ValidationError as error:
            result.error(row, table, "target", " ".join(error.messages))
            continue
        if (code, period.pk) in seen_targets:
            earlier = seen_targets[(code, period.pk)]
            result.error(row, table, "target_period", f"{code} has a target for {period} on row {earlier}.")
            continue
        seen_targets[(code, period.pk)] = row.number
        planned_targets.append((row, code, period, value, row.text("target_rationale")))

    _check_aliases(result, table, file_aliases, indicators, aliases, code_owner)
    for code, fields in definitions.items():
        existing = indicators.get(code_key(code))
        if not _collection_checked(result, table, first_row[code], existing, fields):
            continue
        if existing is None:
            result.changes.append(_change(first_row[code], "create", code, fields["title"], "", "New indicator"))
            result.versions[f"indicator:{code}"] = ""
            continue
        try:
            indicator_frequency_check(indicator=existing, frequency=fields["frequency"])
        except ValidationError as error:
            result.error(first_row[code], table, "frequency", " ".join(error.messages))
            continue
        if "entry_basis" in _present(table):
            try:
                indicator_entry_basis_check(indicator=existing, entry_basis=fields["entry_basis"])
            except ValidationError as error:
                result.error(first_row[code], table, "entry_basis", " ".join(error.messages))
                continue
        differs = [f for f in _present(table) if getattr(existing, f) != fields[f]]
        if differs:
            words = ", ".join(WORDS.get(f, _column(f).replace("_", " ")) for f in differs)
            result.changes.append(_change(first_row[code], "update", code, fields["title"], "", "Changes " + words))
            result.versions[f"indicator:{code}"] = str([getattr(existing, f) for f in FIELDS])
        else:
            result.unchanged += 1
    for row, code, period, value, rationale in planned_targets:
        existing = indicators.get(code_key(code))
        target = targets.get((existing.pk, period.pk)) if existing else None
        if target is not None and target.value == value and target.rationale == rationale:
            result.unchanged += 1
            continue
        probe = Indicator(code=code, **definitions[code])
        result.changes.append(
            _change(
                row.number,
                "update" if target else "create",
                code,
                definitions[code]["title"],
                f"Target {period}: {probe.format_value(target.value)}" if target else "",
                f"Target {period}: {probe.format_value(value)}",
                str(period),
            )
        )
        result.versions[f"target:{code}:{period.pk}"] = target.version if target else 0
        result.pending.append((code, period, value, rationale))
    _targets_not_mentioned(result, table, indicators, targets, seen_targets, remove_targets)
    if progress:
        progress(len(table.rows))
    result.definitions = definitions
    return result


def _collection_checked(result: Check, table: Table, row: int, existing: Indicator | None, fields: dict) -> bool:
    """Refuse collected-from and retired-after periods as the indicator pages do
    (indicators.definitions.indicator_collection_check: a figure outside them, a locked
    period's count of returns changed); checked only where the file changes them."""
    wanted = {key: fields[key] for key in ("collected_from", "retired_after") if _column(key) in table.columns}
    if not any(wanted.values()) and existing is None:
        return True  # a new indicator starts at the first open period
    if existing is not None and all(getattr(existing, key) == value for key, value in wanted.items()):
        return True
    probe = Indicator(pk=existing.pk if existing else None, frequency=fields["frequency"])
    try:
        indicator_collection_check(
            indicator=probe,
            collected_from=wanted.get("collected_from", existing.collected_from if existing else None),
            retired_after=wanted.get("retired_after", existing.retired_after if existing else None),
        )
    except ValidationError as error:
        for key, messages in error.message_dict.items():
            for message in messages:
                result.error(row, table, key if key in table.columns else "code", message)
        return False
    return True


def _targets_not_mentioned(result: Check, table: Table, indicators, targets, seen_targets, remove: bool) -> None:
    """Say which existing targets of the file's indicators it does not give: kept, or with
    remove, each a change removing it."""
    if "target_period" not in table.columns:
        return
    by_pk = {i.pk: i for i in indicators.values()}
    periods = {p.pk: p for p in Period.objects.filter(pk__in={period_id for _, period_id in targets})}
    missing = {}
    for (indicator_id, period_id), target in targets.items():
        indicator = by_pk[indicator_id]
        if (indicator.code, period_id) not in seen_targets:
            missing.setdefault(indicator.code, []).append((periods[period_id], target))
    for code in sorted(missing):
        found = sorted(missing[code], key=lambda pair: (pair[0].start, pair[0].end))
        labels = ", ".join(str(period) for period, _ in found)
        if not remove:
            result.notes.append(f"{code}: the file gives no target for {labels}; kept as they are.")
            continue
        result.notes.append(f"{code}: the file gives no target for {labels}; removed.")
        row = result.rows_seen.get(("definition", code), 1)
        for period, target in found:
            indicator = by_pk[target.indicator_id]
            shown = f"Target {period}: {indicator.format_value(target.value)} ({target.get_status_display().lower()})"
            after = "Removed: the file gives no target for it"
            result.changes.append(_change(row, "delete", code, indicator.title, shown, after, str(period)))
            result.versions[f"target:{code}:{period.pk}"] = target.version
            result.removals.append((code, period))


def _aliases(row: Row, table: Table, check: Check) -> list[str]:
    found = []
    for alias in re.split(r"[;\n]", row.text("aliases")):
        alias = alias.strip()
        if len(alias) > 60:
            check.error(row, table, "aliases", f"The alias “{alias[:20]}...” is too long: keep each to 60 characters.")
        elif alias:
            found.append(alias)
    return found


def _check_aliases(result: Check, table: Table, file_aliases, indicators, aliases, code_owner) -> None:
    """Refuse an alias that is another indicator's code or alias (in PMIS or the file); list new ones."""
    claimed = {}  # key -> code, for aliases the file gives
    for code, found in file_aliases.items():
        own = indicators.get(code_key(code))
        new = []
        for alias, row in found.items():
            key = code_key(alias)
            other_code = code_owner.get(key)
            if key == code_key(code):
                continue  # the code itself, in another case or spacing: matched without an alias
            if other_code is not None and (own is None or other_code != own.pk):
                result.error(row, table, "aliases", f"“{alias}” is the code of another indicator.")
            elif key in aliases and (own is None or aliases[key][1] != own.pk):
                result.error(row, table, "aliases", f"“{alias}” is already an alias of another indicator.")
            elif key in claimed and claimed[key] != code:
                result.error(row, table, "aliases", f"“{alias}” is also given as an alias of {claimed[key]}.")
            else:
                claimed[key] = code
                if key not in aliases:
                    new.append(alias)
        if new:
            added = "Adds aliases " + "; ".join(new)
            result.changes.append(_change(min(found.values()), "create", code, "", "", added))
            result.versions[f"aliases:{code}"] = sorted(
                a for a, pk in aliases.values() if own is not None and pk == own.pk
            )
            result.aliases.extend((code, alias) for alias in new)


def _change(row, action, code, title, before, after, period=""):
    return {
        "row": row,
        "action": action,
        "code": code,
        "title": title,
        "period": period,
        "before": before,
        "after": after,
        "target": "",
        "rag": "",
        "rag_label": "",
    }


@transaction.atomic
def apply(table: Table, user, *, versions: dict, remove_targets: bool = False) -> dict:
    result = check(table, user, remove_targets=remove_targets)
    if result.errors:
        raise ApplyRefused("The file no longer passes its checks, so nothing has been imported. Upload it again.")
    if result.versions != versions:
        raise ApplyRefused(
            "Someone changed these indicators or targets after the file was checked, so nothing has been imported. "
            "Upload the file again."
        )
    # Definitions and targets go through the services as the admin's and the pages' do: a
    # changed definition re-rates the indicator's figures, a target keeps its revision and
    # sign-off rules. A framework file has a few hundred rows, not tens of thousands.
    existing = {i.code: i for i in Indicator.objects.filter(code__in=result.definitions)}
    for code, fields in result.definitions.items():
        indicator = existing.get(code)
        if indicator is None:
            indicator_create(fields={"code": code, **fields}, by=user)
        else:
            present = _present(table)
            indicator_update(indicator=indicator, changes={f: fields[f] for f in present}, by=user)
    by_code = {i.code: i for i in Indicator.objects.filter(code__in=result.definitions)}
    for code, period, value, rationale in result.pending:
        services.target_set(indicator=by_code[code], period=period, value=value, rationale=rationale, by=user)
    if result.removals:
        removed = Q()
        for code, period in result.removals:
            removed |= Q(indicator=by_code[code], period=period)
        services.figures_delete(figures=Target.objects.filter(removed))
    CodeAlias.objects.bulk_create([CodeAlias(alias=alias, indicator=by_code[code]) for code, alias in result.aliases])
    return result.as_result()["summary"]
