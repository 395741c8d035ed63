"""Redis goes down in the middle of the working day: figures are still saved and rated, and
the emails they cause are sent once Redis is back, by a real worker.

Runs a Redis server of its own (so that stopping it disturbs nothing else) and a worker
using it; needs PostgreSQL and redis-server, as .ci/run provides.
"""

import os
import shutil
import socket
import subprocess
import time
from decimal import Decimal as D

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from kombu import pools

from imports.models import ImportRun, Status
from imports.tasks import sweep_import_runs
from indicators import services
from indicators.models import Outturn, Rating
from organisation.models import Role
from outbox.models import Email
from outbox.tasks import deliver_pending_emails
from pmis.celery import app as celery_app
from tests.imports.helpers import Council, csv_bytes
from tests.indicators.factories import IndicatorFactory, period
from tests.integration.conftest import start_worker, stop
from tests.organisation.factories import UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    def __init__(self, port: int):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while not self.answers():
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.1)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=20)
        assert not self.answers()

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False


def _use_broker(url: str) -> None:
    # Celery reads CELERY_BROKER_URL from the environment before its configuration.
    os.environ["CELERY_BROKER_URL"] = celery_app.conf.broker_url = url
    pools.reset()  # drop connections to the previous broker
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def redis_server(real_services, settings):
    if not shutil.which("redis-server"):
        pytest.fail("redis-server is not installed")
    server = RedisServer(free_port())
    server.start()
    previous = (celery_app.conf.broker_url, celery_app.conf.task_default_queue)
    settings.CELERY_BROKER_URL = server.url
    _use_broker(server.url)
    yield server
    if server.answers():
        server.stop()
    celery_app.conf.task_default_queue = previous[1]
    _use_broker(previous[0])


def test_a_return_sent_back_while_redis_is_down_is_saved_and_its_email_sent_when_it_returns(
    redis_server, client, tmp_path, caplog
):
    worker, log = start_worker(tmp_path, CELERY_BROKER_URL=redis_server.url, PMIS_EMAIL_SWEEP_AFTER_SECONDS="0")
    try:
        officer = UserFactory(email="olly@example.org")
        team = UserFactory(username="pat", roles=[Role.PERFORMANCE_TEAM])
        indicator = IndicatorFactory(responsible_officer=officer)
        services.target_set(indicator=indicator, period=period("2025/26 Q1"), value=D("100"), rationale="", by=None)
        outturn = services.outturn_record(
            indicator=indicator, period=period("2025/26 Q1"), value=D("90"), by=officer, commentary="Staff sickness"
        )
        outturn = services.outturn_submit(outturn=outturn, by=officer)

        redis_server.stop()
        client.force_login(team)
        assert client.get("/health/").json()["status"] == "degraded"
        response = client.post(
            reverse("indicators:outturn-return", args=[outturn.pk]), {"comment": "Check the denominator"}
        )

        assert response.status_code == 302  # the save did not fail
        assert Outturn.objects.get(pk=outturn.pk).state == "returned"
        assert Rating.objects.get(outturn=outturn).rag == "red"
        email = Email.objects.get(to="olly@example.org")
        assert email.sent_at is None and "Could not queue outbox.tasks.deliver_email" in caplog.text

        redis_server.start()
        # What beat does every few minutes, here every few seconds. (A Redis restarted
        # without its data has lost the queues' bindings until the worker reconnects and
        # declares them again; a sweep sent before then is lost, and the next one works.)
        deadline = time.monotonic() + 90
        while Email.objects.get(pk=email.pk).sent_at is None:
            assert time.monotonic() < deadline, f"the email was not sent:\n{log.read_text()}"
            deliver_pending_emails.delay()
            time.sleep(3)
        assert "Check the denominator" in log.read_text()  # the worker's console mail backend
        assert client.get("/health/").json()["redis"]["status"] == "ok"
    finally:
        stop(worker)
    assert redis_server.url == settings.CELERY_BROKER_URL


def test_an_import_uploaded_while_redis_is_down_is_checked_once_it_returns(redis_server, client, tmp_path, caplog):
    worker, log = start_worker(tmp_path, CELERY_BROKER_URL=redis_server.url, PMIS_IMPORT_STUCK_SECONDS="0")
    try:
        council = Council()
        redis_server.stop()
        client.force_login(council.officer)
        data = csv_bytes([["ENV3", "2025/26 Q2", "7", "", ""]])
        response = client.post(
            reverse("imports:returns"), {"file": SimpleUploadedFile("returns.csv", data, content_type="text/csv")}
        )
        run = ImportRun.objects.get()
        assert response.status_code == 302 and run.status == Status.QUEUED
        assert "Could not queue imports.tasks.check_import" in caplog.text

        redis_server.start()
        # What beat does every few minutes: the sweep finds the run stuck and checks it again.
        deadline = time.monotonic() + 90
        while ImportRun.objects.get(pk=run.pk).status != Status.READY:
            assert time.monotonic() < deadline, f"the import was not checked:\n{log.read_text()}"
            sweep_import_runs.delay()
            time.sleep(3)
    finally:
        stop(worker)
