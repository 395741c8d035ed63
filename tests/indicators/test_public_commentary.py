"""Marking an outturn's commentary for the public pages: on entry and on validation."""

import datetime
from decimal import Decimal as D

import pytest
import time_machine
from django.urls import reverse

from indicators import services
from indicators.models import Outturn
from organisation.models import Role
from tests.indicators.factories import IndicatorFactory, period
from tests.organisation.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.date(2026, 2, 2), tick=False):
        yield


@pytest.fixture
def officer():
    return UserFactory(username="olly.officer", roles=[Role.OFFICER])


@pytest.fixture
def indicator(officer):
    return IndicatorFactory(responsible_officer=officer, is_published=True)


def test_the_officer_marks_commentary_public_when_entering_a_figure(client, officer, indicator):
    client.force_login(officer)
    url = reverse("indicators:outturn-entry", args=[indicator.pk, period("2025/26 Q2").pk])
    page = client.get(url).content.decode()
    assert "Show this commentary on the public pages" in page
    data = {"value": "50", "not_available_reason": "", "commentary": "Better than forecast", "version": ""}
    client.post(url, {**data, "commentary_is_public": "on"})
    outturn = Outturn.objects.get(indicator=indicator)
    assert outturn.commentary_is_public
    # Correcting the figure with the box unticked makes the commentary internal again.
    client.post(url, {**data, "value": "51", "version": outturn.version})
    assert not Outturn.objects.get(indicator=indicator).commentary_is_public


def test_the_performance_team_decides_when_validating(client, officer, indicator):
    team = UserFactory(username="pat.team", roles=[Role.PERFORMANCE_TEAM])
    outturn = services.outturn_record(
        indicator=indicator, period=period("2025/26 Q2"), value=D("50"), commentary="Staff shortage", by=officer
    )
    services.outturn_submit(outturn=outturn, by=officer)
    client.force_login(team)
    page = client.get(reverse("indicators:validation")).content.decode()
    assert "Show the commentary on the public pages" in page
    client.post(
        reverse("indicators:outturn-validate", args=[outturn.pk]),
        {"commentary_choice": "1", "commentary_is_public": "on"},
    )
    outturn.refresh_from_db()
    assert outturn.state == "validated" and outturn.commentary_is_public


def test_validating_without_the_box_keeps_the_mark(client, officer, indicator):
    team = UserFactory(username="pat.team", roles=[Role.PERFORMANCE_TEAM])
    outturn = services.outturn_record(
        indicator=indicator,
        period=period("2025/26 Q2"),
        value=D("50"),
        commentary="On track",
        commentary_is_public=True,
        by=officer,
    )
    services.outturn_submit(outturn=outturn, by=officer)
    client.force_login(team)
    client.post(reverse("indicators:outturn-validate", args=[outturn.pk]))
    outturn.refresh_from_db()
    assert outturn.state == "validated" and outturn.commentary_is_public
