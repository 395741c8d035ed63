import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Benchmarks are what the domain calls other councils' figures: ComparatorValue becomes BenchmarkValue."""

    dependencies = [
        ("indicators", "0002_tolerance_installation_policy"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="comparatorvalue", name="comparator_value_unique"),
        migrations.RenameModel(old_name="ComparatorValue", new_name="BenchmarkValue"),
        migrations.AlterField(
            model_name="benchmarkvalue",
            name="indicator",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="benchmark_values", to="indicators.indicator"
            ),
        ),
        migrations.AddConstraint(
            model_name="benchmarkvalue",
            constraint=models.UniqueConstraint(
                fields=("indicator", "period", "group", "council"), name="benchmark_value_unique"
            ),
        ),
    ]
