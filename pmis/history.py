"""A record's history as a page shows it: when, who, and what changed, in words."""

import datetime

from django.db import models


def _shown(record, name: str) -> str:
    field = record._meta.get_field(name)
    if field.choices:
        value = getattr(record, name)
        return str(dict(field.flatchoices).get(value, value)) or "none"
    value = getattr(record, name)
    if isinstance(field, models.ForeignKey):
        return str(value) if value is not None else "none"
    if value in (None, ""):
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


def changes(history, fields: list[tuple[str, str]]) -> list[dict]:
    """The changes of a record, newest first: each {"when", "who", "what": [sentences]}.

    history: the record's history queryset, with select_related() for who made each change
    ("history_user") and for every foreign key named in fields (name, label), so that it is
    one query whatever its length.
    """
    rows = []
    previous = None
    for record in history.order_by("history_date", "history_id"):
        if previous is None:
            what = ["Created"] if record.history_type == "+" else ["First recorded"]
        else:
            what = [
                f"{label}: {_shown(previous, name)} to {_shown(record, name)}"
                for name, label in fields
                if _shown(previous, name) != _shown(record, name)
            ]
        if record.history_change_reason:
            what.append(record.history_change_reason)
        previous = record
        # A save that changed none of the fields shown (a person signing in) is left out.
        if what:
            rows.append({"when": record.history_date, "who": record.history_user, "what": what})
    rows.reverse()
    return rows
