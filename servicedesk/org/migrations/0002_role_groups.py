"""Create the role groups of SPEC §1 so a fresh database is usable; permissions follow post-migrate."""

from django.db import migrations


def create_role_groups(apps, schema_editor):
    from servicedesk.org.roles import sync_role_permissions

    sync_role_permissions(using=schema_editor.connection.alias, apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
