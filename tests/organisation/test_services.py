"""The sign-in policy and authenticators change through organisation.services."""

import pytest
from django.core.exceptions import ValidationError
from django_otp.plugins.otp_totp.models import TOTPDevice

from organisation import services
from organisation.models import Role, SignInPolicy
from tests.organisation.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_performance_team_sets_the_sign_in_policy_on_the_record():
    team = UserFactory(username="pat.performance", roles=[Role.PERFORMANCE_TEAM])
    services.sign_in_policy_set(require_two_factor=True, by=team)
    services.sign_in_policy_set(require_two_factor=False, by=team)
    assert SignInPolicy.objects.count() == 1 and not SignInPolicy.current().require_two_factor
    assert [h.history_user for h in SignInPolicy.current().history.all()] == [team, team]
    with pytest.raises(ValidationError):
        services.sign_in_policy_set(
            require_two_factor=True, by=UserFactory(username="olly.officer", roles=[Role.OFFICER])
        )
    assert not SignInPolicy.current().require_two_factor


def test_an_authenticator_is_set_up_once_and_kept_while_the_council_requires_it():
    officer = UserFactory(username="olly.officer", roles=[Role.OFFICER])
    device = services.authenticator_start(user=officer)
    assert services.authenticator_start(user=officer) == device  # the same one until confirmed
    services.authenticator_confirm(device=device)
    services.sign_in_policy_set(
        require_two_factor=True, by=UserFactory(username="pat.performance", roles=[Role.PERFORMANCE_TEAM])
    )
    with pytest.raises(ValidationError, match="requires two-factor"):
        services.authenticators_remove(user=officer)
    assert TOTPDevice.objects.filter(user=officer, confirmed=True).exists()
