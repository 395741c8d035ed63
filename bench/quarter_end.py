"""Load and soak test: a quarter-end deadline against the production stack on this machine.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pmis CELERY_BROKER_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/quarter_end.py [--officers 100 --managers 10 --seconds 300] [--smoke]

Creates a scratch PostgreSQL database beside DATABASE_URL's (its name + "_quarter_end"),
migrates it, loads the demo council and adds, for each officer, 28 monthly returns to make
(4 indicators in a demo service, April to October, each with a target); adds chief officer
accounts for the managers. Then starts the production stack: gunicorn with
gunicorn.conf.py and production settings (DEBUG off, hashed static files, a Redis cache
shared by the workers, persistent database connections) and a Celery worker on the broker
in CELERY_BROKER_URL, and drives it with locust (bench/quarter_end_locustfile.py):
the officers enter and submit returns while the managers read scorecards and the exception
report, every user signing in with a password first.

Prints locust's figures per page (requests, failures, requests per second, latency
percentiles), then checks the database: every return a page confirmed as submitted is
there exactly once, with that figure, submitted and rated (the rating recomputed from its
target and tolerance by the RAG rule); no (indicator, period) has two figures. Exits
non-zero when any request failed or the check finds anything. Drops the scratch database at
the end (--keep to keep it). Results are in bench/README.md.
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "Quarter-end-load-2026"
RETURNS_PER_OFFICER = (4, range(1, 8))  # 4 monthly indicators, April (1) to October (7)


def scratch_url(url: str) -> tuple[str, str, str]:
    """(scratch database URL, its name, the server's maintenance database URL)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_quarter_end"
    return urlunsplit(parts._replace(path="/" + name)), name, urlunsplit(parts._replace(path="/postgres"))


def admin(url: str, sql: str) -> None:
    connection = psycopg2.connect(url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql)
    connection.close()


def prepare(officers: int, managers: int, accounts_file: str) -> None:
    """In the scratch database (run in a process of its own): the officers' indicators,
    periods and targets, and the accounts, written to accounts_file for the locust users."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmis.settings")
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from indicators import services
    from indicators.models import Frequency, Indicator, Polarity, Unit
    from organisation.models import Portfolio, Role, Service, User
    from organisation.services import role_groups_ensure

    count, months = RETURNS_PER_OFFICER
    year = 2026
    periods = {p.number: p for p in services.periods_ensure_year(year=year) if p.frequency == Frequency.MONTH}
    assert not any(periods[n].is_locked for n in months)
    groups = role_groups_ensure()
    demo_services = list(Service.objects.order_by("pk"))
    portfolios = list(Portfolio.objects.order_by("pk"))
    password = make_password(PASSWORD)  # hashed once: the same for every account
    accounts = {"password": PASSWORD, "officers": [], "managers": [], "portfolios": [p.pk for p in portfolios]}
    with transaction.atomic():
        for n in range(officers):
            service = demo_services[n % len(demo_services)]
            officer = User.objects.create(
                username=f"load.officer.{n:03d}", password=password, service=service, email=f"o{n}@example.org"
            )
            officer.groups.add(groups[Role.OFFICER])
            returns = []
            for i in range(count):
                indicator = Indicator.objects.create(
                    code=f"QE {n:03d}-{i}",
                    title=f"Quarter-end load indicator {n}-{i}",
                    unit=Unit.PERCENTAGE,
                    decimal_places=1,
                    polarity=Polarity.HIGHER,
                    frequency=Frequency.MONTH,
                    service=service,
                    portfolio=portfolios[n % len(portfolios)],
                    responsible_officer=officer,
                )
                target = Decimal(60 + (n * 7 + i * 3) % 35)
                for month in months:
                    services.target_set(indicator=indicator, period=periods[month], value=target, rationale="", by=None)
                    returns.append([indicator.pk, periods[month].pk, float(target)])
            # Officers work through their returns month by month, as at a real deadline.
            returns.sort(key=lambda r: (r[1], r[0]))
            accounts["officers"].append({"username": officer.username, "returns": returns})
        for n in range(managers):
            manager = User.objects.create(username=f"load.manager.{n:02d}", password=password)
            manager.groups.add(groups[Role.CHIEF_OFFICER])
            accounts["managers"].append(manager.username)
    Path(accounts_file).write_text(json.dumps(accounts))


def expected_rag(actual: Decimal, target: Decimal, tolerance: Decimal, mode: str) -> str:
    """docs/domain.md's rule for a higher-is-better indicator."""
    band = abs(target) * tolerance if mode == "relative" else tolerance
    if actual >= target:
        return "green"
    return "amber" if actual >= target - band else "red"


def check(url: str, confirmed: list[dict]) -> list[str]:
    """Every confirmed return in the database exactly once, submitted and rated correctly."""
    problems = []
    connection = psycopg2.connect(url)
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT o.indicator_id, o.period_id, COUNT(*) FROM indicators_outturn o
               JOIN indicators_indicator i ON i.id = o.indicator_id
               WHERE i.code LIKE 'QE %%' GROUP BY 1, 2 HAVING COUNT(*) > 1"""
        )
        problems += [f"indicator {i} period {p}: {n} figures" for i, p, n in cursor.fetchall()]
        cursor.execute(
            """SELECT o.indicator_id, o.period_id, o.value, o.state, r.rag, r.actual, r.target, r.tolerance,
                      r.tolerance_mode
               FROM indicators_outturn o JOIN indicators_indicator i ON i.id = o.indicator_id
               LEFT JOIN indicators_rating r ON r.outturn_id = o.id WHERE i.code LIKE 'QE %%'"""
        )
        stored = {(row[0], row[1]): row[2:] for row in cursor.fetchall()}
    connection.close()
    for item in confirmed:
        row = stored.get((item["indicator"], item["period"]))
        where = f"indicator {item['indicator']} period {item['period']}"
        if row is None:
            problems.append(f"{where}: submitted but not in the database")
            continue
        value, state, rag, actual, target, tolerance, mode = row
        if value != Decimal(item["value"]) or state != "submitted":
            problems.append(f"{where}: {value} {state}, expected {item['value']} submitted")
        elif rag is None:
            problems.append(f"{where}: not rated")
        elif actual != value or rag != expected_rag(actual, target, tolerance, mode):
            problems.append(f"{where}: rated {rag} for {actual} against {target}")
    submitted = sum(1 for row in stored.values() if row[1] == "submitted")
    print(
        f"check: {len(confirmed):,} returns confirmed as submitted by the pages; in the database "
        f"{len(stored):,} figures for the load indicators, {submitted:,} submitted, "
        f"{sum(1 for row in stored.values() if row[2] is not None):,} rated; "
        f"{len(problems)} problems (lost, duplicated, changed or wrongly rated)"
    )
    return problems


def wait_for(url: str, process: subprocess.Popen, what: str) -> None:
    for _ in range(300):
        if process.poll() is not None:
            sys.exit(f"{what} stopped")
        try:
            urllib.request.urlopen(urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"}), timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"{what} did not answer")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--officers", type=int, default=100)
    parser.add_argument("--managers", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--workers", type=int, default=5, help="gunicorn sync workers")
    parser.add_argument("--port", type=int, default=8093)
    parser.add_argument("--smoke", action="store_true", help="10 officers, 2 managers, 10 seconds (CI)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--prepare", nargs=3, metavar=("OFFICERS", "MANAGERS", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare(int(args.prepare[0]), int(args.prepare[1]), args.prepare[2])
        return
    if args.smoke:
        args.officers, args.managers, args.seconds = 10, 2, 10
    base = os.environ.get("DATABASE_URL", "")
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not base.startswith("postgres") or not broker.startswith("redis"):
        sys.exit("set DATABASE_URL to a PostgreSQL server and CELERY_BROKER_URL to a Redis server")
    url, name, maintenance = scratch_url(base)
    admin(maintenance, f'DROP DATABASE IF EXISTS "{name}"')
    admin(maintenance, f'CREATE DATABASE "{name}"')
    work = Path(tempfile.mkdtemp(prefix="pmis-quarter-end-"))
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_CONN_MAX_AGE": "600",
        "PMIS_CACHE_URL": broker,
        "STATIC_ROOT": str(work / "static"),
        "GUNICORN_BIND": f"127.0.0.1:{args.port}",
        "GUNICORN_WORKERS": str(args.workers),
        "LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    processes: list[subprocess.Popen] = []
    try:
        began = time.monotonic()
        for command in (["migrate", "--noinput"], ["load_demo"], ["collectstatic", "--noinput"]):
            subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
        accounts = work / "accounts.json"
        subprocess.run(
            [sys.executable, __file__, "--prepare", str(args.officers), str(args.managers), str(accounts)],
            cwd=ROOT,
            env=env,
            check=True,
        )
        admin(url, "ANALYZE")
        print(f"database {name} ready in {time.monotonic() - began:.0f} s", flush=True)
        logs = (work / "worker.log").open("w")
        processes.append(
            subprocess.Popen(
                [str(BIN / "celery"), "-A", "pmis", "worker", "--concurrency=1", "--loglevel=WARNING"],
                cwd=ROOT,
                env=env,
                stdout=logs,
                stderr=subprocess.STDOUT,
            )
        )
        processes.append(subprocess.Popen([str(BIN / "gunicorn")], cwd=ROOT, env=env, stderr=subprocess.DEVNULL))
        root = f"http://127.0.0.1:{args.port}"
        wait_for(root + "/health/", processes[-1], "gunicorn")
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(
            f"gunicorn {args.workers} sync workers, 1 Celery worker; locust: {args.officers} officers and "
            f"{args.managers} managers for {args.seconds} s",
            flush=True,
        )
        results = work / "confirmed.json"
        locust = subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "bench" / "quarter_end_locustfile.py"),
                "--headless",
                "--host",
                root,
                "--users",
                str(args.officers + args.managers),
                "--spawn-rate",
                "10",
                "--run-time",
                f"{args.seconds}s",
                "--stop-timeout",
                "30",
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "PMIS_LOAD_ACCOUNTS": str(accounts),
                "PMIS_LOAD_RESULTS": str(results),
                "PMIS_LOAD_OFFICERS": str(args.officers),
                "PMIS_LOAD_MANAGERS": str(args.managers),
            },
            capture_output=True,
            text=True,
        )
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        if not results.exists():
            sys.exit(f"locust failed:\n{locust.stderr[-3000:]}")
        outcome = json.loads(results.read_text())
        failures = report(outcome)
        problems = check(url, outcome["confirmed"])
        for problem in problems[:20]:
            print("  " + problem)
        if failures or problems:
            sys.exit("some requests failed" if failures else "the database check failed")
    finally:
        for process in reversed(processes):
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
        if not args.keep:
            admin(maintenance, f'DROP DATABASE IF EXISTS "{name}"')
        shutil.rmtree(work, ignore_errors=True)


def report(results: dict) -> int:
    """Print locust's figures as Markdown; the number of failed requests."""
    print("| request | requests | failures | requests/s | p50 | p95 | p99 | max |")
    print("|---|---|---|---|---|---|---|---|")
    for row in [*results["requests"], {**results["total"], "name": "**all**"}]:
        print(
            f"| {row['name']} | {row['requests']:,} | {row['failures']} | {row['rps']:.1f} | {row['p50']:.0f} ms "
            f"| {row['p95']:.0f} ms | {row['p99']:.0f} ms | {row['max']:.0f} ms |"
        )
    for failure in results["failures"]:
        print("  failed: " + failure)
    return results["total"]["failures"]


if __name__ == "__main__":
    main()
