from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from pmis.locking import save_as

from .models import Role, SignInPolicy
from .permissions import is_performance_team, two_factor_required

AUTHENTICATOR_NAME = "Authenticator app"

# The apps whose records the performance team administers.
FRAMEWORK_APPS = ["organisation", "indicators", "plans", "reviews", "outbox", "imports"]


def role_groups_ensure() -> dict[str, Group]:
    """Create the role groups if missing; the performance team may administer the framework.

    What the other roles may see and change is decided per object (their service, their
    portfolio), not by model permissions.
    """
    groups = {}
    for role in Role:
        groups[role.value], _ = Group.objects.get_or_create(name=role.value)
    framework = Permission.objects.filter(content_type__app_label__in=FRAMEWORK_APPS)
    groups[Role.PERFORMANCE_TEAM].permissions.add(*framework)
    return groups


# Two-factor sign-in


def sign_in_policy_set(*, require_two_factor: bool, by) -> SignInPolicy:
    """Require two-factor sign-in of everyone with a role, or not (the performance team)."""
    if not is_performance_team(by):
        raise ValidationError("Only the performance team sets the sign-in policy.")
    with transaction.atomic():
        policy = SignInPolicy.objects.select_for_update().first() or SignInPolicy()
        policy.require_two_factor = require_two_factor
        save_as(policy, by)
    return policy


def authenticator_start(*, user) -> TOTPDevice:
    """The user's authenticator waiting to be confirmed with a first code, made if missing."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def authenticator_confirm(*, device: TOTPDevice) -> TOTPDevice:
    """Turn two-factor sign-in on once the user has entered a right code from the device."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device


def authenticators_remove(*, user) -> None:
    """Turn the user's two-factor sign-in off, unless the council requires it of them."""
    if two_factor_required(user):
        raise ValidationError("The council requires two-factor sign-in, so it cannot be turned off.")
    TOTPDevice.objects.filter(user=user).delete()
