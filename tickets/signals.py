"""Signals the tickets app sends to the apps above it (visits, appraisal, reports).

Sent after commit by the one service that makes the change; receivers take ids and re-read.
"""

from django.dispatch import Signal

# A work order was reviewed and closed (服务报告交领导审批后存档): callbacks are planned from it.
# kwargs: order_id
work_order_closed = Signal()

# A ticket was closed (any kind; complaints are called back, follow-ups of a dissatisfied callback
# tell the callback). kwargs: ticket_id, kind
ticket_closed = Signal()
