"""Photos and signature images of work orders leave the server only through these responses, after
the caller scoped the order to the user (``work_orders_visible_to``): never from a public /media/
URL, always with the stored type, no sniffing and no script."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse


def _private(response: HttpResponse, content_type: str) -> HttpResponse:
    response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


def photo_response(photo) -> HttpResponse:
    try:
        handle = default_storage.open(photo.image.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    return _private(FileResponse(handle), photo.content_type)


def signature_response(signature) -> HttpResponse:
    return _private(HttpResponse(bytes(signature.image)), "image/png")
