"""Every change of a clock: start, pause, resume, stop, and the sweep that fires due ones.

Callers hold the owning object's lock (a ticket row) and pass the clock rows they change; the
sweep locks the clock rows itself. ``now`` is always server time.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import engine
from .models import Clock, ClockFiring


def _refresh(clock: Clock) -> None:
    """Derive due/warn moments and the next firing from the counted state."""
    d = engine.deadlines(
        kind=clock.kind, target=clock.target, elapsed=clock.elapsed, running_since=clock.running_since,
        warn_ratio=clock.warn_ratio,
    )
    if clock.running_since is None:
        # Paused: keep the last due_at for display, nothing fires until it resumes.
        clock.next_fire_at = None
        return
    clock.due_at, clock.warn_at = d.due_at, d.warn_at
    if clock.stopped_at is not None or clock.cancelled:
        clock.next_fire_at = None
    elif clock.warned_at is None and clock.warn_at is not None and clock.warn_at < clock.due_at:
        clock.next_fire_at = clock.warn_at
    elif clock.breached_at is None:
        clock.next_fire_at = clock.due_at
    else:
        clock.next_fire_at = None


def new_clock(model: type[Clock], *, target_code: str, kind: str, target: timedelta, now: datetime, warn_ratio: float = 0.8, **owner) -> Clock:
    """An unsaved running clock started at ``now`` (callers bulk-create several at once)."""
    clock = model(
        target_code=target_code, kind=kind, target=target, warn_ratio=warn_ratio,
        started_at=now, running_since=now, elapsed=timedelta(0), **owner,
    )
    _refresh(clock)
    return clock


_FIELDS = ["running_since", "elapsed", "due_at", "warn_at", "stopped_at", "cancelled", "next_fire_at"]


def pause_clock(clock: Clock, *, now: datetime) -> bool:
    """Running → paused: bank the time counted so far. False if it was not running."""
    if not clock.is_running:
        return False
    clock.elapsed = clock.elapsed_at(now)
    clock.running_since = None
    _refresh(clock)
    clock.save(update_fields=_FIELDS)
    return True


def resume_clock(clock: Clock, *, now: datetime) -> bool:
    """Paused → running from ``now``; the deadline moves by exactly the paused span."""
    if clock.running_since is not None or clock.stopped_at is not None or clock.cancelled:
        return False
    clock.running_since = now
    _refresh(clock)
    clock.save(update_fields=_FIELDS)
    return True


def stop_clock(clock: Clock, *, now: datetime) -> bool:
    """The event that meets the target happened (met in time or late). False if already stopped."""
    if clock.stopped_at is not None or clock.cancelled:
        return False
    clock.elapsed = clock.elapsed_at(now)
    if clock.running_since is not None:
        # due_at stays the last computed deadline: "met late" compares against it.
        clock.running_since = now
    clock.stopped_at = now
    clock.next_fire_at = None
    clock.save(update_fields=_FIELDS)
    return True


def cancel_clock(clock: Clock, *, now: datetime) -> bool:
    if clock.stopped_at is not None or clock.cancelled:
        return False
    clock.elapsed = clock.elapsed_at(now)
    clock.cancelled = True
    clock.stopped_at = now
    clock.next_fire_at = None
    clock.save(update_fields=_FIELDS)
    return True


# --- the sweep --------------------------------------------------------------------------------

_handlers: dict[str, tuple[type[Clock], callable]] = {}
_related: dict[str, tuple[str, ...]] = {}


def register_clock(model: type[Clock], on_fire, *, select_related: tuple[str, ...] = ()) -> None:
    """``on_fire(clock, kind)`` runs inside the sweep's transaction after the firing was claimed.
    It records its effects (notifications, log lines) in that transaction, so they commit together
    with the firing — never in ``on_commit``, which a worker killed right after the commit would skip
    while the firing stays claimed. Only messages to the outside (e-mail tasks) go ``delay_on_commit``.
    ``select_related`` names what the handler reads, fetched with the due rows (no query per row)."""
    _handlers[model._meta.label] = (model, on_fire)
    _related[model._meta.label] = select_related


def registered_clock_models() -> list[type[Clock]]:
    return [model for model, _ in _handlers.values()]


def _claim(clock: Clock, kind: str, due: datetime) -> bool:
    try:
        with transaction.atomic():
            ClockFiring.objects.create(clock_model=clock._meta.label, clock_id=clock.pk, kind=kind, due_at=due)
    except IntegrityError:
        return False
    return True


def fire_due_clocks(*, now: datetime | None = None, batch: int = 500) -> dict[str, int]:
    """Fire every warning and breach due by ``now``, each exactly once. Returns counts by kind.

    Rows are taken in batches with ``FOR UPDATE SKIP LOCKED`` (a work queue: a row another sweep
    holds is its job) until none is due — never capped at one batch per run.
    """
    now = now or timezone.now()
    fired = {ClockFiring.Kind.WARNING: 0, ClockFiring.Kind.BREACH: 0}
    for label, (model, on_fire) in _handlers.items():
        while True:
            with transaction.atomic():
                rows = list(
                    model.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related(*_related.get(label, ()))
                    .filter(next_fire_at__lte=now)
                    .order_by("next_fire_at")[:batch]
                )
                for clock in rows:
                    breach_due = clock.breached_at is None and clock.due_at is not None and clock.due_at <= now
                    if clock.warned_at is None and clock.warn_at is not None and clock.warn_at <= now and clock.warn_at < clock.due_at:
                        clock.warned_at = now
                        # A sweep that finds the breach already due (workers were down) reports the
                        # breach alone: a warning after the deadline would only be noise.
                        if not breach_due and _claim(clock, ClockFiring.Kind.WARNING, clock.due_at):
                            fired[ClockFiring.Kind.WARNING] += 1
                            on_fire(clock, ClockFiring.Kind.WARNING)
                    if breach_due:
                        clock.breached_at = now
                        clock.warned_at = clock.warned_at or now
                        if _claim(clock, ClockFiring.Kind.BREACH, clock.due_at):
                            fired[ClockFiring.Kind.BREACH] += 1
                            on_fire(clock, ClockFiring.Kind.BREACH)
                    _refresh(clock)
                    clock.save(update_fields=["warned_at", "breached_at", "next_fire_at", "due_at", "warn_at"])
            if len(rows) < batch:
                break
    return {str(k): v for k, v in fired.items()}
