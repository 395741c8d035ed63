"""Notes on an indicator's figures ("new system went live"), shown on its chart and in its
table: written by those who report its figures and the performance team."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from organisation.permissions import is_performance_team
from pmis.locking import save_as

from .models import ChartNote, Indicator, Period
from .permissions import can_report


def can_note(user, indicator: Indicator) -> bool:
    return is_performance_team(user) or can_report(user, indicator)


@transaction.atomic
def chart_note_save(*, indicator: Indicator, period: Period | None, text: str, by) -> ChartNote | None:
    """Record the note on the indicator's figure for the period, replacing any there; an empty
    text takes the note off. Returns the note, or None when taken off."""
    errors = {}
    if period is None:
        errors["period"] = "Choose the period the note is about."
    elif period.frequency != indicator.frequency:
        errors["period"] = f"Choose a period of {indicator.code}'s own frequency."
    text = text.strip()
    if len(text) > 200:
        errors["text"] = "Keep the note to 200 characters: it is printed on the chart."
    if errors:
        raise ValidationError(errors)
    note = ChartNote.objects.select_for_update().filter(indicator=indicator, period=period).first()
    if not text:
        if note is None:
            raise ValidationError({"text": "Enter the note."})
        note._history_user = by
        note.delete()
        return None
    note = note or ChartNote(indicator=indicator, period=period)
    note.text, note.added_by, note.added_at = text, by, timezone.now()
    save_as(note, by)
    return note
