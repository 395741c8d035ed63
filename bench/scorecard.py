"""Benchmark: the Council Scorecard, the exception report and an indicator page at scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pmis .venv/bin/python bench/scorecard.py [--indicators 2000]

Builds a scratch test database with the given number of quarterly indicators, all on
the Council Scorecard, each with 12 quarters of targets, outturns and ratings; then
requests each page repeatedly through Django's test client (server time: the whole
request, templates included) and reports the median and 95th percentile and the SQL
query count. The scorecard is compared with one hand-written SQL query fetching the same
figures. Results are in bench/README.md.

Wall-clock times on a shared machine vary; the instructions one scorecard request takes do
not. To count them, keep the scratch database, then request the page once under callgrind
(which prints the total as "Collected"):

    DATABASE_URL=... .venv/bin/python bench/scorecard.py --keep
    DATABASE_URL=... valgrind --tool=callgrind --instr-atstart=no \
        .venv/bin/python bench/scorecard.py --keep --instructions [--sort rating]

--sort requests the scorecard sorted by a column (?sort=rating, ?sort=-code), as a reader
clicking its header would.
"""

import argparse
import datetime
import gc
import os
import random
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmis.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from indicators.models import Frequency, Indicator, Outturn, Period, Target, Unit  # noqa: E402
from indicators.ratings import ratings_recalculate  # noqa: E402
from indicators.services import periods_ensure_year  # noqa: E402
from organisation.models import Directorate, Portfolio, Role, Service, User  # noqa: E402
from organisation.services import role_groups_ensure  # noqa: E402
from reviews import scorecards  # noqa: E402
from reviews.models import Scorecard  # noqa: E402

RAW_SCORECARD_SQL = """
SELECT i.code, i.title, i.unit, i.decimal_places, o.value, r.actual, r.target, r.rag,
       r.override_rag, r.travel_previous, r.travel_last_year, t.status, o.commentary
FROM indicators_indicator i
JOIN reviews_scorecard_indicators si ON si.indicator_id = i.id
JOIN indicators_outturn o ON o.indicator_id = i.id AND o.period_id = %s
JOIN indicators_rating r ON r.outturn_id = o.id
LEFT JOIN indicators_target t ON t.indicator_id = i.id AND t.period_id = %s
WHERE si.scorecard_id = %s
ORDER BY i.code
"""

# The figures of the rows' trend lines: the page draws the last 8 quarters' rated figures.
RAW_TREND_SQL = """
SELECT o.indicator_id, o.period_id, r.actual
FROM indicators_rating r
JOIN indicators_outturn o ON o.id = r.outturn_id
JOIN reviews_scorecard_indicators si ON si.indicator_id = o.indicator_id
WHERE si.scorecard_id = %s AND o.period_id = ANY(%s)
"""


def build(count: int) -> tuple[Scorecard, Period, Indicator]:
    rng = random.Random(1)
    for year in (2023, 2024, 2025):
        periods_ensure_year(year=year)
    quarters = list(Period.objects.filter(frequency=Frequency.QUARTER).order_by("start"))
    directorate = Directorate.objects.create(code="bench", name="Bench")
    services = [Service.objects.create(code=f"s{n}", name=f"Service {n}", directorate=directorate) for n in range(20)]
    portfolios = [Portfolio.objects.create(code=f"p{n}", name=f"Portfolio {n}") for n in range(8)]
    indicators = Indicator.objects.bulk_create(
        Indicator(
            code=f"B{n:05d}",
            title=f"Bench indicator {n}",
            unit=Unit.PERCENTAGE,
            decimal_places=1,
            polarity="higher" if n % 2 else "lower",
            frequency=Frequency.QUARTER,
            service=services[n % 20],
            portfolio=portfolios[n % 8],
            is_published=True,
        )
        for n in range(count)
    )
    now = timezone.now()
    targets, outturns = [], []
    for indicator in indicators:
        for quarter in quarters:
            targets.append(Target(indicator=indicator, period=quarter, value=Decimal(50), status="signed_off"))
            value = Decimal(rng.randint(400, 600)) / 10
            outturns.append(
                Outturn(indicator=indicator, period=quarter, value=value, entered_at=now, commentary="Commentary " * 8)
            )
    signer = User.objects.create(username="signer")
    for target in targets:
        target.signed_off_by, target.signed_off_at = signer, now
    Target.objects.bulk_create(targets, batch_size=2000)
    Outturn.objects.bulk_create(outturns, batch_size=2000)
    ratings_recalculate()
    scorecard = Scorecard.objects.create(name="Council Scorecard", slug="council", is_council_scorecard=True)
    scorecard.indicators.set(indicators)
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load on a real server: without statistics
        # the planner treats every table as nearly empty.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return scorecard, quarters[-1], indicators[0]


