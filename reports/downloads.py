"""The one way an export file leaves the server: requester (or a manager) only, while not expired.

Anyone else gets a 404 — the same answer as for a job that does not exist, so job ids reveal
nothing. The file is always an attachment; nothing is served from MEDIA_URL.
"""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.utils import timezone
from rest_framework.generics import get_object_or_404  # a malformed id is a 404 (Django's raises ValueError: a 500)

from . import selectors
from .models import ExportJob
from .xlsx import XLSX_CONTENT_TYPE


def job_for(user, pk) -> ExportJob:
    return get_object_or_404(selectors.export_jobs_visible_to(user), pk=pk)


def export_file_response(job: ExportJob) -> FileResponse:
    if job.status != ExportJob.Status.DONE or not job.file or (job.expires_at and job.expires_at <= timezone.now()):
        raise Http404
    try:
        handle = job.file.storage.open(job.file.name, "rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=job.filename or "export.xlsx", content_type=XLSX_CONTENT_TYPE)
    response["Cache-Control"] = "private, no-store"
    return response


def job_progress(job: ExportJob, *, download_url: str) -> dict:
    """The small JSON the progress bar polls."""
    ready = job.status == ExportJob.Status.DONE and bool(job.file) and not (job.expires_at and job.expires_at <= timezone.now())
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "progress": job.progress,
        "rows_done": job.rows_done,
        "rows_total": job.rows_total,
        "error": job.error if job.status == ExportJob.Status.FAILED else "",
        "download_url": download_url if ready else None,
        "expires_at": job.expires_at.isoformat() if job.expires_at else None,
    }
