"""Export jobs: start (build now when small, else in the background), build (claimed once), clean up."""

from __future__ import annotations

import logging
import secrets
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..exceptions import NotAllowed
from ..exports import get_kind
from ..models import ExportJob, export_path

log = logging.getLogger(__name__)


def background_threshold() -> int:
    return int(getattr(settings, "EXPORT_BACKGROUND_ROWS", 5000))


def file_hours() -> int:
    return int(getattr(settings, "EXPORT_FILE_HOURS", 24))


def progress_every() -> int:
    return max(1, int(getattr(settings, "EXPORT_PROGRESS_EVERY", 1000)))


def start_export(*, kind: str, params: dict, actor, now=None) -> ExportJob:
    """A new PENDING job for ``kind``: built at once when it has at most EXPORT_BACKGROUND_ROWS rows
    (the job is DONE on return), otherwise handed to the worker after commit (poll its progress)."""
    spec = get_kind(kind)
    if not spec.allowed(actor):
        raise NotAllowed(_("You may not export this."), field="kind")
    params = spec.clean(params or {}, actor)
    total = spec.count(params, actor)
    job = ExportJob.objects.create(
        kind=spec.name, params=params, requested_by=actor, rows_total=total, token=secrets.token_hex(24),
        created_at=now or timezone.now(),
    )
    if total > background_threshold():
        from ..tasks import build_export_task

        transaction.on_commit(lambda: build_export_task.delay(job.pk))
    else:
        build_export(job_id=job.pk)
        job.refresh_from_db()
    return job


def _set_progress(job_id: int, total: int, done: int) -> None:
    percent = min(99, done * 100 // total) if total else 0
    ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.RUNNING).update(rows_done=done, progress=percent)


def build_export(*, job_id: int, now=None) -> ExportJob | None:
    """PENDING → RUNNING → DONE (file stored, expiry set) or FAILED (error kept).

    The claim is a conditional update, so a job already running or finished is never built again
    (a redelivered task message, a double click on "retry")."""
    now = now or timezone.now()
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.PENDING).update(
        status=ExportJob.Status.RUNNING, started_at=now
    )
    if not claimed:
        return None
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    spec = get_kind(job.kind)
    try:
        with tempfile.TemporaryFile(suffix=".xlsx") as tmp:
            filename = spec.write(
                tmp, job.params, job.requested_by,
                progress=lambda done: _set_progress(job.pk, job.rows_total, done), progress_every=progress_every(),
            )
            tmp.seek(0)
            stored = default_storage.save(export_path(job, filename), File(tmp))
    except Exception as exc:  # noqa: BLE001 — any failure is the job's outcome, told to the requester
        log.exception("export job %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=timezone.now()
        )
        job.refresh_from_db()
        return job
    finished = timezone.now()
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.DONE, progress=100, file=stored, filename=filename[:150], finished_at=finished,
        expires_at=finished + timedelta(hours=file_hours()),
    )
    job.refresh_from_db()
    return job


def delete_expired_exports(*, now=None) -> int:
    """Delete the files of expired jobs (the rows stay as a record of who exported what); jobs stuck
    RUNNING past twice the task time limit (worker killed) are marked FAILED. Returns files deleted."""
    now = now or timezone.now()
    deleted = 0
    for job in ExportJob.objects.filter(expires_at__lte=now, file_deleted_at__isnull=True).exclude(file="").iterator():
        try:
            default_storage.delete(job.file.name)
        except OSError:
            log.warning("could not delete export file %s", job.file.name)
            continue
        ExportJob.objects.filter(pk=job.pk).update(file="", file_deleted_at=now)
        deleted += 1
    limit = timedelta(seconds=2 * int(getattr(settings, "CELERY_TASK_TIME_LIMIT", 900)))
    ExportJob.objects.filter(status=ExportJob.Status.RUNNING, started_at__lt=now - limit).update(
        status=ExportJob.Status.FAILED, error=_("The export was interrupted; start it again."), finished_at=now
    )
    return deleted
