"""In a real browser: a member of staff turns on two-factor sign-in, signs out, and signs in
again with a password and the code their app would show."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from organisation.models import Role
from tests.e2e.test_journeys import PASSWORD
from tests.organisation.factories import UserFactory
from tests.organisation.test_two_factor import code

pytestmark = pytest.mark.django_db(transaction=True)


def test_turn_on_two_factor_then_sign_in_with_a_code(visitor):
    user = UserFactory(username="olly.officer", roles=[Role.OFFICER], password=PASSWORD)
    visitor.sign_in(user.username, PASSWORD)
    visitor.page.get_by_role("link", name="Two-factor sign-in").click()
    visitor.check()
    visitor.page.get_by_role("link", name="Set up two-factor sign-in").click()
    visitor.check()
    device = TOTPDevice.objects.get(user=user)
    visitor.page.get_by_label("Code from your authenticator app").fill(code(device))
    visitor.page.get_by_role("button", name="Turn on two-factor sign-in").click()
    visitor.check()
    assert "Two-factor sign-in is on" in visitor.page.content()

    visitor.page.get_by_role("button", name="Sign out").click()
    visitor.sign_in(user.username, PASSWORD)
    assert visitor.page.get_by_role("heading", name="Enter your sign-in code").is_visible()
    visitor.page.get_by_label("Code from your authenticator app").fill(code(device, offset=1))
    visitor.page.get_by_role("button", name="Continue").click()
    visitor.check()
    assert visitor.page.get_by_role("navigation", name="Menu").get_by_role("link", name="My returns").is_visible()
