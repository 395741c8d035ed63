"""Meetings as the councils run them: kinds and scopes, finding attendees without JavaScript,
changing, rescheduling and cancelling with history, and action forms kept to the scope."""

import datetime

import pytest
from django.urls import reverse

from outbox.models import Email
from reviews.models import Meeting, MeetingKind
from tests.organisation.factories import DirectorateFactory
from tests.reviews.test_meetings import act, meeting_world, prt
from tests.shared_data import refreshed, shared

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    with shared(django_db_blocker):
        world = meeting_world()
        world.people["officer"].service = world.homes
        world.people["officer"].save()
        yield world


@pytest.fixture
def world(db, _world):
    return refreshed(_world)


def base(world, kind, **more):
    return {"kind": kind, "title": "Review", "date": "1/6/2026", "period": world.quarter.pk, **more}


def test_each_kind_asks_for_its_own_scope(client, world):
    client.force_login(world.people["performance"])
    url = reverse("reviews:meeting-add")
    cases = [
        (base(world, MeetingKind.SERVICE_PRT), "Choose the service this Performance Review Team reviews."),
        (base(world, MeetingKind.CHECK_IN), "Choose the portfolio whose holder meets the head of service."),
        (
            base(world, MeetingKind.CHECK_IN, portfolio=world.housing.pk, service=world.sport.pk),
            "Choose a service in the Housing portfolio.",
        ),
        (base(world, MeetingKind.DMT), "Choose the directorate whose management team meets."),
        (
            base(world, MeetingKind.CHIEF_OFFICER_GROUP, portfolio=world.housing.pk),
            "A Chief Officer Group covers the whole council: leave it blank.",
        ),
    ]
    for data, message in cases:
        assert message in client.post(url, data).content.decode()
    assert not Meeting.objects.exists()
    response = client.post(url, base(world, MeetingKind.CHECK_IN, portfolio=world.housing.pk, service=world.homes.pk))
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and meeting.scope_name == "Service: Homes (portfolio: Housing)"
    directorate = DirectorateFactory(name="Place")
    client.post(url, base(world, MeetingKind.DMT, title="Place DMT", directorate=directorate.pk))
    assert Meeting.objects.get(title="Place DMT").scope_name == "Directorate: Place"


def test_attendees_are_found_by_portfolio_service_or_role_without_saving(client, world):
    client.force_login(world.people["performance"])
    url = reverse("reviews:meeting-add")
    data = base(world, MeetingKind.SERVICE_PRT, service=world.homes.pk, show_people="1")
    body = client.post(url, {**data, "people_portfolio": world.housing.pk}).content.decode()
    finder = body.split('id="attendee-finder"')[1].split("</fieldset>")[0]
    holder, officer, chief = (world.people[k] for k in ("holder", "officer", "chief"))
    assert f'value="{holder.pk}"' in finder and f'value="{officer.pk}"' in finder
    assert f'value="{chief.pk}"' not in finder
    assert 'value="Review"' in body and not Meeting.objects.exists()  # kept, not saved
    # Those ticked stay ticked when another role is shown, and are saved with the meeting.
    body = client.post(url, {**data, "people_role": "chief_officer", "attendees": [officer.pk]}).content.decode()
    finder = body.split('id="attendee-finder"')[1].split("</fieldset>")[0]
    assert f'value="{chief.pk}"' in finder and f'value="{officer.pk}" checked' in finder
    assert f'value="{holder.pk}"' not in finder
    del data["show_people"]
    client.post(url, {**data, "attendees": [officer.pk, chief.pk]})
    assert set(Meeting.objects.get().attendees.values_list("username", flat=True)) == {"officer", "chief"}


