"""Remedial action plans read for exception reports and packs: each indicator's actions with
their steps' progress and latest update, and which Reds have no plan. Three queries."""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from .models import Action


def actions_by_indicator(indicator_ids: Iterable[int]) -> dict[int, list[Action]]:
    """The actions raised against each indicator, due date order, each given steps_done,
    steps_total and latest_update (an ActionUpdate or None)."""
    found = defaultdict(list)
    actions = (
        Action.objects.filter(indicator_id__in=list(indicator_ids))
        .select_related("owner", "recover_by")
        .prefetch_related("steps", "updates")
        .order_by("due", "pk")
    )
    for action in actions:
        steps = list(action.steps.all())
        updates = list(action.updates.all())
        action.steps_total = len(steps)
        action.steps_done = sum(1 for step in steps if step.done_on)
        action.latest_update = updates[-1] if updates else None
        found[action.indicator_id].append(action)
    return found


def has_plan(actions: list[Action]) -> bool:
    """An indicator has a remedial plan while one of its actions is open."""
    return any(action.is_open for action in actions)


def as_data(action: Action, today: datetime.date) -> dict:
    """An action of a plan as plain data, for a pack (frozen as JSON when published)."""
    latest = action.latest_update
    return {
        "pk": action.pk,
        "description": action.description,
        "owner": action.owner.get_full_name() or action.owner.username,
        "due": action.due.isoformat(),
        "status_label": action.get_status_display(),
        "open": action.is_open,
        "overdue": action.is_overdue(today),
        "recover_by": action.recover_by.label if action.recover_by_id else "",
        "steps_done": action.steps_done,
        "steps_total": action.steps_total,
        "latest": {"date": latest.date.isoformat(), "text": latest.text} if latest else None,
    }


def _in_words(iso: str) -> str:
    day = datetime.date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def in_words(plan: dict) -> str:
    """An action of a plan (as_data) in one sentence, as the page says it, for spreadsheets:
    "Recruit two officers (Ann Lee; open, due 13 October 2026). To recover by 2026/27 Q3.
    1 of 3 steps done. Latest update, 1 October 2026: advert out."."""
    text = f"{plan['description']} ({plan['owner']}; {plan['status_label'].lower()}, due {_in_words(plan['due'])}"
    text += ", overdue)" if plan.get("overdue") else ")"
    if plan.get("recover_by"):
        text += f". To recover by {plan['recover_by']}"
    if plan.get("steps_total"):
        steps = "step" if plan["steps_total"] == 1 else "steps"
        text += f". {plan['steps_done']} of {plan['steps_total']} {steps} done"
    latest = plan.get("latest")
    text += f". Latest update, {_in_words(latest['date'])}: {latest['text']}" if latest else ". No progress update yet"
    return text if text.endswith((".", "!", "?")) else text + "."
