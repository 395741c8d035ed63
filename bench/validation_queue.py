"""Benchmark: the validation queue at quarter end, and validating a selection in one action.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h26bench .venv/bin/python bench/validation_queue.py \\
        [--returns 2000 --validate 500 --runs 20] [--smoke]

Builds a scratch test database with the given number of quarterly indicators in 20
services of 4 directorates, each with four validated earlier quarters and a return for the
latest quarter submitted by one of 50 officers (a third Red, a third Amber, with
commentary). Then, through Django's test client as a member of the performance team (server
time: the whole request, templates included):

- requests the queue of every pending return, and a queue filtered to one service and
  rating, repeatedly: median, 95th percentile and SQL queries (a filter on a directorate,
  service or period costs one query to read it);
- selects --validate returns: the confirmation page listing them, then validating them in
  one action; checks every one is validated with a history row, each officer is emailed
  once, and no rating was touched (validating changes no figure, so nothing is re-rated);
  then requests the queue, now shorter, again: the same number of queries.

Goals (issue 26): the whole queue of 2,000 under 300 ms median on PostgreSQL in a fixed
number of queries; 500 validated in one action under 10 s. Results are in bench/README.md.
"""

import argparse
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmis.settings")

import django

django.setup()

from django.core import mail  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from indicators.models import Frequency, Indicator, Outturn, OutturnState, Period, Rag, Rating, Target, Unit  # noqa: E402
from indicators.ratings import ratings_recalculate  # noqa: E402
from indicators.services import periods_ensure_year  # noqa: E402
from organisation.models import Directorate, Role, Service, User  # noqa: E402
from organisation.services import role_groups_ensure  # noqa: E402
from outbox.models import Email  # noqa: E402


def build(count: int) -> list[Service]:
    rng = random.Random(26)
    for year in (2024, 2025):
        periods_ensure_year(year=year)
    quarters = list(Period.objects.filter(frequency=Frequency.QUARTER).order_by("start"))[-5:]
    latest = quarters[-1]
    directorates = [Directorate.objects.create(code=f"d{n}", name=f"Directorate {n}") for n in range(4)]
    services = [
        Service.objects.create(code=f"s{n}", name=f"Service {n}", directorate=directorates[n % 4]) for n in range(20)
    ]
    officers = User.objects.bulk_create(
        User(username=f"officer{n}", first_name="Officer", last_name=str(n), email=f"officer{n}@example.org")
        for n in range(50)
    )
    team = User.objects.create(username="team", first_name="Pat", last_name="Team")
    team.groups.add(role_groups_ensure()[Role.PERFORMANCE_TEAM])
    indicators = Indicator.objects.bulk_create(
        Indicator(
            code=f"B{n:05d}",
            title=f"Bench indicator {n}",
            unit=Unit.PERCENTAGE,
            decimal_places=1,
            polarity="higher",
            frequency=Frequency.QUARTER,
            service=services[n % 20],
            is_published=n % 2 == 0,
        )
        for n in range(count)
    )
    now = timezone.now()
    targets, outturns = [], []
    for n, indicator in enumerate(indicators):
        officer = officers[n % 50]
        targets.append(Target(indicator=indicator, period=latest, value=Decimal(90)))
        for quarter in quarters[:-1]:
            outturns.append(
                Outturn(
                    indicator=indicator,
                    period=quarter,
                    value=Decimal(rng.randint(850, 950)) / 10,
                    entered_by=officer,
                    entered_at=now,
                    state=OutturnState.VALIDATED,
                    validated_by=team,
                    validated_at=now,
                )
            )
        # A third Red, a third Amber (both with commentary), a third Green.
        value = (Decimal("70"), Decimal("88"), Decimal("95"))[n % 3]
        outturns.append(
            Outturn(
                indicator=indicator,
                period=latest,
                value=value,
                commentary="" if n % 3 == 2 else "Two staff left in the quarter; agency cover from next month.",
                commentary_is_public=n % 4 == 0,
                entered_by=officer,
                entered_at=now,
                state=OutturnState.SUBMITTED,
                submitted_by=officer,
                submitted_at=now,
            )
        )
    Target.objects.bulk_create(targets, batch_size=2000)
    Outturn.objects.bulk_create(outturns, batch_size=2000)
    ratings_recalculate()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return services


