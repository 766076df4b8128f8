"""The process-wide calendar: loaded from the database once, then served from memory.

Deadlines are computed for every ticket (≥100 registrations a second, several clocks each), so a
computation must not query the database. The calendar (weekly hours, overrides, manually entered
years) is therefore built once per process and kept until it may have changed:

* **This process wrote a row** (admin save, a service, a test fixture): the ``post_save`` /
  ``post_delete`` receivers in :mod:`.receivers` drop the cached calendar at once, and again when
  the transaction commits. Until then the writing connection sees its own uncommitted rows, so
  while such a write is pending in the current thread's transaction each call builds a private
  calendar from the database (a few queries; only ever inside the writing transaction) and nothing
  uncommitted is ever cached for other threads. A pending write is recognised by a marker callback
  registered with ``on_commit``; Django discards those callbacks on rollback (also to a savepoint),
  so a rolled-back change is forgotten as well — this is what keeps one test's overrides from
  leaking into the next.
* **Another process wrote a row** (the web process's admin, seen by a Celery worker): at most every
  ``BUSINESS_CALENDAR_RECHECK_SECONDS`` (default 5 s) a call compares a fingerprint — row count and
  latest ``updated_at`` of the three tables, three tiny aggregate queries — with the one the
  calendar was built from, and rebuilds on a difference. We chose a database fingerprint over a
  version number in Django's cache because the quick start's cache is per-process (locmem), where
  a cache version could never reach the worker; the database is the one thing all processes share.
  Under pytest (``settings.TESTING``) the default is never to recheck: the test process is the only
  writer to its database, and a recheck firing inside a ``django_assert_num_queries`` block would
  make query-count tests flaky.
* ``flush``/``migrate`` (``post_migrate``) drop the cache too, since flushing sends no delete signals.

Writes that bypass signals and ``updated_at`` (``queryset.update()``, ``bulk_create``, raw SQL) are
not noticed within the process; call :func:`invalidate_calendar_cache` after them.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import date

from django.conf import settings
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.dispatch import receiver

from .engine import Calendar, InvalidPeriods, Override, parse_periods

log = logging.getLogger(__name__)

DEFAULT_RECHECK_SECONDS = 5.0


class _Loaded:
    __slots__ = ("calendar", "fingerprint", "checked_at")

    def __init__(self, calendar: Calendar, fingerprint: tuple, checked_at: float):
        self.calendar = calendar
        self.fingerprint = fingerprint
        self.checked_at = checked_at


_current: _Loaded | None = None
# Bumped by every invalidation; a load that started before one must not install its result.
_generation = 0
_lock = threading.Lock()


class _Pending(threading.local):
    def __init__(self):
        self.markers: list = []  # (alias, on_commit callback) of this thread's uncommitted writes


_pending = _Pending()
_UNSET = object()
_recheck: object = _UNSET  # settings are slow to read on the hot path; cached, reset by setting_changed


def _recheck_seconds() -> float | None:
    global _recheck
    if _recheck is _UNSET:
        value = getattr(settings, "BUSINESS_CALENDAR_RECHECK_SECONDS", _UNSET)
        if value is _UNSET:
            value = None if getattr(settings, "TESTING", False) else DEFAULT_RECHECK_SECONDS
        _recheck = value
    return _recheck


@receiver(setting_changed)
def _settings_changed(*, setting, **kwargs):
    global _recheck
    if setting in ("BUSINESS_CALENDAR_RECHECK_SECONDS", "TESTING"):
        _recheck = _UNSET


def _models():
    from .models import DateOverride, ManualScheduleYear, WeeklyHours

    return WeeklyHours, DateOverride, ManualScheduleYear


def fingerprint(using: str = DEFAULT_DB_ALIAS) -> tuple:
    """(row count, latest updated_at) of each calendar table: changes whenever a row does."""
    from django.db.models import Count, Max

    out = []
    for model in _models():
        agg = model.objects.using(using).aggregate(n=Count("pk"), t=Max("updated_at"))
        out.append((agg["n"], agg["t"]))
    return tuple(out)


def _fingerprint_of(rows) -> tuple:
    return (len(rows), max((r[-1] for r in rows), default=None))


def build_calendar(using: str = DEFAULT_DB_ALIAS) -> tuple[Calendar, tuple]:
    """Read the calendar tables (three queries) into a :class:`Calendar` and its fingerprint."""
    WeeklyHours, DateOverride, ManualScheduleYear = _models()
    weekly_rows = list(WeeklyHours.objects.using(using).values_list("weekday", "periods", "updated_at"))
    override_rows = list(
        DateOverride.objects.using(using).values_list("date", "kind", "periods", "note", "updated_at")
    )
    year_rows = list(ManualScheduleYear.objects.using(using).values_list("year", "updated_at"))

    weekly = {}
    for weekday, text, _updated in weekly_rows:
        try:
            weekly[weekday] = parse_periods(text)
        except InvalidPeriods:
            # Only reachable by bypassing validation; one bad row must not stop every deadline.
            log.error("weekly hours of weekday %s are unreadable (%r); using the default", weekday, text)
    overrides: dict[date, Override] = {}
    for day, kind, text, note, _updated in override_rows:
        try:
            overrides[day] = Override(kind=kind, periods=parse_periods(text), note=note)
        except InvalidPeriods:
            log.error("calendar override of %s has unreadable hours (%r); ignored", day, text)
    calendar = Calendar(weekly=weekly, overrides=overrides, manual_years=[y for y, _u in year_rows])
    return calendar, (_fingerprint_of(weekly_rows), _fingerprint_of(override_rows), _fingerprint_of(year_rows))


def _has_pending_write() -> bool:
    markers = _pending.markers
    if not markers:
        return False
    alive = []
    for alias, marker in markers:
        if any(entry[1] is marker for entry in connections[alias].run_on_commit):
            alive.append((alias, marker))
    _pending.markers = alive
    if not alive:
        # Every pending write was rolled back: what other threads cached is still right, but drop
        # it anyway in case this thread's own build leaked in before we could tell.
        invalidate_calendar_cache()
    return bool(alive)


def get_calendar() -> Calendar:
    """The current calendar, from memory unless it may have changed (see the module docstring)."""
    if _pending.markers and _has_pending_write():
        return build_calendar()[0]
    loaded = _current
    if loaded is not None:
        interval = _recheck_seconds()
        if interval is None:
            return loaded.calendar
        now = time.monotonic()
        if now - loaded.checked_at < interval:
            return loaded.calendar
        if fingerprint() == loaded.fingerprint:
            loaded.checked_at = now
            return loaded.calendar
    return _reload()


def _reload() -> Calendar:
    global _current
    generation = _generation
    calendar, fp = build_calendar()
    with _lock:
        if generation == _generation:
            _current = _Loaded(calendar, fp, time.monotonic())
    return calendar


def invalidate_calendar_cache() -> None:
    """Forget the cached calendar in this process; the next call reloads it."""
    global _current, _generation
    with _lock:
        _generation += 1
        _current = None


def calendar_rows_changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """A calendar row was written on ``using``: drop the cache now and again once committed."""
    invalidate_calendar_cache()
    connection = connections[using]
    if not connection.in_atomic_block:
        return  # autocommit: the row is already committed

    def committed():
        # captureOnCommitCallbacks(execute=True) runs callbacks inside the test's transaction;
        # nothing is committed then, so the write stays pending.
        if connections[using].in_atomic_block:
            return
        _pending.markers = [(a, m) for a, m in _pending.markers if m is not committed]
        invalidate_calendar_cache()

    _pending.markers = [*_pending.markers, (using, committed)]
    transaction.on_commit(committed, using=using)
