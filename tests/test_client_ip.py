"""Sign-in lock-outs behind a proxy: per username and the visitor's address (from
X-Forwarded-For, PMIS_PROXY_COUNT entries from the right), not the proxy's address."""

import pytest
from django.test import RequestFactory

from pmis.client_ip import client_ip
from tests.organisation.factories import UserFactory

PROXY = "127.0.0.1"


def request(forwarded: str = ""):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().get("/", REMOTE_ADDR=PROXY, **extra)


@pytest.mark.parametrize(
    ("count", "forwarded", "visitor"),
    [
        (0, "203.0.113.5", PROXY),  # no proxy expected: the header is the visitor's own claim
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "10.9.9.9, 203.0.113.5", "203.0.113.5"),  # the left entry was sent by the visitor
        (2, "203.0.113.5, 192.0.2.10", "203.0.113.5"),  # load balancer, then nginx
        (2, "192.0.2.10", PROXY),  # fewer entries than proxies: not trusted
        (1, "", PROXY),
    ],
)
def test_the_visitors_address_is_counted_from_the_right(settings, count, forwarded, visitor):
    settings.PMIS_PROXY_COUNT = count
    assert client_ip(request(forwarded)) == visitor


@pytest.mark.django_db
def test_wrong_passwords_from_one_visitor_do_not_lock_out_another_behind_the_same_proxy(client, settings):
    settings.PMIS_PROXY_COUNT = 1
    UserFactory(username="olly", password="right-password-2026")

    def sign_in(visitor: str, password: str):
        return client.post(
            "/accounts/login/",
            {"username": "olly", "password": password},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=visitor,
        )

    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in("203.0.113.5", "guess")
    assert sign_in("203.0.113.5", "right-password-2026").status_code == 429
    response = sign_in("198.51.100.7", "right-password-2026")
    assert response.status_code == 302 and response.wsgi_request.user.is_authenticated
