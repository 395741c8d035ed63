"""In a real browser: a member of the performance team signs in with their council account at
the council's OpenID Connect provider (a real one, tests/oidc_provider), lands on their home
page, sees who waits for a role, and signs out of PMIS and the provider."""

import pytest
from django.utils.csp import CSP

from organisation.models import Role
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, PASSWORD, Provider, person
from tests.organisation.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def provider(live_server):
    running = Provider([person("pat.performance", "pat.performance@fernley.gov.uk")], [live_server.url])
    yield running
    running.stop()


def test_sign_in_with_a_council_account_and_out_again(visitor, provider, settings):
    settings.PMIS_OIDC_ISSUER = provider.issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.PMIS_PASSWORD_SIGN_IN = False
    # As pmis/settings.py lets forms lead to the provider, for signing out there.
    settings.SECURE_CSP = {**settings.SECURE_CSP, "form-action": [CSP.SELF, provider.issuer.removesuffix("/o")]}
    UserFactory(username="pat", email="pat.performance@fernley.gov.uk", roles=[Role.PERFORMANCE_TEAM])
    UserFactory(username="sam", first_name="Sam", last_name="Stranger")  # waiting for a role
    page = visitor.page

    visitor.go("/accounts/login/")
    assert not page.get_by_label("Password").is_visible()  # only the break-glass account has one
    page.get_by_role("button", name="Sign in with your council account").click()
    # The council's own sign-in page.
    page.get_by_label("Council username").fill("pat.performance")
    page.get_by_label("Council password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in to the council").click()
    page.wait_for_url(visitor.base_url + "/")
    visitor.check()
    menu = page.get_by_role("navigation", name="Menu")
    assert menu.get_by_role("link", name="Validation").is_visible()  # the performance team's home
    visitor.go("/accounts/council/waiting/")
    assert page.get_by_role("link", name="Sam Stranger").is_visible()

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(visitor.base_url + "/accounts/login/")
    visitor.check()
    page.get_by_role("button", name="Sign in with your council account").click()
    assert page.get_by_label("Council username").is_visible()  # signed out at the provider too
    # An answer PMIS never asked for.
    visitor.go("/accounts/council/callback/?code=stolen&state=forged")
    assert page.get_by_role("heading", name="You could not be signed in").is_visible()
