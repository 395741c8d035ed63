"""Structured logs: one JSON object per line, each naming the request (or task) it came from.

RequestIdMiddleware gives every request an id (the X-Request-ID a load balancer sent, when
it is a sensible one, else a new one), returns it in the response's X-Request-ID header and
writes one access line per request. Tasks queued during a request carry its id, so a
worker's lines can be joined to the request that caused them.
"""

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar

from celery.signals import before_task_publish, task_postrun, task_prerun

request_id: ContextVar[str] = ContextVar("request_id", default="")
SENSIBLE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
HEADER = "X-Request-ID"

access = logging.getLogger("pmis.access")

# Attributes every LogRecord has; anything else on a record was passed with extra={...}.
STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "request_id"}


class RequestIdFilter(logging.Filter):
    """Adds the current request's (or task's) id to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """A record as one line of JSON: time, level, logger, message, request id, extras, traceback."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", ""),
        }
        line.update({key: value for key, value in vars(record).items() if key not in STANDARD})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


JsonFormatter.converter = time.gmtime


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        current = given if SENSIBLE_ID.fullmatch(given) else uuid.uuid4().hex
        token = request_id.set(current)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = current
            user = getattr(request, "user", None)
            access.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
            )
            return response
        finally:
            request_id.reset(token)


# Celery: a task carries the id of the request (or task) that queued it.
@before_task_publish.connect
def _send_request_id(headers=None, **kwargs):
    if headers is not None and request_id.get():
        headers["request_id"] = request_id.get()


@task_prerun.connect
def _receive_request_id(task=None, **kwargs):
    # A task run in-process (no broker) keeps the id of the request running it.
    if not request_id.get():
        given = getattr(task.request, "request_id", None)
        task.request.pmis_request_id = request_id.set(given or f"task-{task.request.id}")


@task_postrun.connect
def _forget_request_id(task=None, **kwargs):
    token = getattr(task.request, "pmis_request_id", None)
    if token is not None:
        request_id.reset(token)
