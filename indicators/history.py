"""The audit trail of an indicator: every change to its definition, targets and figures,
as the history page shows it. Reads only."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import dateformat, timezone

from organisation.models import Portfolio, Service

from .models import Indicator, Outturn, Target

# Who made a change and when are shown for every change, so the fields that only repeat
# them (and the version counter) would be noise.
NOT_SHOWN = {
    "version",
    "indicator",
    "period",
    "entered_by",
    "entered_at",
    "submitted_by",
    "submitted_at",
    "validated_by",
    "validated_at",
    "proposed_by",
    "proposed_at",
    "quality_assured_by",
    "quality_assured_at",
    "signed_off_by",
    "signed_off_at",
}
FIGURES = {"value", "baseline"}
# What a new target or figure is shown with; a new definition just says it was created.
SHOWN_WHEN_CREATED = {Target: ["value", "rationale"], Outturn: ["value", "not_available_reason", "commentary"]}
RELATED = {"service": Service, "portfolio": Portfolio, "national_indicator": Indicator}


def _shown(model, name: str, value, indicator: Indicator, related: dict) -> str:
    if value is None or value == "":
        return "none"
    field = model._meta.get_field(name)
    if name in FIGURES:
        return indicator.format_value(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if name in related:
        return str(related[name].get(value, f"deleted ({value})"))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return dateformat.format(timezone.localtime(value), "j F Y H:i")
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def indicator_history(indicator: Indicator) -> list[dict]:
    """Every change to the indicator's definition, targets and figures, newest first.

    Three queries for the histories, plus one per kind of linked record (service, portfolio,
    officer, national indicator) a changed definition names. Each entry: when, who, what,
    action ("created", "changed" or "deleted") and changes, a list of (field, old, new).
    """
    histories = [
        (Indicator, "Definition", Indicator.history.filter(id=indicator.pk).select_related("history_user")),
        (Target, "Target", Target.history.filter(indicator_id=indicator.pk).select_related("history_user", "period")),
        (Outturn, "Figure", Outturn.history.filter(indicator_id=indicator.pk).select_related("history_user", "period")),
    ]
    pairs = []
    for model, what, records in histories:
        by_object = defaultdict(list)
        for record in records.order_by("history_date", "history_id"):
            by_object[record.id].append(record)
        for versions in by_object.values():
            previous = None
            for record in versions:
                pairs.append((model, what, record, previous))
                previous = record
    # Linked records named by changed definitions, one query per kind.
    wanted = defaultdict(set)
    deltas = {}
    for model, _what, record, previous in pairs:
        if record.history_type == "~" and previous is not None:
            delta = record.diff_against(previous, excluded_fields=NOT_SHOWN)
            deltas[record.history_id, model] = delta
            for change in delta.changes:
                if change.field in RELATED or change.field == "responsible_officer":
                    wanted[change.field].update(v for v in (change.old, change.new) if v is not None)
    related = {name: RELATED[name].objects.in_bulk(ids) for name, ids in wanted.items() if name in RELATED}
    if wanted.get("responsible_officer"):
        related["responsible_officer"] = get_user_model().objects.in_bulk(wanted["responsible_officer"])
    entries = []
    for model, what, record, previous in pairs:
        label = what if model is Indicator else f"{what} {record.period}"
        changes = []
        if record.history_type == "+" or previous is None:
            action = "created"
            for name in SHOWN_WHEN_CREATED.get(model, []):
                value = getattr(record, name)
                if value not in (None, ""):
                    changes.append((_label(model, name), None, _shown(model, name, value, indicator, related)))
        elif record.history_type == "-":
            action = "deleted"
        else:
            action = "changed"
            for change in deltas[record.history_id, model].changes:
                changes.append(
                    (
                        _label(model, change.field),
                        _shown(model, change.field, change.old, indicator, related),
                        _shown(model, change.field, change.new, indicator, related),
                    )
                )
        entries.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "what": label,
                "action": action,
                "changes": changes,
                "order": (record.history_date, record.history_id),
            }
        )
    entries.sort(key=lambda entry: entry["order"], reverse=True)
    return entries


def _label(model, name: str) -> str:
    if name == "value":
        return "Target" if model is Target else "Figure"
    if name == "state":
        return "Status"
    return str(model._meta.get_field(name).verbose_name).capitalize()
