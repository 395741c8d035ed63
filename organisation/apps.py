from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_role_groups(sender, **kwargs):
    from .services import role_groups_ensure

    role_groups_ensure()


class OrganisationConfig(AppConfig):
    name = "organisation"

    def ready(self):
        from django.core import checks

        from .oidc import check_role_groups

        checks.register(check_role_groups)
        # After each app migrates, so the performance team also gets the permissions of
        # the apps migrated after this one.
        post_migrate.connect(_ensure_role_groups, dispatch_uid="organisation.role_groups")
