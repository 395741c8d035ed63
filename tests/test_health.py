"""GET /health/: what a load balancer polls. Open to anyone, names no person, never cached."""

import pytest
from django.db import OperationalError, connection
from django.test import override_settings

pytestmark = pytest.mark.django_db


@override_settings(CELERY_BROKER_URL="")
def test_healthy_without_a_broker_in_development(client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"]["status"] == "ok"
    assert response.json()["redis"] == {"status": "not configured"}
    assert "no-cache" in response["Cache-Control"] and not response.cookies


def test_down_with_503_when_the_database_does_not_answer(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("could not connect to server at 10.0.0.5 as pmis")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/health/")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down" and body["database"] == {"status": "down", "error": "OperationalError"}
    assert "10.0.0.5" not in response.content.decode()  # no server details to the world


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_degraded_but_serving_when_redis_is_unreachable(client):
    response = client.get("/health/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["redis"]["status"] == "down" and body["workers"] == {"status": "unknown"}


def test_only_get(client):
    assert client.post("/health/").status_code == 405
