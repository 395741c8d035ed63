"""The public pages run a fixed number of queries however many indicators there are: each is
counted in a world built once for each size (each test in a savepoint rolled back after it)."""

import pytest
import time_machine
from django.urls import reverse

from tests.public.world import TODAY, PublicWorld
from tests.shared_data import shared

pytestmark = pytest.mark.django_db


PAGES = {
    "public:home": ([], 15),
    "public:scorecard": ([], 8),
    "public:annual-report": ([2025], 9),
    "public:open-data": ([], 2),
    "public:ratings": ([], 2),
}


@pytest.fixture(scope="module", params=[0, 12], ids=["few", "12-more"])
def sized_world(request, django_db_setup, django_db_blocker):
    with shared(django_db_blocker):
        with time_machine.travel(TODAY, tick=False):
            world = PublicWorld(extra_indicators=request.param)
        yield world


@pytest.mark.parametrize("name", sorted(PAGES))
def test_pages_run_a_fixed_number_of_queries(client, db, today, django_assert_num_queries, sized_world, name):
    args, queries = PAGES[name]
    with django_assert_num_queries(queries):
        assert client.get(reverse(name, args=args)).status_code == 200


def test_downloads_and_api_run_a_fixed_number_of_queries(client, db, today, django_assert_num_queries, sized_world):
    world = sized_world
    for url, queries in [
        (reverse("public:download-figures", args=["json"]), 5),
        (reverse("public:download-indicators", args=["csv"]), 3),
        (reverse("api:figures") + f"?priority={world.priority.pk}", 5),
        (reverse("api:indicators"), 3),
        (reverse("public:indicator", args=[world.recycling.code]), 7),
    ]:
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200
