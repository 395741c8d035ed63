"""Statistical process control (XmR charts): pure functions on Decimal, no database access.

The conventions are NHS England's "Making Data Count" (as implemented by the NHS-R
community's NHSRplotthedots package); the method page (templates/indicators/method.html)
states them for readers with its sources.

A series is a list of Points, oldest first. Each point has a position: consecutive
periods have consecutive positions, so a missing period (no figure, or a figure recorded
as not available) is a gap. A gap is never bridged: no moving range is taken across it,
and runs (shifts, trends, two of three) stop at it.

From the baseline points:
    mean                      mean = the mean of the figures
    mean moving range         mean MR = the mean of |x(i) - x(i-1)| over adjacent periods
    natural process limits    mean ± 2.66 x mean MR   (2.66 = 3 / 1.128: three sigma)
    "close to a limit"        beyond mean ± 2/3 x 2.66 x mean MR (two sigma)

Special-cause signals, each point part of one is flagged:
    outside     a point above the upper or below the lower limit;
    shift       a run of SHIFT_RUN or more points all above (or all below) the mean; a
                point exactly on the mean ends a run;
    trend       a run of TREND_RUN or more points each higher (or each lower) than the
                one before; an equal figure ends a run;
    two of three  two or three of three consecutive points close to a limit (or beyond
                it), all three on the same side of the mean.
"""

from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from . import rag

XMR_CONSTANT = Decimal("2.66")
SHIFT_RUN = 7
TREND_RUN = 7

HIGH = 1
LOW = -1

# Variation: what the latest point says, polarity-aware.
COMMON_CAUSE = "common_cause"
IMPROVEMENT_HIGH = "improvement_high"
IMPROVEMENT_LOW = "improvement_low"
CONCERN_HIGH = "concern_high"
CONCERN_LOW = "concern_low"
NEUTRAL_HIGH = "neutral_high"
NEUTRAL_LOW = "neutral_low"
VARIATIONS = (
    COMMON_CAUSE,
    IMPROVEMENT_HIGH,
    IMPROVEMENT_LOW,
    CONCERN_HIGH,
    CONCERN_LOW,
    NEUTRAL_HIGH,
    NEUTRAL_LOW,
)

# Assurance: can the process meet the target?
PASS = "pass"
HIT_AND_MISS = "hit_and_miss"
FAIL = "fail"


@dataclass(frozen=True)
class Point:
    position: int
    value: Decimal


@dataclass(frozen=True)
class Limits:
    mean: Decimal
    mean_moving_range: Decimal
    lower: Decimal
    upper: Decimal
    points: int

    @property
    def near_upper(self) -> Decimal:
        """The two-sigma line above the mean: beyond it a point is close to the upper limit."""
        return self.mean + (self.upper - self.mean) * 2 / 3

    @property
    def near_lower(self) -> Decimal:
        return self.mean - (self.mean - self.lower) * 2 / 3


@dataclass(frozen=True)
class Signal:
    """The special-cause signals a point is part of, and on which side (HIGH, LOW or 0)."""

    outside: bool = False
    shift: bool = False
    trend: bool = False
    two_of_three: bool = False
    side: int = 0

    @property
    def special(self) -> bool:
        return self.outside or self.shift or self.trend or self.two_of_three

    @property
    def reasons(self) -> list[str]:
        """The signals in words, most telling first."""
        words = []
        if self.outside:
            words.append("outside the process limits")
        if self.two_of_three:
            words.append("two of three figures close to a process limit")
        if self.shift:
            words.append(f"a run of {SHIFT_RUN} or more figures on one side of the mean")
        if self.trend:
            words.append(f"a run of {TREND_RUN} or more figures each higher, or each lower, than the last")
        return words


@dataclass(frozen=True)
class Analysis:
    """A series' limits (None when the baseline is too short) and each point's signal and variation."""

    points: list[Point]
    limits: Limits | None
    signals: list[Signal]
    variations: list[str]

    @property
    def latest_variation(self) -> str:
        return self.variations[-1] if self.variations else ""


def _check(points: list[Point]) -> None:
    for before, after in pairwise(points):
        if after.position <= before.position:
            raise ValueError("points must be in order of position, one per position")
    for point in points:
        if not isinstance(point.value, Decimal):
            raise TypeError(f"values must be Decimal, not {type(point.value).__name__}")


def moving_ranges(points: list[Point]) -> list[Decimal | None]:
    """Each point's moving range: its difference from the previous period's figure, or None
    for the first point and after a gap."""
    _check(points)
    ranges: list[Decimal | None] = []
    for i, point in enumerate(points):
        before = points[i - 1] if i else None
        ranges.append(abs(point.value - before.value) if before and before.position == point.position - 1 else None)
    return ranges


