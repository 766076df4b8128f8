"""Reads of the spare-parts app, scoped by who asks (API, admin and exports use the same functions)."""

from __future__ import annotations

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet

from servicedesk.org.models import Role
from servicedesk.org.roles import has_role
from servicedesk.org.selectors import staff_of

from .access import readable_location_filter
from .models import (
    Location,
    OldPartBatch,
    OldPartReturn,
    OutOfStockRegistration,
    Part,
    Receipt,
    ReceiptLine,
    Requisition,
    RequisitionLine,
    StockBalance,
    StockMove,
    StockReturn,
    StockReturnLine,
    StockTake,
    StockTakeLine,
    Transfer,
    TransferLine,
    WriteOff,
)


def _readable_ids(user):
    """A subquery of readable location ids, or None for "all"."""
    condition = readable_location_filter(user)
    if condition is None:
        return None
    return Location.objects.filter(condition).values("pk")


def parts() -> QuerySet[Part]:
    """The catalogue is public to every signed-in user (dispatchers quote it to customers)."""
    return Part.objects.prefetch_related("product_lines")


def locations_visible_to(user) -> QuerySet[Location]:
    qs = Location.objects.select_related("station", "technician")
    condition = readable_location_filter(user)
    return qs if condition is None else qs.filter(condition)


def balances_visible_to(user) -> QuerySet[StockBalance]:
    qs = StockBalance.objects.select_related("part", "location")
    ids = _readable_ids(user)
    return qs if ids is None else qs.filter(location_id__in=ids)


def moves_visible_to(user) -> QuerySet[StockMove]:
    qs = StockMove.objects.select_related("part", "from_location", "to_location", "actor")
    ids = _readable_ids(user)
    if ids is None:
        return qs
    return qs.filter(Q(from_location_id__in=ids) | Q(to_location_id__in=ids))


def _two_sided(qs, user, from_field="from_location_id", to_field="to_location_id"):
    ids = _readable_ids(user)
    if ids is None:
        return qs
    return qs.filter(Q(**{f"{from_field}__in": ids}) | Q(**{f"{to_field}__in": ids}))


def _one_sided(qs, user, field="location_id"):
    ids = _readable_ids(user)
    return qs if ids is None else qs.filter(**{f"{field}__in": ids})


def receipts_visible_to(user) -> QuerySet[Receipt]:
    qs = Receipt.objects.select_related("location", "received_by", "reversed_by").prefetch_related(
        Prefetch("lines", queryset=ReceiptLine.objects.select_related("part"))
    )
    return _one_sided(qs, user)


def transfers_visible_to(user) -> QuerySet[Transfer]:
    qs = Transfer.objects.select_related("from_location", "to_location", "created_by").prefetch_related(
        Prefetch("lines", queryset=TransferLine.objects.select_related("part"))
    )
    return _two_sided(qs, user)


def requisitions_visible_to(user) -> QuerySet[Requisition]:
    """Keepers and leaders see what their locations touch; a technician sees his own requests and
    those for his van — not his colleagues' requests from the station store."""
    qs = Requisition.objects.select_related(
        "from_location", "to_location", "requested_by", "approved_by", "issued_by", "cancelled_by"
    ).prefetch_related(Prefetch("lines", queryset=RequisitionLine.objects.select_related("part")))
    condition = readable_location_filter(user)
    if condition is None:
        return qs
    if has_role(user, Role.STATION_HEAD):
        return _two_sided(qs, user)
    me = staff_of(user)
    mine = Q(requested_by=user)
    if me is not None:
        mine |= Q(to_location__kind=Location.Kind.VAN, to_location__technician_id=me.pk)
    return qs.filter(mine)


def returns_visible_to(user) -> QuerySet[StockReturn]:
    qs = StockReturn.objects.select_related("from_location", "to_location", "created_by", "requisition").prefetch_related(
        Prefetch("lines", queryset=StockReturnLine.objects.select_related("part"))
    )
    return _two_sided(qs, user)


