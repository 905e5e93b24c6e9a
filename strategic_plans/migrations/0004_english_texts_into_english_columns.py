"""The texts written before the framework had three languages are its English texts: copy
each into its English column (the French and Spanish ones stay empty, and read as English
until someone writes them)."""

from django.db import migrations
from django.db.models import F

FIELDS = {
    "StrategicPlan": ("title", "description"),
    "ProgrammeAndBudget": ("title",),
    "StrategicObjective": ("title", "description"),
    "Outcome": ("title", "statement"),
    "Indicator": ("text", "measurement_criteria", "baseline"),
    "StrategyElement": ("title", "description"),
}


def english_columns(apps, schema_editor):
    for name, fields in FIELDS.items():
        for model in (
            apps.get_model("strategic_plans", name),
            apps.get_model("strategic_plans", f"Historical{name}"),
        ):
            for field in fields:
                model._default_manager.filter(**{f"{field}_en__isnull": True}).update(
                    **{f"{field}_en": F(field)}
                )


def original_columns(apps, schema_editor):
    for name, fields in FIELDS.items():
        model = apps.get_model("strategic_plans", name)
        for field in fields:
            model._default_manager.exclude(**{f"{field}_en__isnull": True}).update(
                **{field: F(f"{field}_en")}
            )


class Migration(migrations.Migration):
    dependencies = [("strategic_plans", "0003_framework_texts_in_three_languages")]

    operations = [migrations.RunPython(english_columns, original_columns)]
