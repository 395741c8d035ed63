"""Anyone can ask for a public page with any query string; only the parameters a page reads
make a different answer, so made-up ones cannot fill the cache with copies."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def queries(client, url, **query) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query)
    assert response.status_code == 200
    return len(captured), response["ETag"]


@pytest.mark.parametrize(
    "name", ["public:home", "public:scorecard", "public:ratings", "public:download-indicators", "api:indicators"]
)
def test_made_up_parameters_are_served_from_the_one_cached_answer(client, world, name):
    url = reverse(name, args=["csv"] if name.startswith("public:download") else [])
    if name.startswith("api:"):
        # The API refuses a parameter it does not know, and keeps no refusal.
        assert client.get(url, {"bust": "1"}).status_code == 400
        assert client.get(url, {"bust": "2"}).status_code == 400
        return
    rendered, etag = queries(client, url, bust="1")
    assert rendered > 1
    # Only the data version is read: the answer comes from the cache.
    assert queries(client, url, bust="2") == (1, etag)
    assert queries(client, url) == (1, etag)


def test_the_public_scorecard_is_kept_per_quarter_and_not_for_a_wrong_one(client, world):
    url = reverse("public:scorecard")
    latest = queries(client, url)[1]
    rendered, q1 = queries(client, url, period="2025/26 Q1")
    assert rendered > 1 and q1 != latest
    assert queries(client, url, period="2025/26 Q1", bust="x") == (1, q1)
    wrong = queries(client, url, period="no such quarter")
    assert wrong[0] > 1 and queries(client, url, period="no such quarter")[0] > 1