def timed(client: Client, url: str, runs: int) -> tuple[float, float, str, int, int]:
    """(median and 95th percentile wall-clock ms; the medians of this process's CPU time,
    the Python side whatever else the machine is doing, and of the queries' wall-clock
    time; queries; rows)."""
    client.get(url)  # warm caches and connections
    times, cpu, sql = [], [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        sql.append(sum(float(query["time"]) for query in queries.captured_queries) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    rows = response.content.decode().count('<tr class="govuk-table__row" id="outturn-')
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    split = f"{statistics.median(cpu):.0f} ms, SQL {statistics.median(sql):.0f} ms"
    return statistics.median(times), p95, split, len(queries), rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--returns", type=int, default=2000)
    parser.add_argument("--validate", type=int, default=500)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--smoke", action="store_true", help="60 returns, 20 validated, 3 runs")
    args = parser.parse_args()
    if args.smoke:
        args.returns, args.validate, args.runs = 60, 20, 3

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        services = build(args.returns)
        print(
            f"engine: {connection.vendor}; {args.returns:,} returns awaiting validation "
            f"(built in {time.perf_counter() - started:.1f} s); {args.runs} runs each"
        )
        client = Client()
        client.force_login(User.objects.get(username="team"))
        queue = reverse("indicators:validation")
        median, p95, cpu, page_queries, rows = timed(client, queue, args.runs)
        print(
            f"whole queue ({rows:,} rows): median {median:.0f} ms, 95th percentile {p95:.0f} ms "
            f"(Python CPU {cpu}), {page_queries} queries"
        )
        filtered = f"{queue}?service={services[0].pk}&rating={Rag.RED}"
        median, p95, cpu, queries, f_rows = timed(client, filtered, args.runs)
        print(
            f"one service's Red returns ({f_rows:,} rows): median {median:.0f} ms, "
            f"95th percentile {p95:.0f} ms (Python CPU {cpu}), {queries} queries"
        )
        assert rows == args.returns

        chosen = list(Outturn.objects.filter(state=OutturnState.SUBMITTED).order_by("pk").values_list("pk", flat=True))[
            : args.validate
        ]
        officers = set(Outturn.objects.filter(pk__in=chosen).values_list("entered_by", flat=True))
        rated_before = dict(Rating.objects.values_list("pk", "rated_at"))
        selection = {"selected": ",".join(map(str, chosen)), "filters": ""}
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            confirm = client.post(reverse("indicators:validation-confirm"), selection)
            confirm_ms = (time.perf_counter() - started) * 1000
        assert confirm.status_code == 200 and f"Validate {len(chosen)} returns" in confirm.content.decode()
        print(f"confirmation page listing {len(chosen):,}: {confirm_ms:.0f} ms, {len(queries)} queries")
        mail.outbox = []
        emails_before = Email.objects.count()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            done = client.post(
                reverse("indicators:validation-confirm"), selection | {"confirmed": "1", "commentary": "asked"}
            )
            seconds = time.perf_counter() - started
        assert done.status_code == 302, done.status_code
        validated = Outturn.objects.filter(pk__in=chosen, state=OutturnState.VALIDATED).count()
        history = Outturn.history.filter(id__in=chosen, state=OutturnState.VALIDATED, history_user__username="team")
        emails = Email.objects.count() - emails_before
        untouched = dict(Rating.objects.values_list("pk", "rated_at")) == rated_before
        print(
            f"validating {len(chosen):,} in one action: {seconds:.2f} s, {len(queries)} queries; "
            f"{validated:,} validated, {history.count():,} history rows, {emails} emails to {len(officers)} "
            f"officers, ratings {'untouched' if untouched else 'CHANGED'}"
        )
        assert validated == history.count() == len(chosen) and emails == len(officers) and untouched
        median, p95, cpu, queries, rows = timed(client, queue, args.runs)
        print(f"whole queue after ({rows:,} rows): median {median:.0f} ms (Python CPU {cpu}), {queries} queries")
        assert queries == page_queries, "the queue's queries grow with its rows"
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
