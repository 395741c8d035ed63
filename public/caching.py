"""Caching of the public pages, downloads and API answers.

Everything public is the same for every visitor, so each answer is rendered once per
version of the published data and kept in Django's cache (local memory by default, Redis
when PMIS_CACHE_URL is set). The version is one cheap query over the latest change of each
kind of record the public pages show (history ids, rating times, counts of the links
between plans, scorecards and indicators); a change anywhere gives a new version, so a
new answer. An answer is kept under its page's address and only the query parameters that
page reads, so that ?bust=1, ?bust=2, ... cannot fill the cache with copies. Answers carry
an ETag of the version and that address, so a browser or proxy that asks again with
If-None-Match gets 304 Not Modified without anything being rendered.
Changes the version cannot see (a renamed service, say) show once the cached answer expires
(PMIS_PUBLIC_CACHE_SECONDS). Each process reads the version at most every
PMIS_PUBLIC_VERSION_SECONDS.
"""

import hashlib
import time
from functools import partial, wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, HttpResponseNotAllowed
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags

from indicators.models import Indicator, Outturn, Period, Rating, Target, TolerancePolicy
from plans.models import Plan, Priority
from reviews.models import GoodNewsStory, Scorecard

# Bump when the pages' code changes what an answer holds, so a shared Redis cache filled by
# an earlier release is not served.
FORMAT = "2"  # 2: ratings through indicators.shown (issue 19)
# Headers kept with a cached answer besides its content type.
KEPT_HEADERS = ("Content-Disposition", "Link")


def _version_sql() -> str:
    def table(model) -> str:
        return connection.ops.quote_name(model._meta.db_table)

    parts = [
        f"(SELECT MAX(history_id) FROM {table(model.history.model)})"
        for model in (Indicator, Outturn, Target, TolerancePolicy, Plan, Priority)
    ]
    parts.append(f"(SELECT MAX(rated_at) FROM {table(Rating)})")
    for model in (
        GoodNewsStory,
        Priority,
        Period,
        Priority.indicators.through,
        Scorecard,
        Scorecard.indicators.through,
    ):
        parts.append(f"(SELECT COUNT(*) FROM {table(model)})")
        parts.append(f"(SELECT MAX(id) FROM {table(model)})")
    parts.append(f"(SELECT MAX(updated_at) FROM {table(GoodNewsStory)})")
    return "SELECT " + ", ".join(parts)


# This process's last reading of the version: (when read, monotonic seconds; version).
_last_version: tuple[float, str] | None = None


def data_version() -> str:
    """A short fingerprint of the published data's state: one query, or none when this
    process read it less than PMIS_PUBLIC_VERSION_SECONDS ago (browsers may keep an answer
    for PMIS_PUBLIC_MAX_AGE anyway, so a few seconds more staleness costs residents nothing
    and saves a query on every request under load)."""
    global _last_version
    now = time.monotonic()
    if _last_version is not None and now - _last_version[0] < settings.PMIS_PUBLIC_VERSION_SECONDS:
        return _last_version[1]
    with connection.cursor() as cursor:
        cursor.execute(_version_sql())
        row = cursor.fetchone()
    version = hashlib.sha1(repr((FORMAT, row)).encode()).hexdigest()[:20]
    _last_version = (now, version)
    return version


def _etag(version: str, path: str) -> str:
    return '"' + hashlib.sha1(f"{version} {path}".encode()).hexdigest()[:32] + '"'


def _address(request, params: tuple[str, ...] | None) -> str:
    """The absolute address an answer is kept under: the path and the parameters read."""
    if params is None:
        return request.build_absolute_uri()
    query = urlencode(sorted((name, value) for name in params for value in request.GET.getlist(name)))
    return request.build_absolute_uri(request.path) + (f"?{query}" if query else "")


def _finish(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=settings.PMIS_PUBLIC_MAX_AGE)
    return response


def public_answer(view=None, *, params: tuple[str, ...] | None = ()):
    """Serve a public view from the cache by data version, with ETag and conditional GET.

    The view must not depend on who is asking (no request.user, no CSRF token): the same
    answer goes to everyone. Only GET and HEAD are allowed. params: the query parameters
    the view reads; others are ignored, by the view and by the cache. None: all of them
    (the API, which answers an unknown parameter with 400, and only 200s are kept). A view
    sets response.cacheable = False on an answer not worth keeping (an invalid choice).
    """
    if view is None:
        return partial(public_answer, params=params)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        # The address with scheme and host: API answers hold absolute links.
        etag = _etag(data_version(), _address(request, params))
        if etag in parse_etags(request.headers.get("If-None-Match", "")):
            return _finish(HttpResponse(status=304), etag)
        key = "public:" + etag.strip('"')
        kept = cache.get(key)
        if kept is not None:
            content, headers = kept
            response = HttpResponse(content, headers=headers)
            return _finish(response, etag)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            if getattr(response, "cacheable", True):
                headers = {"Content-Type": response["Content-Type"]}
                headers.update({name: response[name] for name in KEPT_HEADERS if response.has_header(name)})
                cache.set(key, (response.content, headers), settings.PMIS_PUBLIC_CACHE_SECONDS)
            return _finish(response, etag)
        return response

    return wrapper
