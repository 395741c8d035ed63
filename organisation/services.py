from django.contrib.auth.models import Group, Permission

from .models import Role

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
