"""Returns (the figures officers owe for each period) as the pages show them: where a
return stands, the user's recent returns, those awaiting validation and each recent
period's counts. Reads only; services.py writes.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, Q
from django.utils import timezone

from . import periods, unusual
from .charts import sparkline
from .models import ADDITIVE_UNITS, Frequency, Indicator, Outturn, OutturnState, Period, format_figure
from .permissions import reportable
from .year_to_date import entered_to_date, own_by_position

# How many ended periods of each frequency "My returns" lists.
RECENT = {Frequency.MONTH: 3, Frequency.QUARTER: 2, Frequency.YEAR: 1}
# How many ended periods of each frequency the periods page lists.
PERIODS_SHOWN = {Frequency.MONTH: 12, Frequency.QUARTER: 4, Frequency.YEAR: 2}
# The states in which a return still needs its officer.
TO_DO = ("overdue", "due", "draft", "returned")
# "Due soon" on My returns: due within this many working days.
DUE_SOON_WORKING_DAYS = 10


def shown_state(
    outturn: Outturn | None, period: Period, today: datetime.date, indicator: Indicator | None = None
) -> tuple[str, str]:
    """Where a return stands, as (state, label): not collected (indicator.collects), not
    yet due, due or overdue while there is no figure; else the figure's state, a
    submission after the due day being "late"."""
    if outturn is None:
        state = indicator.return_status(period, today) if indicator else period.return_status(today)
        return state, periods.RETURN_LABELS[state]
    if outturn.state == OutturnState.SUBMITTED and outturn.is_late:
        return "submitted", "Submitted late"
    return outturn.state, outturn.get_state_display()


def recent_returns(user, today: datetime.date) -> list[dict]:
    """The returns the user must make for recent periods, with where each stands.

    Three queries whatever the number of indicators: indicators, periods, outturns.
    """
    indicators = list(reportable(user).select_related("service", "collected_from", "retired_after").order_by("code"))
    ended = Period.objects.ended_on(today)
    recent = {}
    for frequency, count in RECENT.items():
        recent[frequency] = list(ended.filter(frequency=frequency)[:count])
    period_ids = [p.pk for ps in recent.values() for p in ps]
    outturns = {
        (o.indicator_id, o.period_id): o
        for o in Outturn.objects.filter(indicator__in=indicators, period_id__in=period_ids).select_related("rating")
    }
    rows = []
    for indicator in indicators:
        for period in recent[indicator.frequency]:
            outturn = outturns.get((indicator.pk, period.pk))
            if outturn is None and not indicator.collects(period):
                continue
            state, label = shown_state(outturn, period, today)
            rows.append(
                {
                    "indicator": indicator,
                    "period": period,
                    "outturn": outturn,
                    "state": state,
                    "state_label": label,
                    "to_do": state in TO_DO,
                }
            )
    rows.sort(key=lambda row: (not row["to_do"], row["period"].due, row["indicator"].code))
    return rows


def by_urgency(rows: list[dict], today: datetime.date) -> dict[str, list[dict]]:
    """recent_returns() rows sorted for an officer: "returned" (sent back, with the
    performance team's comment), "overdue" (still to enter or submit after the due day),
    "due_soon" (to enter or submit by a due day within DUE_SOON_WORKING_DAYS working days,
    England and Wales bank holidays left out) and "other" (the rest), each in due order."""
    soon = periods.add_working_days(today, DUE_SOON_WORKING_DAYS)
    groups = {"returned": [], "overdue": [], "due_soon": [], "other": []}
    for row in rows:
        due = row["period"].due
        if row["state"] == OutturnState.RETURNED:
            group = "returned"
        elif not row["to_do"]:
            group = "other"
        elif today > due:
            group = "overdue"
        elif due <= soon:
            group = "due_soon"
        else:
            group = "other"
        groups[group].append(row)
    return groups


def awaiting_validation():
    """Submitted returns, oldest period first, with everything the validation page shows: one query."""
    return (
        Outturn.objects.filter(state=OutturnState.SUBMITTED)
        .select_related("indicator", "period", "submitted_by", "rating", "rating__overridden_by")
        .order_by("period__end", "indicator__code")
    )


def _entry_checks(value, period_id, figures, positions, unit, places, previous_label) -> list[str]:
    """What the entry checks ask about a return's figure against the figures before it
    (indicators.unusual, as the entry page and the returns import ask)."""
    if value is None:
        return []
    at = positions[period_id]
    history = sorted((positions[p], v) for p, v in figures.items() if positions[p] < at)
    return unusual.queries(
        value,
        at,
        history,
        shown=lambda figure: format_figure(figure, unit, places),
        jump_share=settings.PMIS_FIGURE_JUMP_SHARE,
        min_points=settings.PMIS_SPC_MIN_POINTS,
        previous_label=previous_label or "the previous period",
    )


# How many earlier figures the validation queue shows beside each return.
QUEUE_PREVIOUS = 3


@dataclass(slots=True)
class QueueRow:
    """A return in the validation queue, with its earlier figures to sense-check against.

    Plain values rather than model instances: the queue holds thousands of returns at
    quarter end, and making six model instances a row was most of the page's time.
    """

    pk: int
    state: str
    value: Decimal | None
    commentary: str
    commentary_is_public: bool
    return_comment: str
    submitted_at: datetime.datetime | None
    submitted_by: str
    indicator_id: int
    code: str
    title: str
    unit: str
    decimal_places: int
    service: str
    period: Period
    period_label: str
    # The computed rating, the performance team's override ("" when none), and the target
    # rated against; rag is "" when the return is not rated.
    rag: str
    override_rag: str
    target: Decimal | None
    # The QUEUE_PREVIOUS periods before the return's (oldest first): each one's label and
    # figure (None when there is none or it was not available).
    previous: list[tuple[str, Decimal | None]]
    # Entry checks' warnings about the figure (a zero where there is never zero, a value
    # outside the indicator's process limits, a jump), each a sentence.
    warnings: list[str] = field(default_factory=list)
    # Who entered and submitted it (separation of duties: neither validates it).
    entered_by_id: int | None = None
    submitted_by_id: int | None = None

    @property
    def is_late(self) -> bool:
        """Submitted after its period's due date (as Outturn.is_late)."""
        return self.submitted_at is not None and timezone.localdate(self.submitted_at) > self.period.due

    @property
    def shown_rag(self) -> str:
        return self.override_rag or self.rag

    @property
    def sparkline(self) -> str:
        """The earlier figures and this one as a line ("" with fewer than two figures)."""
        return sparkline(
            [label for label, _ in self.previous] + [self.period_label],
            [value for _, value in self.previous] + [self.value],
            title=f"{self.code}: figures to {self.period_label}",
            chart_id=f"trend-{self.pk}",
        )


# What validation_queue() reads of each return, in QueueRow's order up to period.
QUEUE_FIELDS = [
    "pk",
    "state",
    "value",
    "commentary",
    "commentary_is_public",
    "return_comment",
    "submitted_at",
    "submitted_by__first_name",
    "submitted_by__last_name",
    "submitted_by__username",
    "indicator_id",
    "indicator__code",
    "indicator__title",
    "indicator__unit",
    "indicator__decimal_places",
    "indicator__service__name",
    "period_id",
    "rating__rag",
    "rating__override_rag",
    "rating__target",
    "entered_by_id",
    "submitted_by_id",
]


def validation_queue(chosen: dict) -> list[QueueRow]:
    """The returns awaiting validation (or, by chosen["status"], those submitted late or
    sent back), oldest period first, filtered by the chosen directorate, service, period and
    shown rating (forms.QueueFilters.chosen), each with its previous figures.

    Three queries whatever the number of returns: the returns, the periods up to theirs,
    the earlier figures (shown, and the history the entry checks ask each figure about).
    """
    status = chosen.get("status", "")
    outturns = Outturn.objects.filter(state=OutturnState.RETURNED if status == "returned" else OutturnState.SUBMITTED)
    if status == "late":
        outturns = outturns.filter(submitted_at__date__gt=F("period__due"))
    if "rating" in chosen:
        rag = chosen["rating"]
        outturns = outturns.filter(Q(rating__override_rag=rag) | Q(rating__override_rag="", rating__rag=rag))
    lookups = {"period": "period", "directorate": "indicator__service__directorate", "service": "indicator__service"}
    outturns = outturns.filter(**{lookup: chosen[name] for name, lookup in lookups.items() if name in chosen})
    found = list(outturns.order_by("period__end", "indicator__code", "pk").values_list(*QUEUE_FIELDS))
    if not found:
        return []
    # Every period of the returns' frequencies up to the latest of them, oldest first: a
    # return's previous periods are the ones just before its own.
    period_ids = {row[16] for row in found}
    wanted = Period.objects.filter(pk__in=period_ids)
    sequences: dict[str, list[Period]] = {}
    for period in Period.objects.filter(
        frequency__in=wanted.values("frequency"), end__lte=wanted.order_by("-end").values("end")[:1]
    ).order_by("end"):
        sequences.setdefault(period.frequency, []).append(period)
    place = {p.pk: (p, sequence, i) for sequence in sequences.values() for i, p in enumerate(sequence)}
    earlier = {}
    for period_id in period_ids:
        period, sequence, index = place[period_id]
        earlier[period_id] = sequence[max(0, index - QUEUE_PREVIOUS) : index]
    # Every earlier figure of the returns' indicators: the previous figures shown, and the
    # history the entry checks (indicators.unusual) ask about each figure against.
    history: dict[int, dict[int, Decimal]] = {}
    for indicator_id, period_id, value in Outturn.objects.filter(
        indicator_id__in={row[10] for row in found}, period_id__in=place, value__isnull=False
    ).values_list("indicator_id", "period_id", "value"):
        history.setdefault(indicator_id, {})[period_id] = value
    labels = {p.pk: p.label for sequence in sequences.values() for p in sequence}
    positions = {p.pk: unusual.position(p.frequency, p.year, p.number) for p, _, _ in place.values()}
    rows = []
    for row in found:
        first, last, username = row[7:10]
        value, indicator_id, unit, places, period_id = row[2], row[10], row[13], row[14], row[16]
        figures = history.get(indicator_id, {})
        before = earlier[period_id]
        previous_label = labels[before[-1].pk] if before else ""
        rows.append(
            QueueRow(
                *row[:7],
                f"{first or ''} {last or ''}".strip() or username or "",
                *row[10:16],
                place[period_id][0],
                labels[period_id],
                row[17] or "",
                row[18] or "",
                row[19],
                [(labels[p.pk], figures.get(p.pk)) for p in before],
                _entry_checks(value, period_id, figures, positions, unit, places, previous_label),
                row[20],
                row[21],
            )
        )
    return rows


def recent_periods(today: datetime.date) -> list[dict]:
    """The recently ended periods with their counts of returns: five queries whatever the number.

    Each row: period, validated and entered (returns of collected indicators), expected
    (collected indicators of the period's frequency that collect a figure for it: none
    before its collected-from period or after its retired-after period), submitted
    (awaiting validation), unvalidated, missing (expected but not entered), past_due and
    lockable (past its due date with every return validated).
    """
    rows = []
    for frequency, count in PERIODS_SHOWN.items():
        ended = Period.objects.ended_on(today).filter(frequency=frequency).select_related("locked_by")
        rows += [{"period": p} for p in ended[:count]]
    counts = {
        row["period_id"]: row
        for row in Outturn.objects.filter(period__in=[r["period"] for r in rows], indicator__is_collected=True)
        .values("period_id")
        .annotate(
            entered=Count("pk"),
            validated=Count("pk", filter=Q(state=OutturnState.VALIDATED)),
            submitted=Count("pk", filter=Q(state=OutturnState.SUBMITTED)),
        )
        .order_by()
    }
    # How many indicators share each frequency and collected-from and retired-after dates.
    collected = list(
        Indicator.objects.collected()
        .values_list("frequency", "collected_from__start", "retired_after__end")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for row in rows:
        found = counts.get(row["period"].pk, {})
        row["entered"] = found.get("entered", 0)
        row["validated"] = found.get("validated", 0)
        row["submitted"] = found.get("submitted", 0)
        period = row["period"]
        row["expected"] = sum(
            count
            for frequency, start, end, count in collected
            if frequency == period.frequency and periods.collects(period.start, period.end, start, end)
        )
        row["unvalidated"] = row["entered"] - row["validated"]
        row["missing"] = max(0, row["expected"] - row["entered"])
        # Locking is offered once the returns were due and are all validated.
        row["past_due"] = row["period"].is_overdue(today)
        row["lockable"] = row["past_due"] and not row["unvalidated"]
    return rows


def figure_histories(indicator_ids, frequency: str) -> dict[int, dict[int, Decimal]]:
    """Each indicator's figures of a frequency by position (unusual.position), for
    figure_queries on several indicators at once: one query."""
    histories: dict[int, dict[int, Decimal]] = {pk: {} for pk in indicator_ids}
    for indicator_id, year, number, value in Outturn.objects.filter(
        indicator_id__in=list(histories), value__isnull=False, period__frequency=frequency
    ).values_list("indicator_id", "period__year", "period__number", "value"):
        histories[indicator_id][unusual.position(frequency, year, number)] = value
    return histories


def figure_queries(indicator: Indicator, period: Period, value, history: dict[int, object] | None = None) -> list[str]:
    """What to ask about a figure before it is saved (indicators.unusual): a zero where there
    has never been one, a figure outside the process limits, a jump from the previous period.

    history maps positions (unusual.position) to the indicator's other figures; without it
    they are read in one query. The entry page and the returns import both ask through here."""
    if value is None:
        return []
    at = unusual.position(period.frequency, period.year, period.number)
    if history is None:
        history = {
            unusual.position(frequency, year, number): figure
            for frequency, year, number, figure in Outturn.objects.filter(
                indicator=indicator, value__isnull=False, period__frequency=period.frequency
            ).values_list("period__frequency", "period__year", "period__number", "value")
        }
    # Entered year to date, an additive indicator's checks are on the periods' own figures:
    # a year to date always grows, and falls back at the start of each year.
    others = {p: v for p, v in history.items() if p != at}
    if entered_to_date(indicator) and indicator.unit in ADDITIVE_UNITS:
        value = own_by_position(indicator, {**others, at: value}).get(at)
        if value is None:
            return []
        others = own_by_position(indicator, others)
    return unusual.queries(
        value,
        at,
        sorted(others.items()),
        shown=indicator.format_value,
        jump_share=settings.PMIS_FIGURE_JUMP_SHARE,
        min_points=settings.PMIS_SPC_MIN_POINTS,
    )
