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


def figure(indicator, officer, label, *, public):
    return services.outturn_submit(
        outturn=services.outturn_record(
            indicator=indicator,
            period=period(label),
            value=D("50"),
            commentary="Staff shortage",
            commentary_is_public=public,
            by=officer,
        ),
        by=officer,
    )


def validate(client, outturns, choice="asked"):
    selection = {"outturn": [o.pk for o in outturns]}
    page = client.post(reverse("indicators:validation-confirm"), selection).content.decode()
    client.post(
        reverse("indicators:validation-confirm"),
        selection | {"confirmed": "1", "commentary": choice},
    )
    return page


@pytest.fixture
def team(client):
    user = UserFactory(username="pat.team", roles=[Role.PERFORMANCE_TEAM])
    client.force_login(user)
    return user


def test_by_default_the_team_keeps_what_each_officer_asked(client, officer, indicator, team):
    asked = figure(indicator, officer, "2025/26 Q1", public=True)
    kept = figure(indicator, officer, "2025/26 Q2", public=False)

    page = validate(client, [asked, kept])

    # The choice is ticked for what the officer asked, on the confirmation page.
    assert 'value="asked" checked' in page
    assert "The officers asked to publish the commentary of 1 of these returns." in page
    assert dict(Outturn.objects.values_list("pk", "commentary_is_public")) == {asked.pk: True, kept.pk: False}
    assert set(Outturn.objects.values_list("state", flat=True)) == {"validated"}


def test_the_team_publishes_the_commentary_of_published_indicators_only(client, officer, indicator, team):
    kept = figure(indicator, officer, "2025/26 Q1", public=False)
    internal = figure(IndicatorFactory(responsible_officer=officer), officer, "2025/26 Q1", public=False)

    validate(client, [kept, internal], "public")

    assert dict(Outturn.objects.values_list("pk", "commentary_is_public")) == {kept.pk: True, internal.pk: False}


def test_the_team_keeps_all_the_commentary_internal(client, officer, indicator, team):
    asked = figure(indicator, officer, "2025/26 Q1", public=True)

    validate(client, [asked], "internal")

    outturn = Outturn.objects.get()
    assert outturn.state == "validated" and not outturn.commentary_is_public
