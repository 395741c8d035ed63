"""A scorecard's rows in groups, each headed by its composite status (?group= in the URL):
by corporate priority (the Council Scorecard's default), by portfolio, or one group.

An indicator in the baskets of several corporate priorities is shown under each, so every
group holds its whole basket; those in none come last. One query for the grouping (the
baskets, or each indicator's portfolio) and, by portfolio, one for the composite
thresholds in force.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.urls import reverse

from indicators.models import Indicator, Period
from plans import composites
from plans.models import Priority

from .scorecards import Row

GROUPINGS = [("priority", "Corporate priority"), ("portfolio", "Portfolio"), ("none", "No grouping")]


@dataclass
class Group:
    title: str
    rows: list[Row]
    href: str = ""
    composite: composites.Composite | None = None
    hint: str = ""
    id: str = field(default="")


def by_priority(rows: list[Row], corporate_priorities: list, period: Period) -> list[Group]:
    """One group per corporate priority (its composite for the period), then the rest."""
    ids = [priority.pk for priority, _ in corporate_priorities]
    members = defaultdict(set)
    for priority_id, indicator_id in Priority.indicators.through.objects.filter(priority_id__in=ids).values_list(
        "priority_id", "indicator_id"
    ):
        members[priority_id].add(indicator_id)
    groups, placed = [], set()
    for priority, composite in corporate_priorities:
        basket = members[priority.pk]
        mine = [row for row in rows if row.indicator.pk in basket]
        placed |= basket
        groups.append(
            Group(
                priority.title,
                mine,
                href=f"{reverse('plans:priority', args=[priority.pk])}?period={period.pk}",
                composite=composite,
                hint=priority.plan.title,
                id=f"priority-{priority.pk}",
            )
        )
    rest = [row for row in rows if row.indicator.pk not in placed]
    if rest:
        groups.append(Group("Not in a corporate priority", rest, id="other"))
    return [group for group in groups if group.rows]


def by_portfolio(rows: list[Row], indicators: QuerySet[Indicator], period: Period) -> list[Group]:
    """One group per portfolio, by name, each with the composite of its rows' ratings."""
    found = indicators.values_list("pk", "portfolio_id", "portfolio__name")
    portfolio_of = {pk: (portfolio_id, name) for pk, portfolio_id, name in found}
    grouped: dict[tuple, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[portfolio_of.get(row.indicator.pk, (None, None))].append(row)
    thresholds = composites.thresholds_for(period)
    groups = []
    for (portfolio_id, name), mine in sorted(grouped.items(), key=lambda item: (item[0][1] is None, item[0][1] or "")):
        groups.append(
            Group(
                name or "No portfolio",
                mine,
                href=f"{reverse('reviews:scope-scorecard', args=['portfolio', portfolio_id])}?period={period.pk}"
                if portfolio_id
                else "",
                composite=composites.composite((row.status for row in mine), thresholds),
                id=f"portfolio-{portfolio_id or 'none'}",
            )
        )
    return groups
