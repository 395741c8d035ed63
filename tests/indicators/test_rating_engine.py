"""The rating engine against a golden record: every field of every rating of a varied world.

The world (built below from a seeded random generator) has monthly, quarterly and annual
indicators; cumulative ones adding up (counts) and formed from numerators and denominators
(percentages); all three polarities; indicators with their own absolute or relative
tolerance and others rated by corporate policies that change mid-series (two for one
period, the one recorded later ruling); fixed SPC baselines; missing and unavailable
figures, so incomplete years to date; missing targets; annual targets for forecasts.

It is rated four ways: a whole re-rating; a re-rating from a period on after a new policy
(earlier ratings keep the old one); one save's refresh after a figure changed; and an
import's preview. The expected ratings are in data/rating_engine.json, written by the
engine when PMIS_GOLDEN_WRITE=1 is set (then check the difference by eye before committing).
"""

import datetime
import json
import os
import random
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.utils import timezone

from indicators import ratings, services
from indicators.models import (
    Frequency,
    Indicator,
    Outturn,
    Period,
    Polarity,
    Rating,
    SpcBaseline,
    Target,
    TolerancePolicy,
    Unit,
)
from indicators.periods import PERIODS_PER_YEAR
from tests.organisation.factories import ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "data" / "rating_engine.json"
YEARS = range(2021, 2026)
COMPARED = [name for name in ratings.RATING_FIELDS if name != "rated_at"]

# code, frequency, unit, polarity, cumulative, own tolerance (value, mode) or None, SPC baseline
# (first, last) as indexes into the indicator's periods or None
INDICATORS = [
    ("M-HI", Frequency.MONTH, Unit.PERCENTAGE, Polarity.HIGHER, False, None, None),
    ("M-LO", Frequency.MONTH, Unit.NUMBER, Polarity.LOWER, False, None, (3, 20)),
    ("M-NONE", Frequency.MONTH, Unit.NUMBER, Polarity.NONE, False, None, None),
    ("M-ABS", Frequency.MONTH, Unit.NUMBER, Polarity.HIGHER, False, ("2.5", "absolute"), None),
    ("M-REL", Frequency.MONTH, Unit.PERCENTAGE, Polarity.LOWER, False, ("0.1", "relative"), (0, 14)),
    ("M-CUM", Frequency.MONTH, Unit.NUMBER, Polarity.HIGHER, True, None, None),
    ("M-CUM-LO", Frequency.MONTH, Unit.CURRENCY, Polarity.LOWER, True, ("5", "absolute"), None),
    ("M-RATIO", Frequency.MONTH, Unit.PERCENTAGE, Polarity.HIGHER, True, None, None),
    ("Q-HI", Frequency.QUARTER, Unit.PERCENTAGE, Polarity.HIGHER, False, None, None),
    ("Q-LO", Frequency.QUARTER, Unit.DAYS, Polarity.LOWER, False, ("0.2", "relative"), (2, 13)),
    ("Q-CUM", Frequency.QUARTER, Unit.NUMBER, Polarity.HIGHER, True, None, None),
    ("Q-RATIO", Frequency.QUARTER, Unit.PERCENTAGE, Polarity.LOWER, True, None, None),
    ("Q-NONE-CUM", Frequency.QUARTER, Unit.NUMBER, Polarity.NONE, True, None, None),
    ("Y-HI", Frequency.YEAR, Unit.NUMBER, Polarity.HIGHER, False, None, None),
    ("Y-LO", Frequency.YEAR, Unit.PERCENTAGE, Polarity.LOWER, False, ("1", "absolute"), None),
]


