"""Returns (the figures officers owe for each period) as the pages show them: where a
return stands, the user's recent returns, those awaiting validation and each recent
period's counts. Reads only; services.py writes.
"""

import datetime

from django.db.models import Count, Q

from . import periods
from .models import Frequency, Indicator, Outturn, OutturnState, Period
from .permissions import reportable

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


def recent_periods(today: datetime.date) -> list[dict]:
    """The recently ended periods with their counts of returns: five queries whatever the number.

    Each row: period, validated and entered (returns of collected indicators) and expected
    (collected indicators of the period's frequency that collect a figure for it: none
    before its collected-from period or after its retired-after period).
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
    return rows
