"""The weekly backup's calendar arithmetic — no database; the business calendar answers the days.

**Due rule** (SPEC §9, 重要资料备份规定): a week (Monday–Sunday) is due at the end of working
hours of the *last working day from Monday to Friday* — Friday 18:00 in a normal week; when Friday
is a holiday (or the days before a long holiday are), the end of the last working day before it
(e.g. the week of 2026-09-28: 1–2 October are National Day, so Wednesday 30 September 18:00).
"End of working hours" is the end of that day's last working period, so an admin's custom hours
for the day move it with them. A week with no working day from Monday to Friday falls back to a
make-up weekend day (调休) of the same week; a week without any working day has no backup due.

**Overdue days**: calendar days, counted in started 24-hour periods after the due moment — day 1
is (due, due + 24 h], day 2 the next 24 h, and so on, until the backup arrives (or, while it is
still missing, until the check). Day *n* is dated ``due date + n`` (Friday's due → day 1 is
Saturday), and that date decides the month in which its points count.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

from servicedesk.calendar import CALENDAR_TZ, get_calendar

DAY = timedelta(days=1)


def week_start_of(day: date) -> date:
    """The Monday of ``day``'s week (a datetime is taken as its Shanghai date)."""
    if isinstance(day, datetime):
        day = day.astimezone(CALENDAR_TZ).date()
    return day - timedelta(days=day.weekday())


def is_week_start(day: date) -> bool:
    return isinstance(day, date) and not isinstance(day, datetime) and day.weekday() == 0


def due_day(week_start: date) -> date | None:
    """The working day whose end is the week's deadline, or None when the week has no working day."""
    if not is_week_start(week_start):
        raise ValueError(f"{week_start!r} is not a Monday")
    calendar = get_calendar()
    # Friday back to Monday first: "the last working day before" the Friday holiday.
    for offset in (4, 3, 2, 1, 0, 6, 5):
        day = week_start + timedelta(days=offset)
        if calendar.is_working_day(day):
            return day
    return None


def due_moment(week_start: date) -> datetime | None:
    """When the week's backup is due (aware, Asia/Shanghai), or None when nothing is due."""
    day = due_day(week_start)
    if day is None:
        return None
    return get_calendar().working_periods(day)[-1][1]


def overdue_days(due: datetime, until: datetime, *, limit: int = 0) -> int:
    """Started 24-hour periods from ``due`` to ``until`` (0 when on time); at most ``limit`` if set."""
    if until <= due:
        return 0
    days = math.ceil((until - due) / DAY)
    return min(days, limit) if limit else days


def overdue_date(due: datetime, day_no: int) -> date:
    """The calendar date of overdue day ``day_no`` (1 = the day after the due date)."""
    return due.astimezone(CALENDAR_TZ).date() + timedelta(days=day_no)
