"""Celery tasks of the visits app: thin wrappers that call one service each."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from servicedesk.audit.context import audit_context
from servicedesk.core.heartbeat import periodic_job

from . import callbacks, policy, reminders, services


@shared_task(acks_late=True)
@periodic_job("visits-daily-reminders")
def run_daily_reminders_task() -> dict:
    """Daily at DAILY_REMINDER_TIME: this month's plans, due renewal tasks, callbacks a receiver missed
    (orders closed in the last 30 days without any), then the reminders.

    Every step is idempotent (unique plans per month, one task per contract, one callback per order and
    offset, one reminder per item, day and person), so a repeated run changes nothing and reminds nobody twice.
    """
    today = timezone.localdate()
    with audit_context(task="visits_daily_reminders"):
        plans = services.plan_month_for_all(month=policy.month_start(today))
        renewals = services.create_due_renewals(today=today)
        caught_up = callbacks.plan_missing_callbacks(since=today - timedelta(days=30))
        sent = reminders.send_due_reminders(today=today)
    return {"plans": plans, "renewals": len(renewals), "callbacks_caught_up": caught_up, "reminders": sent}
