from django.db import migrations

# The categories a council starts with, and its appetite for each on the 5 by 5 matrix; the
# performance team changes them on the categories page.
CATEGORIES = [("Strategic", 12), ("Operational", 10), ("Financial", 8), ("Compliance", 6)]


def categories_add(apps, schema_editor):
    category = apps.get_model("risks", "RiskCategory")
    for name, appetite in CATEGORIES:
        category.objects.get_or_create(name=name, defaults={"appetite": appetite})


class Migration(migrations.Migration):
    dependencies = [("risks", "0001_risk_register")]

    operations = [migrations.RunPython(categories_add, migrations.RunPython.noop)]
