"""Scrutiny: watch lists (own and each board's) with the latest figures, referrals to a
surgery answered by the performance team, and surgery packs focused on the chosen measures."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from organisation.models import Role
from reviews import scrutiny, services
from reviews.models import Meeting, MeetingKind, Referral, ScrutinyBoard, WatchedMeasure
from reviews.watchlists import watch_list_for
from tests.organisation.factories import UserFactory
from tests.reviews.test_meetings import act, meeting_world
from tests.shared_data import refreshed, shared

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    with shared(django_db_blocker):
        world = meeting_world()
        world.people["chair"] = UserFactory(username="sam.chair", roles=[Role.SCRUTINY_MEMBER])
        world.board = ScrutinyBoard.objects.create(name="Housing scrutiny board", chair=world.people["chair"])
        world.board.members.add(world.people["scrutiny"])
        yield world


@pytest.fixture
def world(db, _world):
    return refreshed(_world)


def test_a_member_keeps_their_own_and_their_boards_watch_lists_with_latest_figures(client, world):
    client.force_login(world.people["scrutiny"])
    url = reverse("reviews:watch-list")
    client.post(url, {"indicator": world.red.pk})
    client.post(url, {"indicator": world.leisure_red.pk, "board": world.board.pk})
    response = client.post(url, {"indicator": world.red.pk}, follow=True)
    assert "H1 is already on this watch list." in response.content.decode()
    lists = watch_list_for(world.people["scrutiny"], today=datetime.date(2026, 5, 20))
    assert lists.period.label == "2025/26 Q2"  # the latest quarter with a figure
    own, board = lists.lists
    assert [row.indicator.code for _, row in own.rows] == ["H1"]
    assert (board.name, [row.indicator.code for _, row in board.rows]) == ("Housing scrutiny board", ["L1"])
    body = client.get(url).content.decode()
    assert "Title H1" in body and "Title L1" in body and "Housing scrutiny board" in body
    assert "50" in body.split('id="watch-own"')[1].split("</table>")[0]  # H1's Q2 figure
    # Someone not on the board cannot add to its list.
    client.force_login(world.people["chief"])
    assert client.post(url, {"indicator": world.red.pk, "board": world.board.pk}).status_code == 403
    assert WatchedMeasure.objects.count() == 2


def test_a_referral_is_answered_by_the_performance_team(client, world):
    client.force_login(world.people["scrutiny"])
    url = reverse("reviews:referral-add", args=[world.red.pk])
    body = client.post(url, {"kind": "surgery", "reason": ""}).content.decode()
    assert 'href="#id_reason"' in body and "Say why the measure should be examined." in body
    client.post(url, {"kind": "surgery", "board": world.board.pk, "reason": "Red for three quarters running."})
    referral = Referral.objects.get()
    assert (referral.board, referral.raised_by) == (world.board, world.people["scrutiny"])
    client.force_login(world.people["performance"])
    assert "Red for three quarters running." in client.get(reverse("reviews:referrals")).content.decode()
    answer = reverse("reviews:referral-answer", args=[referral.pk])
    client.post(answer, {"answer": "Surgery arranged for 3 June, chaired by the portfolio holder.", "version": 1})
    client.force_login(world.people["scrutiny"])
    assert "Surgery arranged for 3 June" in client.get(reverse("reviews:referrals")).content.decode()


def test_the_performance_team_arranges_a_surgery_straight_from_a_referral(client, world):
    referral = scrutiny.referral_raise(
        indicator=world.red, kind="surgery", reason="Red again", board=world.board, by=world.people["scrutiny"]
    )
    url = reverse("reviews:referral-surgery", args=[referral.pk])
    client.force_login(world.people["scrutiny"])
    assert client.get(url).status_code == 403
    client.force_login(world.people["performance"])
    answer = client.get(reverse("reviews:referral-answer", args=[referral.pk])).content.decode()
    assert f'href="{url}"' in answer
    body = client.get(url).content.decode()
    assert "Red again" in body and f'value="Performance surgery: H1 {world.red.title}"' in body
    assert f'value="{world.red.pk}" checked' in body  # the referred measure is chosen
    data = {
        "kind": MeetingKind.SURGERY,
        "title": "Repairs surgery",
        "date": "3/6/2026",
        "period": world.quarter.pk,
        "portfolio": world.housing.pk,
        "chair": world.people["holder"].pk,
        "indicators": [world.red.pk],
    }
    # Only a surgery answers a referral; nothing is saved otherwise.
    body = client.post(url, {**data, "kind": MeetingKind.PORTFOLIO_PRT}).content.decode()
    assert "A referral is answered with a performance surgery" in body
    assert not Meeting.objects.exists()
    response = client.post(url, data)
    surgery = Meeting.objects.get()
    assert response["Location"] == reverse("reviews:meeting", args=[surgery.pk])
    assert world.people["chair"] in surgery.attendees.all() and list(surgery.indicators.all()) == [world.red]
    referral.refresh_from_db()
    assert referral.answer == "A performance surgery is arranged: Repairs surgery on 3 June 2026."
    assert referral.answered_by == world.people["performance"]


def test_a_surgery_pack_focuses_on_the_chosen_indicators(client, world):
    scrutiny.referral_raise(
        indicator=world.red, kind="surgery", reason="Falling", board=world.board, by=world.people["scrutiny"]
    )
    act(world, None, "Second contractor", indicator=world.red)
    from indicators.models import BenchmarkValue

    for council, value in (("Ashcombe", 30), ("Carrow", 45), ("Denholm", 60), ("Eastwick", 70)):
        BenchmarkValue.objects.create(
            indicator=world.red, period=world.quarter, group="Nearest neighbours", council=council, value=value
        )
    client.force_login(world.people["holder"])
    client.post(
        reverse("reviews:meeting-add"),
        {
            "kind": MeetingKind.SURGERY,
            "title": "Repairs surgery",
            "date": "3/6/2026",
            "period": world.quarter.pk,
            "indicators": [world.red.pk],
        },
    )
    surgery = Meeting.objects.get(kind=MeetingKind.SURGERY)
    assert surgery.chair == world.people["holder"]  # the portfolio holder who asked
    assert world.people["chair"] in surgery.attendees.all()  # the scrutiny chair, invited
    body = client.get(reverse("reviews:meeting", args=[surgery.pk])).content.decode()
    focus = body.split('id="focus-h1"')[1].split("</dl>")[0]
    assert "2025/26 Q1: 40" in focus and "The contractor went into administration." in focus
    assert "Second contractor" in focus
    assert "Third quartile (worse than the median) among 4 Nearest neighbours, 2025/26 Q2" in focus
    exceptions = body.split('id="pack-exceptions"')[1].split("</table>")[0]
    assert "Title H1" in exceptions and "Title H2" not in exceptions and "Title L1" not in exceptions
    book = load_workbook(io.BytesIO(client.get(reverse("reviews:meeting-xlsx", args=[surgery.pk])).content))
    [row] = book["Surgery"].iter_rows(min_row=3, values_only=True)
    assert row[0] == "H1" and "2025/26 Q1: 40" in row[5] and "Second contractor" in row[9]
    assert row[7] == "Third quartile (worse than the median) among 4 Nearest neighbours, 2025/26 Q2"


def test_only_the_performance_team_records_boards(world):
    with pytest.raises(Exception, match="Only the performance team"):
        scrutiny.board_create(name="Adults", chair=None, members=[], by=world.people["scrutiny"])
    board = scrutiny.board_create(
        name="Adults", chair=world.people["chair"], members=[world.people["scrutiny"]], by=world.people["performance"]
    )
    assert list(board.members.all()) == [world.people["scrutiny"]]
    assert services.can_arrange(world.people["scrutiny"])


def test_the_watch_list_page_runs_a_fixed_number_of_queries(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.people["scrutiny"])
    counts = []
    for indicators in ([world.red], [world.amber, world.green, world.leisure_red]):
        for indicator in indicators:
            scrutiny.watch_add(indicator=indicator, by=world.people["scrutiny"])
            scrutiny.watch_add(indicator=indicator, board=world.board, by=world.people["scrutiny"])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("reviews:watch-list")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
