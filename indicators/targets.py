"""Targets as the pages show them: a target's shown status, an annual target spread over
the periods of its year, a target on the page that sets a year's targets, and the
ratings shown beside a target awaiting sign-off. Reads only; services.py writes.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from .models import Indicator, Period, Rating, Target, TargetStatus
from .periods import PERIODS_PER_YEAR

# How many of an indicator's latest outturns the sign-off page shows beside its target.
RECENT_OUTTURNS = 4
# A draft sent back with a comment is shown as "Returned", between draft and proposed.
SHOWN_STATUSES = [
    (TargetStatus.DRAFT.value, TargetStatus.DRAFT.label),
    ("returned", "Returned"),
    (TargetStatus.PROPOSED.value, TargetStatus.PROPOSED.label),
    (TargetStatus.QUALITY_ASSURED.value, TargetStatus.QUALITY_ASSURED.label),
    (TargetStatus.SIGNED_OFF.value, TargetStatus.SIGNED_OFF.label),
]


def shown_status(target: Target) -> str:
    """The status to show for a target: a draft sent back with a comment is "returned"."""
    if target.status == TargetStatus.DRAFT and target.return_comment:
        return "returned"
    return target.status


def spread(indicator: Indicator, annual: Decimal, period: Period) -> Decimal:
    """The period's share of an annual target, spread evenly.

    For a cumulative indicator the profile is year to date (Q2 is half the annual target);
    for a snapshot indicator every period's target is the annual target.
    """
    if not indicator.is_cumulative:
        return annual
    return indicator.quantize(annual * period.number / PERIODS_PER_YEAR[period.frequency])


@dataclass
class Row:
    """One target of a year as the page setting them shows it: the annual target or a period's."""

    name: str
    label: str
    period: Period
    target: Target | None

    @property
    def in_sentence(self) -> str:
        """The label within a sentence: "annual target for 2026/27", "2026/27 Nov target" (a
        period's name keeps its capitals)."""
        return f"{self.label[0].lower()}{self.label[1:]}"

    @property
    def what(self) -> str:
        return f"The {self.in_sentence}"


def latest_ratings(indicator_ids, count: int = RECENT_OUTTURNS) -> dict[int, list[Rating]]:
    """The ratings of each indicator's latest `count` outturns, oldest first, in one query."""
    recency = Window(RowNumber(), partition_by=F("outturn__indicator_id"), order_by=F("outturn__period__end").desc())
    ranked = (
        Rating.objects.filter(outturn__indicator_id__in=list(indicator_ids))
        .annotate(recency=recency)
        .filter(recency__lte=count)
        .with_target_status()
        .select_related("outturn__period")
        .order_by("outturn__period__end")
    )
    found = defaultdict(list)
    for rating in ranked:
        found[rating.outturn.indicator_id].append(rating)
    return found


def awaiting_quality_assurance():
    """Proposed targets, oldest period first, with what the targets page shows: one query."""
    return (
        Target.objects.filter(status=TargetStatus.PROPOSED)
        .select_related("indicator", "period", "proposed_by")
        .order_by("period__end", "indicator__code")
    )


def awaiting_sign_off(user):
    """Quality-assured targets of the portfolios the user holds."""
    return Target.objects.filter(status=TargetStatus.QUALITY_ASSURED, indicator__portfolio__holder=user)
