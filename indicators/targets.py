"""Targets as the pages show them: a target's shown status, an annual target spread over
the periods of its year (evenly or shaped like last year), a target on the page that sets a
year's targets, the year proposals on the quality-assurance and sign-off pages (with their
latest ratings and benchmark quartile), the years late for sign-off, and each year's
targets and history on the indicator pages. Reads only; target_years.py and services.py
write.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, Subquery, Window
from django.db.models.functions import RowNumber

from . import benchmarks, periods
from .models import (
    BenchmarkValue,
    Frequency,
    Indicator,
    Outturn,
    Period,
    Polarity,
    Rating,
    Target,
    TargetStatus,
    TargetYear,
    target_sign_off_deadline,
)
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


def shape(indicator: Indicator, annual: Decimal, period: Period, last_year: dict[int, Decimal]) -> Decimal:
    """The period's share of an annual target shaped like last year's figures (by period
    number, each the figure rated: year to date for a cumulative indicator).

    Cumulative: the annual target times the share of last year's total reached by the same
    period. Snapshot: the annual target times last year's figure for the period over last
    year's average, so the year's average is the annual target. Raises ValueError when last
    year has no figure for some period or its total is zero.
    """
    count = PERIODS_PER_YEAR[period.frequency]
    if any(last_year.get(number) is None for number in range(1, count + 1)):
        raise ValueError("last year is incomplete")
    if indicator.is_cumulative:
        whole = last_year[count]
        if not whole:
            raise ValueError("last year's total is zero")
        return indicator.quantize(annual * last_year[period.number] / whole)
    average = sum(last_year[number] for number in range(1, count + 1)) / count
    if not average:
        raise ValueError("last year's average is zero")
    return indicator.quantize(annual * last_year[period.number] / average)


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
    """Years of targets proposed and awaiting the performance team's quality assurance."""
    return TargetYear.objects.filter(status=TargetStatus.PROPOSED)


def awaiting_sign_off(user):
    """Quality-assured years of targets of the portfolios the user holds."""
    return TargetYear.objects.filter(status=TargetStatus.QUALITY_ASSURED, indicator__portfolio__holder=user)


# A year's targets as one decision (TargetYear): the pages that quality-assure and sign off
# whole years, and the years late for sign-off.


def years_awaiting(stage: str, user):
    """The year proposals awaiting the stage: proposed ones for the performance team's quality
    assurance, quality-assured ones of the portfolios the user holds for sign-off."""
    return awaiting_sign_off(user) if stage == "sign_off" else awaiting_quality_assurance()


@dataclass
class Proposal:
    """A year proposal as the quality-assurance and sign-off pages show it."""

    year: TargetYear
    annual: Target | None
    periods: list[Target]
    recent: list[Rating]
    benchmark: "Quartile | None"

    @property
    def indicator(self) -> Indicator:
        return self.year.indicator


@dataclass
class Quartile:
    """The council's quartile among its comparators in the latest benchmarked period."""

    period: Period
    group: str
    words: str


def _quartiles(indicators: list[Indicator]) -> dict[int, Quartile]:
    """Each indicator's quartile among the first comparator group of its latest benchmarked
    period: two queries whatever the number of indicators."""
    values = defaultdict(list)
    latest = {}
    for value in (
        BenchmarkValue.objects.filter(indicator__in=indicators).select_related("period").order_by("-period__end")
    ):
        if latest.setdefault(value.indicator_id, value.period) == value.period:
            values[value.indicator_id].append((value.group, value.value))
    own = {
        (outturn.indicator_id, outturn.period_id): outturn.value
        for outturn in Outturn.objects.filter(
            indicator__in=list(latest), period__in={period.pk for period in latest.values()}
        ).only("indicator_id", "period_id", "value")
    }
    found = {}
    for indicator in indicators:
        if indicator.pk not in latest:
            continue
        period = latest[indicator.pk]
        groups = benchmarks.benchmarks(
            values[indicator.pk], own=own.get((indicator.pk, period.pk)), polarity=indicator.polarity
        )
        if groups and groups[0].quartile:
            found[indicator.pk] = Quartile(period, groups[0].group, groups[0].quartile_words)
    return found


