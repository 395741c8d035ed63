"""Real services for the integration tests: PostgreSQL, Redis and Celery worker processes."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from kombu import pools

from pmis.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def real_services():
    missing = []
    if connection.vendor != "postgresql":
        missing.append("DATABASE_URL for PostgreSQL")
    if not settings.CELERY_BROKER_URL:
        missing.append("CELERY_BROKER_URL for Redis")
    if missing:
        reason = "needs " + " and ".join(missing)
        if os.environ.get("PMIS_REQUIRE_INTEGRATION"):
            pytest.fail(reason)
        pytest.skip(reason)


def database_address() -> str:
    """The address of this test process's database, for the processes a test starts."""
    db = settings.DATABASES["default"]
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def start_worker(tmp_path, **environment):
    """A celery worker process on a queue of its own, using this test's database.

    Returns the process and its log file once it is ready; the caller stops it.
    """
    queue = f"pmis-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": database_address(),
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        **environment,
    }
    log = tmp_path / f"worker-{queue}.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "pmis", "worker", "--pool=solo", "-Q", queue, "--loglevel=INFO"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    celery_app.conf.task_default_queue = queue
    deadline = time.monotonic() + 60
    while "ready." not in log.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the worker did not start:\n{log.read_text()}")
        time.sleep(0.2)
    return process, log


def stop(process) -> None:
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture
def worker(real_services, tmp_path):
    # The worker and this process on the suite's broker, with fresh connections: an earlier
    # test in this process may have pointed Celery elsewhere (a Redis outage, a closed port),
    # and a ping sent on a stale connection gets no answer.
    os.environ["CELERY_BROKER_URL"] = celery_app.conf.broker_url = settings.CELERY_BROKER_URL
    pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    celery_app.__dict__.pop("control", None)
    previous = celery_app.conf.task_default_queue
    process, log = start_worker(tmp_path)
    yield log
    celery_app.conf.task_default_queue = previous
    stop(process)
