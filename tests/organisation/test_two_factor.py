"""Two-factor sign-in: codes from an authenticator app (real TOTP codes, computed as an app
would), optional per person, required for all staff when the performance team says so."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from organisation.models import Role, SignInPolicy
from tests.organisation.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a long enough passphrase 42"


def code(device: TOTPDevice, offset: int = 0) -> str:
    """The code an authenticator app shows now (offset: that many 30-second steps away)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def sign_in(client, user, follow=False):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD}, follow=follow)


def set_up(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def test_without_an_authenticator_a_password_is_enough(client):
    sign_in(client, UserFactory(username="olly", roles=[Role.OFFICER], password=PASSWORD))
    assert client.get(reverse("indicators:home")).status_code == 200


def test_with_an_authenticator_nothing_opens_until_the_code_is_entered(client):
    device = set_up(UserFactory(username="olly", roles=[Role.OFFICER], password=PASSWORD))
    sign_in(client, device.user)

    response = client.get(reverse("indicators:my-returns"))
    assert response.status_code == 302
    assert response["Location"] == reverse("two-factor-verify") + "?next=" + reverse("indicators:my-returns")
    assert client.get("/health/").status_code == 200  # the load balancer's page stays open

    wrong = client.post(reverse("two-factor-verify"), {"code": "000000" if code(device) != "000000" else "111111"})
    assert "That code is not right" in wrong.content.decode()
    assert client.get(reverse("indicators:my-returns")).status_code == 302

    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=5)):  # after the wait a failure costs
        response = client.post(
            reverse("two-factor-verify"), {"code": code(device), "next": reverse("indicators:my-returns")}
        )
    assert response.status_code == 302 and response["Location"] == reverse("indicators:my-returns")
    assert client.get(reverse("indicators:my-returns")).status_code == 200


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the 6-digit code"),
        ("12345", "Enter the code as 6 digits"),
        ("12a456", "Enter the code as 6 digits"),
        ("1234567", "Enter the code as 6 digits"),
    ],
)
def test_malformed_codes_are_explained(client, typed, message):
    device = set_up(UserFactory(username="olly", roles=[Role.OFFICER], password=PASSWORD))
    sign_in(client, device.user)
    body = client.post(reverse("two-factor-verify"), {"code": typed}).content.decode()
    assert message in body and "govuk-error-summary" in body


def test_repeated_wrong_codes_are_throttled_even_before_a_right_one(client):
    device = set_up(UserFactory(username="olly", roles=[Role.OFFICER], password=PASSWORD))
    sign_in(client, device.user)
    right = code(device)
    wrong = f"{(int(right) + 1) % 1000000:06d}"
    client.post(reverse("two-factor-verify"), {"code": wrong})
    body = client.post(reverse("two-factor-verify"), {"code": right}).content.decode()
    assert "Too many wrong codes" in body  # django-otp makes the next try wait after a failure
    assert client.get(reverse("indicators:home")).status_code == 302


def test_a_code_is_accepted_once_only(client):
    device = set_up(UserFactory(username="olly", roles=[Role.OFFICER], password=PASSWORD))
    used = code(device)
    sign_in(client, device.user)
    client.post(reverse("two-factor-verify"), {"code": used})
    client.post(reverse("logout"))
    sign_in(client, device.user)
    body = client.post(reverse("two-factor-verify"), {"code": used}).content.decode()
    assert "That code is not right" in body


def test_setting_up_shows_a_qr_code_and_key_and_turns_on_with_a_right_code(client):
    user = UserFactory(username="olly", roles=[Role.OFFICER], password=PASSWORD)
    sign_in(client, user)
    page = client.get(reverse("two-factor-setup")).content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert "<svg" in page and 'id="key"' in page

    client.post(reverse("two-factor-setup"), {"code": "000000" if code(device) != "000000" else "111111"})
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()

    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=5)):  # after the wait a failure costs
        response = client.post(reverse("two-factor-setup"), {"code": code(device)})
    assert response.status_code == 302
    assert TOTPDevice.objects.get(user=user).confirmed
    assert client.get(reverse("indicators:home")).status_code == 200  # verified by setting up


def test_when_required_everyone_with_a_role_sets_it_up_before_anything_else(client):
    SignInPolicy.objects.create(require_two_factor=True)
    sign_in(client, UserFactory(username="olly", roles=[Role.OFFICER], password=PASSWORD))
    response = client.get(reverse("indicators:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("two-factor-setup"))


def test_required_cannot_be_turned_off_but_optional_can(client):
    device = set_up(UserFactory(username="olly", roles=[Role.OFFICER], password=PASSWORD))
    sign_in(client, device.user)
    client.post(reverse("two-factor-verify"), {"code": code(device)})
    SignInPolicy.objects.create(require_two_factor=True)
    client.post(reverse("two-factor-off"))
    assert TOTPDevice.objects.filter(user=device.user).exists()

    SignInPolicy.objects.update(require_two_factor=False)
    client.post(reverse("two-factor-off"))
    assert not TOTPDevice.objects.filter(user=device.user).exists()


def test_only_the_performance_team_sets_the_policy_and_it_is_audited(client):
    officer = UserFactory(username="olly", roles=[Role.OFFICER], password=PASSWORD)
    sign_in(client, officer)
    assert client.post(reverse("two-factor-policy"), {"require_two_factor": "on"}).status_code == 403
    assert not SignInPolicy.current().require_two_factor
    assert "For all staff" not in client.get(reverse("two-factor")).content.decode()

    team = UserFactory(username="pat", roles=[Role.PERFORMANCE_TEAM], password=PASSWORD)
    client.post(reverse("logout"))
    sign_in(client, team)
    assert "For all staff" in client.get(reverse("two-factor")).content.decode()
    client.post(reverse("two-factor-policy"), {"require_two_factor": "on"})
    policy = SignInPolicy.current()
    assert policy.require_two_factor
    assert policy.history.first().history_user == team
    # The team member is now held to it too, on the next page.
    assert client.get(reverse("indicators:home"))["Location"].startswith(reverse("two-factor-setup"))


def test_the_pages_need_a_sign_in(client):
    for name in ("two-factor", "two-factor-verify", "two-factor-setup"):
        assert client.get(reverse(name))["Location"].startswith(reverse("login"))
    assert client.post(reverse("two-factor-policy"))["Location"].startswith(reverse("login"))


def test_next_never_leaves_the_site(client):
    device = set_up(UserFactory(username="olly", roles=[Role.OFFICER], password=PASSWORD))
    sign_in(client, device.user)
    response = client.post(reverse("two-factor-verify"), {"code": code(device), "next": "https://evil.example/"})
    assert response["Location"] == reverse("indicators:home")
