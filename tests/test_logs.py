"""Structured logs: one JSON object per line, each with the id of the request it belongs to."""

import json
import logging
import sys
from types import SimpleNamespace

import pytest

from pmis.logs import (
    JsonFormatter,
    RequestIdFilter,
    _forget_request_id,
    _receive_request_id,
    _send_request_id,
    request_id,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines():
    """What the application logs during the test, formatted as production formats it."""
    captured = []

    class Capture(logging.Handler):
        def emit(self, record):
            captured.append(json.loads(self.format(record)))

    handler = Capture()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    access = logging.getLogger("pmis.access")
    level = access.level
    logging.getLogger().addHandler(handler)
    access.setLevel(logging.INFO)
    yield captured
    logging.getLogger().removeHandler(handler)
    access.setLevel(level)


def test_every_response_names_its_request_and_the_access_line_matches(client, lines):
    response = client.get("/accounts/login/")

    given = response["X-Request-ID"]
    assert len(given) == 32
    (line,) = [line for line in lines if line["logger"] == "pmis.access"]
    assert line["request_id"] == given
    assert line["method"] == "GET" and line["path"] == "/accounts/login/" and line["status"] == 200
    assert line["level"] == "INFO" and line["user_id"] is None and line["duration_ms"] >= 0
    assert line["time"].endswith("Z")


def test_a_load_balancers_request_id_is_kept_and_a_strange_one_replaced(client, lines):
    assert client.get("/accounts/login/", headers={"X-Request-ID": "lb-42.a_b"})["X-Request-ID"] == "lb-42.a_b"

    replaced = client.get("/accounts/login/", headers={"X-Request-ID": "<script>" + "x" * 80})["X-Request-ID"]
    assert "<" not in replaced and len(replaced) == 32
    assert [line["request_id"] for line in lines if line["logger"] == "pmis.access"] == ["lb-42.a_b", replaced]


def test_a_signed_in_request_names_the_user(client, lines, performance):
    client.force_login(performance)
    client.get("/")
    (line,) = [line for line in lines if line["logger"] == "pmis.access"]
    assert line["user_id"] == performance.pk


def test_an_error_is_one_line_with_its_traceback():
    formatter = JsonFormatter()
    try:
        raise ValueError("bad figure")
    except ValueError:
        record = logging.LogRecord("pmis", logging.ERROR, __file__, 1, "failed for %s", ("ENV1",), sys.exc_info())
    token = request_id.set("req-1")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id.reset(token)
    text = formatter.format(record)

    assert "\n" not in text
    line = json.loads(text)
    assert line["message"] == "failed for ENV1" and line["request_id"] == "req-1" and line["level"] == "ERROR"
    assert "ValueError: bad figure" in line["exception"]


def test_a_task_carries_the_id_of_the_request_that_queued_it():
    headers = {}
    token = request_id.set("req-7")
    try:
        _send_request_id(headers=headers)
    finally:
        request_id.reset(token)
    assert headers == {"request_id": "req-7"}

    # In the worker: the task's lines carry the id while it runs, and only then.
    task = SimpleNamespace(request=SimpleNamespace(id="abc", request_id="req-7"))
    _receive_request_id(task=task)
    assert request_id.get() == "req-7"
    _forget_request_id(task=task)
    assert request_id.get() == ""

    # A task queued by no request is named by its own id.
    task = SimpleNamespace(request=SimpleNamespace(id="abc", request_id=None))
    _receive_request_id(task=task)
    assert request_id.get() == "task-abc"
    _forget_request_id(task=task)
