"""Periodic jobs record a heartbeat so /health/ can say when one has stopped running."""

from __future__ import annotations

import functools
import traceback

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from .models import JobHeartbeat


def periodic_job(name: str):
    """Decorate the body of a beat-scheduled task: records start, finish and the last error.

    ``name`` must be a key of ``settings.HEARTBEAT_INTERVALS`` (the expected interval in seconds).
    """
    if name not in settings.HEARTBEAT_INTERVALS:
        raise KeyError(f"periodic job {name!r} has no entry in settings.HEARTBEAT_INTERVALS")

    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            started = timezone.now()
            JobHeartbeat.objects.update_or_create(name=name, defaults={"last_started_at": started})
            try:
                result = func(*args, **kwargs)
            except Exception:
                JobHeartbeat.objects.filter(name=name).update(last_error=traceback.format_exc()[-4000:])
                raise
            JobHeartbeat.objects.filter(name=name).update(
                last_finished_at=timezone.now(), last_error="", runs=F("runs") + 1
            )
            return result

        return wrapper

    return decorate


# The job that runs every minute: its first row tells since when beat and a worker have been up.
CLOCK_JOB = "heartbeat"


def stale_jobs(now=None) -> list[dict]:
    """Jobs that have not finished within twice their interval.

    A job that never ran counts as stale only once the scheduler has been up for twice that
    job's interval (a daily job is not "stale" an hour after a fresh install); if the minute
    heartbeat itself never ran, beat or the worker is not running and that is reported.
    """
    now = now or timezone.now()
    seen = {hb.name: hb for hb in JobHeartbeat.objects.all()}
    clock = seen.get(CLOCK_JOB)
    up_since = clock.created_at if clock else None
    out = []
    for name, interval in settings.HEARTBEAT_INTERVALS.items():
        hb = seen.get(name)
        last = hb.last_finished_at if hb else None
        reference = last or (up_since if name != CLOCK_JOB else None)
        if reference is None or (now - reference).total_seconds() > 2 * interval:
            out.append({"job": name, "last_finished_at": last.isoformat() if last else None, "interval_s": interval})
    return out
