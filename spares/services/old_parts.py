"""Old parts (旧件), write-offs (销帐) and the monthly old-part processing (disposal / 二次索赔)."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.core.exceptions import Conflict, DomainError

from .. import access
from ..models import Location, OldPartBatch, OldPartBatchLine, OldPartReturn, Part, StockMove, WriteOff
from .common import ensure_active, number_for, require_text
from .ledger import MoveLine, as_qty, post_moves
from .stock import _money


@transaction.atomic
def record_old_part_return(
    *,
    part: Part,
    qty,
    location: Location,
    work_order_ref: str,
    actor,
    work_order_id: int | None = None,
    returned_by=None,
    unit_serial: str = "",
    fault: str = "",
    is_warranty: bool = False,
) -> OldPartReturn:
    """旧件返还: a defective part from a work order handed in to an old-parts store → OLD_PART move."""
    if not isinstance(part, Part):
        raise DomainError(_("Unknown part."), field="part")
    qty = as_qty(qty)
    access.ensure_can_keep(actor, location)
    ensure_active(location, field="location")
    if location.kind != Location.Kind.OLD_PARTS:
        raise DomainError(_("Old parts are handed in to an old-parts store."), field="location")
    work_order_ref = require_text(
        work_order_ref, field="work_order_ref", message=_("Name the work order the old part comes from.")
    )
    old = OldPartReturn.objects.create(
        number=number_for("old_part"),
        part=part,
        qty=qty,
        location=location,
        work_order_ref=work_order_ref,
        work_order_id=work_order_id,
        unit_serial=unit_serial.strip(),
        fault=fault.strip(),
        is_warranty=is_warranty,
        returned_by=returned_by,
        received_by=actor,
        received_at=timezone.now(),
    )
    post_moves(
        kind=StockMove.Kind.OLD_PART,
        lines=[MoveLine(part=part, qty=qty, to_location=location)],
        actor=actor,
        reference=old.number,
        document_type="old_part",
        document_id=old.pk,
        note=work_order_ref,
    )
    return old


@transaction.atomic
def write_off_warranty_part(
    *,
    part: Part,
    qty,
    location: Location,
    work_order_ref: str,
    service_report_ref: str,
    service_report_signed: bool,
    old_part_return: OldPartReturn | None,
    actor,
    work_order_id: int | None = None,
    shipping_ref: str = "",
    postage: Decimal | int | str = 0,
) -> WriteOff:
    """三包件销帐: a warranty part fitted on a repair leaves the van's or station's books.

    Only against a signed service report and the old part handed back for it (same part, same work
    order, not used for another write-off); postage of a shipped warranty part is recorded with it.
    """
    if not isinstance(part, Part):
        raise DomainError(_("Unknown part."), field="part")
    qty = as_qty(qty)
    if not access.can_use_at(actor, location):
        raise access.NotAllowed(_("You cannot write off parts at %(location)s.") % {"location": location}, field="location")
    work_order_ref = require_text(work_order_ref, field="work_order_ref", message=_("Name the work order."))
    service_report_ref = require_text(
        service_report_ref, field="service_report_ref", message=_("A warranty write-off needs the service report.")
    )
    if not service_report_signed:
        raise DomainError(
            _("The service report has not been signed by the customer; the warranty part cannot be written off yet."),
            field="service_report_signed",
            code="report_not_signed",
        )
    if old_part_return is None:
        raise DomainError(
            _("Record the returned old part first: a warranty part is written off only against its old part."),
            field="old_part_return",
            code="old_part_missing",
        )
    old = OldPartReturn.objects.select_for_update().get(pk=old_part_return.pk)
    if old.part_id != part.pk:
        raise DomainError(_("The old part handed back is a different part."), field="old_part_return")
    if old.work_order_ref != work_order_ref:
        raise DomainError(_("The old part handed back belongs to another work order."), field="old_part_return")
    if qty > old.qty:
        raise DomainError(
            _("Only as many parts as old parts were handed back can be written off."), field="qty", code="exceeds_old_parts"
        )
    if WriteOff.objects.filter(old_part_return=old).exists():
        raise Conflict(_("This old part has already been used for a write-off."), field="old_part_return")
    postage = _money(postage, field="postage")
    try:
        with transaction.atomic():
            write_off = WriteOff.objects.create(
                number=number_for("write_off"),
                kind=WriteOff.Kind.WARRANTY,
                location=location,
                part=part,
                qty=qty,
                reason=_("Warranty repair"),
                work_order_ref=work_order_ref,
                work_order_id=work_order_id,
                service_report_ref=service_report_ref,
                service_report_signed=True,
                old_part_return=old,
                shipping_ref=shipping_ref.strip(),
                postage=postage,
                created_by=actor,
                created_at=timezone.now(),
            )
    except IntegrityError:
        raise Conflict(_("This old part has already been used for a write-off."), field="old_part_return") from None
    post_moves(
        kind=StockMove.Kind.WRITE_OFF,
        lines=[MoveLine(part=part, qty=qty, from_location=location)],
        actor=actor,
        reference=write_off.number,
        document_type="write_off",
        document_id=write_off.pk,
        note=work_order_ref,
    )
    return write_off


@transaction.atomic
def write_off_stock(*, part: Part, qty, location: Location, kind: str, reason: str, actor) -> WriteOff:
    """销帐 of damaged or lost stock by its keeper, with a reason → WRITE_OFF move."""
    if kind == WriteOff.Kind.WARRANTY:
        raise DomainError(
            _("Warranty parts are written off against a signed service report and the old part."), field="kind"
        )
    if kind not in WriteOff.Kind.values:
        raise DomainError(_("Choose a valid kind."), field="kind")
    if not isinstance(part, Part):
        raise DomainError(_("Unknown part."), field="part")
    qty = as_qty(qty)
    access.ensure_can_keep(actor, location)
    reason = require_text(reason, field="reason", message=_("Say why the stock is written off."))
    write_off = WriteOff.objects.create(
        number=number_for("write_off"),
        kind=kind,
        location=location,
        part=part,
        qty=qty,
        reason=reason[:200],
        created_by=actor,
        created_at=timezone.now(),
    )
    post_moves(
        kind=StockMove.Kind.WRITE_OFF,
        lines=[MoveLine(part=part, qty=qty, from_location=location)],
        actor=actor,
        reference=write_off.number,
        document_type="write_off",
        document_id=write_off.pk,
        note=reason,
    )
    return write_off


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


@transaction.atomic
def process_old_parts(
    *,
    location: Location,
    period: date,
    lines,
    actor,
    supplier: str = "",
    shipping_ref: str = "",
    postage: Decimal | int | str = 0,
    note: str = "",
) -> OldPartBatch:
    """旧件处理: old parts of a month leave the old-parts store — disposed of (WRITE_OFF) or claimed
    from the supplier (SUPPLIER_CLAIM). ``lines``: ``[{"old_part_return", "action", "claim_amount"}]``.

    Each old part is processed once: its status changes by a conditional update, and a processing
    line is unique per old part in the database.
    """
    access.ensure_can_keep(actor, location)
    if location.kind != Location.Kind.OLD_PARTS:
        raise DomainError(_("Choose an old-parts store."), field="location")
    if not lines:
        raise DomainError(_("Add at least one old part."), field="lines")
    period = month_start(period)
    until = timezone.make_aware(datetime.combine(next_month(period), time.min))
    postage = _money(postage, field="postage")
    cleaned = []
    seen = set()
    for i, line in enumerate(lines):
        old = line.get("old_part_return")
        action = line.get("action")
        if not isinstance(old, OldPartReturn):
            raise DomainError(_("Unknown old-part return."), field=f"lines.{i}.old_part_return")
        if old.pk in seen:
            raise DomainError(_("This old part is already on another line."), field=f"lines.{i}.old_part_return")
        seen.add(old.pk)
        if old.location_id != location.pk:
            raise DomainError(_("This old part is in another store."), field=f"lines.{i}.old_part_return")
        if old.received_at >= until:
            raise DomainError(_("This old part was handed in after the month processed."), field=f"lines.{i}.old_part_return")
        if action not in OldPartBatchLine.Action.values:
            raise DomainError(_("Choose dispose or claim."), field=f"lines.{i}.action")
        amount = _money(line.get("claim_amount") or 0, field=f"lines.{i}.claim_amount")
        cleaned.append((old, action, amount))
    if any(action == OldPartBatchLine.Action.CLAIM for _o, action, _a in cleaned) and not supplier.strip():
        raise DomainError(_("Name the supplier the claim goes to."), field="supplier")
    batch = OldPartBatch.objects.create(
        number=number_for("old_part_batch"),
        location=location,
        period=period,
        supplier=supplier.strip(),
        shipping_ref=shipping_ref.strip(),
        postage=postage,
        note=note,
        processed_by=actor,
        processed_at=timezone.now(),
    )
    claims, disposals = [], []
    for i, (old, action, amount) in enumerate(cleaned):
        target = OldPartReturn.Status.CLAIMED if action == OldPartBatchLine.Action.CLAIM else OldPartReturn.Status.DISPOSED
        changed = OldPartReturn.objects.filter(pk=old.pk, status=OldPartReturn.Status.RECEIVED).update(status=target)
        if changed != 1:
            raise Conflict(
                _("Old part %(number)s has already been processed.") % {"number": old.number},
                field=f"lines.{i}.old_part_return",
            )
        OldPartBatchLine.objects.create(batch=batch, old_part_return=old, action=action, claim_amount=amount)
        line = MoveLine(part=old.part, qty=old.qty, from_location=location, field=f"lines.{i}.old_part_return")
        (claims if action == OldPartBatchLine.Action.CLAIM else disposals).append(line)
    for kind, move_lines in ((StockMove.Kind.SUPPLIER_CLAIM, claims), (StockMove.Kind.WRITE_OFF, disposals)):
        if move_lines:
            post_moves(
                kind=kind,
                lines=move_lines,
                actor=actor,
                reference=batch.number,
                document_type="old_part_batch",
                document_id=batch.pk,
            )
    return batch
