"""Load benchmark: the public pages and API served by gunicorn with production settings.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pmis .venv/bin/python bench/public_load.py [--seconds 15]

Creates a scratch PostgreSQL database beside DATABASE_URL's (its name + "_public_bench"),
migrates it and loads the demo council (150 indicators, three years of figures), collects
the static files, then starts gunicorn with production settings (DEBUG off, a secret key,
ALLOWED_HOSTS, persistent database connections) and drives it with wrk (Debian's `wrk`
package) from the same machine, one address at a time, with keep-alive connections. Requests
carry X-Forwarded-Proto: https as from the TLS-terminating proxy in front of a real
deployment (production settings redirect plain HTTP). Prints requests per second, the 50th
and 99th percentile latency, errors (non-2xx answers and socket errors) and the load
average before and after; drops the scratch database at the end (--keep to keep it).
Results are in bench/README.md.
"""

import argparse
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TODAY = "2026-11-23"
PATHS = [
    ("public scorecard", "/public/scorecard/"),
    ("public home", "/public/"),
    ("indicator page", "/public/indicators/NI%20192/"),
    ("annual report", "/public/annual-report/2025/"),
    ("API figures, page 1", "/api/v1/figures/?year=2025"),
    ("API indicators", "/api/v1/indicators/"),
    ("figures download (CSV, all years)", "/public/open-data/figures.csv"),
]
SMOKE_PATHS = PATHS[:1] + PATHS[4:5]


def scratch_url(url: str) -> tuple[str, str, str]:
    """(scratch database URL, its name, the server's maintenance database URL)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_public_bench"
    return urlunsplit(parts._replace(path="/" + name)), name, urlunsplit(parts._replace(path="/postgres"))


def admin(url: str, sql: str) -> None:
    connection = psycopg2.connect(url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql)
    connection.close()


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def wrk(url: str, *, seconds: int, connections: int, threads: int) -> dict:
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-H",
            "X-Forwarded-Proto: https",
            "-H",
            "Accept-Encoding: identity",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def duration(text: str) -> float:
        number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
        return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]

    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.M))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": duration(latency["50"]),
        "p99": duration(latency["99"]),
        "requests": requests,
        "errors": (int(non_2xx.group(1)) if non_2xx else 0) + (sum(map(int, sockets.groups())) if sockets else 0),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=15, help="wrk run per address")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--port", type=int, default=8717)
    parser.add_argument("--smoke", action="store_true", help="two addresses, briefly (CI)")
    parser.add_argument("--redis", help="PMIS_CACHE_URL for a shared Redis cache (default: each worker's memory)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("needs wrk: apt-get install wrk")
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit("set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/pmis")
    url, name, maintenance = scratch_url(base)
    admin(maintenance, f'DROP DATABASE IF EXISTS "{name}"')
    admin(maintenance, f'CREATE DATABASE "{name}"')
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
    }
    if args.redis:
        env["PMIS_CACHE_URL"] = args.redis
    server = None
    try:
        began = time.monotonic()
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo", "--today", TODAY)
        manage(env, "collectstatic", "--noinput")
        admin(url, "ANALYZE")
        print(f"database {name} ready in {time.monotonic() - began:.0f} s", flush=True)
        server = subprocess.Popen(
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "pmis.wsgi",
                f"--workers={args.workers}",
                f"--bind=127.0.0.1:{args.port}",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=env,
        )
        root = f"http://127.0.0.1:{args.port}"
        for _ in range(100):
            try:
                request = urllib.request.Request(root + "/public/", headers={"X-Forwarded-Proto": "https"})
                urllib.request.urlopen(request, timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        else:
            sys.exit("gunicorn did not answer")
        paths = SMOKE_PATHS if args.smoke else PATHS
        seconds = 2 if args.smoke else args.seconds
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(f"gunicorn {args.workers} sync workers; wrk 2 threads, {args.connections} connections, {seconds} s each")
        print("| address | requests/s | p50 | p99 | requests | errors |")
        print("|---|---|---|---|---|---|")
        failed = False
        for label, path in paths:
            # Each worker renders once per data version, then serves from its cache.
            wrk(root + path, seconds=1 if args.smoke else 3, connections=2 * args.workers, threads=1)
            result = wrk(root + path, seconds=seconds, connections=args.connections, threads=2)
            failed |= result["errors"] > 0
            print(
                f"| {label} (`{path}`) | {result['rps']:.0f} | {result['p50']:.1f} ms | {result['p99']:.1f} ms "
                f"| {result['requests']:,} | {result['errors']} |",
                flush=True,
            )
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        if failed:
            sys.exit("some requests failed")
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        if not args.keep:
            admin(maintenance, f'DROP DATABASE IF EXISTS "{name}"')


if __name__ == "__main__":
    main()
