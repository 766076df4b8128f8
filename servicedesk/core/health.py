"""Health probes: ``/healthz`` says the web process answers, ``/health/`` says it can do its work.

``/healthz`` (liveness) touches nothing but the process itself, so a slow database never makes the
orchestrator restart healthy web processes. ``/health/`` (readiness, for monitoring) checks the
database, the Celery broker and the periodic-job heartbeats, and answers 503 naming what is wrong.
When ``HEALTH_TOKEN`` is set, ``/health/`` asks for it (``?token=`` or ``X-Health-Token``) because
its answer names internal jobs and errors.
"""

from __future__ import annotations

import hmac
import os

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .heartbeat import stale_jobs

# A probe must answer well inside the orchestrator's own timeout (docker-compose: 10 s).
BROKER_TIMEOUT_S = 3


def _health_token() -> str:
    return getattr(settings, "HEALTH_TOKEN", "") or os.environ.get("HEALTH_TOKEN", "")


def _token_ok(request) -> bool:
    expected = _health_token()
    if not expected:
        return True
    given = request.GET.get("token") or request.headers.get("X-Health-Token") or ""
    # Constant-time comparison: the token guards the probe from the open internet.
    return hmac.compare_digest(given.encode(), expected.encode())


def _error(exc: BaseException) -> str:
    # The class and message only: never the broker or database URL, which may hold a password.
    return f"{type(exc).__name__}: {exc}"[:300]


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 — any failure means "not ready"
        return {"ok": False, "error": _error(exc)}
    return {"ok": True}


def check_broker() -> dict:
    from servicedesk.celery import app

    try:
        with app.connection_for_write(url=settings.CELERY_BROKER_URL, connect_timeout=BROKER_TIMEOUT_S) as conn:
            conn.ensure_connection(
                max_retries=1, interval_start=0, interval_step=0.5, interval_max=1, timeout=BROKER_TIMEOUT_S
            )
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "error": _error(exc)}
    return {"ok": True, "transport": settings.CELERY_BROKER_URL.split(":", 1)[0]}


def check_heartbeats() -> dict:
    try:
        stale = stale_jobs()
    except Exception as exc:  # noqa: BLE001 — e.g. the database is down (reported above)
        return {"ok": False, "error": _error(exc), "stale": []}
    return {"ok": not stale, "stale": stale}


@never_cache
@require_safe
def healthz(request):
    """Liveness: the process is up and routing requests. No database, no broker."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@never_cache
@require_safe
def health(request):
    """Readiness: database, broker and periodic jobs; 200 when all are good, otherwise 503."""
    if not _token_ok(request):
        return JsonResponse({"status": "forbidden", "detail": "health token required"}, status=403)
    checks = {"database": check_database(), "broker": check_broker(), "periodic_jobs": check_heartbeats()}
    healthy = all(check["ok"] for check in checks.values())
    body = {
        "status": "ok" if healthy else "fail",
        "checks": checks,
        # Repeated at the top level so a plain-text monitor can match on the job's name.
        "stale_jobs": [job["job"] for job in checks["periodic_jobs"].get("stale", [])],
    }
    return JsonResponse(body, status=200 if healthy else 503, json_dumps_params={"ensure_ascii": False})
