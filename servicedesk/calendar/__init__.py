"""工作日历 — the business calendar: working hours, statutory holidays, make-up days (调休).

Public API (every deadline in the project goes through these)::

    from servicedesk.calendar import add_working_time, working_time_between, is_working_day

    add_working_time(start, duration) -> datetime
        The earliest moment by which ``duration`` of working time has elapsed after ``start``.
        ``duration == 0`` returns ``start`` (as Asia/Shanghai); a negative duration is a ValueError.
    working_time_between(start, end) -> timedelta
        Working time in [start, end); ``timedelta(0)`` when ``end <= start`` — never negative, so a
        clock that is already past its deadline reads as "no working time left".
    is_working_day(day) -> bool
    working_day_length(day) -> timedelta          that day's working hours (0 on a day off)
    normal_day_length() -> timedelta               a normal working day (8 h by default)
    working_days(n) -> timedelta                   "N working days" = N × normal_day_length() (SPEC §4)
    working_periods(day) -> [(start, end), …]      aware datetimes
    is_working_time(moment) -> bool
    explain_day(day) -> DayInfo                     the hours of a day and where they come from
    get_calendar() -> Calendar                      the cached calendar, for loops over many dates

Datetimes must be aware (any time zone; results are in Asia/Shanghai); a naive one is a
ValueError. A ``day`` is a ``date``, or an aware datetime standing for its Shanghai date.
Results are exact to the microsecond. Nothing here queries the database on the hot path: see
:mod:`servicedesk.calendar.loader` for the cache and its invalidation, and
:mod:`servicedesk.calendar.engine` for the arithmetic and the data source.

This package is a Django app, so importing it must not import models: the modules imported here
load them lazily.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from .engine import CALENDAR_TZ, Calendar, CalendarError, DayInfo
from .loader import get_calendar, invalidate_calendar_cache

__all__ = [
    "CALENDAR_TZ",
    "Calendar",
    "CalendarError",
    "DayInfo",
    "add_working_time",
    "explain_day",
    "get_calendar",
    "invalidate_calendar_cache",
    "is_working_day",
    "is_working_time",
    "normal_day_length",
    "working_day_length",
    "working_days",
    "working_periods",
    "working_time_between",
]


def add_working_time(start: datetime, duration: timedelta) -> datetime:
    """``duration`` of working time after ``start`` (e.g. Fri 17:00 + 2 h → Mon 10:00)."""
    return get_calendar().add(start, duration)


def working_time_between(start: datetime, end: datetime) -> timedelta:
    """Working time in [start, end); ``timedelta(0)`` when ``end <= start``."""
    return get_calendar().between(start, end)


def is_working_day(day: date) -> bool:
    return get_calendar().is_working_day(day)


def is_working_time(moment: datetime) -> bool:
    return get_calendar().is_working_time(moment)


def working_day_length(day: date) -> timedelta:
    return get_calendar().working_day_length(day)


def normal_day_length() -> timedelta:
    return get_calendar().normal_day_length()


def working_days(n) -> timedelta:
    """"N working days" as working time: ``add_working_time(t, working_days(3))`` is "3 working days after t"."""
    return get_calendar().working_days(n)


def working_periods(day: date) -> list[tuple[datetime, datetime]]:
    return get_calendar().working_periods(day)


def explain_day(day: date) -> DayInfo:
    return get_calendar().explain(day)
