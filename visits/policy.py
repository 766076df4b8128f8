"""Date arithmetic of visits and renewals — no database, easy to test.

The renewal notice period is ONE value, ``settings.RENEWAL_NOTICE_MONTHS`` (SPEC §2: one month):
renewal tasks, reminders and the home pages (``reports.homes``) all read it from here.

Months are calendar months, clamped at month ends: a contract that ends on 31 March has its notice
due on 28 February (29 in a leap year); 29, 30 and 31 March all map to that same last day.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Callable
from datetime import date, timedelta

from django.conf import settings


def notice_months() -> int:
    """How many calendar months before expiry a contract's renewal notice is due."""
    return settings.RENEWAL_NOTICE_MONTHS


# Windows counted in days (the home pages list contracts "expiring within N days"): the longest span
# the notice period can have, so every contract whose notice is due is in such a window.
RENEWAL_NOTICE_DAYS = 31 * settings.RENEWAL_NOTICE_MONTHS


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months (negative: back), clamped to the last day of the month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def renewal_due_date(end_date: date, months: int | None = None) -> date:
    """The day a contract ending on ``end_date`` needs its renewal notice and task."""
    return add_months(end_date, -(notice_months() if months is None else months))


def renewal_window_end(today: date, months: int | None = None) -> date:
    """The last contract end date whose renewal notice is due on or before ``today``.

    ``renewal_due_date`` never decreases as the end date grows, so "notice due by today" is exactly
    ``end_date <= renewal_window_end(today)`` — a plain indexed range filter. On the last day of a
    month every end date up to the end of the month ``months`` later is due (28 Feb → 31 Mar).
    """
    months = notice_months() if months is None else months
    if today == month_end(today):
        return month_end(add_months(month_start(today), months))
    return add_months(today, months)


def parse_month(value: str) -> date:
    """``"2026-11"`` (or an ISO date) → the first day of that month; ValueError otherwise."""
    text = (value or "").strip()
    if len(text) == 7:
        text += "-01"
    return month_start(date.fromisoformat(text))


def working_share_elapsed(month: date, today: date, is_working_day: Callable[[date], bool]) -> float:
    """The share (0…1) of ``month``'s working days that have begun by ``today`` (today included).

    Past months give 1, future months 0. A month without a single working day counts as elapsed
    at its end only.
    """
    first, last = month_start(month), month_end(month)
    if today < first:
        return 0.0
    if today >= last:
        return 1.0
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    working = [d for d in days if is_working_day(d)]
    if not working:
        return 0.0
    return sum(1 for d in working if d <= today) / len(working)


def expected_by_now(target: int, share: float) -> int:
    """What a steady pace towards ``target`` would have reached after ``share`` of the month."""
    # A small tolerance: 15 × (10/20) must be 7.5 → 7, never 7.499999 → 7 or 8 by rounding noise.
    return min(target, math.floor(target * share + 1e-9))


# --- callback offsets ---------------------------------------------------------------------------

# The default callback plan of SPEC §7: 1 week, 1 month, 3 months, 6 months, 1 year after closure.
DEFAULT_CALLBACK_OFFSETS = ["7d", "1m", "3m", "6m", "12m"]
MAX_OFFSET_DAYS, MAX_OFFSET_MONTHS = 731, 24


def parse_offset(text) -> tuple[int, str]:
    """``"7d"`` → (7, "d"), ``"3m"`` → (3, "m"); ValueError for anything else (0, negatives, > 2 years)."""
    value = str(text or "").strip().lower()
    if len(value) < 2 or value[-1] not in "dm" or not value[:-1].isdigit():
        raise ValueError(value)
    number, unit = int(value[:-1]), value[-1]
    if number < 1 or number > (MAX_OFFSET_DAYS if unit == "d" else MAX_OFFSET_MONTHS):
        raise ValueError(value)
    return number, unit


def normalise_offsets(values) -> list[str]:
    """Offsets cleaned, de-duplicated and sorted by how long after closure they fall; ValueError on a bad one."""
    if isinstance(values, str):
        values = [v for v in values.replace("，", ",").split(",")]
    seen: dict[str, int] = {}
    for raw in values or []:
        if not str(raw).strip():
            continue
        number, unit = parse_offset(raw)
        seen[f"{number}{unit}"] = number if unit == "d" else number * 31
    return sorted(seen, key=lambda k: (seen[k], k))


def offset_due(closed_on: date, offset: str) -> date:
    """The day a callback ``offset`` after a closure on ``closed_on`` is due (months clamp at month ends)."""
    number, unit = parse_offset(offset)
    return closed_on + timedelta(days=number) if unit == "d" else add_months(closed_on, number)


def next_working_day(day: date, is_working_day: Callable[[date], bool]) -> date:
    """The first working day after ``day`` (the business calendar decides: weekends, holidays, 调休)."""
    candidate = day + timedelta(days=1)
    for _ in range(60):
        if is_working_day(candidate):
            return candidate
        candidate += timedelta(days=1)
    return day + timedelta(days=1)  # a calendar with no working day for two months: do not loop forever
