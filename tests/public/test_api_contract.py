"""The API keeps its own OpenAPI contract, checked by an independent client: Schemathesis
reads /api/v1/openapi.json from the application and makes up requests from it.

Positive cases (valid by the document) must get one of the operation's documented answers
(2xx, or 404 for an unknown indicator) matching its schema; negative cases (values the
document forbids: out of range, empty, not a number, not the pattern, unknown parameters)
must be refused with 400; methods the document does not declare must get 405 with Allow.
Plus plain tests of the three failures an outside client found on the demo.
"""

from urllib.parse import quote

import pytest
import schemathesis
import time_machine
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from hypothesis import HealthCheck
from hypothesis import settings as examples
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from public.api import MAX_ID, openapi_document
from tests.public.world import TODAY, PublicWorld
from tests.shared_data import shared

pytestmark = pytest.mark.django_db

# The host Schemathesis's WSGI client asks for.
HOST = "localhost"
ADDRESSES = ["api:index", "api:openapi", "api:indicators", "api:indicator", "api:figures", "api:priorities"]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with time_machine.travel(TODAY, tick=False), shared(django_db_blocker):
        yield PublicWorld()


def _schema():
    """The document as the API serves it (test_the_served_document_is_the_one_tested checks),
    made without the database: Schemathesis reads it when the tests are collected."""
    with override_settings(ALLOWED_HOSTS=[HOST]):
        document = openapi_document(RequestFactory().get("/api/v1/openapi.json", headers={"host": HOST}))
    loaded = schemathesis.openapi.from_dict(document)
    loaded.app = get_wsgi_application()
    loaded.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], max_examples=15, deterministic=True
    )
    loaded.config.phases.update(phases=["examples", "coverage", "fuzzing"])
    return loaded


schema = _schema()


@pytest.fixture
def _connection_kept():
    """Django's WSGI application closes the database connection when a request starts and
    finishes (with CONN_MAX_AGE 0), which would end the test's transaction on PostgreSQL;
    Django's test client holds it open the same way."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@examples(suppress_health_check=list(HealthCheck), deadline=None)
def test_the_api_keeps_its_contract(world, settings, _connection_kept, case):
    settings.ALLOWED_HOSTS = [HOST]
    case.call_and_validate(
        additional_checks=[positive_data_acceptance, negative_data_rejection],
    )


@pytest.fixture
def strict(world):
    """A client that checks CSRF tokens, as a browser or a script meets the site (Django's
    test client skips the check unless asked)."""
    return Client(enforce_csrf_checks=True)


def test_the_served_document_is_the_one_tested(strict):
    served = strict.get(reverse("api:openapi"), headers={"host": HOST})
    assert served.json() == schema.raw_schema


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options", "trace"])
@pytest.mark.parametrize("name", ADDRESSES)
def test_undeclared_methods_get_405_with_allow(strict, world, name, method):
    url = reverse(name, args=[world.recycling.code] if name == "api:indicator" else [])
    response = getattr(strict, method)(url)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_an_empty_value_is_refused_for_every_parameter(strict, world):
    """The document allows no empty value (allowEmptyValue is false; integers, patterns and
    minLength exclude it), so each gets 400 naming the parameter."""
    document = schema.raw_schema
    for template, item in document["paths"].items():
        path = template.replace("{code}", quote(world.recycling.code))
        for parameter in item["get"].get("parameters", []):
            if parameter["in"] != "query":
                continue
            assert not parameter.get("allowEmptyValue")
            response = strict.get(f"{path}?{parameter['name']}=")
            assert response.status_code == 400, (path, parameter["name"])
            assert set(response.json()["errors"]) == {parameter["name"]}


def test_every_bound_the_code_enforces_is_declared(strict):
    """Just inside each declared bound is answered 200, just outside 400."""
    for template, item in schema.raw_schema["paths"].items():
        if "{" in template:
            continue
        for parameter in item["get"].get("parameters", []):
            bounds = parameter["schema"]
            if bounds.get("type") != "integer":
                continue
            for value, status in (
                (bounds["minimum"], 200),
                (bounds["maximum"], 200),
                (bounds["minimum"] - 1, 400),
                (bounds["maximum"] + 1, 400),
            ):
                response = strict.get(f"{template}?{parameter['name']}={value}")
                assert response.status_code == status, (template, parameter["name"], value)


# The three failures an outside OpenAPI client found on the demo -------------------------


def test_a_priority_id_beyond_a_32_bit_integer_is_refused_as_the_document_says(strict):
    """It was refused with 400 while the document declared no maximum."""
    assert {"type": "integer", "minimum": 1, "maximum": MAX_ID}.items() <= _parameter(
        "/api/v1/indicators/", "priority"
    ).items()
    assert strict.get("/api/v1/indicators/?priority=2147483647").status_code == 200
    assert strict.get("/api/v1/indicators/?priority=72057594037927936").status_code == 400


def test_an_empty_page_size_is_refused(strict):
    """It was taken as the default, though the document allows no empty value."""
    response = strict.get("/api/v1/figures/?page_size=")
    assert response.status_code == 400
    assert response.json() == {"errors": {"page_size": "page_size must be a whole number from 1 to 500."}}


def test_a_post_gets_405_with_allow_not_403(strict):
    """The CSRF check refused it with 403 before the view could answer 405."""
    response = strict.post("/api/v1/figures/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def _parameter(template: str, name: str) -> dict:
    (found,) = [p for p in schema.raw_schema["paths"][template]["get"]["parameters"] if p["name"] == name]
    return found["schema"]


def test_a_code_the_document_forbids_is_refused(strict):
    """The path's code has a pattern (no NUL, which PostgreSQL cannot compare): 400, not 500."""
    response = strict.get("/api/v1/indicators/NI%00192/")
    assert response.status_code == 400
    assert response.json() == {"errors": {"code": "code must be an indicator's code."}}
    assert strict.get("/api/v1/figures/?indicator=NI%00192").status_code == 400