def timed(client: Client, url: str, runs: int) -> tuple[float, float, int]:
    client.get(url)  # warm caches and connections
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)], len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--sort", default="", help="the scorecard's ?sort= (a column, e.g. rating or -code); unsorted without"
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch database, and reuse one kept before")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="under valgrind --tool=callgrind --instr-atstart=no: count one scorecard request, then stop",
    )
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=not args.keep, keepdb=args.keep)
    try:
        kept = Scorecard.objects.filter(slug="council").first()
        if kept is None:
            scorecard, quarter, indicator = build(args.indicators)
            User.objects.create(username="chief").groups.add(role_groups_ensure()[Role.CHIEF_OFFICER])
        else:
            scorecard, quarter = kept, Period.objects.filter(frequency=Frequency.QUARTER).order_by("start").last()
            indicator = scorecard.indicators.order_by("code").first()
        client = Client()
        client.force_login(User.objects.get(username="chief"))
        scorecard_url = reverse("reviews:scorecard", args=[scorecard.slug]) + f"?period={quarter.pk}"
        if args.sort:
            scorecard_url += f"&sort={args.sort}"
        if args.instructions:
            count_one_request(client, scorecard_url)
            return
        sorted_by = f"; scorecard sorted by {args.sort}" if args.sort else ""
        print(f"engine: {connection.vendor}; {args.indicators} indicators x 12 quarters; {args.runs} runs each", end="")
        print(sorted_by)
        pages = {
            "Council Scorecard (all rows)": scorecard_url,
            "exception report (council)": reverse("reviews:exception-report") + f"?scope=council&period={quarter.pk}",
            "indicator page": reverse("indicators:indicator-detail", args=[indicator.pk]),
        }
        for name, url in pages.items():
            median, p95, queries = timed(client, url, args.runs)
            print(f"{name}: median {median:.0f} ms, 95th percentile {p95:.0f} ms, {queries} queries")
        # The page and the hand-written queries timed in turn, run by run, so that a busy
        # moment of a shared machine weighs on both sides of the ratio alike.
        trend_ids = [p.pk for p in scorecards.Periods.fetch().recent(quarter.frequency, quarter.end)]
        page_url = pages["Council Scorecard (all rows)"]
        page, raw, raw_with_trend = [], [], []
        for _ in range(args.runs):
            started = time.perf_counter()
            client.get(page_url)
            page.append((time.perf_counter() - started) * 1000)
            with connection.cursor() as cursor:
                started = time.perf_counter()
                cursor.execute(RAW_SCORECARD_SQL, [quarter.pk, quarter.pk, scorecard.pk])
                rows = cursor.fetchall()
                raw.append((time.perf_counter() - started) * 1000)
                cursor.execute(RAW_TREND_SQL, [scorecard.pk, trend_ids])
                trend = cursor.fetchall()
                raw_with_trend.append((time.perf_counter() - started) * 1000)
        layer = []
        for _ in range(args.runs):
            started = time.perf_counter()
            report = scorecards.scorecard(scorecard.indicators.all(), quarter, today=datetime.date.today())
            layer.append((time.perf_counter() - started) * 1000)
        page_median, raw_median, trend_median, layer_median = map(statistics.median, (page, raw, raw_with_trend, layer))
        print(f"Council Scorecard, timed in turn with the SQL below: median {page_median:.0f} ms")
        print(f"hand-written SQL for the same {len(rows)} rows: median {raw_median:.1f} ms")
        print(f"  with the {len(trend)} trend figures the rows draw: median {trend_median:.1f} ms")
        print(
            f"scorecard read layer ({len(report.rows)} rows with sparklines and summary): median {layer_median:.0f} ms"
        )
        print(
            f"ratios: read layer {layer_median / raw_median:.1f}x the rows' SQL; "
            f"whole page {page_median / raw_median:.1f}x"
        )
        print(
            f"  against the SQL with trend figures: read layer {layer_median / trend_median:.1f}x; "
            f"page {page_median / trend_median:.1f}x"
        )
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def count_one_request(client: Client, url: str) -> None:
    """Switch callgrind's counting on for one request (after one to warm caches), then off."""
    client.get(url)
    gc.collect()
    subprocess.run(["callgrind_control", "--instr=on", str(os.getpid())], check=True, capture_output=True)
    response = client.get(url)
    subprocess.run(["callgrind_control", "--instr=off", str(os.getpid())], check=True, capture_output=True)
    assert response.status_code == 200, response.status_code


if __name__ == "__main__":
    main()
