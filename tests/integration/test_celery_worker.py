"""A tolerance policy change reaches a real Celery worker through Redis and re-rates in PostgreSQL.

Needs DATABASE_URL pointing at PostgreSQL and CELERY_BROKER_URL at Redis (.ci/run sets
both). Elsewhere it is skipped, unless PMIS_REQUIRE_INTEGRATION is set, when it fails.
"""

import json
import os
import subprocess
import sys
import time
from decimal import Decimal as D

import pytest
from django.db import transaction

from indicators import services
from indicators.models import Rating
from tests.indicators.factories import IndicatorFactory, period
from tests.integration.conftest import ROOT, database_address
from tests.organisation.factories import UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_a_new_tolerance_policy_is_applied_by_the_worker(worker):
    indicator = IndicatorFactory()
    for label in ("2025/26 Q1", "2025/26 Q3"):
        services.target_set(indicator=indicator, period=period(label), value=D("100"), rationale="", by=None)
        services.outturn_record(indicator=indicator, period=period(label), value=D("96"), by=None)
    assert set(Rating.objects.values_list("rag", flat=True)) == {"amber"}
    q1 = Rating.objects.get(outturn__period__number=1)
    installation_policy, q1_rated_at = q1.policy_id, q1.rated_at
    assert installation_policy is not None

    with transaction.atomic():
        policy = services.tolerance_policy_create(
            tolerance=D("0.02"),
            reason="Tightened after the audit of 2025",
            effective_from=period("2025/26 Q3"),
            by=UserFactory(username="performance"),
        )
        # Nothing is sent to the worker before the policy is committed.
        assert Rating.objects.get(outturn__period__number=3).policy_id == installation_policy

    deadline = time.monotonic() + 60
    q3 = Rating.objects.filter(outturn__indicator=indicator, outturn__period__number=3)
    while q3.get().policy_id != policy.pk:
        assert time.monotonic() < deadline, f"the worker did not re-rate:\n{worker.read_text()}"
        time.sleep(0.2)
    assert (q3.get().rag, q3.get().tolerance) == ("red", D("0.0200"))
    q1 = Rating.objects.get(outturn__indicator=indicator, outturn__period__number=1)
    assert (q1.rag, q1.tolerance, q1.policy_id, q1.rated_at) == ("amber", D("0.0500"), installation_policy, q1_rated_at)
    assert "recalculate_ratings_for_policy" in worker.read_text()


def test_health_reports_redis_and_the_running_worker(worker):
    """Asked of a fresh process, as a server answers a load balancer: this test process has
    run many tests before this one, which point Celery at other brokers and back."""
    ask = (
        "import django; django.setup(); from django.test.utils import setup_test_environment; "
        "setup_test_environment(); from django.test import Client; "
        "print(Client().get('/health/').content.decode())"
    )
    env = {
        **os.environ,
        "DATABASE_URL": database_address(),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PMIS_HEALTH_WORKER_TIMEOUT": "5",
    }
    answer = subprocess.run([sys.executable, "-c", ask], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    body = json.loads(answer.stdout.strip().splitlines()[-1])

    assert body["status"] == "ok", f"{body}\n{worker.read_text()}"
    assert body["database"]["status"] == body["redis"]["status"] == "ok"
    assert body["workers"]["status"] == "ok" and body["workers"]["workers"] >= 1