def limits(points: list[Point], *, min_points: int) -> Limits | None:
    """The mean and natural process limits of the baseline points; None with fewer than
    min_points points or no two adjacent ones."""
    _check(points)
    if len(points) < max(min_points, 2):
        return None
    ranges = [r for r in moving_ranges(points) if r is not None]
    if not ranges:
        return None
    return _limits(sum(p.value for p in points), len(points), sum(ranges), len(ranges))


def _limits(total: Decimal, count: int, ranges_total: Decimal, ranges_count: int) -> Limits:
    """The limits from the sum and count of the baseline figures and of their moving ranges."""
    mean = total / count
    mean_range = ranges_total / ranges_count
    width = XMR_CONSTANT * mean_range
    return Limits(mean=mean, mean_moving_range=mean_range, lower=mean - width, upper=mean + width, points=count)


def _runs(points: list[Point], key) -> list[list[int]]:
    """Indexes of maximal runs of adjacent points sharing a non-zero key(i)."""
    runs, current, current_key = [], [], 0
    for i, point in enumerate(points):
        k = key(i)
        adjacent = i > 0 and points[i - 1].position == point.position - 1
        if k and current and adjacent and k == current_key:
            current.append(i)
            continue
        if current:
            runs.append((current_key, current))
        current, current_key = ([i], k) if k else ([], 0)
    if current:
        runs.append((current_key, current))
    return runs


def _sign(value: Decimal) -> int:
    return (value > 0) - (value < 0)


def signals(points: list[Point], lim: Limits) -> list[Signal]:
    """Every point's special-cause signals against the limits."""
    _check(points)
    n = len(points)
    outside, shift, trend, two = [0] * n, [0] * n, [0] * n, [0] * n
    side_of_mean = [_sign(p.value - lim.mean) for p in points]
    for i, point in enumerate(points):
        if point.value > lim.upper:
            outside[i] = HIGH
        elif point.value < lim.lower:
            outside[i] = LOW
    for k, run in _runs(points, lambda i: side_of_mean[i]):
        if len(run) >= SHIFT_RUN:
            for i in run:
                shift[i] = k

    def step(i: int) -> int:
        # The direction from the previous point; a trend's first point joins its run below.
        if i == 0 or points[i - 1].position != points[i].position - 1:
            return 0
        return _sign(points[i].value - points[i - 1].value)

    for k, run in _runs(points, step):
        # A run of n rises spans n + 1 points: the one before the first rise starts it.
        if len(run) + 1 >= TREND_RUN:
            for i in [run[0] - 1, *run]:
                trend[i] = k
    near = [HIGH if p.value > lim.near_upper else LOW if p.value < lim.near_lower else 0 for p in points]
    for start in range(n - 2):
        window = range(start, start + 3)
        if points[start + 2].position != points[start].position + 2:
            continue
        sides = {side_of_mean[i] for i in window}
        if len(sides) != 1 or 0 in sides:
            continue
        k = sides.pop()
        close = [i for i in window if near[i] == k]
        if len(close) >= 2:
            for i in close:
                two[i] = k
    result = []
    for i in range(n):
        # The side of the most telling signal the point is part of.
        side = outside[i] or two[i] or shift[i] or trend[i]
        result.append(
            Signal(
                outside=bool(outside[i]),
                shift=bool(shift[i]),
                trend=bool(trend[i]),
                two_of_three=bool(two[i]),
                side=side,
            )
        )
    return result


def _signal_at(points: list[Point], last: int, lim: Limits, near_upper: Decimal, near_lower: Decimal) -> Signal:
    """The signal of points[last] as the last point of the series: the same as
    signals(points[: last + 1], lim)[-1], looking back only as far as its runs go (at most a
    run's length), so that a whole series is judged point by point in linear time."""
    value = points[last].value
    outside = HIGH if value > lim.upper else LOW if value < lim.lower else 0

    def adjacent(i: int) -> bool:
        return i > 0 and points[i - 1].position == points[i].position - 1

    side = _sign(value - lim.mean)
    shift = 0
    if side:
        run, i = 1, last
        while run < SHIFT_RUN and adjacent(i) and _sign(points[i - 1].value - lim.mean) == side:
            run, i = run + 1, i - 1
        shift = side if run >= SHIFT_RUN else 0
    trend = 0
    if adjacent(last):
        direction = _sign(value - points[last - 1].value)
        if direction:
            rises, i = 1, last - 1
            while rises + 1 < TREND_RUN and adjacent(i) and _sign(points[i].value - points[i - 1].value) == direction:
                rises, i = rises + 1, i - 1
            trend = direction if rises + 1 >= TREND_RUN else 0
    two = 0

    def near(v: Decimal) -> int:
        return HIGH if v > near_upper else LOW if v < near_lower else 0

    # Only the window ending at the last point holds it as the last point of the series.
    if last >= 2 and points[last].position == points[last - 2].position + 2 and near(value) and side:
        window = points[last - 2 : last + 1]
        if all(_sign(p.value - lim.mean) == side for p in window) and sum(near(p.value) == side for p in window) >= 2:
            two = side
    return Signal(
        outside=bool(outside),
        shift=bool(shift),
        trend=bool(trend),
        two_of_three=bool(two),
        side=outside or two or shift or trend,
    )


