"""The Django admin becomes a superuser's emergency tool: every routine job has a page of
its own, so the performance team's group loses the model permissions it had for the admin,
and no one but a superuser keeps the staff flag that let them in."""

from django.db import migrations


def admin_for_superusers_only(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("organisation", "User")
    for group in Group.objects.filter(name="performance_team"):
        group.permissions.clear()
    User.objects.filter(is_staff=True, is_superuser=False).update(is_staff=False)


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0002_organisation_history"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(admin_for_superusers_only, migrations.RunPython.noop)]
