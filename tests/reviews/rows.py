"""Scorecard rows made by hand, for the sort and filter tests (no database)."""

from decimal import Decimal

from indicators.models import Rag, TargetStatus, ToleranceMode, Unit
from reviews.scorecards import NO_PERIOD, NOT_DUE, OVERDUE, Row, RowIndicator, RowOutturn, RowRating, RowTarget


def row(
    code: str,
    *,
    title: str = "",
    status: str = Rag.GREEN,
    signed_off: bool = False,
    travel_previous: str = "",
    travel_last_year: str = "",
    variation: str = "",
    assurance: str = "",
) -> Row:
    """A row with a rated figure, unless its status says there is none."""
    indicator = RowIndicator(1, code, title or f"Title {code}", Unit.NUMBER, 0, "quarter", "Homes", "Alex")
    target = RowTarget(Decimal(10), TargetStatus.SIGNED_OFF if signed_off else TargetStatus.DRAFT)
    if status in (OVERDUE, NOT_DUE, NO_PERIOD):
        return Row(indicator, None, None, target, status)
    rating = RowRating(
        status,
        "",
        Decimal(9),
        Decimal(10),
        Decimal(5),
        ToleranceMode.RELATIVE,
        travel_previous,
        travel_last_year,
        variation=variation,
        assurance=assurance,
    )
    return Row(indicator, None, RowOutturn(Decimal(9), "", "", rating, status), target, status)


def codes(rows: list[Row]) -> list[str]:
    return [r.indicator.code for r in rows]
