"""Composite ratings of priorities (docs/domain.md, "Plans and priorities").

The rule: each indicator in a priority's basket scores Green 2, Amber 1, Red 0 for the
period; the composite is Green when the mean score is at least the policy's green_from
(1.5 by default), Amber when at least amber_from (1.0), else Red. Indicators without a
Red, Amber or Green rating are counted and shown, never scored; data-only indicators are
counted apart. With nothing scored the composite is "unrated".

composite() is the pure rule; priority_composites() reads the ratings for many
priorities with a fixed number of queries.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from indicators.models import Period, Polarity, Rag, Rating

from .models import DEFAULT_AMBER_FROM, DEFAULT_GREEN_FROM, CompositePolicy, PlanKind, PlanStatus, Priority

GREEN, AMBER, RED, UNRATED = Rag.GREEN.value, Rag.AMBER.value, Rag.RED.value, "unrated"
DATA_ONLY = Rag.DATA_ONLY.value
LABELS = {GREEN: "Green", AMBER: "Amber", RED: "Red", UNRATED: "Unrated"}
SCORES = {GREEN: 2, AMBER: 1, RED: 0}


@dataclass(frozen=True)
class Thresholds:
    green_from: Decimal = DEFAULT_GREEN_FROM
    amber_from: Decimal = DEFAULT_AMBER_FROM


@dataclass(frozen=True)
class Composite:
    """A priority's composite status for a period, with the counts behind it."""

    status: str
    green: int = 0
    amber: int = 0
    red: int = 0
    unrated: int = 0
    data_only: int = 0
    thresholds: Thresholds = Thresholds()

    @property
    def label(self) -> str:
        return LABELS[self.status]

    @property
    def scored(self) -> int:
        return self.green + self.amber + self.red

    @property
    def score(self) -> Decimal | None:
        """The mean score, to two places (for showing: the status compares exactly)."""
        if not self.scored:
            return None
        return (Decimal(2 * self.green + self.amber) / self.scored).quantize(Decimal("0.01"))

    @property
    def counts_in_words(self) -> str:
        """ "3 Green, 1 Amber, 0 Red, 2 unrated" (and data only when there are any)."""
        text = f"{self.green} Green, {self.amber} Amber, {self.red} Red, {self.unrated} unrated"
        return f"{text}, {self.data_only} data only" if self.data_only else text


def composite(statuses: Iterable[str], thresholds: Thresholds = Thresholds()) -> Composite:
    """The composite of a basket's statuses (each an indicator's shown rating for the
    period, or "" when it has none). Exact: the mean is compared as a fraction."""
    counts = defaultdict(int)
    for status in statuses:
        if status in SCORES or status == DATA_ONLY:
            counts[status] += 1
        else:
            counts[UNRATED] += 1
    green, amber, red = counts[GREEN], counts[AMBER], counts[RED]
    scored = green + amber + red
    points = Decimal(2 * green + amber)
    if not scored:
        status = UNRATED
    elif points >= thresholds.green_from * scored:
        status = GREEN
    elif points >= thresholds.amber_from * scored:
        status = AMBER
    else:
        status = RED
    return Composite(status, green, amber, red, counts[UNRATED], counts[DATA_ONLY], thresholds)


def thresholds_for(period: Period) -> Thresholds:
    """The thresholds of the newest composite policy in force at the start of period (one query)."""
    return thresholds_on(period.start)


def thresholds_on(day: datetime.date) -> Thresholds:
    """The thresholds of the newest composite policy in force on day (one query)."""
    policy = (
        CompositePolicy.objects.filter(effective_from__start__lte=day)
        .order_by("-effective_from__start", "-created_at", "-pk")
        .first()
    )
    return Thresholds(policy.green_from, policy.amber_from) if policy else Thresholds()


def basket_statuses(
    priorities: QuerySet[Priority] | Iterable[Priority | int], period: Period
) -> dict[int, list[tuple[int, str, Period | None]]]:
    """Each priority's basket as (indicator id, shown status for period, the indicator's
    current period): "green", "amber", "red", "data_only", another rating, or "" when the
    period has no rating. Collected indicators only, in code order. Three queries."""
    if isinstance(priorities, QuerySet):
        wanted = priorities.values("pk")
    else:
        wanted = [p if isinstance(p, int) else p.pk for p in priorities]
    members = Priority.indicators.through.objects.filter(priority_id__in=wanted, indicator__is_collected=True)
    baskets = list(
        members.order_by("indicator__code").values_list(
            "priority_id", "indicator_id", "indicator__frequency", "indicator__polarity"
        )
    )
    current = Period.objects.current_on(period.end)
    ids = {indicator_id for _, indicator_id, _, _ in baskets}
    period_ids = {p.pk for p in current.values()}
    shown = {
        (indicator_id, period_id): override or rag
        for indicator_id, period_id, rag, override in Rating.objects.filter(
            outturn__indicator_id__in=ids, outturn__period_id__in=period_ids
        )
        .order_by()
        .values_list("outturn__indicator_id", "outturn__period_id", "rag", "override_rag")
    }
    result: dict[int, list[tuple[int, str, Period | None]]] = defaultdict(list)
    for priority_id, indicator_id, frequency, polarity in baskets:
        this = current.get(frequency)
        status = shown.get((indicator_id, this.pk), "") if this else ""
        if polarity == Polarity.NONE and not status:
            # A data-only indicator is never rated: not missing a rating either.
            status = DATA_ONLY
        result[priority_id].append((indicator_id, status, this))
    return result


def priority_composites(
    priorities: QuerySet[Priority] | Iterable[Priority | int], period: Period
) -> dict[int, Composite]:
    """Composite of each priority (by id) for the period, from the latest ratings of its
    basket's indicators, each for its own current period (the latest period of its
    frequency ending on or before period's end). A priority with an empty basket is
    Four queries whatever the number of priorities and indicators (five when priorities
    is a QuerySet; none when it is empty)."""
    if isinstance(priorities, QuerySet):
        ids = list(priorities.values_list("pk", flat=True))
    else:
        ids = [p if isinstance(p, int) else p.pk for p in priorities]
    if not ids:
        return {}
    thresholds = thresholds_for(period)
    baskets = basket_statuses(ids, period)
    return {pk: composite((status for _, status, _ in baskets.get(pk, [])), thresholds) for pk in ids}


def corporate_priorities(period: Period) -> list[tuple[Priority, Composite]]:
    """The priorities of approved corporate plans covering period's financial year, with
    their composites, for the top of the Council Scorecard. Five queries (one when there
    are none)."""
    priorities = list(
        Priority.objects.filter(
            plan__kind=PlanKind.CORPORATE,
            plan__status=PlanStatus.APPROVED,
            plan__first_year__lte=period.year,
            plan__last_year__gte=period.year,
        )
        .select_related("plan")
        .order_by("plan__title", "position", "title")
    )
    composites = priority_composites(priorities, period)
    return [(priority, composites[priority.pk]) for priority in priorities]
