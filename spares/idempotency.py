"""``Idempotency-Key`` for mutating API calls: a tablet's retry posts once and gets the same answer.

The key is claimed by inserting a row in the *same* transaction as the operation:

* a retry arriving while the first call still runs blocks on the unique index until that call
  commits, then replays the stored status and body (header ``Idempotent-Replayed: true``);
* if the first call failed (insufficient stock, validation), its claim rolled back with it, so the
  retry is executed for real — errors are never replayed;
* the same key with a different method, path or body is refused (422), per the IETF
  Idempotency-Key draft.

Keys are per user and kept for ``RETENTION``; the nightly job drops older ones.
"""

from __future__ import annotations

import functools
import hashlib
import json
from datetime import timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.response import Response

from servicedesk.core.exceptions import DomainError

from .models import IdempotencyKey

HEADER = "Idempotency-Key"
RETENTION = timedelta(days=7)
MAX_LENGTH = 100

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    name=HEADER,
    type=OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description="A unique key per intended operation (e.g. a UUID). Repeating the call with the same key "
    "returns the first answer without doing the operation again.",
)


class IdempotencyKeyReused(DomainError):
    status_code = 422
    default_code = "idempotency_key_reused"


def _fingerprint(request, args, kwargs) -> str:
    try:
        data = request.data
    except Exception:  # an unparsable body is refused by the view itself
        data = None
    payload = json.dumps(
        {"method": request.method, "path": request.path, "data": data, "kwargs": kwargs},
        sort_keys=True,
        cls=DjangoJSONEncoder,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def idempotent(view_method):
    """Decorate a DRF view method (``create`` or an ``@action``) to honour ``Idempotency-Key``."""

    @functools.wraps(view_method)
    def wrapper(self, request, *args, **kwargs):
        key = (request.headers.get(HEADER) or "").strip()
        if not key:
            return view_method(self, request, *args, **kwargs)
        if len(key) > MAX_LENGTH:
            raise DomainError(
                _("The idempotency key is longer than %(max)s characters.") % {"max": MAX_LENGTH}, field=HEADER
            )
        fingerprint = _fingerprint(request, args, kwargs)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = IdempotencyKey.objects.create(
                        user=request.user, key=key, method=request.method, path=request.path[:300], fingerprint=fingerprint
                    )
            except IntegrityError:
                record = IdempotencyKey.objects.get(user=request.user, key=key)
                if record.fingerprint != fingerprint:
                    raise IdempotencyKeyReused(
                        _("This idempotency key was already used for a different request."), field=HEADER
                    ) from None
                response = Response(record.response_body, status=record.status_code)
                response[HEADER] = key
                response["Idempotent-Replayed"] = "true"
                return response
            response = view_method(self, request, *args, **kwargs)
            if response.status_code >= 400:
                transaction.set_rollback(True)
                return response
            record.status_code = response.status_code
            record.response_body = json.loads(json.dumps(response.data, cls=DjangoJSONEncoder))
            record.save(update_fields=["status_code", "response_body"])
        response[HEADER] = key
        return response

    return wrapper


def purge_idempotency_keys(*, now=None) -> int:
    """Drop keys older than the retention; returns how many."""
    now = now or timezone.now()
    deleted, _detail = IdempotencyKey.objects.filter(created_at__lt=now - RETENTION).delete()
    return deleted
