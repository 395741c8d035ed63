"""Importing a report's recommendations: one row per recommendation of a source already recorded
in PMIS, kept by the performance team and risk and audit.

Each row is checked as the recommendation pages check one (risks.services.recommendation_check)
and saved by the same service (risks.services.recommendation_save). A recommendation with the
same number in the same source is updated (its actions are kept); importing the same file
twice changes nothing.
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from organisation.models import User
from risks.models import Recommendation, RecommendationPriority, RecommendationStatus, Response, Source
from risks.services import recommendation_check, recommendation_save

from .checking import Check, too_long
from .reading import Table
from .returns import ApplyRefused
from .risks import _date

REQUIRED = ("source", "number", "text", "priority")
OPTIONAL = ("response", "reasons", "owner", "due", "status", "evidence")
KNOWN = REQUIRED + OPTIONAL
TEXTS = ("text", "reasons", "evidence")
COMPARED = ("text", "priority", "response", "reasons", "owner_id", "due", "status", "evidence")


def _words(choices) -> dict[str, str]:
    """A choice by its value or its label, in any case: "partly", "Partly accepted"."""
    return {word.lower(): value for value, label in choices.choices for word in (value, label)}


PRIORITIES, RESPONSES, STATUSES = _words(RecommendationPriority), _words(Response), _words(RecommendationStatus)


def _shown(r: Recommendation) -> str:
    return f"{r.get_priority_display()} priority; {r.get_response_display().lower()}; {r.get_status_display().lower()}"


def check(table: Table, user, *, progress: Callable[[int], None] | None = None, locked: bool = False) -> Check:
    """Check every row of a recommendations file, in four queries whatever its length.
    With locked, the recommendations the file changes are locked (for apply)."""
    result = Check()
    sources = {source.title.lower(): source for source in Source.objects.all()}
    names = {row.text("owner").lower() for row in table.rows} - {""}
    people = {}
    for person in User.objects.filter(Q(username__in=names) | Q(email__in=names)).filter(is_active=True):
        people[person.username.lower()] = people[person.email.lower()] = person
    existing_recommendations = Recommendation.objects.filter(source__in=sources.values())
    if locked:
        existing_recommendations = existing_recommendations.select_for_update()
    existing = {(r.source_id, r.number): r for r in existing_recommendations}
    for row in table.rows:
        errors_before = len(result.errors)
        for key in REQUIRED:
            if not row.text(key):
                result.error(row, table, key, f"Enter the {key.replace('_', ' ')}.")
        source = sources.get(row.text("source").lower())
        if row.text("source") and source is None:
            result.error(row, table, "source", f"No source is called “{row.text('source')}”: add it in PMIS first.")
        number = row.text("number")
        if number and not number.isdigit():
            result.error(row, table, "number", "Give the recommendation's number as a whole number, such as 3.")
        choices = {}
        for key, words, default, what in (
            ("priority", PRIORITIES, None, "High, Medium or Low"),
            ("response", RESPONSES, Response.AWAITED, "Accepted, Partly accepted, Not accepted or Response awaited"),
            ("status", STATUSES, RecommendationStatus.NOT_STARTED, "Not started, In progress, Implemented or Closed"),
        ):
            text = row.text(key)
            choices[key] = words.get(text.lower()) if text else default
            if text and choices[key] is None:
                result.error(row, table, key, f"Give the {key} as {what}.")
        owner = people.get(row.text("owner").lower())
        if row.text("owner") and owner is None:
            result.error(row, table, "owner", f"No one signs in as “{row.text('owner')}” (give a username or email).")
        due = _date(row.text("due")) if row.text("due") else None
        if row.text("due") and due is None:
            result.error(row, table, "due", "Give the due date as a date, such as 31/03/2026.")
        if (long := too_long(row, TEXTS)) is not None:
            result.error(row, table, long, "This text is too long: keep it under 10,000 characters.")
        if len(result.errors) > errors_before:
            continue
        before = existing.get((source.pk, int(number)))
        fields = {
            "number": int(number),
            "text": row.text("text"),
            "reasons": row.text("reasons"),
            "evidence": row.text("evidence"),
            "owner": owner,
            "due": due,
            **choices,
        }
        try:
            recommendation_check(source=source, recommendation=before, **fields)
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                result.error(row, table, key if key in table.columns else "number", " ".join(messages))
            continue
        if not result.once((source.pk, int(number)), row, table, "number", f"Recommendation {number} of {source}"):
            continue
        after = Recommendation(source=source, **fields)
        if before is not None:
            result.versions[f"recommendation:{before.pk}"] = before.version
            if all(getattr(before, f) == getattr(after, f) for f in COMPARED):
                result.unchanged += 1
                continue
        result.pending.append((before, source, fields))
        result.changes.append(
            {
                "row": row.number,
                "action": "update" if before else "create",
                "code": f"{number}.",
                "title": f"{source.title}: {fields['text'][:120]}",
                "period": "",
                "before": _shown(before) if before else "",
                "after": _shown(after),
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
    """Save every recommendation in the file in one transaction, or nothing (ApplyRefused)."""
    result = check(table, user, locked=True)
    if result.errors:
        raise ApplyRefused("The file no longer passes its checks, so nothing has been imported. Upload it again.")
    if result.versions != versions:
        raise ApplyRefused(
            "Someone changed a recommendation in this file after it was checked, so nothing has been imported. "
            "Upload the file again to check it against the recommendations as they are now."
        )
    for before, source, fields in result.pending:
        actions = list(before.actions.all()) if before else []
        recommendation_save(
            source=source,
            recommendation=before,
            expected_version=before.version if before else None,
            actions=actions,
            by=user,
            **fields,
        )
    return result.as_result()["summary"]
