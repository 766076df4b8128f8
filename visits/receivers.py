"""Signals of the tickets app that visits listens to (connected in :class:`visits.apps.VisitsConfig`).

Receivers take ids, re-read, and call one idempotent service. They run after the sender's commit;
a failure here must not turn a closed work order into an error page for the reviewer, so it is
logged and the daily job's catch-up (``plan_missing_callbacks``) plans what was missed.
"""

from __future__ import annotations

import logging

from django.db import transaction

from . import callbacks

log = logging.getLogger(__name__)


def on_work_order_closed(sender, order_id, **kwargs) -> None:
    try:
        with transaction.atomic():
            callbacks.plan_callbacks_for_order(order_id=order_id)
    except Exception:  # noqa: BLE001 — see the module docstring: the catch-up sweep repairs it
        log.exception("planning the callbacks of work order %s failed", order_id)


def on_ticket_closed(sender, ticket_id, kind=None, **kwargs) -> None:
    try:
        with transaction.atomic():
            callbacks.plan_ticket_callback(ticket_id=ticket_id)
    except Exception:  # noqa: BLE001
        log.exception("planning the callback of ticket %s failed", ticket_id)
