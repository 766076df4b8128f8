"""Foundation rows every app uses: per-year number sequences and periodic-job heartbeats."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NumberSequence(models.Model):
    """编号序列 — the last number handed out for one prefix in one year (T-2026-000123)."""

    prefix = models.CharField(_("prefix"), max_length=10)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="uniq_number_sequence")]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last}"


class JobHeartbeat(models.Model):
    """心跳 — when a periodic job last started and finished; /health/ reports stale ones."""

    name = models.CharField(_("job"), max_length=100, unique=True)
    created_at = models.DateTimeField(_("first seen"), default=timezone.now)
    last_started_at = models.DateTimeField(_("last started"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("last finished"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    runs = models.PositiveIntegerField(_("runs"), default=0)

    class Meta:
        verbose_name = _("job heartbeat")
        verbose_name_plural = _("job heartbeats")
        ordering = ["name"]

    def __str__(self):
        return self.name
