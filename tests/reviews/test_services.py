"""Writes of reviews.services that the pages' tests do not reach directly."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from organisation.models import Role
from reviews import services
from reviews.models import Meeting, MeetingKind
from tests.indicators.factories import IndicatorFactory, period
from tests.organisation.factories import UserFactory

pytestmark = pytest.mark.django_db


def arrange(kind, by, **more):
    return services.meeting_arrange(
        kind=kind, title="Review", date=datetime.date(2025, 11, 3), period=period("2025/26 Q2"), by=by, **more
    )


def test_a_cabinet_member_arranges_a_surgery_but_no_other_kind_of_meeting():
    cabinet = UserFactory(username="cara.cabinet", roles=[Role.PORTFOLIO_HOLDER])
    indicator = IndicatorFactory()
    surgery = arrange(MeetingKind.SURGERY, cabinet, attendees=[cabinet], indicators=[indicator])
    assert list(surgery.indicators.all()) == [indicator] and list(surgery.attendees.all()) == [cabinet]
    other = next(kind for kind in MeetingKind if kind != MeetingKind.SURGERY)
    with pytest.raises(ValidationError, match="performance surgeries only"):
        arrange(other, cabinet)
    assert Meeting.objects.count() == 1
    assert arrange(other, UserFactory(username="pat.performance", roles=[Role.PERFORMANCE_TEAM])).kind == other


def test_only_a_surgery_has_a_record_of_its_discussion():
    team = UserFactory(username="pat.performance", roles=[Role.PERFORMANCE_TEAM])
    surgery = arrange(MeetingKind.SURGERY, team)
    services.surgery_record(meeting=surgery, action_plan="Plan", discussion="", outcome="Agreed", by=team)
    surgery.refresh_from_db()
    assert (surgery.action_plan, surgery.outcome) == ("Plan", "Agreed")
    other = arrange(next(kind for kind in MeetingKind if kind != MeetingKind.SURGERY), team)
    with pytest.raises(ValidationError):
        services.surgery_record(meeting=other, action_plan="Plan", discussion="", outcome="", by=team)
