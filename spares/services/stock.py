"""Receipts (入库), transfers (调拨), use on work orders (工单用料) and their reversals."""

from __future__ import annotations

from decimal import Decimal
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.core.exceptions import Conflict, DomainError

from .. import access
from ..models import Location, OutOfStockRegistration, Part, Receipt, ReceiptLine, StockMove, Transfer, TransferLine
from .common import clean_lines, ensure_active, ensure_different, number_for, require_text
from .ledger import MoveLine, as_qty, post_moves


@transaction.atomic
def receive_stock(
    *,
    location: Location,
    supplier: str,
    lines,
    actor,
    delivery_note: str = "",
    note: str = "",
    unit_prices: dict[int, Decimal] | None = None,
) -> Receipt:
    """入库单: parts from a supplier into a warehouse or station → RECEIPT moves; tells waiting
    out-of-stock registrations (after commit) that the part has arrived."""
    access.ensure_can_keep(actor, location)
    ensure_active(location, field="location")
    if location.kind not in (Location.Kind.CENTRAL, Location.Kind.STATION):
        raise DomainError(_("Parts are received into the central warehouse or a station."), field="location")
    supplier = require_text(supplier, field="supplier", message=_("Enter the supplier."))
    pairs = clean_lines(lines)
    receipt = Receipt.objects.create(
        number=number_for("receipt"),
        location=location,
        supplier=supplier,
        delivery_note=delivery_note.strip(),
        note=note,
        received_by=actor,
        received_at=timezone.now(),
    )
    prices = unit_prices or {}
    ReceiptLine.objects.bulk_create(
        [ReceiptLine(receipt=receipt, part=part, qty=qty, unit_price=prices.get(part.pk)) for part, qty in pairs]
    )
    post_moves(
        kind=StockMove.Kind.RECEIPT,
        lines=[MoveLine(part=p, qty=q, to_location=location, field=f"lines.{i}.qty") for i, (p, q) in enumerate(pairs)],
        actor=actor,
        reference=receipt.number,
        document_type="receipt",
        document_id=receipt.pk,
    )
    waiting = list(
        OutOfStockRegistration.objects.filter(
            status=OutOfStockRegistration.Status.OPEN, part__in=[p for p, _q in pairs]
        ).values_list("pk", flat=True)
    )
    if waiting:
        from ..tasks import notify_part_arrived_task

        for pk in waiting:
            transaction.on_commit(partial(notify_part_arrived_task.delay, pk, receipt.pk))
    return receipt


@transaction.atomic
def reverse_receipt(*, receipt: Receipt, reason: str, actor) -> Receipt:
    """Cancel a wrongly entered receipt: REVERSAL moves take its quantities back out.

    Once only (conditional update on ``reversed_at IS NULL``, and each move can be reversed at most
    once in the database); refused if the parts have already left the location.
    """
    access.ensure_can_keep(actor, receipt.location)
    reason = require_text(reason, field="reason", message=_("Say why the receipt is reversed."))
    now = timezone.now()
    claimed = Receipt.objects.filter(pk=receipt.pk, reversed_at__isnull=True).update(
        reversed_at=now, reversed_by=actor, reversal_reason=reason[:200]
    )
    if claimed != 1:
        raise Conflict(_("This receipt has already been reversed."), code="already_reversed")
    originals = list(
        StockMove.objects.filter(document_type="receipt", document_id=receipt.pk, kind=StockMove.Kind.RECEIPT)
        .select_related("part", "to_location")
        .order_by("pk")
    )
    post_moves(
        kind=StockMove.Kind.REVERSAL,
        lines=[MoveLine(part=m.part, qty=m.qty, from_location=m.to_location, reverses=m) for m in originals],
        actor=actor,
        reference=receipt.number,
        document_type="receipt",
        document_id=receipt.pk,
        note=reason,
    )
    receipt.refresh_from_db()
    return receipt


