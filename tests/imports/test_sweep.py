"""Import runs never stay in progress for ever: the sweep takes up a run whose task was lost
(Redis emptied) or whose worker died, and the run's page says what happened."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from imports import returns, services
from imports.models import ImportRun, Kind, Status
from indicators.models import Outturn
from tests.imports.helpers import Council, csv_bytes

pytestmark = pytest.mark.django_db
FILE = csv_bytes([["ENV3", "2025/26 Q2", "7", "", ""], ["ENV1a", "2025/26 Q2", "60", "", ""]])


@pytest.fixture
def council():
    return Council()


def stuck(council, status: str, minutes: int = 16) -> ImportRun:
    run = ImportRun.objects.create(kind=Kind.RETURNS, user=council.officer, filename="returns.csv", data=FILE)
    if status == Status.APPLYING:
        run = services.import_run_check(run=run)
        assert run.status == Status.READY
    ImportRun.objects.filter(pk=run.pk).update(
        status=status, status_at=timezone.now() - datetime.timedelta(minutes=minutes)
    )
    return run


@pytest.mark.parametrize("status", [Status.QUEUED, Status.CHECKING])
def test_a_run_stuck_before_its_check_is_checked_again(council, status):
    run = stuck(council, status)
    assert services.import_runs_sweep() == 1
    run.refresh_from_db()
    # Tasks run at once in these tests: the check was queued again and has run.
    assert run.status == Status.READY and run.result["summary"]["creates"] == 2


def test_a_run_stuck_being_applied_goes_back_to_its_preview_and_can_be_applied_again(council, client):
    run = stuck(council, Status.APPLYING)
    assert services.import_runs_sweep() == 1
    run.refresh_from_db()
    assert run.status == Status.READY and run.message == services.STOPPED_APPLYING
    client.force_login(council.officer)
    page = client.get(reverse("imports:run", args=[run.pk])).content.decode()
    assert "nothing was saved" in page and "Import these 2 rows" in page
    client.post(reverse("imports:run-apply", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == Status.APPLIED and run.message == "" and Outturn.objects.count() == 2


def test_runs_that_are_moving_or_finished_are_left_alone(council):
    moving = stuck(council, Status.CHECKING, minutes=5)
    finished = stuck(council, Status.APPLIED, minutes=60)
    refused = stuck(council, Status.REFUSED, minutes=60)
    assert services.import_runs_sweep() == 0
    assert [r.status for r in ImportRun.objects.filter(pk__in=[moving.pk, finished.pk, refused.pk]).order_by("pk")] == [
        Status.CHECKING,
        Status.APPLIED,
        Status.REFUSED,
    ]


def test_an_apply_that_fails_part_way_saves_nothing_and_says_so(council, monkeypatch):
    run = services.import_run_check(
        run=ImportRun.objects.create(kind=Kind.RETURNS, user=council.officer, filename="returns.csv", data=FILE)
    )
    real_apply = returns.apply

    def apply_then_fail(*args, **kwargs):
        real_apply(*args, **kwargs)
        raise RuntimeError("the worker's disk filled")

    monkeypatch.setattr(returns, "apply", apply_then_fail)
    services.import_run_apply_start(run=run, by=council.officer)
    run.refresh_from_db()
    assert run.status == Status.REFUSED and run.message == services.OWN_FAULT.format("apply")
    assert not Outturn.objects.exists()
