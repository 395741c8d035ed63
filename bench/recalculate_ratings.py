"""Benchmark: re-rating a whole council, as after a tolerance policy change, and one save.

    .venv/bin/python bench/recalculate_ratings.py [--indicators 1000] [--years 3]

Builds a scratch test database (the engine DATABASE_URL names; SQLite in memory by
default), fills it with indicators, targets and outturns, then times
ratings_recalculate() over everything and outturn_record() for one figure, counting SQL
queries. The results are in bench/README.md.
"""

import argparse
import datetime
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmis.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from indicators.models import Frequency, Indicator, Outturn, Period, Target, Unit  # noqa: E402
from indicators.ratings import ratings_recalculate  # noqa: E402
from indicators.services import outturn_record, periods_ensure_year  # noqa: E402
from organisation.models import Directorate, Service  # noqa: E402


def build(indicator_count: int, years: int) -> None:
    rng = random.Random(1)
    first = 2026 - years
    for year in range(first, first + years):
        periods_ensure_year(year=year)
    by_frequency = {f: list(Period.objects.filter(frequency=f)) for f in (Frequency.MONTH, Frequency.QUARTER)}
    service = Service.objects.create(code="bench", name="Bench", directorate=Directorate.objects.create(code="b"))
    indicators = Indicator.objects.bulk_create(
        Indicator(
            code=f"B{n:05d}",
            title=f"Bench indicator {n}",
            unit=Unit.NUMBER if n % 10 == 0 else Unit.PERCENTAGE,
            decimal_places=1,
            polarity="higher" if n % 2 else "lower",
            frequency=Frequency.MONTH if n % 3 == 0 else Frequency.QUARTER,
            is_cumulative=n % 10 == 0,
            service=service,
        )
        for n in range(indicator_count)
    )
    targets, outturns = [], []
    now = timezone.now()
    for indicator in indicators:
        for period in by_frequency[indicator.frequency]:
            targets.append(Target(indicator=indicator, period=period, value=Decimal(50)))
            value = Decimal(rng.randint(300, 700)) / 10
            outturns.append(Outturn(indicator=indicator, period=period, value=value, entered_at=now))
    Target.objects.bulk_create(targets, batch_size=2000)
    Outturn.objects.bulk_create(outturns, batch_size=2000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=1000)
    parser.add_argument("--years", type=int, default=3)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        build(args.indicators, args.years)
        outturns = Outturn.objects.count()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            written = ratings_recalculate()
            seconds = time.perf_counter() - started
        assert written == outturns
        print(f"engine: {connection.vendor}")
        print(f"whole council: {args.indicators} indicators, {outturns} outturns re-rated")
        print(f"  {seconds:.2f} s, {outturns / seconds:,.0f} outturns/s, {len(queries)} queries")

        indicator = Indicator.objects.filter(frequency=Frequency.MONTH).first()
        period = Period.objects.filter(frequency=Frequency.MONTH, year=2026 - args.years).order_by("start").first()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            outturn_record(indicator=indicator, period=period, value=Decimal("55.5"), by=None)
            seconds = time.perf_counter() - started
        later = Outturn.objects.filter(indicator=indicator, period__start__gte=period.start).count()
        print(f"one save (first month of {args.years} years, {later} ratings refreshed):")
        print(f"  {seconds * 1000:.1f} ms, {len(queries)} queries")
        print(f"at {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
