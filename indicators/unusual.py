"""Figures that look wrong against the indicator's own history: pure rules, no database access.

A figure is queried, not refused: the person entering it confirms it or corrects it. Three
things are queried, each only where the history can say so:

- a zero where the indicator's figures have never been zero (real returns use 0 for "not
  yet available");
- a figure outside the natural process limits of the figures so far (indicators/spc.py,
  once there are PMIS_SPC_MIN_POINTS of them);
- a change of more than PMIS_FIGURE_JUMP_SHARE of the previous period's figure.
"""

from decimal import Decimal

from . import spc
from .periods import PERIODS_PER_YEAR


def position(frequency: str, year: int, number: int) -> int:
    """Consecutive periods of a frequency have consecutive positions."""
    return year * PERIODS_PER_YEAR[frequency] + number - 1


def queries(
    value: Decimal,
    at: int,
    history: list[tuple[int, Decimal]],
    *,
    shown,
    jump_share: Decimal,
    min_points: int,
    previous_label: str = "the previous period",
) -> list[str]:
    """What to ask about value, the figure at position at, given the indicator's other
    figures (position, value), oldest first. shown formats a figure in the indicator's unit."""
    before = [(p, v) for p, v in history if p < at]
    asked = []
    if value == 0 and before and all(v != 0 for _, v in before):
        asked.append(
            "Is this a real zero, or is the figure missing? The figures before it have never been 0. "
            "If there is no figure yet, leave it empty and say why it is not available."
        )
    points = [spc.Point(p, v) for p, v in before]
    limits = spc.limits(points, min_points=min_points) if points else None
    if limits is not None and not limits.lower <= value <= limits.upper:
        asked.append(
            f"{shown(value)} is outside the process limits of the figures so far "
            f"({shown(limits.lower)} to {shown(limits.upper)}): is it right?"
        )
    if before and before[-1][0] == at - 1 and before[-1][1] != 0 and value != 0:
        last = before[-1][1]
        change = (value - last) / abs(last)
        if abs(change) > jump_share:
            way = "more" if change > 0 else "less"
            share = f"{abs(change):.0%}"
            earlier = f"{previous_label}'s figure ({shown(last)})"
            asked.append(f"{shown(value)} is {share} {way} than {earlier}: is it right?")
    return asked
