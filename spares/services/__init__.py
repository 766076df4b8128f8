"""Every write of the spare-parts app: one function per operation (CONVENTIONS §2).

Higher apps (work orders) call these with the facts they own — a work order number, whether its
service report is signed — and never touch spares tables themselves.
"""

from .alerts import (
    cancel_out_of_stock,
    notify_low_stock,
    notify_part_arrived,
    reconcile_stock,
    register_out_of_stock,
    remind_old_part_processing,
    reply_due,
    reply_out_of_stock,
    on_out_of_stock_clock_fired,
)
from .catalogue import (
    create_location,
    create_part,
    ensure_station_locations,
    ensure_van,
    update_location,
    update_part,
)
from .ledger import MoveLine, ensure_balance, on_hand, post_moves
from .old_parts import process_old_parts, record_old_part_return, write_off_stock, write_off_warranty_part
from .requisitions import (
    approve_requisition,
    cancel_requisition,
    create_requisition,
    issue_requisition,
    reject_requisition,
    return_unused,
    returnable,
)
from .stock import receive_stock, reverse_receipt, reverse_usage, transfer_stock, use_part
from .stock_takes import (
    approve_stock_take,
    cancel_stock_take,
    record_counts,
    reopen_stock_take,
    start_stock_take,
    submit_stock_take,
)

__all__ = [
    "MoveLine",
    "approve_requisition",
    "approve_stock_take",
    "cancel_out_of_stock",
    "cancel_requisition",
    "cancel_stock_take",
    "create_location",
    "create_part",
    "create_requisition",
    "ensure_balance",
    "ensure_station_locations",
    "ensure_van",
    "issue_requisition",
    "notify_low_stock",
    "notify_part_arrived",
    "on_hand",
    "post_moves",
    "process_old_parts",
    "receive_stock",
    "reconcile_stock",
    "record_counts",
    "record_old_part_return",
    "register_out_of_stock",
    "reject_requisition",
    "remind_old_part_processing",
    "reopen_stock_take",
    "reply_due",
    "reply_out_of_stock",
    "return_unused",
    "returnable",
    "reverse_receipt",
    "reverse_usage",
    "on_out_of_stock_clock_fired",
    "start_stock_take",
    "submit_stock_take",
    "transfer_stock",
    "update_location",
    "update_part",
    "use_part",
    "write_off_stock",
    "write_off_warranty_part",
]
