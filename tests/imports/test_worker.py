"""An uploaded file is checked and applied by a real Celery worker (PostgreSQL and Redis;
skipped elsewhere, as tests/integration/test_celery_worker.py explains)."""

import datetime
import time

import pytest
from django.utils import timezone

from imports import services
from imports.models import ImportRun, Kind, Status
from imports.tasks import sweep_import_runs
from indicators.models import Outturn
from pmis.celery import app as celery_app
from tests.imports.helpers import Council, csv_bytes
from tests.integration.conftest import real_services, start_worker, stop, worker  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def wait_for(run: ImportRun, *statuses: str) -> ImportRun:
    deadline = time.monotonic() + 60
    while True:
        run.refresh_from_db()
        if run.status in statuses:
            return run
        assert time.monotonic() < deadline, f"still {run.status}"
        time.sleep(0.2)


def test_the_worker_checks_and_applies_an_import(worker):  # noqa: F811
    council = Council()
    data = csv_bytes([["ENV3", "2025/26 Q2", "7", "", ""], ["ENV1a", "2025/26 Q2", "60", "", ""]])
    run = services.import_run_create(kind=Kind.RETURNS, user=council.officer, filename="returns.csv", data=data)
    run = wait_for(run, Status.READY, Status.INVALID)
    assert run.status == Status.READY and run.result["summary"]["creates"] == 2
    assert not Outturn.objects.exists()
    services.import_run_apply_start(run=run, by=council.officer)
    run = wait_for(run, Status.APPLIED, Status.REFUSED)
    assert run.status == Status.APPLIED, run.message
    assert Outturn.objects.count() == 2


def test_an_import_whose_worker_died_is_taken_up_by_the_sweep(real_services, tmp_path):  # noqa: F811
    council = Council()
    data = csv_bytes([["ENV3", "2025/26 Q2", "7", "", ""]])
    queue = celery_app.conf.task_default_queue
    first, _ = start_worker(tmp_path)
    try:
        run = services.import_run_create(kind=Kind.RETURNS, user=council.officer, filename="returns.csv", data=data)
        run = wait_for(run, Status.READY, Status.INVALID)
        # The worker dies with the apply queued to it: its queue has no other worker.
        first.kill()
        first.wait(timeout=30)
        services.import_run_apply_start(run=run, by=council.officer)
        ImportRun.objects.filter(pk=run.pk).update(status_at=timezone.now() - datetime.timedelta(minutes=16))
        second, _ = start_worker(tmp_path)
        try:
            sweep_import_runs.delay()
            run = wait_for(run, Status.READY)
            assert run.message == services.STOPPED_APPLYING and not Outturn.objects.exists()
            services.import_run_apply_start(run=run, by=council.officer)
            run = wait_for(run, Status.APPLIED, Status.REFUSED)
            assert run.status == Status.APPLIED and Outturn.objects.count() == 1
        finally:
            stop(second)
    finally:
        celery_app.conf.task_default_queue = queue
        if first.poll() is None:
            first.kill()
