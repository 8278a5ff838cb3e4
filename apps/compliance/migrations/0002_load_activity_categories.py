"""Load the activity categories of apps/compliance/data.py (allowed ones and the excluded
services à la personne SAP-xx). Idempotent (update_or_create by code) and reversible (the
reverse removes the loaded codes that no contract uses)."""

from django.db import migrations
from django.db.models import ProtectedError


def load(apps, schema_editor):
    from apps.compliance.data import activity_category_rows

    ActivityCategory = apps.get_model("compliance", "ActivityCategory")
    for row in activity_category_rows():
        ActivityCategory.objects.update_or_create(
            code=row["code"],
            defaults={
                "label": str(row["label"]),
                "excluded": row["excluded"],
                "exclusion_rule": row["exclusion_rule"],
                "source": row["source"],
            },
        )


def unload(apps, schema_editor):
    from apps.compliance.data import activity_category_rows

    ActivityCategory = apps.get_model("compliance", "ActivityCategory")
    for row in activity_category_rows():
        try:
            ActivityCategory.objects.filter(code=row["code"]).delete()
        except ProtectedError:
            # A contract refers to it: keep the row rather than lose the contract's history.
            continue


class Migration(migrations.Migration):
    dependencies = [("compliance", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
