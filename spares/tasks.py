"""Celery tasks of the spare-parts app: thin — take ids, call one service (CONVENTIONS §5)."""

from celery import shared_task

from servicedesk.audit.context import audit_context
from servicedesk.core.heartbeat import periodic_job

from . import services
from .idempotency import purge_idempotency_keys


@shared_task
def notify_low_stock_task(balance_id: int, move_id: int) -> int:
    """After a posting left a store below the part's threshold: alert its keepers (once per episode)."""
    return services.notify_low_stock(balance_id=balance_id, move_id=move_id)


@shared_task
def notify_part_arrived_task(registration_id: int, receipt_id: int) -> bool:
    """After a receipt: tell the registrant of a waiting out-of-stock registration."""
    return services.notify_part_arrived(registration_id=registration_id, receipt_id=receipt_id)


@shared_task
@periodic_job("spares-reconcile")
def reconcile_stock_task() -> int:
    """Nightly (beat, 02:30): books vs sum of moves for every part and location; drift → managers.

    Also drops API idempotency records older than their retention (a retry never comes that late).
    """
    drift = services.reconcile_stock()
    purge_idempotency_keys()
    return len(drift)


@shared_task
@periodic_job("spares-old-parts")
def remind_old_part_processing_task() -> int:
    """Monthly (beat, 1st at 09:00): old parts handed in last month or earlier wait for processing."""
    return services.remind_old_part_processing()
