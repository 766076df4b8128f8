"""Celery tasks of the appraisal app: thin wrappers over one service each."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from servicedesk.audit.context import audit_context
from servicedesk.core.heartbeat import periodic_job

from . import services


@shared_task(acks_late=True)
@periodic_job("appraisal-backup-check")
def check_backups_task(now: str | None = None) -> list[int]:
    """Monday 10:00 (beat): check last week's backups and re-check weeks still missing one.

    Idempotent (unique entries, deductions and notification keys), so a redelivered message or a
    second run deducts nothing twice. ``now`` (ISO 8601) replays a run as of another moment.
    """
    moment = parse_datetime(now) if now else timezone.now()
    if moment is None or timezone.is_naive(moment):
        raise ValueError(f"now={now!r} is not an aware ISO 8601 datetime")
    with audit_context(task="check_backups_task"):
        return services.run_weekly_backup_checks(now=moment)


@shared_task(acks_late=True)
@periodic_job("appraisal-feedback-forms")
def feedback_forms_task(now: str | None = None) -> dict:
    """Hourly (beat): collect yesterday's feedback forms for the managers' morning scoring, and flag
    and hand on those left unconfirmed a day. Idempotent (one form per order; due times move on)."""
    moment = parse_datetime(now) if now else timezone.now()
    if moment is None or timezone.is_naive(moment):
        raise ValueError(f"now={now!r} is not an aware ISO 8601 datetime")
    with audit_context(task="feedback_forms_task"):
        return services.run_feedback_forms(now=moment)
