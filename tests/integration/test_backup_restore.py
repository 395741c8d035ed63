"""A backup (pg_dump) restored into a fresh database (pg_restore) gives the same Council
Scorecard, as README's "Backups" section describes."""

import os
import subprocess
import sys
import uuid
from decimal import Decimal as D

import pytest
from django.conf import settings
from django.urls import reverse

from indicators import services
from organisation.models import Role
from reviews.models import Scorecard
from tests.indicators.factories import IndicatorFactory, period
from tests.integration.conftest import ROOT
from tests.organisation.factories import UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

# Run in the restored database: the same request as the test makes, its body to stdout.
FETCH = """
import django, sys
django.setup()
from django.test import Client
from organisation.models import User
client = Client(SERVER_NAME="localhost")
client.force_login(User.objects.get(username="chief"))
sys.stdout.buffer.write(client.get(sys.argv[1]).content)
"""


def postgres(*command: str) -> subprocess.CompletedProcess:
    db = settings.DATABASES["default"]
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}
    connection = ["-h", db["HOST"], "-p", str(db["PORT"]), "-U", db["USER"]]
    return subprocess.run([command[0], *connection, *command[1:]], env=env, check=True, capture_output=True)


def test_a_restored_backup_gives_the_same_scorecard(real_services, client, tmp_path):
    chief = UserFactory(username="chief", roles=[Role.CHIEF_OFFICER])
    scorecard = Scorecard.objects.create(name="Council Scorecard", slug="council", is_council_scorecard=True)
    for n, value in enumerate(["91", "96", "99.5", "80"]):
        indicator = IndicatorFactory(code=f"R{n}")
        scorecard.indicators.add(indicator)
        for label in ("2025/26 Q1", "2025/26 Q2"):
            services.target_set(indicator=indicator, period=period(label), value=D("95"), rationale="", by=None)
            services.outturn_record(
                indicator=indicator, period=period(label), value=D(value), by=None, commentary="Figures checked"
            )
    url = reverse("reviews:scorecard", args=["council"]) + f"?period={period('2025/26 Q2').pk}&export=csv"
    client.force_login(chief)
    before = client.get(url).content
    assert b"R3" in before and b"Red" in before

    name = settings.DATABASES["default"]["NAME"]
    restored = f"restored_{uuid.uuid4().hex[:8]}"
    backup = tmp_path / "pmis.dump"
    postgres("pg_dump", "--format=custom", f"--file={backup}", name)
    postgres("createdb", restored)
    try:
        postgres("pg_restore", "--no-owner", f"--dbname={restored}", str(backup))
        db = settings.DATABASES["default"]
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{restored}",
            "PGPASSWORD": db["PASSWORD"] or "",
        }
        after = subprocess.run(
            [sys.executable, "-c", FETCH, url], cwd=ROOT, env=env, check=True, capture_output=True
        ).stdout
    finally:
        postgres("dropdb", "--if-exists", restored)
    assert after == before
