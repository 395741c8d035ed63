"""Importing a risk register: one row per risk, kept by the performance team and risk and audit.

Each row is checked as the risk pages check it (risks.services.risk_check) and saved by the
same service (risks.services.risk_save). A risk with the same title on the same register is
updated (what it relates to is kept); importing the same file twice changes nothing.
"""

import datetime
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from organisation.models import Directorate, User
from risks.models import Risk, RiskCategory, RiskMatrix, RiskStatus
from risks.services import risk_check, risk_save

from .checking import Check, too_long
from .reading import Table
from .returns import ApplyRefused

REQUIRED = (
    "title",
    "cause",
    "event",
    "consequence",
    "owner",
    "category",
    "inherent_likelihood",
    "inherent_impact",
    "residual_likelihood",
    "residual_impact",
    "target_score",
    "review_due",
)
OPTIONAL = ("register", "controls", "status")
KNOWN = REQUIRED + OPTIONAL
SCORES = ("inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact")
TEXTS = ("title", "cause", "event", "consequence", "controls")
COMPARED = (*TEXTS, "owner_id", "category_id", *SCORES, "target_score", "review_due", "status")
STATUS_WORDS = {word.lower(): value for value, label in RiskStatus.choices for word in (value, label)}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y")


def _date(text: str) -> datetime.date | None:
    text = text[:10] if len(text) >= 10 and text[4:5] == "-" else text
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _score(text: str, words: list[str]) -> int | None:
    """A score given as its number or the council's word for it."""
    if text.isdigit():
        return int(text) if 1 <= int(text) <= len(words) else None
    lowered = [word.lower() for word in words]
    return lowered.index(text.lower()) + 1 if text.lower() in lowered else None


def _shown(risk: Risk) -> str:
    return f"{risk.register_name}; {risk.category.name}; {risk.owner}; residual {risk.residual_score}"


def check(table: Table, user, *, progress: Callable[[int], None] | None = None, locked: bool = False) -> Check:
    """Check every row of a risk register file, in six queries whatever its length.
    With locked, the risks the file changes are locked (for apply)."""
    result = Check()
    matrix = RiskMatrix.current()
    categories = {c.name.lower(): c for c in RiskCategory.objects.all()}
    directorates = {}
    for directorate in Directorate.objects.all():
        directorates[directorate.code.lower()] = directorates[directorate.name.lower()] = directorate
    names = {row.text("owner").lower() for row in table.rows} - {""}
    people = {}
    for person in User.objects.filter(Q(username__in=names) | Q(email__in=names)).filter(is_active=True):
        people[person.username.lower()] = people[person.email.lower()] = person
    existing_risks = Risk.objects.select_related("category", "owner", "directorate")
    if locked:
        existing_risks = existing_risks.select_for_update(of=("self",))
    existing = {(risk.directorate_id, risk.title.lower()): risk for risk in existing_risks}
    for row in table.rows:
        errors_before = len(result.errors)
        for key in REQUIRED:
            if not row.text(key):
                result.error(row, table, key, f"Enter the {key.replace('_', ' ')}.")
        owner = people.get(row.text("owner").lower())
        if row.text("owner") and owner is None:
            result.error(row, table, "owner", f"No one signs in as “{row.text('owner')}” (give a username or email).")
        category = categories.get(row.text("category").lower())
        if row.text("category") and category is None:
            known = ", ".join(c.name for c in categories.values())
            result.error(row, table, "category", f"There is no category “{row.text('category')}”: use one of {known}.")
        register = row.text("register")
        directorate = None
        if register and register.lower() not in ("corporate", "corporate register"):
            directorate = directorates.get(register.lower())
            if directorate is None:
                result.error(
                    row, table, "register", f"No directorate is called or coded “{register}”; or write Corporate."
                )
        scores = {}
        for key in SCORES:
            words = matrix.likelihoods if "likelihood" in key else matrix.impacts
            if row.text(key):
                scores[key] = _score(row.text(key), words)
                if scores[key] is None:
                    result.error(row, table, key, f"Give the score as a number from 1 to {len(words)} or its word.")
        target = row.text("target_score")
        if target and not target.isdigit():
            result.error(row, table, "target_score", "Give the target score as a whole number, such as 6.")
        review_due = _date(row.text("review_due")) if row.text("review_due") else None
        if row.text("review_due") and review_due is None:
            result.error(row, table, "review_due", "Give the review date as a date, such as 31/03/2026.")
        status = STATUS_WORDS.get(row.text("status").lower() or "open")
        if status is None:
            result.error(row, table, "status", "Give the status as Open, Escalated or Closed.")
        if (long := too_long(row, TEXTS)) is not None:
            result.error(row, table, long, "This text is too long: keep it under 10,000 characters.")
        if len(result.errors) > errors_before:
            continue
        fields = {
            "title": row.text("title"),
            "cause": row.text("cause"),
            "event": row.text("event"),
            "consequence": row.text("consequence"),
            "controls": row.text("controls"),
            "owner": owner,
            "category": category,
            "directorate": directorate,
            "target_score": int(target),
            "review_due": review_due,
            "status": status,
            **scores,
        }
        try:
            risk_check(matrix=matrix, **fields)
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                result.error(row, table, key if key in table.columns else "title", " ".join(messages))
            continue
        key = (directorate.pk if directorate else None, fields["title"].lower())
        if not result.once(key, row, table, "title", f"The risk “{fields['title']}” on this register"):
            continue
        before = existing.get(key)
        if before is not None:
            result.versions[f"risk:{before.pk}"] = before.version
            after = Risk(**fields)
            if all(getattr(before, f) == getattr(after, f) for f in COMPARED):
                result.unchanged += 1
                continue
        result.pending.append((before, fields))
        shown = Risk(**fields, residual_score=scores["residual_likelihood"] * scores["residual_impact"])
        result.changes.append(
            {
                "row": row.number,
                "action": "update" if before else "create",
                "code": "",
                "title": fields["title"],
                "period": "",
                "before": _shown(before) if before else "",
                "after": _shown(shown),
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
    """Save every risk in the file in one transaction, or nothing (ApplyRefused)."""
    result = check(table, user, locked=True)
    if result.errors:
        raise ApplyRefused("The file no longer passes its checks, so nothing has been imported. Upload it again.")
    if result.versions != versions:
        raise ApplyRefused(
            "Someone changed a risk in this file after it was checked, so nothing has been imported. "
            "Upload the file again to check it against the register as it is now."
        )
    for before, fields in result.pending:
        links = {}
        if before is not None:
            links = {
                name: list(getattr(before, name).all()) for name in ("priorities", "plans", "indicators", "actions")
            }
        risk_save(risk=before, by=user, expected_version=before.version if before else None, **fields, **links)
    return result.as_result()["summary"]
