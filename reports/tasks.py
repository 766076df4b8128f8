"""Celery tasks of the reports app: take ids, re-read, call one service."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from servicedesk.audit.context import audit_context
from servicedesk.core.heartbeat import periodic_job

from . import services


@shared_task(acks_late=True)
def build_export_task(job_id: int) -> str | None:
    """Build one export job; a job already claimed (running, done, failed) is left alone."""
    with audit_context(task="reports_build_export"):
        job = services.build_export(job_id=job_id)
    return job.status if job is not None else None


@shared_task(acks_late=True)
@periodic_job("reports-export-cleanup")
def delete_expired_exports_task() -> int:
    """Hourly: delete files of expired export jobs (idempotent: a deleted file is not deleted again)."""
    return services.delete_expired_exports(now=timezone.now())


@shared_task(acks_late=True)
@periodic_job("reports-work-reports")
def draft_work_reports_task() -> int:
    """Daily: draft last week's and last month's work reports of every station (unique per period)."""
    with audit_context(task="reports_draft_work_reports"):
        return services.draft_due_work_reports(today=timezone.localdate())


@shared_task(acks_late=True)
@periodic_job("reports-monthly-figures")
def refresh_monthly_figures_task() -> int:
    """Nightly: recompute the stored trend figures of the last twelve closed months (idempotent)."""
    return services.refresh_recent_monthly_figures(now=timezone.now())
