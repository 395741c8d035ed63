"""Benchmark: importing a returns file, check and apply, with peak memory.

    .venv/bin/python bench/import_returns.py [--rows 10000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pmis .venv/bin/python bench/import_returns.py

Builds a scratch test database (the engine DATABASE_URL names; SQLite in memory by
default) holding a council with rows / 4 quarterly indicators, each with targets and
last year's figures; writes a CSV returns file of one figure per indicator and quarter
of the current year (half of them replacing a figure already saved); then times reading
and checking it and applying it (which re-checks under the indicators' locks, writes the
outturns and their history rows, and re-rates), counting SQL queries. Peak memory is the
tracemalloc peak of each step, measured in a second run so that tracing does not slow the
timed one. The results are in bench/README.md.
"""

import argparse
import csv
import datetime
import io
import os
import random
import resource
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmis.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from imports import returns  # noqa: E402
from imports.reading import read_table  # noqa: E402
from indicators.models import Frequency, Indicator, Outturn, Period, Rating, Target, Unit  # noqa: E402
from indicators.ratings import ratings_recalculate  # noqa: E402
from indicators.services import periods_ensure_year  # noqa: E402
from organisation.models import Directorate, Role, Service, User  # noqa: E402
from organisation.services import role_groups_ensure  # noqa: E402

YEAR = 2025


def build(indicator_count: int) -> User:
    rng = random.Random(8)
    for year in (YEAR - 1, YEAR):
        periods_ensure_year(year=year)
    quarters = list(Period.objects.filter(frequency=Frequency.QUARTER).order_by("start"))
    service = Service.objects.create(code="bench", name="Bench", directorate=Directorate.objects.create(code="b"))
    indicators = Indicator.objects.bulk_create(
        Indicator(
            code=f"B{n:05d}",
            title=f"Bench indicator {n}",
            unit=Unit.NUMBER if n % 10 == 0 else Unit.PERCENTAGE,
            decimal_places=1,
            polarity="higher" if n % 2 else "lower",
            frequency=Frequency.QUARTER,
            is_cumulative=n % 10 == 0,
            service=service,
        )
        for n in range(indicator_count)
    )
    targets, outturns = [], []
    now = timezone.now()
    for indicator in indicators:
        for period in quarters:
            targets.append(Target(indicator=indicator, period=period, value=Decimal(50)))
            # Last year's figures, and the first two quarters of this year for half the indicators.
            if period.year == YEAR - 1 or (period.number <= 2 and indicator.pk % 2):
                value = Decimal(rng.randint(300, 700)) / 10
                outturns.append(Outturn(indicator=indicator, period=period, value=value, entered_at=now))
    Target.objects.bulk_create(targets, batch_size=2000)
    Outturn.objects.bulk_create(outturns, batch_size=2000)
    ratings_recalculate()
    user = User.objects.create(username="bench.team")
    user.groups.add(role_groups_ensure()[Role.PERFORMANCE_TEAM])
    return user


def returns_file(indicator_count: int) -> bytes:
    rng = random.Random(9)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["indicator_code", "period", "value", "not_available_reason", "commentary"])
    for n in range(indicator_count):
        for quarter in (1, 2, 3, 4):
            value = f"{rng.randint(300, 700) / 10:.1f}"
            writer.writerow(
                [f"B{n:05d}", f"{YEAR}/{(YEAR + 1) % 100:02d} Q{quarter}", value, "", "Imported commentary"]
            )
    return out.getvalue().encode()


def step(label: str, func):
    with CaptureQueriesContext(connection) as queries:
        started, cpu = time.perf_counter(), time.process_time()
        result = func()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    # CPU time of this process (not the database server's): less affected by a busy machine.
    print(f"  {label}: {seconds:.2f} s ({cpu:.2f} s CPU here), {len(queries)} queries")
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000, help="rows in the file (a multiple of 4)")
    args = parser.parse_args()
    indicator_count = max(args.rows // 4, 1)

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        user = build(indicator_count)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        data = returns_file(indicator_count)
        print(f"engine: {connection.vendor}")
        print(f"file: {indicator_count * 4:,} rows, {len(data) / 1e6:.1f} MB CSV, {indicator_count:,} indicators")

        def read():
            return read_table(data, "returns.csv", required=returns.REQUIRED, known=returns.KNOWN)

        def check_file():
            table = read()
            return table, returns.check(table, user)

        (table, result), check_seconds = step("read and check", check_file)
        assert not result.errors, result.errors[:3]
        summary = result.as_result()["summary"]
        print(f"    {summary['creates']:,} to add, {summary['updates']:,} to change")
        print(f"    {summary['queries']:,} figures queried as unusual against their history (confirmed)")
        _, apply_seconds = step(
            "apply", lambda: returns.apply(table, user, versions=result.versions, confirmed=True, submit=True)
        )
        print(f"  check + apply: {check_seconds + apply_seconds:.2f} s")
        assert Outturn.objects.filter(period__year=YEAR).count() == indicator_count * 4
        assert Rating.objects.filter(outturn__period__year=YEAR).count() == indicator_count * 4

        # Memory: the same steps again with tracemalloc (slower, not timed). The file now
        # matches what is saved, so re-applying would write nothing; measure the check,
        # then an apply of the file with every figure changed.
        tracemalloc.start()
        table, result = check_file()
        check_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        del table, result
        changed = data.replace(b",Imported commentary", b",Changed commentary")
        table = read_table(changed, "returns.csv", required=returns.REQUIRED, known=returns.KNOWN)
        result = returns.check(table, user)
        returns.apply(table, user, versions=result.versions, confirmed=True)
        apply_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"  peak Python memory: check {check_peak / 1e6:.0f} MB, check and apply {apply_peak / 1e6:.0f} MB")
        print(f"  process peak resident memory: {rss:.0f} MB")
        print(f"at {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, load average {os.getloadavg()[0]:.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
