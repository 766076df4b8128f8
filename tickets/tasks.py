"""Celery tasks of the tickets app: thin wrappers that call one service each."""

from __future__ import annotations

from celery import shared_task

from servicedesk.audit.context import audit_context
from servicedesk.core.heartbeat import periodic_job

from . import carry_in


@shared_task(acks_late=True)
@periodic_job("carry-in-reminders")
def send_collection_reminders_task() -> dict:
    """Hourly: collection notices for repaired units not collected, then "ship to customer".

    Idempotent (one unique reminder row per unit and notice, inserted before notifying), so a
    repeated or redelivered run sends nothing twice.
    """
    with audit_context(task="carry_in_reminders"):
        return carry_in.send_collection_reminders()
