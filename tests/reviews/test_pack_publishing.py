"""Publishing a pack safely: the checks before publishing, refusal before the period ends,
reissuing as a new version with a reason, and the pack's dates and gaps in words."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from outbox.models import Email
from reviews import services
from reviews.models import PackSnapshot
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


def test_publishing_before_the_period_ends_is_refused_on_the_confirmation_page(client, world):
    # Today is 20 May 2026: 2026/27 Q1 runs to 30 June.
    meeting = prt(world, period=period("2026/27 Q1"), date=datetime.date(2026, 7, 30))
    client.force_login(world.people["performance"])
    url = reverse("reviews:meeting-publish", args=[meeting.pk])
    body = client.get(url).content.decode()
    assert "2026/27 Q1 ends on 30 June 2026" in body and "cannot be published" in body
    assert "Publish the pack to attendees" not in body
    response = client.post(url, follow=True)
    assert "a pack is published only after its period has ended" in response.content.decode()
    assert not PackSnapshot.objects.exists()
    with pytest.raises(ValidationError, match="only after its period has ended"):
        services.pack_publish(meeting=meeting, by=world.people["performance"])


def test_the_confirmation_page_lists_the_checks_and_publishing_follows_confirmation(client, world):
    meeting = prt(world, date=datetime.date(2026, 5, 22))  # deadline 15 May: passed
    client.force_login(world.people["performance"])
    url = reverse("reviews:meeting-publish", args=[meeting.pk])
    body = client.get(url).content.decode()
    assert "2025/26 Q2 ended on 30 September 2025." in body
    assert "0 of 3 figures entered for the period are validated (0%)." in body
    # H1 is Red with no action plan; once an action is raised against it, it has one.
    assert "Title H1" in body and "The deadline was 15 May 2026" in body
    act(world, meeting, indicator=world.red)
    body = client.get(url).content.decode()
    assert "every Red indicator has an action plan" in body
    assert not PackSnapshot.objects.exists()  # looking is not publishing
    response = client.post(url)
    assert response.status_code == 302 and PackSnapshot.objects.get().version == 1
    # A second visit does not offer publishing again.
    assert client.get(url).status_code == 302


def test_a_reissued_pack_keeps_both_versions_and_tells_the_attendees(client, world, django_capture_on_commit_callbacks):
    meeting = prt(world)
    meeting.attendees.set([world.people["officer"], world.people["manager"]])
    with django_capture_on_commit_callbacks(execute=True):
        services.pack_publish(meeting=meeting, by=world.people["performance"])
    act(world, meeting, "Found after publication")
    client.force_login(world.people["performance"])
    url = reverse("reviews:meeting-reissue", args=[meeting.pk])
    body = client.post(url, {"reason": " "}).content.decode()
    assert "There is a problem" in body and 'href="#id_reason"' in body
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "The Q2 figure for H1 was corrected."})
    assert response.status_code == 302
    assert list(meeting.snapshots.order_by("version").values_list("version", flat=True)) == [1, 2]
    told = Email.objects.filter(subject__startswith="Papers reissued")
    assert sorted(told.values_list("to", flat=True)) == ["mo@example.org", "olive@example.org"]
    assert "The Q2 figure for H1 was corrected." in told.first().body
    page = reverse("reviews:meeting", args=[meeting.pk])
    body = client.get(page).content.decode()
    assert "Version 2 (current)" in body and "Found after publication" in body
    old = client.get(page, {"version": 1}).content.decode()
    assert "Version 1 (not current: version 2 replaces it)" in old
    assert "Found after publication" not in old.split('id="actions-heading"')[1]


def test_the_pack_gives_dates_in_words_and_missing_figures_as_no_figure(client, world):
    meeting = prt(world)
    act(world, meeting, "Recruit two surveyors", due=datetime.date(2026, 10, 13))
    client.force_login(world.people["chief"])
    body = client.get(reverse("reviews:meeting", args=[meeting.pk])).content.decode()
    assert "13 October 2026" in body and "2026-10-13" not in body
    exceptions = body.split('id="pack-exceptions"')[1].split("</table>")[0]
    assert "No figure" in exceptions and "None" not in exceptions
