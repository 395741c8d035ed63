"""The corporate Performance Review Team gathers every PRT of its cycle: the summary of key
issues each recorded, its new and overdue actions, and the Reds of its scope without a plan."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from reviews.models import MeetingKind
from tests.indicators.factories import period
from tests.reviews.test_meetings import act, meeting_world, prt
from tests.shared_data import refreshed, shared

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    with shared(django_db_blocker):
        yield meeting_world()


@pytest.fixture
def world(db, _world):
    return refreshed(_world)


def service_prt(world, date, **more):
    more.setdefault("service", world.homes)
    return prt(world, date, kind=MeetingKind.SERVICE_PRT, portfolio=None, title=f"Homes PRT {date}", **more)


def test_the_chair_records_key_issues_and_the_corporate_pack_gathers_every_prt(client, world):
    earlier = service_prt(world, datetime.date(2025, 8, 4), period=period("2025/26 Q1"))
    act(world, earlier, "Chase the contractor", due=datetime.date(2026, 4, 1))  # overdue on 20 May
    homes = service_prt(world, datetime.date(2026, 5, 4))
    act(world, homes, "Weekly backlog figures to the chair")
    prt(world, datetime.date(2026, 5, 5), portfolio=world.leisure, title="Leisure PRT")
    client.force_login(world.people["holder"])  # the chair
    url = reverse("reviews:meeting-summary", args=[homes.pk])
    assert "Enter the key issues" in client.post(url, {"summary": "", "version": 1}).content.decode()
    client.post(url, {"summary": "Repairs backlog is the main risk.", "version": 1})
    homes.refresh_from_db()
    assert homes.summary == "Repairs backlog is the main risk."
    assert homes.history.latest().history_change_reason == "Summary of key issues recorded"
    corporate = prt(world, datetime.date(2026, 5, 28), kind=MeetingKind.CORPORATE_PRT, portfolio=None)
    body = client.get(reverse("reviews:meeting", args=[corporate.pk])).content.decode()
    rollup = body.split('id="prt-rollup"')[1].split("</section>")[0]
    cards = rollup.split("govuk-summary-card__title")[1:]
    homes_card = next(card for card in cards if f"Homes PRT {homes.date}" in card)
    leisure_card = next(card for card in cards if "Leisure PRT" in card)
    assert "Repairs backlog is the main risk." in homes_card
    assert "Weekly backlog figures to the chair" in homes_card and "Chase the contractor" in homes_card
    assert "H1 Title H1" in homes_card and "L1" not in homes_card
    assert "No summary recorded." in leisure_card and "L1 Title L1" in leisure_card
    assert f"Homes PRT {earlier.date}" not in rollup  # the last cycle's: its overdue action carried forward
    book = load_workbook(io.BytesIO(client.get(reverse("reviews:meeting-xlsx", args=[corporate.pk])).content))
    rows = {row[0]: row for row in book["Corporate roll-up"].iter_rows(min_row=3, values_only=True)}
    assert rows[f"Homes PRT {homes.date}"][2:4] == ("4 May 2026", "Repairs backlog is the main risk.")
    assert "Weekly backlog figures to the chair" in rows[f"Homes PRT {homes.date}"][4]
    assert (
        "Chase the contractor" in rows[f"Homes PRT {homes.date}"][5] and "overdue" in rows[f"Homes PRT {homes.date}"][5]
    )
    assert rows["Leisure PRT"][6] == "L1 Title L1"
    # Only the chair and the performance team record the summary.
    client.force_login(world.people["chief"])
    assert client.get(url).status_code == 403


def test_the_rollup_runs_a_fixed_number_of_queries_however_many_prts(client, world):
    corporate = prt(world, datetime.date(2026, 5, 28), kind=MeetingKind.CORPORATE_PRT, portfolio=None)
    client.force_login(world.people["chief"])
    counts = []
    for n in (1, 4):
        for day in range(n):
            meeting = service_prt(world, datetime.date(2026, 3, 1 + day + 10 * (n > 1)))
            act(world, meeting, "Late", due=datetime.date(2026, 4, 1))
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("reviews:meeting", args=[corporate.pk]))
        counts.append(len(queries))
    assert counts[0] == counts[1]
