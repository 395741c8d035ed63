"""Optimistic locking and saving with history, for every app's services.

A versioned record (a target, an outturn, a plan, a milestone, an action) carries a
`version` that goes up with every save. A form keeps the version it was opened at; the
service refuses the save with ConflictError when someone else has saved since.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone


class ConflictError(ValidationError):
    """Someone else saved the record after the form being submitted was opened."""

    def __init__(self, record):
        self.record = record
        who = record.history.latest().history_user if record.history.exists() else None
        when = timezone.localtime(record.history.latest().history_date) if who else None
        super().__init__(
            f"{who or 'Someone else'} changed this after you opened it"
            + (f" (at {when:%H:%M on %d %B %Y})" if when else "")
            + ". Your changes have not been saved: check what they saved and enter yours again."
        )


def check_version(record, expected_version: int | None) -> None:
    """Raise ConflictError if a saved record is no longer at expected_version (None: no check).

    Read the record with select_for_update first, so that the version holds until commit.
    """
    if expected_version is not None and record.pk and record.version != expected_version:
        raise ConflictError(record)


def save_as(record, by) -> None:
    """Save an audited record, naming who made the change in its history, in a request or not.

    A versioned record that is already saved goes up one version.
    """
    if record.pk and hasattr(record, "version"):
        record.version += 1
    record._history_user = by
    record.save()


def save_with_m2m(record, by, **relations) -> None:
    """Save a record and set its many-to-many relations (name=objects) as ONE change in its
    history, with who made it: the history row records the relations as they now stand."""
    if record.pk is None:
        record.skip_history_when_saving = True
        record.save()
        record.version -= 1  # save_as below makes it the first version
    record.skip_history_when_saving = True
    try:
        for name, objects in relations.items():
            getattr(record, name).set(objects)
    finally:
        del record.skip_history_when_saving
    save_as(record, by)
