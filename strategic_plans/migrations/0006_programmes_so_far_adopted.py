"""The programmes and budgets recorded before the lifecycle existed were adopted ones (the
Governing Body adopts each): mark them so, and keep their framework's texts as adopted
(ADR 0022)."""

from django.db import migrations

FIELDS = {
    "StrategicObjective": ("title", "description"),
    "Outcome": ("title", "statement"),
    "Indicator": ("text", "measurement_criteria", "baseline"),
}
PLAN_PATH = {
    "StrategicObjective": "plan_id",
    "Outcome": "objective__plan_id",
    "Indicator": "outcome__objective__plan_id",
}


def adopted(apps, schema_editor):
    programmes = apps.get_model("strategic_plans", "ProgrammeAndBudget")
    for programme in programmes.objects.all():
        frozen = {}
        for name, fields in FIELDS.items():
            model = apps.get_model("strategic_plans", name)
            for record in model.objects.filter(**{PLAN_PATH[name]: programme.plan_id}):
                frozen[f"{name.lower()}:{record.pk}"] = {
                    f"{field}_{language}": getattr(record, f"{field}_{language}") or ""
                    for field in fields
                    for language in ("en", "fr", "es")
                }
        programme.status = "adopted"
        programme.adopted_framework = frozen
        programme.save(update_fields=["status", "adopted_framework"])


def drafts(apps, schema_editor):
    apps.get_model("strategic_plans", "ProgrammeAndBudget").objects.update(
        status="draft", adopted_framework={}
    )


class Migration(migrations.Migration):
    dependencies = [("strategic_plans", "0005_programme_lifecycle_and_revisions")]

    operations = [migrations.RunPython(adopted, drafts)]
