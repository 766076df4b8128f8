"""Celery tasks of the visits app: thin wrappers that call one service each."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from servicedesk.audit.context import audit_context
from servicedesk.core.heartbeat import periodic_job

from . import policy, reminders, services


@shared_task(acks_late=True)
@periodic_job("visits-daily-reminders")
def run_daily_reminders_task() -> dict:
    """Daily at DAILY_REMINDER_TIME: this month's plans, due renewal tasks, then the reminders.

    Every step is idempotent (unique plans per month, one task per contract, one reminder per item,
    day and person), so a redelivered or repeated run changes nothing and reminds nobody twice.
    """
    today = timezone.localdate()
    with audit_context(task="visits_daily_reminders"):
        plans = services.plan_month_for_all(month=policy.month_start(today))
        renewals = services.create_due_renewals(today=today)
        sent = reminders.send_due_reminders(today=today)
    return {"plans": plans, "renewals": len(renewals), "reminders": sent}