def variation(signal: Signal, polarity: str) -> str:
    """A point's variation in words: common cause, or a special cause of improvement or
    concern (neutral for an indicator with no polarity), high or low."""
    if polarity not in rag.POLARITIES:
        raise ValueError(f"polarity must be one of {rag.POLARITIES}, not {polarity!r}")
    if not signal.special:
        return COMMON_CAUSE
    high = signal.side == HIGH
    if polarity == rag.NONE:
        return NEUTRAL_HIGH if high else NEUTRAL_LOW
    if high == (polarity == rag.HIGHER):
        return IMPROVEMENT_HIGH if high else IMPROVEMENT_LOW
    return CONCERN_HIGH if high else CONCERN_LOW


def analyse(
    points: list[Point],
    *,
    polarity: str,
    min_points: int,
    baseline: tuple[int, int] | None = None,
) -> Analysis:
    """Limits from the baseline points (positions first to last inclusive; every point when
    None) and every point's signals and variation. Without enough baseline points, no
    limits and no signals."""
    _check(points)
    chosen = points if baseline is None else [p for p in points if baseline[0] <= p.position <= baseline[1]]
    lim = limits(chosen, min_points=min_points)
    if lim is None:
        return Analysis(points=points, limits=None, signals=[], variations=[])
    found = signals(points, lim)
    return Analysis(points=points, limits=lim, signals=found, variations=[variation(s, polarity) for s in found])


def assurance(lim: Limits | None, target: Decimal | None, polarity: str) -> str:
    """Whether the process will meet the target: PASS when the whole range between the
    limits meets it, FAIL when none of it does, HIT_AND_MISS when the target lies between
    the limits; "" without limits, a target or a polarity. Meeting the target is inclusive,
    as in the RAG rule (Green is A >= T when higher is better)."""
    if polarity not in rag.POLARITIES:
        raise ValueError(f"polarity must be one of {rag.POLARITIES}, not {polarity!r}")
    if lim is None or target is None or polarity == rag.NONE:
        return ""
    if polarity == rag.HIGHER:
        if lim.lower >= target:
            return PASS
        return FAIL if lim.upper < target else HIT_AND_MISS
    if lim.upper <= target:
        return PASS
    return FAIL if lim.lower > target else HIT_AND_MISS


def as_reported(
    points: list[Point],
    *,
    polarity: str,
    min_points: int,
    baseline: tuple[int, int] | None = None,
) -> list[tuple[str, Limits | None]]:
    """Each point's variation and limits as known when it was reported: only the points up
    to it count, the limits coming from those of them in the baseline (positions first to
    last inclusive; all of them when None). ("", None) for a point without enough baseline
    points before it. Pass the limits to assurance() for the point's assurance.

    For every i the same as analysing points[: i + 1] and taking its last point, in one
    pass: the limits' sums grow point by point, and each signal looks back a run's length.
    """
    _check(points)
    found: list[tuple[str, Limits | None]] = []
    lim = near_upper = near_lower = None
    total, count, ranges_total, ranges_count = Decimal(0), 0, Decimal(0), 0
    before = None
    for i, point in enumerate(points):
        if baseline is None or baseline[0] <= point.position <= baseline[1]:
            if before is not None and before.position == point.position - 1:
                ranges_total += abs(point.value - before.value)
                ranges_count += 1
            before = point
            total += point.value
            count += 1
            if count >= max(min_points, 2) and ranges_count:
                lim = _limits(total, count, ranges_total, ranges_count)
                near_upper, near_lower = lim.near_upper, lim.near_lower
        if lim is None:
            found.append(("", None))
        else:
            found.append((variation(_signal_at(points, i, lim, near_upper, near_lower), polarity), lim))
    return found
