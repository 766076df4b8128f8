"""Deadline arithmetic for clocks that run, pause and resume — no database.

A clock measures ``target`` of either working time (the business calendar) or calendar time.
It keeps ``elapsed`` (time counted while running, up to the last pause) and ``running_since``
(None while paused). Everything else — the due moment, the 80 % warning moment, what is left —
is derived, so pausing and resuming can never lose or double-count time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from servicedesk.calendar import add_working_time, working_time_between

WORKING = "working"
CALENDAR = "calendar"


def add_time(kind: str, start: datetime, duration: timedelta) -> datetime:
    if duration <= timedelta(0):
        return start
    return add_working_time(start, duration) if kind == WORKING else start + duration


def time_between(kind: str, start: datetime, end: datetime) -> timedelta:
    if end <= start:
        return timedelta(0)
    return working_time_between(start, end) if kind == WORKING else end - start


@dataclass(frozen=True)
class Deadlines:
    due_at: datetime | None
    warn_at: datetime | None


def deadlines(*, kind: str, target: timedelta, elapsed: timedelta, running_since: datetime | None, warn_ratio: float) -> Deadlines:
    """Due and warning moments of a running clock; both None while it is paused."""
    if running_since is None:
        return Deadlines(None, None)
    remaining = target - elapsed
    due = add_time(kind, running_since, remaining) if remaining > timedelta(0) else running_since
    warn_left = target * warn_ratio - elapsed
    warn = add_time(kind, running_since, warn_left) if warn_left > timedelta(0) else running_since
    return Deadlines(due, warn)


def elapsed_at(*, kind: str, elapsed: timedelta, running_since: datetime | None, moment: datetime) -> timedelta:
    """Counted time at ``moment``: what was banked plus what ran since the last resume."""
    if running_since is None:
        return elapsed
    return elapsed + time_between(kind, running_since, moment)
