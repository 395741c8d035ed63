"""Sign-in with the council's own accounts (organisation/oidc.py), against a real OpenID
Connect provider running on this machine (tests/oidc_provider): PMIS's sign-in link, the
provider's sign-in form driven with requests, and PMIS's callback with the real code and state.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from organisation.models import Role, User
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider, person
from tests.organisation.factories import UserFactory

# One worker runs them all (make test runs pytest-xdist), so the provider starts once.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("oidc")]
COUNCIL = "fernley.gov.uk"
PEOPLE = [
    person(name, f"{name}@{COUNCIL}")
    for name in (
        "olly.officer",
        "tampered",
        "wrongaud",
        "expired",
        "othernonce",
        "otherissuer",
        "leaver",
        "switched.off",
        "unverified",
    )
] + [
    person("pat.performance", f"pat.performance@{COUNCIL}", "pmis-performance"),
    person("sam.stranger", f"sam.stranger@{COUNCIL}", first_name="Sam", last_name="Stranger"),
    person("outsider", "outsider@example.com"),
]


@pytest.fixture(scope="module")
def provider():
    running = Provider(PEOPLE, ["http://testserver"])
    yield running
    running.stop()


@pytest.fixture
def council(settings, provider):
    """PMIS configured with the provider, as a council's environment would configure it."""
    settings.PMIS_OIDC_ISSUER = provider.issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.PMIS_OIDC_EMAIL_DOMAINS = [COUNCIL]
    return provider


def start(client, next_page=""):
    answer = client.get(reverse("sso:start") + (f"?next={next_page}" if next_page else ""))
    assert answer.status_code == 302
    return answer["Location"]


def back_to_pmis(client, location):
    """The browser arriving back at PMIS from the provider."""
    url = urlsplit(location)
    return client.get(f"{url.path}?{url.query}")


def sign_in(client, provider, username, session=None):
    return back_to_pmis(client, provider.sign_in(start(client), username, session))


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


def test_an_officer_signs_in_with_their_council_account_and_is_asked_for_no_pmis_code(client, council):
    officer = UserFactory(username="olly", email=f"Olly.Officer@{COUNCIL}", roles=[Role.OFFICER])
    # The provider does multi-factor authentication: PMIS's own code is for password sign-ins.
    TOTPDevice.objects.create(user=officer, name="Authenticator app", confirmed=True)
    authorize = start(client, next_page="/my-returns/")
    query = parse_qs(urlsplit(authorize).query)
    assert authorize.startswith(council.issuer + "/authorize/")
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"] and query["nonce"]
    assert query["state"] and query["scope"] == ["openid email profile"]

    answer = back_to_pmis(client, council.sign_in(authorize, "olly.officer"))

    assert answer.status_code == 302 and answer["Location"] == "/my-returns/"
    assert client.session[SESSION_KEY] == str(officer.pk)
    assert client.get(reverse("indicators:home")).status_code == 200


REFUSALS = [
    ("tampered", "PMIS could not verify the answer from the council's sign-in service."),
    ("wrongaud", "The answer from the council's sign-in service was not meant for PMIS."),
    ("expired", "The answer from the council's sign-in service had expired."),
    ("othernonce", "PMIS could not verify the answer from the council's sign-in service."),
    ("otherissuer", "The answer did not come from the council's sign-in service."),
    ("sam.stranger", f"PMIS has no account for sam.stranger@{COUNCIL}. Ask the performance team to give you access."),
    ("switched.off", f"Your PMIS account (switched.off@{COUNCIL}) is switched off."),
    ("unverified", f"Your council account's email address, unverified@{COUNCIL}, is not verified."),
    ("outsider", "PMIS does not accept accounts from example.com."),
]


@pytest.mark.parametrize(("username", "reason"), REFUSALS, ids=[username for username, _ in REFUSALS])
def test_a_sign_in_is_refused_with_the_reason_and_no_session(client, council, username, reason):
    # Every one of them has a PMIS account with a role, bar the stranger; the tampered token
    # claims to be from the performance team.
    for name in {username for username, _ in REFUSALS} - {"sam.stranger"} | {"pat.performance"}:
        email = "outsider@example.com" if name == "outsider" else f"{name}@{COUNCIL}"
        UserFactory(username=name, email=email, roles=[Role.PERFORMANCE_TEAM], is_active=name != "switched.off")

    answer = sign_in(client, council, username)

    assert answer.status_code == 403
    assert reason in answer.content.decode().replace("&#x27;", "'")
    assert not signed_in(client)
    assert client.get(reverse("indicators:home")).status_code == 302


def test_an_answer_from_the_provider_is_accepted_once(client, council):
    UserFactory(username="olly", email=f"olly.officer@{COUNCIL}", roles=[Role.OFFICER])
    answer = council.sign_in(start(client), "olly.officer")
    assert back_to_pmis(client, answer).status_code == 302 and signed_in(client)

    replayed = back_to_pmis(client, answer)

    assert replayed.status_code == 403 and "This sign-in link has been used already" in replayed.content.decode()
    assert not signed_in(client)
    # Nor in another browser, which never started that sign-in.
    client.logout()
    assert back_to_pmis(client, answer).status_code == 403 and not signed_in(client)


