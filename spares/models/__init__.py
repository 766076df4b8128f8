"""Spare parts (备件): catalogue, locations, the stock ledger and the warehouse documents.

The ledger is two tables:

* :class:`StockMove` — every change of a quantity, append-only (PostgreSQL triggers refuse UPDATE
  and DELETE); corrections are new, reversing moves.
* :class:`StockBalance` — on-hand per part and location, changed only in the same transaction as
  the moves that explain it, never below zero (``CHECK (qty >= 0)``). ``manage.py check_stock``
  proves ``balance == sum of moves`` for every pair.

Documents (receipts, requisitions, returns, old parts, write-offs, stock-takes…) are the reasons
for moves; services in :mod:`spares.services` are the only writers of both.
"""

from .catalogue import (
    DEFAULT_OUT_OF_STOCK_REMINDER_HOURS,
    DEFAULT_OUT_OF_STOCK_REPLY_DAYS,
    MONEY,
    POSITIVE,
    QTY,
    Location,
    Part,
    SparesPolicy,
)
from .documents import (
    DocumentLine,
    OldPartBatch,
    OldPartBatchLine,
    OldPartReturn,
    OutOfStockClock,
    OutOfStockRegistration,
    Receipt,
    ReceiptLine,
    Requisition,
    RequisitionLine,
    StockReturn,
    StockReturnLine,
    StockTake,
    StockTakeLine,
    Transfer,
    TransferLine,
    WriteOff,
)
from .ledger import IdempotencyKey, StockBalance, StockMove

__all__ = [
    "DEFAULT_OUT_OF_STOCK_REMINDER_HOURS",
    "DEFAULT_OUT_OF_STOCK_REPLY_DAYS",
    "MONEY",
    "POSITIVE",
    "QTY",
    "DocumentLine",
    "IdempotencyKey",
    "Location",
    "OldPartBatch",
    "OldPartBatchLine",
    "OldPartReturn",
    "OutOfStockClock",
    "OutOfStockRegistration",
    "Part",
    "Receipt",
    "ReceiptLine",
    "Requisition",
    "RequisitionLine",
    "SparesPolicy",
    "StockBalance",
    "StockMove",
    "StockReturn",
    "StockReturnLine",
    "StockTake",
    "StockTakeLine",
    "Transfer",
    "TransferLine",
    "WriteOff",
]
