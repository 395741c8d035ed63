"""An uploaded file is checked and applied by a real Celery worker (PostgreSQL and Redis;
skipped elsewhere, as tests/integration/test_celery_worker.py explains)."""

import time

import pytest

from imports import services
from imports.models import ImportRun, Kind, Status
from indicators.models import Outturn
from tests.imports.helpers import Council, csv_bytes
from tests.integration.conftest import real_services, worker  # noqa: F401 (fixtures)

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
