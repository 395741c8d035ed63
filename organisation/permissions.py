"""Who holds which role. A person may hold several (docs/domain.md)."""

from django.conf import settings

from .models import Role, SignInPolicy


def roles(user) -> frozenset[str]:
    """The user's roles, read once per user object. A superuser holds every role."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_pmis_roles", None)
    if cached is None:
        if user.is_superuser:
            cached = frozenset(Role)
        else:
            cached = frozenset(user.groups.filter(name__in=list(Role)).values_list("name", flat=True))
        user._pmis_roles = cached
    return cached


def has_role(user, *wanted: Role) -> bool:
    return bool(roles(user) & set(wanted))


def is_performance_team(user) -> bool:
    return has_role(user, Role.PERFORMANCE_TEAM)


def two_factor_required(user) -> bool:
    """Whether the council's sign-in policy requires the user to sign in with a code (always,
    once password sign-in is off and only the break-glass account has a password)."""
    if not settings.PMIS_PASSWORD_SIGN_IN:
        return True
    return bool(roles(user)) and SignInPolicy.current().require_two_factor
