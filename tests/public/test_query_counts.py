"""The public pages run a fixed number of queries however many indicators there are. Each test
builds its own world, so this module has no shared one."""

import pytest
from django.urls import reverse

from tests.public.world import PublicWorld

pytestmark = pytest.mark.django_db


PAGES = {
    "public:home": ([], 15),
    "public:scorecard": ([], 8),
    "public:annual-report": ([2025], 9),
    "public:open-data": ([], 2),
    "public:ratings": ([], 2),
}


@pytest.mark.parametrize("name", sorted(PAGES))
@pytest.mark.parametrize("extra", [0, 12])
def test_pages_run_a_fixed_number_of_queries(client, db, today, django_assert_num_queries, name, extra):
    PublicWorld(extra_indicators=extra)
    args, queries = PAGES[name]
    with django_assert_num_queries(queries):
        assert client.get(reverse(name, args=args)).status_code == 200


@pytest.mark.parametrize("extra", [0, 12])
def test_downloads_and_api_run_a_fixed_number_of_queries(client, db, today, django_assert_num_queries, extra):
    world = PublicWorld(extra_indicators=extra)
    for url, queries in [
        (reverse("public:download-figures", args=["json"]), 5),
        (reverse("public:download-indicators", args=["csv"]), 3),
        (reverse("api:figures") + f"?priority={world.priority.pk}", 5),
        (reverse("api:indicators"), 3),
        (reverse("public:indicator", args=[world.recycling.code]), 7),
    ]:
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200
