"""Seed the weekly working hours: 09:00–12:00 and 13:00–18:00 Monday to Friday, none at the weekend."""

from django.db import migrations

DEFAULT_HOURS = "09:00-12:00, 13:00-18:00"


def seed_weekly_hours(apps, schema_editor):
    WeeklyHours = apps.get_model("business_calendar", "WeeklyHours")
    db = schema_editor.connection.alias
    for weekday in range(7):
        # get_or_create: re-running on a database where an admin already set the hours keeps them.
        WeeklyHours.objects.using(db).get_or_create(
            weekday=weekday, defaults={"periods": DEFAULT_HOURS if weekday < 5 else ""}
        )


class Migration(migrations.Migration):
    dependencies = [("business_calendar", "0001_initial")]

    operations = [migrations.RunPython(seed_weekly_hours, migrations.RunPython.noop)]