@transaction.atomic
def transfer_stock(
    *,
    from_location: Location,
    to_location: Location,
    lines,
    actor,
    note: str = "",
    shipping_ref: str = "",
    postage: Decimal | int | str = 0,
) -> Transfer:
    """调拨单: stock moved between two locations the actor keeps the sending side of → TRANSFER moves."""
    access.ensure_can_keep(actor, from_location, field="from_location")
    ensure_different(from_location, to_location)
    ensure_active(to_location, field="to_location")
    if to_location.kind == Location.Kind.OLD_PARTS or from_location.kind == Location.Kind.OLD_PARTS:
        raise DomainError(_("Old parts are processed, not transferred with good stock."), field="to_location")
    postage = _money(postage, field="postage")
    pairs = clean_lines(lines)
    transfer = Transfer.objects.create(
        number=number_for("transfer"),
        from_location=from_location,
        to_location=to_location,
        shipping_ref=shipping_ref.strip(),
        postage=postage,
        note=note,
        created_by=actor,
        created_at=timezone.now(),
    )
    TransferLine.objects.bulk_create([TransferLine(transfer=transfer, part=p, qty=q) for p, q in pairs])
    post_moves(
        kind=StockMove.Kind.TRANSFER,
        lines=[
            MoveLine(part=p, qty=q, from_location=from_location, to_location=to_location, field=f"lines.{i}.qty")
            for i, (p, q) in enumerate(pairs)
        ],
        actor=actor,
        reference=transfer.number,
        document_type="transfer",
        document_id=transfer.pk,
    )
    return transfer


def use_part(
    *,
    part: Part,
    location: Location,
    qty,
    reference: str,
    actor,
    document_type: str = "work_order",
    document_id: int | None = None,
    idempotency_key: str | None = None,
) -> StockMove:
    """工单用料: ``qty`` of ``part`` used on a work order from a van or station → one USE move.

    Called by the work-order services, which check their own conditions first. A repeated call
    with the same ``idempotency_key`` returns the first move and takes nothing more.
    """
    if not isinstance(part, Part):
        raise DomainError(_("Unknown part."), field="part")
    qty = as_qty(qty)
    if not access.can_use_at(actor, location):
        raise access.NotAllowed(_("You cannot take parts from %(location)s.") % {"location": location}, field="location")
    if idempotency_key:
        existing = StockMove.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return _replayed(existing, part=part, location=location, qty=qty)
    try:
        with transaction.atomic():
            [move] = post_moves(
                kind=StockMove.Kind.USE,
                lines=[MoveLine(part=part, qty=qty, from_location=location)],
                actor=actor,
                reference=reference,
                document_type=document_type,
                document_id=document_id,
                idempotency_key=idempotency_key,
            )
    except IntegrityError:
        # A concurrent call with the same key committed first (we waited on the unique index):
        # our decrement rolled back with the savepoint; answer with the winner's move.
        if idempotency_key:
            existing = StockMove.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return _replayed(existing, part=part, location=location, qty=qty)
        raise
    return move


def _replayed(move: StockMove, *, part, location, qty) -> StockMove:
    if move.part_id != part.pk or move.from_location_id != location.pk or move.qty != qty:
        raise Conflict(
            _("This idempotency key was already used for a different request."), code="idempotency_key_reused"
        )
    return move


@transaction.atomic
def reverse_usage(*, move: StockMove, reason: str, actor) -> StockMove:
    """A part taken for a work order but not fitted goes back where it came from (REVERSAL), once."""
    if move.kind != StockMove.Kind.USE:
        raise DomainError(_("Only a use on a work order can be reversed here."), field="move")
    if not access.can_use_at(actor, move.from_location):
        raise access.NotAllowed(_("You cannot put parts back into %(location)s.") % {"location": move.from_location})
    reason = require_text(reason, field="reason", message=_("Say why the part goes back."))
    if StockMove.objects.filter(reverses=move).exists():
        raise Conflict(_("This move has already been reversed."), code="already_reversed")
    try:
        with transaction.atomic():
            [reversal] = post_moves(
                kind=StockMove.Kind.REVERSAL,
                lines=[MoveLine(part=move.part, qty=move.qty, to_location=move.from_location, reverses=move)],
                actor=actor,
                reference=move.reference,
                document_type=move.document_type,
                document_id=move.document_id,
                note=reason,
            )
    except IntegrityError:
        # The unique ``reverses`` column: a concurrent reversal won.
        raise Conflict(_("This move has already been reversed."), code="already_reversed") from None
    return reversal


def _money(value, *, field: str) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else 0))
    except Exception:
        raise DomainError(_("Enter an amount."), field=field) from None
    if not amount.is_finite() or amount < 0:
        raise DomainError(_("The amount must not be negative."), field=field)
    return amount.quantize(Decimal("0.01"))
