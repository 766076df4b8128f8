"""Cache invalidation only: a changed calendar row makes this process reload the calendar.

These are ``post_save``/``post_delete`` receivers, which the conventions reserve for exactly this
kind of non-business side effect; the reload itself is cheap and idempotent.
"""

from django.db.models.signals import post_delete, post_migrate, post_save

from .loader import calendar_rows_changed, invalidate_calendar_cache
from .models import DateOverride, ManualScheduleYear, WeeklyHours


def _row_changed(sender, using, **kwargs):
    calendar_rows_changed(using)


def _tables_reset(**kwargs):
    invalidate_calendar_cache()


def connect(app_config) -> None:
    for model in (WeeklyHours, DateOverride, ManualScheduleYear):
        post_save.connect(_row_changed, sender=model, dispatch_uid=f"business_calendar.saved.{model.__name__}")
        post_delete.connect(_row_changed, sender=model, dispatch_uid=f"business_calendar.deleted.{model.__name__}")
    # ``flush`` (transactional tests) empties the tables without delete signals but ends with
    # post_migrate; so does ``migrate`` after a data migration changed the hours.
    post_migrate.connect(_tables_reset, sender=app_config, dispatch_uid="business_calendar.reset")
