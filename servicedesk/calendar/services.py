"""Writes of the business calendar: today only the coverage notification to administrators."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext

from .coverage import coverage_hint, coverage_message, uncovered_years

NOTIFICATION_KIND = "calendar_coverage"


def calendar_admins():
    """Who maintains the calendar: active superusers and members of the administrator role group."""
    from servicedesk.org.models import Role

    User = get_user_model()
    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name=Role.ADMIN))
        .distinct()
        .order_by("pk")
    )


def notify_admins_of_uncovered_years(*, today: date | None = None) -> list[int]:
    """Uncovered current/next year → one notification per admin and year; returns the years.

    The notification key is per year, so the daily run notifies each admin once per missing year
    (the banner and the system check keep reminding until the year is entered).
    """
    years = uncovered_years(today=today)
    if not years:
        return []
    from servicedesk.notifications.services import notify

    try:
        url = reverse("admin:business_calendar_manualscheduleyear_changelist")
    except NoReverseMatch:
        url = ""
    # Stored text: written in the site's language, not whatever a worker happens to have active.
    with translation.override(settings.LANGUAGE_CODE):
        for year in years:
            title = gettext("Holiday schedule for %(year)s missing from the business calendar") % {"year": year}
            body = f"{coverage_message([year])}\n\n{coverage_hint()}"
            for admin in calendar_admins():
                notify(recipient=admin, kind=NOTIFICATION_KIND, title=title, body=body, url=url,
                       key=f"calendar-coverage:{year}")
    return years
