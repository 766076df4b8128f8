"""The one way a backup file leaves the server: permission checked, logged, sent as an attachment.

Used by the pages, the API and the admin alike. The file is always ``application/octet-stream``
and an attachment, so a browser never renders an uploaded file; nothing is served from MEDIA_URL.
"""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from django.http import FileResponse, Http404

from . import services
from .exceptions import BackupNotFound
from .models import BackupSubmission


def backup_file_response(request, submission: BackupSubmission) -> FileResponse:
    """Log the download and stream the file, or 404 when the user may not have it (or it is gone)."""
    if not submission.has_file:
        raise Http404
    try:
        handle = submission.file.storage.open(submission.file.name, "rb")
    except OSError:
        raise Http404 from None
    try:
        services.record_download(
            submission=submission,
            user=request.user,
            ip_address=get_client_ip_address(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
    except BackupNotFound:
        handle.close()
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=submission.original_name or "backup", content_type="application/octet-stream"
    )
    response["Cache-Control"] = "private, no-store"
    return response