def old_part_returns_visible_to(user) -> QuerySet[OldPartReturn]:
    qs = OldPartReturn.objects.select_related("part", "location", "returned_by", "received_by")
    condition = readable_location_filter(user)
    if condition is None:
        return qs
    ids = Location.objects.filter(condition).values("pk")
    me = staff_of(user)
    mine = Q(location_id__in=ids)
    if me is not None:
        mine |= Q(returned_by=me)
    return qs.filter(mine)


def write_offs_visible_to(user) -> QuerySet[WriteOff]:
    qs = WriteOff.objects.select_related("location", "part", "created_by", "old_part_return")
    return _one_sided(qs, user)


def old_part_batches_visible_to(user) -> QuerySet[OldPartBatch]:
    qs = OldPartBatch.objects.select_related("location", "processed_by").prefetch_related(
        "lines__old_part_return__part"
    )
    return _one_sided(qs, user)


def stock_takes_visible_to(user) -> QuerySet[StockTake]:
    qs = StockTake.objects.select_related("location", "created_by", "submitted_by", "approved_by").prefetch_related(
        Prefetch("lines", queryset=StockTakeLine.objects.select_related("part"))
    )
    return _one_sided(qs, user)


def out_of_stock_visible_to(user) -> QuerySet[OutOfStockRegistration]:
    """Department-wide readers see all; a station head his station's; others what they registered."""
    qs = OutOfStockRegistration.objects.select_related("part", "station", "registered_by", "replied_by")
    if readable_location_filter(user) is None:
        return qs
    mine = Q(registered_by=user)
    if has_role(user, Role.STATION_HEAD):
        me = staff_of(user)
        if me is not None and me.station_id:
            mine |= Q(station_id=me.station_id)
    return qs.filter(mine)


def pending_old_parts(*, location: Location, until=None) -> QuerySet[OldPartReturn]:
    """Old parts still in ``location`` (received up to ``until``), oldest first."""
    qs = OldPartReturn.objects.filter(location=location, status=OldPartReturn.Status.RECEIVED).select_related("part")
    if until is not None:
        qs = qs.filter(received_at__lt=until)
    return qs.order_by("received_at", "pk")


# --- Reconciliation ---------------------------------------------------------------------------------

# One statement, so one snapshot: moves committed while it runs cannot make a pair look drifted.
# Works on PostgreSQL and SQLite alike (no FULL OUTER JOIN).
_DRIFT_SQL = """
WITH ledger AS (
    SELECT part_id, location_id, SUM(qty) AS qty FROM (
        SELECT part_id, to_location_id AS location_id, qty FROM spares_stockmove WHERE to_location_id IS NOT NULL
        UNION ALL
        SELECT part_id, from_location_id AS location_id, -qty FROM spares_stockmove WHERE from_location_id IS NOT NULL
    ) m GROUP BY part_id, location_id
)
SELECT b.part_id, b.location_id, b.qty, COALESCE(l.qty, 0)
  FROM spares_stockbalance b LEFT JOIN ledger l ON l.part_id = b.part_id AND l.location_id = b.location_id
 WHERE b.qty <> COALESCE(l.qty, 0)
UNION ALL
SELECT l.part_id, l.location_id, 0, l.qty
  FROM ledger l
 WHERE l.qty <> 0
   AND NOT EXISTS (SELECT 1 FROM spares_stockbalance b WHERE b.part_id = l.part_id AND b.location_id = l.location_id)
"""

_PAIRS_SQL = """
SELECT COUNT(*) FROM (
    SELECT part_id, location_id FROM spares_stockbalance
    UNION
    SELECT part_id, to_location_id FROM spares_stockmove WHERE to_location_id IS NOT NULL
    UNION
    SELECT part_id, from_location_id FROM spares_stockmove WHERE from_location_id IS NOT NULL
) pairs
"""


def stock_drift() -> list[tuple[int, int, object, object]]:
    """Every (part_id, location_id, books, sum of moves) whose on-hand differs from its ledger."""
    from decimal import Decimal

    with connection.cursor() as cursor:
        cursor.execute(_DRIFT_SQL)
        rows = cursor.fetchall()
    return sorted((p, loc, Decimal(str(b)), Decimal(str(s))) for p, loc, b, s in rows)


def pairs_checked() -> int:
    with connection.cursor() as cursor:
        cursor.execute(_PAIRS_SQL)
        return cursor.fetchone()[0]
