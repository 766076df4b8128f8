"""The SLA targets of SPEC §4 as editable defaults (a manager changes them in the admin)."""

from django.db import migrations


def create(apps, schema_editor):
    from tickets.sla_defaults import ensure_default_sla_policies

    ensure_default_sla_policies(apps.get_model("tickets", "SLAPolicy"), using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0002_tickets_sla_work_orders")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
