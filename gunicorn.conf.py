"""gunicorn's settings for PMIS, read from the environment (deploy/pmis.env lists them).

gunicorn reads this file itself when started from the project's directory:

    .venv/bin/gunicorn pmis.wsgi

Access lines come from PMIS (pmis/logs.py: JSON with the request id, user and duration),
so gunicorn's own access log is off; its error log goes to standard error as JSON too.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {value!r}") from None


wsgi_app = "pmis.wsgi:application"
# 127.0.0.1:8000 behind nginx on the same server; 0.0.0.0:8000 behind a load balancer.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: PMIS's requests are short database reads and writes. Two per core plus one.
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
# A request taking longer than this is killed (the largest scorecard takes well under 1 s).
timeout = _int("GUNICORN_TIMEOUT", 60)
# On SIGTERM or a reload (SIGHUP), workers finish the requests they are serving first.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Restart each worker after this many requests (with jitter, so not all at once) to bound
# any slow growth in memory.
max_requests = _int("GUNICORN_MAX_REQUESTS", 10000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 1000)
# Trust X-Forwarded-* only from the proxy in front (nginx on this server by default).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "pmis.logs.JsonFormatter"}},
    "handlers": {"error": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
    # Django's LOGGING configures the root logger when each worker loads PMIS.
    "root": {"handlers": [], "level": "WARNING"},
    "loggers": {
        # No level here: gunicorn sets it from loglevel (or --log-level).
        "gunicorn.error": {"handlers": ["error"], "propagate": False},
        "gunicorn.access": {"handlers": [], "propagate": False},
    },
}
