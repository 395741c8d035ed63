"""Nothing unpublished ever reaches a public page, download or API answer."""

import json

import pytest
from django.urls import reverse

from tests.public.urls import api_starts, public_downloads, public_pages
from tests.public.world import MARKERS, SHOWN, UNPUBLISHED_CODE

pytestmark = pytest.mark.django_db


def fetch_everything(client, world) -> dict[str, str]:
    """Every public page, download and API page (following "next" links) by address."""
    bodies = {}
    for url in public_pages(world) + public_downloads():
        response = client.get(url)
        assert response.status_code == 200, url
        bodies[url] = response.content.decode()
    for start in api_starts(world):
        url = start
        while url:
            response = client.get(url)
            assert response.status_code == 200, url
            body = response.content.decode()
            bodies[url] = body
            url = json.loads(body).get("next")
    return bodies


def test_no_marker_reaches_any_public_answer(client, world):
    bodies = fetch_everything(client, world)
    assert len(bodies) > 30
    for url, body in bodies.items():
        for marker in MARKERS:
            assert marker not in body, f"{marker!r} leaked at {url}"


def test_what_is_published_is_shown(client, world):
    """The leak test would pass on empty pages: check the published data is there."""
    everything = "\n".join(fetch_everything(client, world).values())
    for shown in SHOWN:
        assert shown in everything
    home = client.get(reverse("public:home")).content.decode()
    assert "A cleaner, greener borough" in home and "Library visits at a ten-year high" in home


def test_the_unpublished_indicator_has_no_page_or_record(client, world):
    assert client.get(reverse("public:indicator", args=[UNPUBLISHED_CODE])).status_code == 404
    assert client.get(reverse("api:indicator", args=[UNPUBLISHED_CODE])).status_code == 404
    figures = client.get(reverse("api:figures"), {"indicator": UNPUBLISHED_CODE}).json()
    assert figures["count"] == 0


def test_publishing_an_indicator_makes_it_appear(client, world):
    assert client.get(reverse("public:indicator", args=[UNPUBLISHED_CODE])).status_code == 404
    world.secret.is_published = True
    world.secret.save()
    assert client.get(reverse("public:indicator", args=[UNPUBLISHED_CODE])).status_code == 200
