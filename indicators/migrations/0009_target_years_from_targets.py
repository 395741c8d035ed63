"""Each indicator's existing targets for a year become one year proposal (TargetYear), so
that years set before proposals existed show their rationale and count against the
deadline. The year takes its least advanced target's status (a year is signed off only when
every one of its targets is) and the annual target's people and rationale, else the first
period's."""

from django.db import migrations

ORDER = ["draft", "proposed", "quality_assured", "signed_off"]
PEOPLE = ["proposed_by_id", "proposed_at", "quality_assured_by_id", "quality_assured_at"]


def forwards(apps, schema_editor):
    Target = apps.get_model("indicators", "Target")
    TargetYear = apps.get_model("indicators", "TargetYear")
    existing = set(TargetYear.objects.values_list("indicator_id", "year"))
    groups = {}
    for target in Target.objects.select_related("period").order_by("indicator_id", "period__end").iterator():
        key = (target.indicator_id, target.period.year)
        if key not in existing:
            groups.setdefault(key, []).append(target)
    made = []
    for (indicator_id, year), targets in groups.items():
        # The annual target speaks for the year where it is set.
        lead = next((t for t in targets if t.period.frequency == "year"), targets[0])
        status = min((t.status for t in targets), key=ORDER.index)
        made_year = TargetYear(
            indicator_id=indicator_id,
            year=year,
            profile="by_hand",
            rationale=lead.rationale or next((t.rationale for t in targets if t.rationale), ""),
            status=status,
            revision=max(t.revision for t in targets),
            return_comment=next((t.return_comment for t in targets if t.return_comment), "")
            if status == "draft"
            else "",
        )
        if status != "draft":
            for name in PEOPLE[:2] if status == "proposed" else PEOPLE:
                setattr(made_year, name, getattr(lead, name))
        if status == "signed_off":
            made_year.signed_off_by_id, made_year.signed_off_at = lead.signed_off_by_id, lead.signed_off_at
            # The year was signed off when its last target was.
            made_year.first_signed_off_at = max(t.signed_off_at for t in targets)
        made.append(made_year)
    TargetYear.objects.bulk_create(made, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("indicators", "0008_target_year")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
