"""System check: warn when the current or next year has no official holiday schedule."""

from django.core.checks import Warning, register
from django.db import DatabaseError

from .coverage import coverage_hint, coverage_message, uncovered_years, uncovered_years_without_database


@register()
def check_calendar_coverage(app_configs=None, **kwargs):
    if app_configs is not None and not any(c.label == "business_calendar" for c in app_configs):
        return []
    try:
        years = uncovered_years()
    except DatabaseError:
        # Not migrated yet (or unreachable): judge by the package alone; manually entered years
        # cannot be seen, so this may warn about a year an admin already entered.
        years = uncovered_years_without_database()
    if not years:
        return []
    return [Warning(coverage_message(years), hint=coverage_hint(), id="business_calendar.W001")]
