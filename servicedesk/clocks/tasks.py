from celery import shared_task
from django.conf import settings

from servicedesk.audit.context import audit_context
from servicedesk.core.heartbeat import periodic_job

from . import services


@shared_task
@periodic_job("clock-sweep")
def sweep_clocks_task() -> dict:
    """Every minute: fire due warnings and breaches. Idempotent — firings are unique rows."""
    with audit_context(task="sweep_clocks"):
        return services.fire_due_clocks(batch=settings.CLOCK_SWEEP_BATCH)