def proposals(years) -> list[Proposal]:
    """The year proposals with their targets, latest ratings and benchmark quartile, by
    indicator code: five queries whatever the number of years."""
    years = list(
        years.select_related("indicator__portfolio", "proposed_by", "quality_assured_by").order_by(
            "indicator__code", "year"
        )
    )
    indicators = [year.indicator for year in years]
    targets = defaultdict(list)
    for target in (
        Target.objects.filter(indicator__in=indicators, period__year__in={year.year for year in years})
        .select_related("period")
        .order_by("period__end")
    ):
        targets[(target.indicator_id, target.period.year)].append(target)
    recent = latest_ratings(indicator.pk for indicator in indicators)
    quartiles = _quartiles(indicators)
    found = []
    for year in years:
        own = [
            t
            for t in targets[(year.indicator_id, year.year)]
            if t.period.frequency in (Frequency.YEAR, year.indicator.frequency)
        ]
        annual = next((t for t in own if t.period.frequency == Frequency.YEAR), None)
        periods_ = [t for t in own if t is not annual] if year.indicator.frequency != Frequency.YEAR else []
        found.append(
            Proposal(year, annual, periods_, recent.get(year.indicator_id, []), quartiles.get(year.indicator_id))
        )
    return found


@dataclass
class Late:
    """An indicator whose targets for the year were not signed off by the deadline."""

    indicator: Indicator
    year: TargetYear | None

    @property
    def where(self) -> str:
        """Where the year's targets stand, in words."""
        if self.year is None:
            return "Not proposed"
        return dict(SHOWN_STATUSES)[shown_status(self.year)]


def late_targets(indicators, today, year: int | None = None) -> tuple[datetime.date, list[Late]]:
    """The sign-off deadline of the financial year (by default today's), and the indicators
    (of `indicators`, rated ones collected in that year) whose targets for it are not signed
    off although the deadline has passed: three queries, none before the deadline.

    A year proposal counts once its first revision is signed off. An indicator with no
    proposal (targets set one by one, by an import) counts when it has targets for the
    year and all of them are signed off.
    """
    year = periods.financial_year(today) if year is None else year
    deadline = target_sign_off_deadline(year)
    if today <= deadline:
        return deadline, []
    start, end = periods.bounds(Frequency.YEAR, year, 1)
    rated = (
        indicators.collected_during(start, end)
        .exclude(polarity=Polarity.NONE)
        .select_related("portfolio", "service")
        .order_by("code")
    )
    years = {target_year.indicator_id: target_year for target_year in TargetYear.objects.filter(year=year)}
    signed_one_by_one = {
        indicator_id
        for indicator_id, total, signed in Target.objects.filter(period__year=year)
        .values_list("indicator_id")
        .annotate(total=Count("pk"), signed=Count("pk", filter=Q(status=TargetStatus.SIGNED_OFF)))
        .order_by()
        if total == signed
    }
    late = []
    for indicator in rated:
        target_year = years.get(indicator.pk)
        if target_year is None:
            if indicator.pk not in signed_one_by_one:
                late.append(Late(indicator, None))
        elif target_year.first_signed_off_at is None:
            late.append(Late(indicator, target_year))
    return deadline, late


@dataclass
class YearShown:
    """A year's targets as the indicator page shows them: the proposal, its annual target and
    each step of its history (revisions, sending back, sign-off), oldest first."""

    year: TargetYear
    annual: Decimal | None
    steps: list


def years_shown(indicator: Indicator, *, signed_off_only: bool = False) -> list[YearShown]:
    """The indicator's years of targets, newest first, with their annual targets and history
    (two queries; with signed_off_only, the signed-off years and no history, for the public:
    one)."""
    annual = Target.objects.filter(
        indicator=OuterRef("indicator"), period__frequency=Frequency.YEAR, period__year=OuterRef("year")
    ).values("value")[:1]
    years = (
        TargetYear.objects.filter(indicator=indicator)
        .annotate(annual=Subquery(annual))
        .select_related("signed_off_by")
        .order_by("-year")
    )
    if signed_off_only:
        years = years.filter(status=TargetStatus.SIGNED_OFF)
    years = list(years)
    steps = defaultdict(list)
    if not signed_off_only:
        before = {}
        for record in (
            TargetYear.history.filter(indicator_id=indicator.pk)
            .select_related("history_user")
            .order_by("history_date", "history_id")
        ):
            key = (record.status, record.revision, record.return_comment)
            if before.get(record.id) != key:
                steps[record.id].append(record)
            before[record.id] = key
    return [YearShown(year, year.annual, steps[year.pk]) for year in years]
