"""Which coming years still lack an official holiday schedule, and the warnings about them."""

from __future__ import annotations

from datetime import date

from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext, ngettext, pgettext

from .engine import OFFICIAL_YEARS
from .loader import get_calendar


def years_to_check(today: date | None = None) -> list[int]:
    """The current and the next year: December tickets already have deadlines in the next one."""
    today = today or timezone.localdate()
    return [today.year, today.year + 1]


def uncovered_years(*, today: date | None = None) -> list[int]:
    """Years among the current and next one with neither official data nor a manually entered schedule."""
    calendar = get_calendar()
    return [year for year in years_to_check(today) if not calendar.is_covered(year)]


def uncovered_years_without_database(*, today: date | None = None) -> list[int]:
    """The same from the package alone — for a database that is unreachable or not migrated yet."""
    return [year for year in years_to_check(today) if year not in OFFICIAL_YEARS]


def format_years(years: list[int]) -> str:
    return pgettext("list separator", ", ").join(str(y) for y in years)


def coverage_message(years: list[int]) -> str:
    return ngettext(
        "The official holiday schedule for %(years)s is not known yet. Deadlines in that year count "
        "only the weekly working hours and the date overrides, so statutory holidays and make-up "
        "working days (调休) are missed.",
        "The official holiday schedules for %(years)s are not known yet. Deadlines in those years count "
        "only the weekly working hours and the date overrides, so statutory holidays and make-up "
        "working days (调休) are missed.",
        len(years),
    ) % {"years": format_years(years)}


def coverage_hint() -> str:
    return gettext(
        "Upgrade the chinesecalendar package once the State Council has published the schedule, or "
        "enter the year's holidays and make-up working days under Business calendar › Calendar date "
        "overrides and then add the year under Manually entered years."
    )


def calendar_banners() -> list[tuple[str, str]]:
    """Banner provider for :mod:`servicedesk.core.banners` (admins and managers see it on every page)."""
    try:
        years = uncovered_years()
    except DatabaseError:
        years = uncovered_years_without_database()  # a banner must never break the page
    if not years:
        return []
    return [("warning", f"{coverage_message(years)} {coverage_hint()}")]
