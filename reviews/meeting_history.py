"""A meeting's history as its page shows it: each saved change, who made it, and who was
added to or taken off the attendees (each historical version keeps its attendees). Two
queries whatever its length."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps

from .models import Meeting


def _name(person) -> str:
    return person.get_full_name() or person.username


@dataclass
class MeetingChange:
    when: object
    who: object
    reason: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def meeting_changes(meeting: Meeting) -> list[MeetingChange]:
    """Every change to the meeting, newest first, with the attendees added and taken off since
    the version before. (Versions saved before history kept attendees hold none, so the first
    change after them lists every attendee as added.)"""
    records = list(meeting.history.select_related("history_user").order_by("history_date", "history_id"))
    kept = apps.get_model("reviews", "HistoricalMeeting_attendees").objects
    attendees = defaultdict(dict)
    for row in kept.filter(history__in=[r.history_id for r in records], user__isnull=False).select_related("user"):
        attendees[row.history_id][row.user_id] = row.user
    changes, before = [], None
    for record in records:
        now = attendees[record.history_id]
        change = MeetingChange(record.history_date, record.history_user, record.history_change_reason or "Changed")
        if before is not None or record.history_change_reason == "Arranged":
            was = before or {}
            change.added = sorted(_name(p) for pk, p in now.items() if pk not in was)
            change.removed = sorted(_name(p) for pk, p in was.items() if pk not in now)
        changes.append(change)
        before = now
    return changes[::-1]
