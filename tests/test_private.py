"""Answers to a signed-in person are never kept by a browser or proxy (a shared office PC
would otherwise show the next person unpublished figures); public pages keep their caching."""

import pytest
from django.urls import reverse

from organisation.models import Role
from tests.indicators.factories import IndicatorFactory
from tests.organisation.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def chief(client):
    user = UserFactory(username="cath.chief", roles=[Role.CHIEF_OFFICER])
    client.force_login(user)
    return user


def test_pages_and_downloads_for_a_signed_in_person_are_not_stored(client, chief):
    indicator = IndicatorFactory()
    for url in [
        reverse("indicators:home"),
        reverse("indicators:indicator-detail", args=[indicator.pk]),
        reverse("reviews:exception-report") + "?export=csv",
        reverse("reviews:meetings"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        directives = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, url


def test_public_pages_keep_their_public_caching_for_everyone(client, chief):
    signed_in = client.get(reverse("public:home"))
    client.logout()
    anonymous = client.get(reverse("public:home"))
    assert signed_in["Cache-Control"] == anonymous["Cache-Control"] == "public, max-age=60"
