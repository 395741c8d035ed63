"""The RAG rule and direction of travel: pure functions, no database access.

The rule is the table in docs/domain.md. Values are compared as Decimal, never float, so an
outturn exactly on a tolerance boundary is rated exactly (95 against 100 at 5% is Amber).

Let A be the actual, T the target and B the tolerance band: |T| x tolerance when the
tolerance is relative (a fraction, Decimal("0.05") for 5%), the tolerance itself when it
is absolute (an amount in the indicator's unit).

    higher is better:  Green A >= T;  Amber T - B <= A < T;  Red A < T - B
    lower is better:   Green A <= T;  Amber T < A <= T + B;  Red A > T + B
"""

from decimal import Decimal

GREEN = "green"
AMBER = "amber"
RED = "red"
NO_TARGET = "no_target"
DATA_ONLY = "data_only"
NOT_AVAILABLE = "not_available"
# Not returned by rate(): the model layer's status for a cumulative figure whose year to
# date cannot be formed because an earlier period of the year has no figure.
INCOMPLETE = "incomplete"

IMPROVING = "improving"
WORSENING = "worsening"
UNCHANGED = "unchanged"

HIGHER = "higher"
LOWER = "lower"
NONE = "none"
POLARITIES = (HIGHER, LOWER, NONE)

RELATIVE = "relative"
ABSOLUTE = "absolute"
MODES = (RELATIVE, ABSOLUTE)


def _decimal(name: str, value) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    raise TypeError(f"{name} must be a Decimal, an int or None, not {type(value).__name__}")


def _check_polarity(polarity: str) -> None:
    if polarity not in POLARITIES:
        raise ValueError(f"polarity must be one of {POLARITIES}, not {polarity!r}")


def band(target: Decimal, tolerance: Decimal, mode: str = RELATIVE) -> Decimal:
    """The tolerance band B around a target, in the indicator's unit."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    if tolerance < 0:
        raise ValueError("tolerance cannot be negative")
    return abs(target) * tolerance if mode == RELATIVE else tolerance


def rate(actual, target, polarity: str, tolerance, mode: str = RELATIVE) -> str:
    """Rate an actual against its target.

    Returns "not_available" when there is no actual (the outturn was recorded as
    unavailable, or a year-to-date figure cannot be formed), "data_only" for an indicator
    with no polarity, "no_target" when there is no target, else "green", "amber" or "red".
    """
    actual = _decimal("actual", actual)
    target = _decimal("target", target)
    tolerance = _decimal("tolerance", tolerance)
    _check_polarity(polarity)
    if tolerance is None:
        raise ValueError("tolerance is required")
    width = band(Decimal(0) if target is None else target, tolerance, mode)

    if actual is None:
        return NOT_AVAILABLE
    if polarity == NONE:
        return DATA_ONLY
    if target is None:
        return NO_TARGET
    if polarity == HIGHER:
        if actual >= target:
            return GREEN
        return AMBER if actual >= target - width else RED
    if actual <= target:
        return GREEN
    return AMBER if actual <= target + width else RED


def travel(current, previous, polarity: str) -> str | None:
    """Direction of travel from previous to current.

    None when either value is missing, or when the indicator has no polarity (a change
    in a data-only measure is neither better nor worse).
    """
    current = _decimal("current", current)
    previous = _decimal("previous", previous)
    _check_polarity(polarity)
    if current is None or previous is None or polarity == NONE:
        return None
    if current == previous:
        return UNCHANGED
    went_up = current > previous
    return IMPROVING if went_up == (polarity == HIGHER) else WORSENING


def needs_commentary(rag: str, commentary: str) -> bool:
    """Whether a figure rated rag lacks the commentary it needs: a Red or Amber figure must
    say what went wrong and what is being done about it before it is submitted."""
    return rag in (RED, AMBER) and not commentary
