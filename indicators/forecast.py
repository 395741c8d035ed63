"""The year-end forecast of a cumulative indicator: a pure function on Decimal.

From the year to date after period n of N in the year:

    same period's share   when earlier complete years exist: the share of their year-end
                          totals they had reached by period n, pooled over those years
                          (the sum of their year-to-date figures at n over the sum of their
                          totals); forecast = year to date / share.
    pace so far           otherwise: forecast = year to date x N / n.

Only for figures that add up over the year (counts, money, days): a percentage or rate
year to date is not a part of its year-end figure. No forecast after the last period of
the year: the year to date is then the outturn. "Likely to miss" is the RAG rule
(indicators/rag.py) applied to the forecast against the annual target: Red, outside
tolerance, means likely to miss.
"""

from dataclasses import dataclass
from decimal import Decimal

from . import rag

PACE = "pace"
SHARE = "share"


@dataclass(frozen=True)
class Forecast:
    value: Decimal
    method: str
    # The pooled share of the year reached by this period in earlier years (SHARE only).
    share: Decimal | None = None
    years: int = 0


def year_end(
    *,
    year_to_date: Decimal,
    number: int,
    periods_per_year: int,
    earlier: list[tuple[Decimal, Decimal]] = (),
) -> Forecast | None:
    """Forecast the year-end figure after period number of periods_per_year.

    earlier: (year to date at the same period, year-end total) of earlier complete years.
    Years whose figures cannot give a share (a total or year to date of zero or less) are
    left out. None at or after the year's last period.
    """
    if not isinstance(year_to_date, Decimal):
        raise TypeError("year_to_date must be a Decimal")
    if not 1 <= number <= periods_per_year:
        raise ValueError("number must be between 1 and periods_per_year")
    if number == periods_per_year:
        return None
    usable = [(part, total) for part, total in earlier if part > 0 and total > 0]
    if usable:
        share = sum(part for part, _ in usable) / sum(total for _, total in usable)
        return Forecast(value=year_to_date / share, method=SHARE, share=share, years=len(usable))
    return Forecast(value=year_to_date * periods_per_year / number, method=PACE)


def likely_to_miss(
    forecast: Decimal | None, annual_target: Decimal | None, polarity: str, tolerance, mode: str
) -> bool:
    """True when the forecast is outside tolerance of the annual target (it would be Red)."""
    if forecast is None or annual_target is None:
        return False
    return rag.rate(forecast, annual_target, polarity, tolerance, mode) == rag.RED
