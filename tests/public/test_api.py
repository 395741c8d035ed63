"""The API against its own OpenAPI document: property-based checks with Hypothesis.

For every documented operation, Hypothesis makes up query strings (documented parameters
with values in and out of their ranges, undocumented ones, arbitrary text) and path
parameters; every answer must be one of the operation's documented responses and match its
schema. No answer may be a server error.
"""

from urllib.parse import quote, urlencode

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from public.api import MAX_PAGE_SIZE

pytestmark = pytest.mark.django_db

EXAMPLES = settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=12)


@pytest.fixture
def document(client, world):
    response = client.get(reverse("api:openapi"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oai.openapi+json"
    return response.json()


def value_for(schema: dict):
    if schema.get("type") == "integer":
        low, high = schema.get("minimum", -(2**31)), schema.get("maximum", 2**31)
        return st.one_of(
            st.integers(low, high).map(str),
            st.integers(-(2**40), 2**40).map(str),
            TEXT,
        )
    return st.one_of(TEXT, st.sampled_from(["2025/26", "2025/26 Q2", "2024/25 Jul", "NI 192", "LPI 100", ""]))


def query_for(parameters: list[dict]):
    named = {p["name"]: st.none() | value_for(p["schema"]) for p in parameters if p["in"] == "query"}
    extra = st.dictionaries(st.sampled_from(["sort", "format", "q", "pagesize"]), TEXT, max_size=1)
    return st.tuples(st.fixed_dictionaries(named), extra).map(
        lambda both: {**{k: v for k, v in both[0].items() if v is not None}, **both[1]}
    )


def check(client, document, path: str, template: str, query: dict):
    operation = document["paths"][template]["get"]
    url = path + ("?" + urlencode(query) if query else "")
    response = client.get(url)
    assert response.status_code < 500, url
    documented = operation["responses"]
    assert str(response.status_code) in documented, f"{url}: undocumented {response.status_code}"
    schema = documented[str(response.status_code)]["content"]["application/json"]["schema"]
    validator = Draft202012Validator({**schema, "components": document["components"]})
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(response.json())]
    assert not errors, f"{url}: {errors[:3]}"
    return response


@pytest.mark.parametrize("template", ["/api/v1/", "/api/v1/indicators/", "/api/v1/figures/", "/api/v1/priorities/"])
def test_lists_match_their_schema_whatever_the_query(client, document, template):
    parameters = document["paths"][template]["get"].get("parameters", [])

    @EXAMPLES
    @given(query=query_for(parameters))
    def run(query):
        check(client, document, template, template, query)

    run()


def test_single_indicator_matches_its_schema_whatever_the_code(client, document, world):
    template = "/api/v1/indicators/{code}/"

    @EXAMPLES
    @given(code=st.one_of(st.sampled_from([world.recycling.code, world.homes.code, "SECRET 1"]), TEXT))
    def run(code):
        if not code or any(c in code for c in "/?#") or code in (".", ".."):
            return
        path = template.replace("{code}", quote(code, safe=""))
        check(client, document, path, template, {})

    run()
    assert (
        check(client, document, f"/api/v1/indicators/{quote(world.recycling.code)}/", template, {}).status_code == 200
    )


def test_documented_filters_work(client, document, world):
    """The filters and pagination do what the document says (not only match the schema)."""
    figures = "/api/v1/figures/"
    everything = check(client, document, figures, figures, {"page_size": MAX_PAGE_SIZE}).json()
    assert everything["next"] is None
    one = check(client, document, figures, figures, {"indicator": world.recycling.code}).json()
    assert {r["indicator"] for r in one["results"]} == {world.recycling.code}
    q2 = check(client, document, figures, figures, {"period": "2025/26 Q2"}).json()
    assert {r["period"] for r in q2["results"]} == {"2025/26 Q2"}
    year = check(client, document, figures, figures, {"year": "2024"}).json()
    assert {r["financial_year"] for r in year["results"]} == {"2024/25"}
    paged = check(client, document, figures, figures, {"page_size": 2}).json()
    assert paged["count"] == everything["count"] and len(paged["results"]) == 2
    second = client.get(paged["next"]).json()
    assert second["results"] == everything["results"][2:4]
    by_priority = check(client, document, "/api/v1/indicators/", "/api/v1/indicators/", {"priority": world.priority.pk})
    assert [r["code"] for r in by_priority.json()["results"]] == ["LPI 100", "NI 192"]
    draft = check(client, document, "/api/v1/indicators/", "/api/v1/indicators/", {"priority": world.draft_priority.pk})
    assert draft.json()["count"] == 0
    bad = check(client, document, figures, figures, {"page": "0", "year": "soon"}).json()
    assert set(bad["errors"]) == {"page", "year"}


def test_every_api_address_is_documented(document):
    from public import api_urls

    documented = set(document["paths"])
    for pattern in api_urls.urlpatterns:
        route = "/api/v1/" + str(pattern.pattern).replace("<str:code>", "{code}")
        if pattern.name == "openapi":
            continue
        assert route in documented


def test_the_document_is_valid_openapi_3_1(document):
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation import OpenAPIV31SpecValidator

    validate(document, cls=OpenAPIV31SpecValidator)
    assert document["info"]["license"]["name"] == "Open Government Licence v3.0"