def test_someone_disabled_at_the_provider_is_signed_out_when_their_session_renews(client, council, settings):
    settings.OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = 0  # renew at every page
    UserFactory(username="leaver", email=f"leaver@{COUNCIL}", roles=[Role.OFFICER])
    at_provider = requests.Session()  # the browser's cookies at the provider
    sign_in(client, council, "leaver", at_provider)
    home = reverse("indicators:home")

    # While the account is on at the provider, the session renews without a prompt.
    renew = client.get(home)
    assert renew.status_code == 302 and parse_qs(urlsplit(renew["Location"]).query)["prompt"] == ["none"]
    assert back_to_pmis(client, council.sign_in(renew["Location"], "leaver", at_provider))["Location"] == home

    council.disable("leaver")
    renew = client.get(home)
    answer = back_to_pmis(client, council.sign_in(renew["Location"], "leaver", at_provider))

    assert answer.status_code == 403 and "Your session has ended" in answer.content.decode()
    assert not signed_in(client)
    with pytest.raises(PermissionError):  # the provider will not sign them in again
        council.sign_in(start(client), "leaver")


def test_signing_out_ends_the_session_at_the_provider_too(client, council):
    UserFactory(username="olly", email=f"olly.officer@{COUNCIL}", roles=[Role.OFFICER])
    at_provider = requests.Session()
    sign_in(client, council, "olly.officer", at_provider)

    answer = client.post(reverse("logout"))

    assert not signed_in(client)
    assert answer["Location"].startswith(council.issuer + "/logout/?")
    query = parse_qs(urlsplit(answer["Location"]).query)
    assert query["post_logout_redirect_uri"] == ["http://testserver/accounts/login/"] and query["id_token_hint"]
    back = at_provider.get(answer["Location"], allow_redirects=False, timeout=10)
    assert back.headers["Location"] == "http://testserver/accounts/login/"
    # Signing in again needs the council password again.
    assert urlsplit(at_provider.get(start(client), allow_redirects=False).headers["Location"]).path == "/login/"


def test_the_providers_groups_give_and_take_the_mapped_roles(client, council, settings):
    settings.PMIS_OIDC_ROLE_GROUPS = [("performance_team", "pmis-performance"), ("officer", "pmis-officers")]
    pat = UserFactory(username="pat", email=f"pat.performance@{COUNCIL}", roles=[Role.OFFICER, Role.CHIEF_OFFICER])

    sign_in(client, council, "pat.performance")

    assert set(pat.groups.values_list("name", flat=True)) == {Role.PERFORMANCE_TEAM, Role.CHIEF_OFFICER}


def test_someone_unknown_gets_an_account_with_no_role_when_the_council_chooses(client, council, settings):
    settings.PMIS_OIDC_UNKNOWN_PEOPLE = "create"

    answer = sign_in(client, council, "sam.stranger")

    stranger = User.objects.get(email=f"sam.stranger@{COUNCIL}")
    assert answer["Location"] == reverse("sso:no-role") and client.session[SESSION_KEY] == str(stranger.pk)
    assert (stranger.get_full_name(), stranger.has_usable_password(), stranger.groups.count()) == (
        "Sam Stranger",
        False,
        0,
    )
    assert "Ask the performance team to give you a role" in client.get(answer["Location"]).content.decode()
    assert client.get(reverse("indicators:home")).status_code == 403


@pytest.mark.parametrize("waiting", [1, 3])
def test_the_performance_team_sees_who_waits_for_a_role(client, performance, waiting, django_assert_num_queries):
    people = [UserFactory(username=f"new.{n}") for n in range(waiting)]
    UserFactory(username="has.role", roles=[Role.OFFICER])
    UserFactory(username="refused", is_active=False)

    with django_assert_num_queries(5):  # session, user, roles, message storage, the people
        page = client.get(reverse("sso:waiting")).content.decode()

    assert all(reverse("organisation:person", args=[person.pk]) in page for person in people)
    assert "has.role" not in page and "refused" not in page


def test_with_passwords_off_only_the_break_glass_superuser_signs_in_with_a_password_and_a_code(client, settings):
    settings.PMIS_OIDC_ISSUER = "https://login.example.org/tenant/v2.0"
    settings.PMIS_PASSWORD_SIGN_IN = False
    settings.PMIS_BREAK_GLASS_USERNAME = "emergency"
    UserFactory(username="olly", roles=[Role.OFFICER], password="a long enough passphrase 42")
    UserFactory(username="emergency", is_superuser=True, password="a long enough passphrase 42")

    page = client.get(reverse("login")).content.decode()
    assert "Sign in with your council account" in page and "Emergency access for the PMIS administrator" in page
    refused = client.post(reverse("login"), {"username": "olly", "password": "a long enough passphrase 42"})
    assert "PMIS passwords are switched off" in refused.content.decode() and not signed_in(client)

    client.post(reverse("login"), {"username": "emergency", "password": "a long enough passphrase 42"})
    assert signed_in(client)
    assert client.get(reverse("indicators:home"))["Location"].startswith(reverse("two-factor-setup"))


def test_a_provider_that_cannot_be_reached_is_said_so(client, settings):
    settings.PMIS_OIDC_ISSUER = "http://127.0.0.1:1/o"  # nothing listens on port 1

    answer = client.get(reverse("sso:start"))

    assert answer.status_code == 503 and "cannot be reached just now" in answer.content.decode()


def test_without_single_sign_on_the_page_has_the_password_form_only(client):
    page = client.get(reverse("login")).content.decode()
    assert "Sign in with your council account" not in page and 'name="password"' in page
    assert client.get(reverse("sso:start")).status_code == 404


def test_passwords_cannot_be_switched_off_without_single_sign_on():
    """Or nobody could sign in at all."""
    from tests.test_production_settings import load

    result = load(DEBUG="false", SECRET_KEY="a" * 50, PMIS_PASSWORD_SIGN_IN="false")
    assert result.returncode != 0 and "PMIS_PASSWORD_SIGN_IN can be off only with single sign-on" in result.stderr
