"""Clocks: deadlines stored in the database and fired exactly once by a sweep.

Concrete clocks (a ticket's SLA targets, an out-of-stock reply) subclass :class:`Clock` in their
own app and register with :mod:`servicedesk.clocks.sweep`. The sweep finds due rows through the
indexed ``next_fire_at`` column and inserts a :class:`ClockFiring` row — unique per clock, kind and
due moment — before anyone is notified, so a warning or breach happens once even if two sweeps,
a redelivered task or a restarted worker meet the same row.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

from . import engine


class ClockKind(models.TextChoices):
    WORKING = engine.WORKING, _("Working time")
    CALENDAR = engine.CALENDAR, _("Calendar time")


class ClockState(models.TextChoices):
    RUNNING = "running", _("Running")
    WARNING = "warning", _("Warning")
    BREACHED = "breached", _("Breached")
    PAUSED = "paused", _("Paused")
    MET = "met", _("Met")
    MISSED = "missed", _("Met late")
    CANCELLED = "cancelled", _("Cancelled")


class Clock(models.Model):
    """An abstract deadline clock. Fields change only through :mod:`servicedesk.clocks.services`."""

    target_code = models.CharField(_("target"), max_length=40)
    kind = models.CharField(_("counted in"), max_length=10, choices=ClockKind.choices)
    target = models.DurationField(_("target duration"))
    warn_ratio = models.FloatField(_("warn at"), default=0.8)
    started_at = models.DateTimeField(_("started at"))
    running_since = models.DateTimeField(_("running since"), null=True, blank=True)
    elapsed = models.DurationField(_("time counted before the last pause"), default=timedelta(0))
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    warn_at = models.DateTimeField(_("warn at (moment)"), null=True, blank=True)
    warned_at = models.DateTimeField(_("warned at"), null=True, blank=True)
    breached_at = models.DateTimeField(_("breached at"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    # The next moment the sweep must look at this clock (warning, then breach); NULL when nothing
    # is left to fire. A partial index on it keeps the sweep an index scan over due rows only.
    next_fire_at = models.DateTimeField(_("next firing"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_running(self) -> bool:
        return self.running_since is not None and self.stopped_at is None

    def elapsed_at(self, moment) -> timedelta:
        return engine.elapsed_at(kind=self.kind, elapsed=self.elapsed, running_since=self.running_since, moment=moment)

    def remaining_at(self, moment) -> timedelta:
        """Time left at ``moment`` in the clock's own unit (negative once breached)."""
        return self.target - self.elapsed_at(moment)

    def state_at(self, moment) -> str:
        """Computed from the stored deadlines at read time, never from what the sweep has done."""
        if self.cancelled:
            return ClockState.CANCELLED
        if self.stopped_at is not None:
            late = self.breached_at is not None or (self.due_at is not None and self.stopped_at > self.due_at)
            return ClockState.MISSED if late else ClockState.MET
        if self.running_since is None:
            return ClockState.PAUSED
        if self.due_at is not None and moment >= self.due_at:
            return ClockState.BREACHED
        if self.warn_at is not None and moment >= self.warn_at:
            return ClockState.WARNING
        return ClockState.RUNNING


class ClockFiring(models.Model):
    """时限触发记录 — one warning or breach of one clock at one due moment; its existence is the claim."""

    class Kind(models.TextChoices):
        WARNING = "warning", _("Warning")
        BREACH = "breach", _("Breach")

    clock_model = models.CharField(_("clock type"), max_length=100)
    clock_id = models.BigIntegerField(_("clock"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    due_at = models.DateTimeField(_("for the deadline"))
    fired_at = models.DateTimeField(_("fired at"), auto_now_add=True)

    class Meta:
        verbose_name = _("clock firing")
        verbose_name_plural = _("clock firings")
        constraints = [
            models.UniqueConstraint(fields=["clock_model", "clock_id", "kind", "due_at"], name="uniq_clock_firing"),
        ]
        indexes = [models.Index(fields=["clock_model", "clock_id"], name="clock_firing_clock_idx")]

    def __str__(self):
        return f"{self.clock_model}#{self.clock_id} {self.kind} @ {self.due_at:%Y-%m-%d %H:%M}"
