"""Benchmarking: where the council's figure sits among its comparator councils.

Pure functions, no database access. The quartiles are inclusive quartiles, the method
of Excel's QUARTILE.INC and of Python's statistics.quantiles(method="inclusive"): sort
the n comparator values v[0] <= ... <= v[n-1]; the quartile p (0.25, 0.5, 0.75) sits at
position h = (n - 1) x p, and is v[floor(h)] + (h - floor(h)) x (v[floor(h) + 1] - v[floor(h)]).
The arithmetic is Decimal throughout, so the boundaries are exact. With one value every
quartile is that value.

The council's own figure is not one of the comparator values: it is placed against the
comparators' quartiles. The quartile position runs from 1, always the best-performing
quarter, to 4, the worst, whichever way the indicator runs:

    higher is better:  1 if own >= upper quartile, 2 if own >= median, 3 if own >= lower quartile, else 4
    lower is better:   1 if own <= lower quartile, 2 if own <= median, 3 if own <= upper quartile, else 4

A figure exactly on a boundary goes to the better quarter. Data-only indicators (no
polarity) and a missing own figure get no position. Fewer than FEW comparators still get
quartiles, but the page says they are a weak guide.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from . import rag

# Below this many comparator councils the quartiles are shown with a caution.
FEW = 4

QUARTILE_WORDS = {
    1: "Top quartile (best 25%)",
    2: "Second quartile (better than the median)",
    3: "Third quartile (worse than the median)",
    4: "Bottom quartile (worst 25%)",
}


@dataclass(frozen=True)
class Benchmark:
    group: str
    count: int
    lower_quartile: Decimal
    median: Decimal
    upper_quartile: Decimal
    own: Decimal | None
    quartile: int | None

    @property
    def quartile_words(self) -> str:
        return QUARTILE_WORDS.get(self.quartile, "")

    @property
    def is_few(self) -> bool:
        return self.count < FEW


def quantile(ordered: list[Decimal], p: Decimal) -> Decimal:
    """The inclusive quantile p (0 to 1) of values sorted in ascending order."""
    if not ordered:
        raise ValueError("no values")
    if not Decimal(0) <= p <= Decimal(1):
        raise ValueError("p must be between 0 and 1")
    h = (len(ordered) - 1) * p
    low = int(h)
    if low + 1 >= len(ordered):
        return ordered[-1]
    return ordered[low] + (h - low) * (ordered[low + 1] - ordered[low])


def quartiles(values: Iterable[Decimal]) -> tuple[Decimal, Decimal, Decimal]:
    """(lower quartile, median, upper quartile) of the values, inclusive method."""
    ordered = sorted(values)
    return tuple(quantile(ordered, Decimal(p)) for p in ("0.25", "0.5", "0.75"))


def quartile_position(own: Decimal | None, bounds: tuple[Decimal, Decimal, Decimal], polarity: str) -> int | None:
    """1 (best quarter) to 4 (worst) for own against (lower quartile, median, upper quartile)."""
    if own is None or polarity == rag.NONE:
        return None
    lower, median, upper = bounds
    if polarity == rag.HIGHER:
        cuts = [own >= upper, own >= median, own >= lower]
    elif polarity == rag.LOWER:
        cuts = [own <= lower, own <= median, own <= upper]
    else:
        raise ValueError(f"polarity must be one of {rag.POLARITIES}, not {polarity!r}")
    for position, inside in enumerate(cuts, start=1):
        if inside:
            return position
    return 4


def benchmarks(values: Iterable[tuple[str, Decimal]], *, own: Decimal | None, polarity: str) -> list[Benchmark]:
    """One Benchmark per comparator group, in group name order, from (group, value) pairs."""
    groups: dict[str, list[Decimal]] = {}
    for group, value in values:
        groups.setdefault(group, []).append(value)
    result = []
    for group in sorted(groups):
        bounds = quartiles(groups[group])
        result.append(
            Benchmark(
                group=group,
                count=len(groups[group]),
                lower_quartile=bounds[0],
                median=bounds[1],
                upper_quartile=bounds[2],
                own=own,
                quartile=quartile_position(own, bounds, polarity),
            )
        )
    return result
