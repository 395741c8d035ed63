"""The health endpoint a load balancer polls: GET /health/ (no sign-in, no personal data).

Answers 200 while this server can serve pages: its database answers. Redis and the Celery
workers are reported too, but their failure only makes the answer "degraded" (still 200):
figures are saved and rated without them, only emails and background work wait, and every
application server shares them, so taking servers out of service would not help.
"""

import time

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from pmis.celery import app


def _timed(check) -> dict:
    started = time.perf_counter()
    try:
        detail = check()
    except Exception as error:  # any failure is the answer, named by its class only
        return {"status": "down", "error": type(error).__name__}
    return {"status": "ok", "ms": round((time.perf_counter() - started) * 1000, 1), **(detail or {})}


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _redis() -> None:
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=1, socket_connect_timeout=1)
    try:
        client.ping()
    finally:
        client.close()


def _workers() -> dict:
    replies = app.control.ping(timeout=settings.PMIS_HEALTH_WORKER_TIMEOUT)
    if not replies:
        raise LookupError("no worker answered")
    return {"workers": len(replies)}


@never_cache
@require_GET
def health(request):
    checks = {"database": _timed(_database)}
    if settings.CELERY_BROKER_URL:
        checks["redis"] = _timed(_redis)
        checks["workers"] = _timed(_workers) if checks["redis"]["status"] == "ok" else {"status": "unknown"}
    else:
        # Development: tasks run in-process, so there is no queue to check.
        checks["redis"] = checks["workers"] = {"status": "not configured"}
    if checks["database"]["status"] != "ok":
        status = "down"
    elif all(check["status"] in ("ok", "not configured") for check in checks.values()):
        status = "ok"
    else:
        status = "degraded"
    return JsonResponse({"status": status, **checks}, status=503 if status == "down" else 200)
