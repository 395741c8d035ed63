"""A cumulative indicator's two figures for each period: the period's own figure and the
year to date. Officers enter one of them (the indicator's entry basis) and PMIS derives the
other. Pure functions on Decimal, no database access.

- Entered per period: the year to date adds up the year's figures so far (numerators and
  denominators for a percentage or rate); it is unknown while a period of the year so far has
  no figure.
- Entered year to date: the year to date is the figure entered, rated as it is; a percentage
  or rate needs no numerator and denominator. The period's own figure is this year to date
  less the previous period's (numerators and denominators likewise); it is unknown in the
  first period only when nothing can be subtracted: for the first period of the year it is
  the year to date itself.

figures maps (financial year, period number) to anything with value, numerator and
denominator (an Outturn, or the rating engine's Figure).
"""

from decimal import Decimal

from .models import ADDITIVE_UNITS, EntryBasis, Indicator
from .periods import PERIODS_PER_YEAR


def entered_to_date(indicator: Indicator) -> bool:
    """Whether the indicator's figures are entered (and stored) as the year to date."""
    return indicator.is_cumulative and indicator.entry_basis == EntryBasis.YEAR_TO_DATE


def to_date(indicator: Indicator, figures: dict) -> dict[tuple[int, int], Decimal | None]:
    """The year to date for each period with a figure (None where it cannot be formed)."""
    if not indicator.is_cumulative or entered_to_date(indicator):
        return {key: figure.value for key, figure in figures.items()}
    additive = indicator.unit in ADDITIVE_UNITS
    per_year = PERIODS_PER_YEAR[indicator.frequency]
    result = {}
    for year in sorted({year for year, _ in figures}):
        complete, ratio = True, True
        numerator = denominator = total = 0
        for number in range(1, per_year + 1):
            figure = figures.get((year, number))
            if figure is None or figure.value is None:
                complete = False
            elif complete:
                total += figure.value
                if ratio and figure.denominator is not None:
                    numerator += figure.numerator
                    denominator += figure.denominator
                else:
                    ratio = False
            if figure is None:
                continue
            if not complete:
                result[(year, number)] = None
            elif ratio:
                result[(year, number)] = indicator.quantize(numerator / denominator * indicator.scale)
            else:
                result[(year, number)] = total if additive else None
    return result


def own(indicator: Indicator, figures: dict) -> dict[tuple[int, int], Decimal | None]:
    """The period's own figure for each period with a figure (None where it cannot be derived)."""
    if not entered_to_date(indicator):
        return {key: figure.value for key, figure in figures.items()}
    additive = indicator.unit in ADDITIVE_UNITS
    result = {}
    for (year, number), figure in figures.items():
        result[(year, number)] = None
        if figure.value is None:
            continue
        if number == 1:
            result[(year, number)] = figure.value
            continue
        before = figures.get((year, number - 1))
        if before is None or before.value is None:
            continue
        if figure.denominator is not None and before.denominator is not None:
            denominator = figure.denominator - before.denominator
            if denominator > 0:
                numerator = figure.numerator - before.numerator
                result[(year, number)] = indicator.quantize(numerator / denominator * indicator.scale)
        elif additive:
            result[(year, number)] = figure.value - before.value
    return result


def own_of(indicator: Indicator, outturn, previous) -> Decimal | None:
    """The period's own figure of an outturn entered year to date, given the outturn of the
    period before it in the same year (None in the year's first period, or when missing)."""
    period = outturn.period
    figures = {(period.year, period.number): outturn}
    if previous is not None:
        figures[(period.year, period.number - 1)] = previous
    return own(indicator, figures)[(period.year, period.number)]


def own_by_position(indicator: Indicator, figures: dict[int, Decimal]) -> dict[int, Decimal]:
    """Figures by position in their frequency's sequence (indicators.unusual.position), as
    the periods' own figures: those of an additive indicator entered year to date less the
    previous period's of the same year (a period whose previous figure is missing left
    out); any other indicator's as they are."""
    if not entered_to_date(indicator) or indicator.unit not in ADDITIVE_UNITS:
        return dict(figures)
    per_year = PERIODS_PER_YEAR[indicator.frequency]
    result = {}
    for at, value in figures.items():
        if at % per_year == 0:  # the first period of its year
            result[at] = value
        elif at - 1 in figures:
            result[at] = value - figures[at - 1]
    return result
