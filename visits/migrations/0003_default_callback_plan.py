"""The default callback plan of SPEC §7: every product line and category, 1 week, 1 month, 3 months,
6 months and 1 year after the work order closed. A manager edits or replaces it in the admin."""

from django.db import migrations

DEFAULT_OFFSETS = ["7d", "1m", "3m", "6m", "12m"]


def create_default_plan(apps, schema_editor):
    CallbackPlan = apps.get_model("visits", "CallbackPlan")
    if not CallbackPlan.objects.filter(product_line__isnull=True, category="", is_active=True).exists():
        CallbackPlan.objects.create(name="标准回访计划", product_line=None, category="", offsets=DEFAULT_OFFSETS, is_active=True)


class Migration(migrations.Migration):
    dependencies = [("visits", "0002_callbacks")]

    operations = [migrations.RunPython(create_default_plan, migrations.RunPython.noop)]
