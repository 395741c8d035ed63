"""A leaver's work: what they answer for (indicators with their open targets, open actions,
milestones not complete, priorities they lead), reassigned in bulk, then their account
deactivated. Here, above indicators and plans, because it touches both."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_update_with_history

from indicators.models import Indicator, Target, TargetStatus
from organisation.permissions import is_performance_team
from organisation.services import person_deactivate
from plans.models import Milestone, MilestoneStatus, Priority

from .models import OPEN_STATUSES, Action


@dataclass
class Work:
    indicators: list
    targets: list
    actions: list
    milestones: list
    priorities: list

    @property
    def count(self) -> int:
        return len(self.indicators) + len(self.actions) + len(self.milestones) + len(self.priorities)


def leaver_work(user) -> Work:
    """What user answers for, in five queries whatever their number."""
    indicators = list(Indicator.objects.filter(responsible_officer=user).select_related("service").order_by("code"))
    return Work(
        indicators=indicators,
        # An indicator's targets go with it to its new officer.
        targets=list(
            Target.objects.filter(indicator__responsible_officer=user)
            .exclude(status=TargetStatus.SIGNED_OFF)
            .select_related("indicator", "period")
            .order_by("indicator__code", "period__start")
        ),
        actions=list(
            Action.objects.filter(owner=user, status__in=OPEN_STATUSES)
            .select_related("indicator")
            .order_by("due", "pk")
        ),
        milestones=list(
            Milestone.objects.filter(owner=user)
            .exclude(status=MilestoneStatus.COMPLETE)
            .select_related("priority__plan")
            .order_by("due", "pk")
        ),
        priorities=list(Priority.objects.filter(lead=user).select_related("plan").order_by("plan__title", "position")),
    )


KINDS = {"indicators": Indicator, "actions": Action, "milestones": Milestone, "priorities": Priority}
FIELD = {"indicators": "responsible_officer", "actions": "owner", "milestones": "owner", "priorities": "lead"}


def leaver_reassign(*, leaver, to, chosen: dict[str, list[int]], by) -> int:
    """Give the chosen records of each kind (KINDS: ids) that leaver answers for to `to`,
    set-based with history (who and when). Returns how many were reassigned."""
    if not is_performance_team(by):
        raise ValidationError("Only the performance team reassigns a leaver's work.")
    if to is None:
        raise ValidationError({"to": "Choose who takes over the work."})
    if to.pk == leaver.pk:
        raise ValidationError({"to": "Choose someone other than the leaver."})
    if not to.is_active:
        raise ValidationError({"to": f"{to}'s account is deactivated: choose someone who is still here."})
    if not any(chosen.values()):
        raise ValidationError("Choose at least one thing to reassign.")
    moved = 0
    with transaction.atomic():
        for kind, ids in chosen.items():
            if not ids:
                continue
            model, field = KINDS[kind], FIELD[kind]
            records = list(model.objects.select_for_update().filter(pk__in=ids, **{field: leaver}))
            for record in records:
                setattr(record, field, to)
                if hasattr(record, "version"):
                    record.version += 1
            fields = [field, "version"] if records and hasattr(records[0], "version") else [field]
            bulk_update_with_history(
                records, model, fields, default_user=by, default_change_reason=f"Reassigned from {leaver}, a leaver"
            )
            moved += len(records)
    return moved


def leaver_deactivate(*, leaver, by):
    """Deactivate a leaver's account once nothing is left that they answer for."""
    left = leaver_work(leaver)
    if left.count:
        raise ValidationError(
            f"{leaver} still answers for {left.count} thing{'s' if left.count != 1 else ''}: "
            "reassign them first, so that nothing is left without an owner."
        )
    return person_deactivate(user=leaver, by=by)