def test_a_meeting_is_rescheduled_and_cancelled_with_its_history_and_attendees_told(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.people["performance"])
    data = base(world, MeetingKind.SERVICE_PRT, service=world.homes.pk, attendees=[world.people["officer"].pk])
    client.post(reverse("reviews:meeting-add"), data)
    meeting = Meeting.objects.get()
    edit = reverse("reviews:meeting-edit", args=[meeting.pk])
    assert 'value="1/6/2026"' in client.get(edit).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit, {**data, "date": "8/6/2026", "version": meeting.version})
    assert response.status_code == 302
    # A second change from the form as first opened is refused.
    stale = client.post(edit, {**data, "title": "Stale", "version": meeting.version}).content.decode()
    assert "changed this after you opened it" in stale
    assert Email.objects.get(subject__startswith="Meeting rescheduled").to == "olive@example.org"
    cancel = reverse("reviews:meeting-cancel", args=[meeting.pk])
    assert "Say why the meeting is cancelled." in client.post(cancel, {"reason": "", "version": 2}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(cancel, {"reason": "The portfolio holder is unwell.", "version": 2})
    meeting.refresh_from_db()
    assert meeting.title == "Review" and meeting.date == datetime.date(2026, 6, 8) and meeting.is_cancelled
    assert Email.objects.filter(subject__startswith="Meeting cancelled").exists()
    body = client.get(reverse("reviews:meeting", args=[meeting.pk])).content.decode()
    history = body.split('id="meeting-history"')[1].split("</ul>")[0]
    assert "Cancelled by" in history and "Rescheduled from 1 June 2026 to 8 June 2026 by" in history
    assert "Arranged by" in history
    assert "This meeting is cancelled: The portfolio holder is unwell." in body
    assert "Change or reschedule" not in body
    # The next meeting of the series follows the last one held, not the cancelled one.
    held = prt(world, datetime.date(2026, 3, 1), kind=MeetingKind.SERVICE_PRT, portfolio=None, service=world.homes)
    later = prt(world, datetime.date(2026, 9, 1), kind=MeetingKind.SERVICE_PRT, portfolio=None, service=world.homes)
    assert later.previous() == held


def test_the_action_form_offers_the_meetings_scope_first(client, world):
    meeting = prt(world, kind=MeetingKind.SERVICE_PRT, portfolio=None, service=world.homes)
    act(world, meeting)
    client.force_login(world.people["performance"])
    url = reverse("reviews:action-add", args=[meeting.pk])
    body = client.get(url).content.decode()
    assert "Title H1" in body and "Title L1" not in body and "Decent homes" in body and "Active lives" not in body
    body = client.get(url, {"all": "1"}).content.decode()
    assert "Title H1" in body and "Title L1" in body and "Active lives" in body


def test_the_history_says_who_was_added_to_and_taken_off_the_attendees(client, world, django_assert_num_queries):
    client.force_login(world.people["performance"])
    officer, chief, holder = (world.people[k] for k in ("officer", "chief", "holder"))
    data = base(world, MeetingKind.SERVICE_PRT, service=world.homes.pk, attendees=[officer.pk, chief.pk])
    client.post(reverse("reviews:meeting-add"), data)
    meeting = Meeting.objects.get()
    edit = reverse("reviews:meeting-edit", args=[meeting.pk])
    client.post(edit, {**data, "attendees": [officer.pk, holder.pk], "version": meeting.version})
    client.post(edit, {**data, "title": "Homes PRT", "attendees": [officer.pk, holder.pk], "version": 2})
    body = client.get(reverse("reviews:meeting", args=[meeting.pk])).content.decode()
    history = body.split('id="meeting-history"')[1].split("</ul>")[0]
    lines = history.split("<li>")[1:]
    name = lambda person: person.get_full_name() or person.username  # noqa: E731
    assert "Attendees" not in lines[0]  # a change of title only
    assert f"Attendees added: {name(holder)}. Attendees taken off: {name(chief)}" in lines[1]
    assert "Arranged by" in lines[2] and "Attendees added:" in lines[2] and name(chief) in lines[2]
    # Two queries, however long the history.
    from reviews.meeting_history import meeting_changes

    with django_assert_num_queries(2):
        assert len(meeting_changes(meeting)) == 3
