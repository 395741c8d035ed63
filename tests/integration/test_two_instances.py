"""Scale-out: two application servers (gunicorn, production settings, gunicorn.conf.py) on
different ports sharing one PostgreSQL and one Redis, as README's multi-server layout
describes. An officer signs in and saves a figure through one; the other knows the session,
shows the same rating and serves the public answer the first one cached.

Needs PostgreSQL and Redis, as .ci/run provides.
"""

import os
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from decimal import Decimal as D
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache.backends.redis import RedisCache

from indicators import services
from indicators.models import Outturn, Rating
from organisation.models import Role
from tests.indicators.factories import IndicatorFactory, period
from tests.integration.conftest import ROOT
from tests.integration.test_redis_outage import free_port
from tests.organisation.factories import UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

# The name people reach PMIS at; the load balancer passes it to every application server.
HOST = "pmis.example.org"
PASSWORD = "quarter-end-figures-2026"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Just enough of a browser: one cookie jar for every server, as behind a load balancer
    (the servers speak plain HTTP to it; it tells them the visitor used HTTPS)."""

    def __init__(self):
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(NoRedirect)

    def request(self, port: int, path: str, data: dict | None = None) -> tuple[int, dict, str]:
        headers = {"Host": HOST, "X-Forwarded-Proto": "https", "Referer": f"https://{HOST}{path}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if data is not None:
            data = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **data}
            body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, headers=headers)
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value or morsel.value == '""':
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response.status, dict(response.headers), response.read().decode()


def database_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def two_servers(real_services, tmp_path):
    env = {
        **os.environ,
        "DEBUG": "false",
        # Every server of an installation shares the secret key, database, broker and cache.
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": database_url(),
        "PGPASSWORD": settings.DATABASES["default"]["PASSWORD"] or "",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "PMIS_CACHE_URL": settings.CELERY_BROKER_URL,
        "STATIC_ROOT": str(tmp_path / "static"),
        "GUNICORN_WORKERS": "2",
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    ports = [free_port(), free_port()]
    servers = []
    try:
        for port in ports:
            log = (tmp_path / f"gunicorn-{port}.log").open("w")
            servers.append(
                subprocess.Popen(
                    [str(Path(sys.executable).parent / "gunicorn")],  # everything else from gunicorn.conf.py
                    cwd=ROOT,
                    env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        for port, server in zip(ports, servers, strict=True):
            deadline = time.monotonic() + 60
            while True:
                assert server.poll() is None, (tmp_path / f"gunicorn-{port}.log").read_text()
                try:
                    if Browser().request(port, "/health/")[0] == 200:
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline, "gunicorn did not answer"
                time.sleep(0.2)
        yield ports
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)


def rating_on(browser: Browser, port: int, path: str) -> str:
    status, _, page = browser.request(port, path)
    assert status == 200
    found = re.search(r'id="rating">.*?<strong class="govuk-tag[^"]*">([^<]+)<', page, re.S)
    assert found, page
    return found.group(1).strip()


def test_a_figure_saved_through_one_server_is_seen_through_the_other(two_servers):
    first, second = two_servers
    officer = UserFactory(username="olly", password=PASSWORD, roles=[Role.OFFICER])
    indicator = IndicatorFactory(responsible_officer=officer)
    quarter = period("2025/26 Q1")
    services.target_set(indicator=indicator, period=quarter, value=D("95"), rationale="Benchmark", by=None)
    entry = f"/returns/{indicator.pk}/{quarter.pk}/"
    browser = Browser()

    # Signed in through the first server, the session works on the second.
    assert browser.request(second, "/returns/")[0] == 302
    browser.request(first, "/accounts/login/")
    status, headers, _ = browser.request(first, "/accounts/login/", {"username": "olly", "password": PASSWORD})
    assert status == 302 and "sessionid" in browser.cookies, headers
    status, _, page = browser.request(second, "/returns/")
    assert status == 200 and indicator.code in page

    # A figure saved through the second server is rated once, and both servers show it.
    browser.request(second, entry)
    status, _, _ = browser.request(second, entry, {"value": "80", "commentary": "Two vacancies", "version": ""})
    assert status == 302
    rating = Rating.objects.get(outturn__indicator=indicator, outturn__period=quarter)
    assert rating.rag == "red" and Outturn.objects.filter(indicator=indicator).count() == 1
    assert rating_on(browser, first, entry) == rating_on(browser, second, entry) == "Red"

    # The public answer one server rendered is the one the other serves: the cache is shared.
    status, first_headers, first_page = browser.request(first, "/public/")
    assert status == 200
    cache = RedisCache(settings.CELERY_BROKER_URL, {})
    key = "public:" + first_headers["ETag"].strip('"')
    content, kept_headers = cache.get(key)
    assert content.decode() == first_page
    cache.set(key, (b"<p>Served from the shared cache</p>", kept_headers), 60)
    try:
        status, second_headers, second_page = browser.request(second, "/public/")
        assert status == 200 and second_headers["ETag"] == first_headers["ETag"]
        assert second_page == "<p>Served from the shared cache</p>"
    finally:
        cache.delete(key)

    # Static files: hashed names, kept by browsers for a year.
    stylesheet = re.search(r'href="(/static/govuk/govuk-frontend\.min\.[0-9a-f]{12}\.css)"', first_page)
    assert stylesheet, first_page
    status, headers, _ = browser.request(second, stylesheet.group(1))
    assert status == 200 and "immutable" in headers["Cache-Control"] and "max-age=315360000" in headers["Cache-Control"]

    # Signing out through the first server ends the session on the second.
    assert browser.request(first, "/accounts/logout/", {})[0] == 302
    assert browser.request(second, "/returns/")[0] == 302