def _build():
    rng = random.Random(16)
    for year in YEARS:
        services.periods_ensure_year(year=year)
    by_frequency = {f: list(Period.objects.filter(frequency=f).order_by("start")) for f in Frequency.values}
    user = UserFactory(username="golden")
    service = ServiceFactory()
    # Corporate policies changing mid-series; two for one period, the later recorded rules.
    month = {(p.year, p.number): p for p in by_frequency[Frequency.MONTH]}
    quarter = {(p.year, p.number): p for p in by_frequency[Frequency.QUARTER]}
    base = timezone.make_aware(datetime.datetime(2025, 1, 1))
    for n, (tolerance, effective_from) in enumerate(
        [("0.10", month[(2022, 7)]), ("0.02", quarter[(2023, 3)]), ("0.15", quarter[(2023, 3)])]
    ):
        policy = TolerancePolicy.objects.create(
            tolerance=D(tolerance), reason=f"policy {tolerance}", effective_from=effective_from, set_by=user
        )
        TolerancePolicy.objects.filter(pk=policy.pk).update(created_at=base + datetime.timedelta(days=n))
    now = timezone.now()
    for code, frequency, unit, polarity, cumulative, own, baseline in INDICATORS:
        indicator = Indicator.objects.create(
            code=code,
            title=code,
            unit=unit,
            decimal_places=1,
            polarity=polarity,
            frequency=frequency,
            is_cumulative=cumulative,
            tolerance=D(own[0]) if own else None,
            tolerance_mode=own[1] if own else "",
            service=service,
        )
        level = D(rng.randint(40, 60))
        outturns, targets = [], []
        for n, period in enumerate(by_frequency[frequency]):
            # A random walk with occasional jumps and runs, so SPC signals of every kind occur.
            step = D(rng.randint(-30, 30)) / 10
            if rng.random() < 0.08:
                step += D(rng.choice([-15, 15]))
            if n % 17 in range(9, 16):
                step += D(2)
            level = max(D(1), level + step)
            roll = rng.random()
            if roll < 0.05:
                pass  # no figure at all
            elif roll < 0.09:
                outturns.append(
                    Outturn(indicator=indicator, period=period, not_available_reason="Not collected", entered_at=now)
                )
            elif unit == Unit.PERCENTAGE and cumulative:
                denominator = D(rng.randint(50, 200))
                numerator = (level / 100 * denominator).quantize(D(1))
                value = indicator.quantize(numerator / denominator * indicator.scale)
                outturns.append(
                    Outturn(
                        indicator=indicator,
                        period=period,
                        value=value,
                        numerator=numerator,
                        denominator=denominator,
                        entered_at=now,
                    )
                )
            else:
                outturns.append(
                    Outturn(indicator=indicator, period=period, value=level.quantize(D("0.1")), entered_at=now)
                )
            if rng.random() < 0.85:
                scale = period.number if cumulative and unit != Unit.PERCENTAGE else 1
                targets.append(Target(indicator=indicator, period=period, value=D(rng.randint(40, 60)) * scale))
        if cumulative and frequency != Frequency.YEAR:
            per_year = PERIODS_PER_YEAR[frequency]
            for period in by_frequency[Frequency.YEAR]:
                if rng.random() < 0.8:
                    targets.append(Target(indicator=indicator, period=period, value=D(rng.randint(40, 60) * per_year)))
        Outturn.objects.bulk_create(outturns)
        Target.objects.bulk_create(targets)
        if baseline:
            own_periods = by_frequency[frequency]
            SpcBaseline.objects.create(
                indicator=indicator,
                first_period=own_periods[baseline[0]],
                last_period=own_periods[baseline[1]],
                reason="golden",
                set_by=user,
                set_at=now,
            )
    return month, user


def _ratings(ratings) -> list[dict]:
    rows = []
    for rating in ratings:
        row = {"indicator": rating.outturn.indicator.code, "period": str(rating.outturn.period)}
        for name in COMPARED:
            value = getattr(rating, name)
            if name == "policy":
                value = value.reason if value else None
            elif isinstance(value, D):
                value = str(value)
            row[name] = value
        rows.append(row)
    return sorted(rows, key=lambda r: (r["indicator"], r["period"]))


def _stored() -> list[dict]:
    return _ratings(Rating.objects.select_related("outturn__indicator", "outturn__period", "policy"))


def _run() -> dict:
    month, user = _build()
    started = timezone.now()
    result = {}
    result["written"] = ratings.ratings_recalculate()
    result["all"] = _stored()
    assert all(started <= r.rated_at <= timezone.now() for r in Rating.objects.all())

    # A new policy from 2024/25 Oct: re-rated from its period on, earlier ratings untouched.
    new = TolerancePolicy.objects.create(
        tolerance=D("0.30"), reason="policy 0.30", effective_from=month[(2024, 7)], set_by=user
    )
    result["written_since"] = ratings.ratings_recalculate(since=new.effective_from.start)
    result["since"] = _stored()

    # One save: a figure changed under the engine, then refreshed as a save refreshes it.
    changed = Outturn.objects.get(indicator__code="M-CUM", period=month[(2024, 2)])
    Outturn.objects.filter(pk=changed.pk).update(value=changed.value + 7)
    ratings.ratings_refresh(indicator=changed.indicator, period=changed.period)
    changed = Outturn.objects.filter(indicator__code="Q-LO", period__year=2023).order_by("period__start").first()
    Outturn.objects.filter(pk=changed.pk).update(value=None, not_available_reason="Late")
    ratings.ratings_refresh(indicator=changed.indicator, period=changed.period)
    result["refresh"] = _stored()

    # An import's preview: unsaved figures, rated without saving.
    previews = []
    for code in ("M-RATIO", "Q-CUM", "M-ABS"):
        indicator = Indicator.objects.get(code=code)
        outturns = list(indicator.outturns.select_related("period").filter(period__year__gte=2023))
        for outturn in outturns[-3:]:
            outturn.pk = None
            if outturn.value is not None:
                outturn.value += 1
        targets = dict(indicator.targets.values_list("period_id", "value"))
        previews += ratings.ratings_preview(
            indicator=indicator, outturns=outturns, targets=targets, since=outturns[-3].period.start
        )
    result["preview"] = _ratings(previews)
    return result


def _plain(value):
    return json.loads(json.dumps(value))


def test_the_engine_gives_the_golden_ratings():
    found = _plain(_run())
    if os.environ.get("PMIS_GOLDEN_WRITE"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(json.dumps(found, indent=1) + "\n")
    expected = json.loads(GOLDEN.read_text())
    assert found.keys() == expected.keys()
    for key in expected:
        if isinstance(expected[key], int):
            assert found[key] == expected[key], key
            continue
        assert len(found[key]) == len(expected[key]), key
        for got, want in zip(found[key], expected[key], strict=True):
            assert _same(got) == _same(want), (key, want["indicator"], want["period"])


def _same(row: dict) -> dict:
    """Decimal fields compared by value (the engines' strings may differ in trailing zeros)."""
    return {name: D(value) if isinstance(value, str) and _is_number(value) else value for name, value in row.items()}


def _is_number(text: str) -> bool:
    try:
        D(text)
    except ArithmeticError:
        return False
    return True
