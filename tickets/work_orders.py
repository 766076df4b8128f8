"""Every write on a work order, from acceptance to the customer's signature and the review.

One function per transition or edit, one transaction each, the order row locked first. Status
changes go through :func:`_move` and :data:`ALLOWED_TRANSITIONS`; each step writes a
:class:`WorkOrderLog` row that pages, reports and scorecards read. Parts go through the spares
services (stock moves, never negative). Signing seals the order (:mod:`tickets.sealing`); after
that only the review may touch it, and PostgreSQL refuses everything else too.
"""

from __future__ import annotations

import hashlib
import io
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.clocks import services as clocks
from servicedesk.core.exceptions import Conflict, DomainError, InvalidTransition
from servicedesk.core.numbering import next_number
from servicedesk.notifications.services import notify_users
from servicedesk.org.models import Role
from servicedesk.org.roles import has_role
from servicedesk.org.selectors import staff_of

from . import sealing, signals
from .models import (
    SLAClock,
    SLATarget,
    Ticket,
    TicketLog,
    WorkOrder,
    WorkOrderItem,
    WorkOrderLog,
    WorkOrderOldPart,
    WorkOrderPart,
    WorkOrderPhoto,
    WorkOrderSignature,
)
from .services import _close as close_ticket_row
from .services import _log as ticket_log
from .services import _move as move_ticket
from .services import start_clock, stop_clock

W = WorkOrder.Status
CENT = Decimal("0.01")

ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    W.DISPATCHED: {W.ACCEPTED, W.ON_HOLD, W.CANCELLED},
    W.ACCEPTED: {W.CONFIRMED, W.ON_HOLD, W.CANCELLED},
    W.CONFIRMED: {W.CONFIRMED, W.ARRIVED, W.ON_HOLD, W.CANCELLED},
    W.ARRIVED: {W.IN_PROGRESS, W.ON_HOLD, W.CARRIED_IN, W.CANCELLED},
    W.IN_PROGRESS: {W.COMPLETED, W.ON_HOLD, W.CARRIED_IN, W.CANCELLED},
    W.ON_HOLD: {W.DISPATCHED, W.ACCEPTED, W.CONFIRMED, W.ARRIVED, W.IN_PROGRESS, W.CARRIED_IN, W.CANCELLED},
    W.CARRIED_IN: {W.COMPLETED, W.ON_HOLD, W.CANCELLED},
    W.COMPLETED: {W.SIGNED, W.IN_PROGRESS},
    W.SIGNED: {W.CLOSED},
    W.CLOSED: set(),
    W.CANCELLED: set(),
}

# While the technician may still write the report (diagnosis, items, parts, photos).
EDITABLE = {W.ARRIVED, W.IN_PROGRESS, W.CARRIED_IN, W.COMPLETED}
# The text a customer's signature stands for (shown above the pad and sealed with the order).
SIGNATURE_MEANING = (
    "本人确认上述服务已完成，所列服务项目、更换配件及收费金额属实。"
    " I confirm the service above was completed and the items, parts and charges listed are correct."
)


# --- helpers ------------------------------------------------------------------------------------


def _lock(order: WorkOrder) -> WorkOrder:
    return WorkOrder.objects.select_for_update().select_related("ticket", "customer", "technician__user").get(pk=order.pk)


def _move(order: WorkOrder, to: str) -> None:
    if to not in ALLOWED_TRANSITIONS[order.status]:
        raise InvalidTransition(
            _("A work order that is “%(from)s” cannot become “%(to)s”.") % {"from": W(order.status).label, "to": W(to).label},
            field="status",
        )
    order.status = to


def _step(order: WorkOrder, kind: str, actor, now, **data) -> WorkOrderLog:
    return WorkOrderLog.objects.create(order=order, kind=kind, at=now, actor=actor, data=data)


def _ensure_technician(order: WorkOrder, actor) -> None:
    """Work on the order itself is done by its technician (or an administrator on his behalf)."""
    if getattr(actor, "is_superuser", False) or has_role(actor, Role.ADMIN):
        return
    me = staff_of(actor)
    if me is None or me.pk != order.technician_id:
        raise DomainError(_("Only the technician of this work order can do this."), field="technician")


def _ensure_editable(order: WorkOrder) -> None:
    if order.signed_at is not None:
        raise InvalidTransition(_("The work order is signed: nothing on it can change. Make a correction instead."), field="status")
    if order.status not in EDITABLE:
        raise InvalidTransition(
            _("The report can be filled in only after arrival (the order is “%(status)s”).") % {"status": W(order.status).label},
            field="status",
        )


def _text(value, *, field: str, message: str, max_length: int | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message, field=field)
    if max_length and len(value) > max_length:
        raise DomainError(_("At most %(n)d characters.") % {"n": max_length}, field=field)
    return value


def _amount(value, *, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise DomainError(_("Enter an amount in yuan, e.g. 120 or 85.50."), field=field) from None
    if not amount.is_finite() or amount < 0:
        raise DomainError(_("The amount must not be negative."), field=field)
    if amount != amount.quantize(CENT):
        raise DomainError(_("Amounts have at most two decimals (fen)."), field=field)
    return amount.quantize(CENT)


def _qty(value, *, field: str = "qty") -> Decimal:
    try:
        qty = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise DomainError(_("Enter a quantity."), field=field) from None
    if not qty.is_finite() or qty <= 0:
        raise DomainError(_("The quantity must be more than zero."), field=field)
    return qty


def quote(order: WorkOrder) -> Decimal:
    """What the customer pays: chargeable items and parts plus the labour charge."""
    items = sum((i.amount for i in order.items.all()), Decimal("0"))
    parts = sum((p.amount for p in order.parts.all()), Decimal("0"))
    return (items + parts + order.labour_charge).quantize(CENT)


def _within_agreed_price(order: WorkOrder) -> Decimal:
    """The order's charges now, refused if they exceed what the customer agreed to."""
    total = quote(order)
    if total > 0 and (order.price_confirmed_amount is None or total > order.price_confirmed_amount):
        raise DomainError(
            _("The charges (%(total)s yuan) are more than the price the customer agreed; confirm the new price first.") % {"total": total},
            field="price_confirmed_amount",
        )
    return total


def _pause_ticket_clocks(ticket: Ticket, now) -> None:
    for clock in SLAClock.objects.select_for_update().filter(ticket=ticket, stopped_at__isnull=True, cancelled=False):
        clocks.pause_clock(clock, now=now)


def _resume_ticket_clocks(ticket: Ticket, now) -> None:
    for clock in SLAClock.objects.select_for_update().filter(ticket=ticket, stopped_at__isnull=True, cancelled=False):
        clocks.resume_clock(clock, now=now)


# --- the way to the customer --------------------------------------------------------------------


@transaction.atomic
def accept_order(*, order: WorkOrder, actor, now=None) -> WorkOrder:
    """DISPATCHED → ACCEPTED (接单时间)."""
    now = now or timezone.now()
    order = _lock(order)
    _ensure_technician(order, actor)
    _move(order, W.ACCEPTED)
    order.accepted_at = now
    order.save(update_fields=["status", "accepted_at"])
    _step(order, "accepted", actor, now)
    return order


@transaction.atomic
def confirm_appointment(*, order: WorkOrder, actor, appointment_at, note: str = "", now=None) -> WorkOrder:
    """ACCEPTED → CONFIRMED: the time agreed with the customer by phone (严禁不与确认直接到客户处).
    Confirming again moves the appointment; the ticket's log says so."""
    now = now or timezone.now()
    order = _lock(order)
    _ensure_technician(order, actor)
    if appointment_at is None:
        raise DomainError(_("Enter the time agreed with the customer."), field="appointment_at")
    if appointment_at < now - timezone.timedelta(minutes=5):
        raise DomainError(_("The appointment cannot be in the past."), field="appointment_at")
    _move(order, W.CONFIRMED)
    order.appointment_at = appointment_at
    order.appointment_confirmed_at = now
    order.service_date = timezone.localdate(appointment_at)
    order.save(update_fields=["status", "appointment_at", "appointment_confirmed_at", "service_date"])
    shown = timezone.localtime(appointment_at).strftime("%Y-%m-%d %H:%M")
    _step(order, "appointment_confirmed", actor, now, appointment_at=appointment_at.isoformat(), note=note)
    ticket_log(order.ticket, TicketLog.Kind.CALL_OUT, actor, _("Appointment confirmed for %(when)s. %(note)s") % {"when": shown, "note": note}, at=now)
    return order


@transaction.atomic
def record_arrival(*, order: WorkOrder, actor, device_time=None, now=None) -> WorkOrder:
    """CONFIRMED → ARRIVED (server time): stops the arrival clock, starts the 2-hour on-site clock."""
    now = now or timezone.now()
    order = _lock(order)
    _ensure_technician(order, actor)
    if order.status in (W.DISPATCHED, W.ACCEPTED):
        raise InvalidTransition(_("Confirm the appointment with the customer by phone before going there."), field="status")
    _move(order, W.ARRIVED)
    order.arrived_at = now
    if not order.fault_reported:
        order.fault_reported = order.ticket.description
    order.save(update_fields=["status", "arrived_at", "fault_reported"])
    stop_clock(ticket=order.ticket, target=SLATarget.ARRIVAL, now=now)
    start_clock(ticket=order.ticket, target=SLATarget.ON_SITE, now=now)
    _step(order, "arrived", actor, now, device_time=device_time.isoformat() if device_time else None)
    return order


# --- the report ---------------------------------------------------------------------------------

DIAGNOSIS_FIELDS = {
    "diag_listen": 4000, "diag_look": 4000, "diag_check": 4000, "running_time": 50, "opened_before": None,
    "cause": 4000, "responsibility": None, "resolution": 4000, "notes": 4000, "labour_minutes": None,
    "labour_charge": None, "payment_method": None,
}


@transaction.atomic
def save_report(*, order: WorkOrder, actor, now=None, **changes) -> WorkOrder:
    """The diagnosis (听、看、查), cause, responsibility, what was done, labour and payment — while
    the order is on site or in the workshop and not yet signed. Unknown fields are refused."""
    now = now or timezone.now()
    order = _lock(order)
    _ensure_technician(order, actor)
    _ensure_editable(order)
    changed = []
    for name, value in changes.items():
        if name not in DIAGNOSIS_FIELDS:
            raise DomainError(_("This field cannot be changed here."), field=name)
        limit = DIAGNOSIS_FIELDS[name]
        if name == "responsibility":
            value = value or ""
            if value not in WorkOrder.Responsibility.values:
                raise DomainError(_("Choose one of the listed values."), field=name)
        elif name == "payment_method":
            value = value or ""
            if value not in WorkOrder.Payment.values:
                raise DomainError(_("Choose one of the listed values."), field=name)
        elif name == "opened_before":
            if value not in (True, False, None):
                raise DomainError(_("Answer yes or no."), field=name)
        elif name == "labour_minutes":
            try:
                value = int(value)
            except (TypeError, ValueError):
                raise DomainError(_("Enter whole minutes."), field=name) from None
            if value < 0 or value > 24 * 60 * 7:
                raise DomainError(_("Enter between 0 and 10080 minutes."), field=name)
        elif name == "labour_charge":
            value = _amount(value, field=name)
        else:
            value = (value or "").strip()
            if limit and len(value) > limit:
                raise DomainError(_("At most %(n)d characters.") % {"n": limit}, field=name)
        if getattr(order, name) != value:
            setattr(order, name, value)
            changed.append(name)
    if changed:
        order.save(update_fields=changed)
        _step(order, "report_saved", actor, now, fields=sorted(changed))
    return order


def _item_charge(order: WorkOrder, unit_price: Decimal, qty: Decimal, chargeable: bool) -> Decimal:
    return (unit_price * qty).quantize(CENT) if chargeable else Decimal("0.00")


@transaction.atomic
def add_service_item(*, order: WorkOrder, actor, service_item, qty=1, chargeable: bool | None = None, now=None) -> WorkOrderItem:
    """A price-list item done on this order; charged on paid (A) orders unless said otherwise."""
    now = now or timezone.now()
    order = _lock(order)
    _ensure_technician(order, actor)
    _ensure_editable(order)
    if service_item is None or not service_item.is_active:
        raise DomainError(_("Choose an item of the current price list."), field="service_item")
    qty = _qty(qty)
    chargeable = order.category == WorkOrder.Category.PAID if chargeable is None else bool(chargeable)
    item = WorkOrderItem.objects.create(
        order=order, service_item=service_item, code=service_item.code, name=service_item.name,
        unit_price=service_item.price, qty=qty, chargeable=chargeable,
        amount=_item_charge(order, service_item.price, qty, chargeable),
        checklist_done=[False] * len(service_item.checklist or []),
    )
    _step(order, "item_added", actor, now, code=item.code, qty=str(qty))
    return item


@transaction.atomic
def tick_checklist(*, item: WorkOrderItem, actor, steps_done: list, acceptance_ok=None, now=None) -> WorkOrderItem:
    """Steps of the item's standard procedure done, and its acceptance check."""
    now = now or timezone.now()
    order = _lock(item.order)
    _ensure_technician(order, actor)
    _ensure_editable(order)
    item = WorkOrderItem.objects.select_for_update().get(pk=item.pk, order=order)
    if not isinstance(steps_done, list) or len(steps_done) != len(item.checklist_done) or not all(isinstance(s, bool) for s in steps_done):
        raise DomainError(
            _("Give one yes/no per step of the procedure (%(n)d steps).") % {"n": len(item.checklist_done)}, field="steps_done"
        )
    if acceptance_ok not in (True, False, None):
        raise DomainError(_("Answer yes or no."), field="acceptance_ok")
    item.checklist_done = steps_done
    item.acceptance_ok = acceptance_ok
    item.save(update_fields=["checklist_done", "acceptance_ok"])
    _step(order, "checklist_ticked", actor, now, code=item.code, done=sum(steps_done), acceptance_ok=acceptance_ok)
    return item


@transaction.atomic
def remove_service_item(*, item: WorkOrderItem, actor, now=None) -> None:
    now = now or timezone.now()
    order = _lock(item.order)
    _ensure_technician(order, actor)
    _ensure_editable(order)
    WorkOrderItem.objects.filter(pk=item.pk, order=order).delete()
    _step(order, "item_removed", actor, now, code=item.code)


@transaction.atomic
def add_part(*, order: WorkOrder, actor, part, location, qty, chargeable: bool | None = None, is_warranty: bool = False,
             idempotency_key: str | None = None, now=None) -> WorkOrderPart:
    """A part fitted: one USE move out of the van/station (never below zero), one line on the order.
    A retried request with the same ``idempotency_key`` returns the first line and takes nothing more."""
    from spares.services import stock as spares_stock

    now = now or timezone.now()
    order = _lock(order)
    _ensure_technician(order, actor)
    _ensure_editable(order)
    if part is None:
        raise DomainError(_("Unknown part."), field="part")
    if location is None:
        raise DomainError(_("Choose where the part is taken from."), field="location")
    qty = _qty(qty)
    key = f"wo:{order.pk}:{idempotency_key}" if idempotency_key else None
    move = spares_stock.use_part(
        part=part, location=location, qty=qty, reference=order.number, actor=actor,
        document_type="work_order", document_id=order.pk, idempotency_key=key,
    )
    existing = WorkOrderPart.objects.filter(order=order, stock_move=move).first()
    if existing is not None:
        return existing
    chargeable = (order.category == WorkOrder.Category.PAID and not is_warranty) if chargeable is None else bool(chargeable)
    line = WorkOrderPart.objects.create(
        order=order, part=part, location=location, qty=qty, unit_price=part.price, chargeable=chargeable,
        is_warranty=bool(is_warranty), amount=(part.price * qty).quantize(CENT) if chargeable else Decimal("0.00"),
        stock_move=move,
    )
    _step(order, "part_used", actor, now, part=part.number, qty=str(qty), location=location.code)
    return line


@transaction.atomic
def remove_part(*, line: WorkOrderPart, actor, reason: str, now=None) -> None:
    """A part taken but not fitted goes back where it came from (a reversing move); the line goes."""
    from spares.services import stock as spares_stock

    now = now or timezone.now()
    order = _lock(line.order)
    _ensure_technician(order, actor)
    _ensure_editable(order)
    line = WorkOrderPart.objects.select_for_update().select_related("stock_move", "part").get(pk=line.pk, order=order)
    spares_stock.reverse_usage(move=line.stock_move, reason=reason, actor=actor)
    line.delete()
    _step(order, "part_returned", actor, now, part=line.part.number, qty=str(line.qty), reason=reason)


@transaction.atomic
def add_old_part(*, order: WorkOrder, actor, part, qty, is_warranty: bool = False, note: str = "", now=None) -> WorkOrderOldPart:
    """旧件: a defective part taken back from the customer (handed in to the old-parts store later)."""
    now = now or timezone.now()
    order = _lock(order)
    _ensure_technician(order, actor)
    _ensure_editable(order)
    if part is None:
        raise DomainError(_("Unknown part."), field="part")
    note = (note or "").strip()
    if len(note) > 200:
        raise DomainError(_("At most %(n)d characters.") % {"n": 200}, field="note")
    old = WorkOrderOldPart.objects.create(order=order, part=part, qty=_qty(qty), is_warranty=bool(is_warranty), note=note)
    _step(order, "old_part_taken", actor, now, part=part.number, qty=str(old.qty))
    return old


@transaction.atomic
def remove_old_part(*, line: WorkOrderOldPart, actor, now=None) -> None:
    now = now or timezone.now()
    order = _lock(line.order)
    _ensure_technician(order, actor)
    _ensure_editable(order)
    WorkOrderOldPart.objects.filter(pk=line.pk, order=order).delete()
    _step(order, "old_part_removed", actor, now, line=line.pk)


PHOTO_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def _inspect_image(data: bytes, *, field: str, formats: dict[str, str], max_bytes: int):
    """Type by content (never by name or header), size, and that the pixels decode."""
    from PIL import Image, UnidentifiedImageError

    if not data:
        raise DomainError(_("The file is empty."), field=field)
    if len(data) > max_bytes:
        raise DomainError(_("The file is larger than %(kb)d KB.") % {"kb": max_bytes // 1024}, field=field)
    try:
        with Image.open(io.BytesIO(data)) as img:
            kind = img.format
            width, height = img.size
            if width * height > 40_000_000:
                raise DomainError(_("The image has too many pixels."), field=field)
            img.load()
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise DomainError(_("The file is not a readable image."), field=field) from None
    if kind not in formats:
        raise DomainError(
            _("Only these image types are accepted: %(types)s.") % {"types": ", ".join(sorted(formats))}, field=field
        )
    return formats[kind], width, height


@transaction.atomic
def add_photo(*, order: WorkOrder, actor, data: bytes, caption: str = "", client_id: str = "", now=None) -> WorkOrderPhoto:
    """A photo of the unit or the work (JPEG/PNG/WebP by content, size-limited). The same image
    sent again (a retry after a dropped connection) is stored once."""
    now = now or timezone.now()
    order = _lock(order)
    _ensure_technician(order, actor)
    _ensure_editable(order)
    content_type, width, height = _inspect_image(
        data, field="image", formats=PHOTO_TYPES, max_bytes=settings.WORK_ORDER_PHOTO_MAX_KB * 1024
    )
    sha = hashlib.sha256(data).hexdigest()
    existing = WorkOrderPhoto.objects.filter(order=order, sha256=sha).first()
    if existing is not None:
        return existing
    if order.photos.count() >= settings.WORK_ORDER_PHOTOS_PER_ORDER:
        raise DomainError(_("At most %(n)d photos per work order.") % {"n": settings.WORK_ORDER_PHOTOS_PER_ORDER}, field="image")
    caption = (caption or "").strip()[:100]
    photo = WorkOrderPhoto(
        order=order, content_type=content_type, size=len(data), width=width, height=height, sha256=sha,
        caption=caption, client_id=(client_id or "")[:64], uploaded_by=actor, uploaded_at=now,
    )
    photo.image.save(f"{sha}.img", ContentFile(data), save=False)
    photo.save()
    _step(order, "photo_added", actor, now, sha256=sha, size=len(data))
    return photo


# --- money and work -----------------------------------------------------------------------------


@transaction.atomic
def confirm_price(*, order: WorkOrder, actor, amount, payment_method: str = "", now=None) -> WorkOrder:
    """The price told to and accepted by the customer before the work starts (it must cover the
    items, parts and labour on the order now)."""
    now = now or timezone.now()
    order = _lock(order)
    _ensure_technician(order, actor)
    _ensure_editable(order)
    amount = _amount(amount, field="amount")
    current = quote(order)
    if amount < current:
        raise DomainError(
            _("The order already adds up to %(total)s yuan; the customer must agree to at least that.") % {"total": current},
            field="amount",
        )
    if (payment_method or "") not in WorkOrder.Payment.values:
        raise DomainError(_("Choose one of the listed values."), field="payment_method")
    if amount > 0 and not payment_method:
        raise DomainError(_("Say how the customer pays."), field="payment_method")
    order.price_confirmed_amount = amount
    order.price_confirmed_at = now
    order.payment_method = payment_method or ""
    order.save(update_fields=["price_confirmed_amount", "price_confirmed_at", "payment_method"])
    _step(order, "price_confirmed", actor, now, amount=str(amount), payment_method=payment_method or "")
    return order


@transaction.atomic
def start_work(*, order: WorkOrder, actor, now=None) -> WorkOrder:
    """ARRIVED → IN_PROGRESS, once the customer has accepted the price (when there is one)."""
    now = now or timezone.now()
    order = _lock(order)
    _ensure_technician(order, actor)
    if order.status == W.ARRIVED and quote(order) > 0 and order.price_confirmed_at is None:
        raise DomainError(_("Confirm the price with the customer before starting the work."), field="price_confirmed_amount")
    _move(order, W.IN_PROGRESS)
    order.started_at = order.started_at or now
    order.save(update_fields=["status", "started_at"])
    _step(order, "work_started", actor, now)
    return order


@transaction.atomic
def hold_order(*, order: WorkOrder, actor, reason: str, now=None) -> WorkOrder:
    """Waiting for the customer or for parts: the ticket's clocks pause until the order resumes."""
    now = now or timezone.now()
    order = _lock(order)
    _ensure_technician_or_desk(order, actor)
    reason = _text(reason, field="reason", message=_("Say what the order is waiting for."), max_length=500)
    previous = order.status
    _move(order, W.ON_HOLD)
    order.status_before_hold = previous
    order.hold_reason = reason
    order.save(update_fields=["status", "status_before_hold", "hold_reason"])
    _pause_ticket_clocks(order.ticket, now)
    _step(order, "on_hold", actor, now, reason=reason)
    ticket_log(order.ticket, TicketLog.Kind.ON_HOLD, actor, f"{order.number}: {reason}", at=now)
    return order


@transaction.atomic
def resume_order(*, order: WorkOrder, actor, now=None) -> WorkOrder:
    now = now or timezone.now()
    order = _lock(order)
    _ensure_technician_or_desk(order, actor)
    if order.status != W.ON_HOLD:
        raise InvalidTransition(_("Only an order on hold can resume."), field="status")
    _move(order, order.status_before_hold or W.DISPATCHED)
    order.status_before_hold = ""
    order.hold_reason = ""
    order.save(update_fields=["status", "status_before_hold", "hold_reason"])
    if order.ticket.status != Ticket.Status.ON_HOLD:
        _resume_ticket_clocks(order.ticket, now)
    _step(order, "resumed", actor, now)
    ticket_log(order.ticket, TicketLog.Kind.RESUMED, actor, order.number, at=now)
    return order


def _ensure_technician_or_desk(order: WorkOrder, actor) -> None:
    if has_role(actor, Role.DISPATCHER, Role.SUPERVISOR, Role.STATION_HEAD, Role.MANAGER):
        return
    _ensure_technician(order, actor)


@transaction.atomic
def complete_order(*, order: WorkOrder, actor, now=None) -> WorkOrder:
    """IN_PROGRESS (or a carried-in unit back from the workshop) → COMPLETED: needs what was found
    and done; the charges must not exceed the price the customer agreed. Stops the on-site clock."""
    now = now or timezone.now()
    order = _lock(order)
    _ensure_technician(order, actor)
    if order.status == W.CARRIED_IN and getattr(_carry_in_of(order), "status", None) not in ("ready", "ship", "returned", "shipped"):
        raise InvalidTransition(_("The carried-in unit must be repaired and inspected first."), field="status")
    if not order.cause.strip():
        raise DomainError(_("Write the cause of the fault."), field="cause")
    if not order.resolution.strip():
        raise DomainError(_("Write what was done."), field="resolution")
    total = _within_agreed_price(order)
    if total > 0 and not order.payment_method:
        raise DomainError(_("Say how the customer pays."), field="payment_method")
    _move(order, W.COMPLETED)
    order.completed_at = now
    order.total_charge = total
    order.save(update_fields=["status", "completed_at", "total_charge"])
    stop_clock(ticket=order.ticket, target=SLATarget.ON_SITE, now=now)
    _step(order, "completed", actor, now, total=str(total))
    return order


def _carry_in_of(order: WorkOrder):
    from .models import CarryIn

    return CarryIn.objects.filter(order=order).first()


@transaction.atomic
def request_rework(*, order: WorkOrder, actor, reason: str, now=None) -> WorkOrder:
    """返工: the customer is not satisfied. Before signing the order goes back to work; a signed
    order is frozen, so the rework is a new order linked to it (free of charge, same technician)."""
    now = now or timezone.now()
    order = _lock(order)
    reason = _text(reason, field="reason", message=_("Say what the customer is not satisfied with."), max_length=1000)
    if order.status == W.COMPLETED:
        _ensure_technician_or_desk(order, actor)
        _move(order, W.IN_PROGRESS)
        order.completed_at = None
        order.save(update_fields=["status", "completed_at"])
        _step(order, "rework", actor, now, reason=reason)
        return order
    if order.status not in (W.SIGNED, W.CLOSED):
        raise InvalidTransition(_("Rework is asked for on a completed or signed order."), field="status")
    if not has_role(actor, Role.DISPATCHER, Role.SUPERVISOR, Role.STATION_HEAD, Role.MANAGER, Role.ADMIN) and not actor.is_superuser:
        raise DomainError(_("Rework of a signed order is ordered by the desk or a supervisor."), field="order")
    ticket = Ticket.objects.select_for_update().get(pk=order.ticket_id)
    if ticket.status in (Ticket.Status.CLOSED, Ticket.Status.CANCELLED):
        raise InvalidTransition(_("The ticket is closed; register the complaint as a new ticket."), field="ticket")
    rework = WorkOrder.objects.create(
        number=next_number("WO", at=now), ticket=ticket, customer_id=order.customer_id, technician_id=order.technician_id,
        category=WorkOrder.Category.FREE,
        category_reason=_("Rework of %(number)s: not charged again.") % {"number": order.number},
        dispatched_at=now, dispatched_by=actor, dispatch_reasons=[_("Rework by the same technician")],
        service_date=timezone.localdate(now), rework_of=order, fault_reported=reason,
    )
    if ticket.status != Ticket.Status.DISPATCHED:
        move_ticket(ticket, Ticket.Status.DISPATCHED)
        ticket.save(update_fields=["status"])
    _step(rework, "rework_dispatched", actor, now, of=order.number, reason=reason)
    ticket_log(ticket, TicketLog.Kind.DISPATCHED, actor, _("Rework %(new)s of %(old)s: %(reason)s") % {"new": rework.number, "old": order.number, "reason": reason}, at=now)
    user = order.technician.user
    transaction.on_commit(lambda: notify_users(
        recipients=[user], kind="work_order_rework", title=_("Rework %(number)s") % {"number": rework.number},
        body=reason, url="/tablet/", key=f"work_order:{rework.pk}:dispatched",
    ))
    return rework


@transaction.atomic
def cancel_order(*, order: WorkOrder, actor, reason: str, now=None) -> WorkOrder:
    """核销: an order that will not be done; parts already taken go back where they came from."""
    from spares.services import stock as spares_stock

    now = now or timezone.now()
    order = _lock(order)
    if not has_role(actor, Role.DISPATCHER, Role.SUPERVISOR, Role.STATION_HEAD, Role.MANAGER, Role.ADMIN) and not actor.is_superuser:
        raise DomainError(_("Only the desk or a supervisor can cancel a work order."), field="order")
    reason = _text(reason, field="reason", message=_("Say why the order is cancelled."), max_length=1000)
    _move(order, W.CANCELLED)
    for line in WorkOrderPart.objects.select_for_update().select_related("stock_move").filter(order=order).order_by("pk"):
        if _reversible(line):
            # The parts went back into the technician's van or station: booked in his name, the
            # note says who cancelled (the desk may not keep stock itself).
            spares_stock.reverse_usage(
                move=line.stock_move, actor=order.technician.user,
                reason=_("%(number)s cancelled by %(who)s: %(reason)s") % {"number": order.number, "who": actor.get_username(), "reason": reason},
            )
    order.cancelled_at = now
    order.cancel_reason = reason
    order.save(update_fields=["status", "cancelled_at", "cancel_reason"])
    _step(order, "cancelled", actor, now, reason=reason)
    ticket_log(order.ticket, TicketLog.Kind.NOTE, actor, _("Work order %(number)s cancelled: %(reason)s") % {"number": order.number, "reason": reason}, at=now)
    return order


def _reversible(line: WorkOrderPart) -> bool:
    from spares.models import StockMove

    return not StockMove.objects.filter(reverses=line.stock_move).exists()


# --- signature, seal and review -----------------------------------------------------------------


def seal_content(order: WorkOrder) -> dict:
    """What the customer's signature covers, read from the database (the verification reads it the
    same way). Only the order's own frozen rows: nothing a later edit elsewhere could change."""
    signature = order.signature
    return {
        "order": {
            "id": order.pk, "number": order.number, "version": order.version, "ticket_id": order.ticket_id,
            "customer_id": order.customer_id, "technician_id": order.technician_id, "category": order.category,
            "customer_name": order.customer_name, "service_address": order.service_address, "unit": order.unit_label,
            "dispatched_at": order.dispatched_at, "accepted_at": order.accepted_at, "appointment_at": order.appointment_at,
            "arrived_at": order.arrived_at, "started_at": order.started_at, "completed_at": order.completed_at,
            "signed_at": order.signed_at, "fault_reported": order.fault_reported, "listen": order.diag_listen,
            "look": order.diag_look, "check": order.diag_check, "running_time": order.running_time,
            "opened_before": order.opened_before, "cause": order.cause, "responsibility": order.responsibility,
            "resolution": order.resolution, "notes": order.notes, "labour_minutes": order.labour_minutes,
            "labour_charge": order.labour_charge, "price_confirmed_amount": order.price_confirmed_amount,
            "price_confirmed_at": order.price_confirmed_at, "total_charge": order.total_charge,
            "payment_method": order.payment_method, "supersedes": order.supersedes_id, "rework_of": order.rework_of_id,
        },
        "items": [
            {"code": i.code, "name": i.name, "unit_price": i.unit_price, "qty": i.qty, "chargeable": i.chargeable,
             "amount": i.amount, "steps": i.checklist_done, "acceptance_ok": i.acceptance_ok}
            for i in sorted(order.items.all(), key=lambda i: i.pk)
        ],
        "parts": [
            {"part_id": p.part_id, "location_id": p.location_id, "qty": p.qty, "unit_price": p.unit_price,
             "chargeable": p.chargeable, "is_warranty": p.is_warranty, "amount": p.amount, "move": p.stock_move_id}
            for p in sorted(order.parts.all(), key=lambda p: p.pk)
        ],
        "old_parts": [
            {"part_id": o.part_id, "qty": o.qty, "is_warranty": o.is_warranty, "note": o.note}
            for o in sorted(order.old_parts.all(), key=lambda o: o.pk)
        ],
        "photos": sorted(p.sha256 for p in order.photos.all()),
        "signature": {
            "printed_name": signature.printed_name, "meaning": signature.meaning, "signed_at": signature.signed_at,
            "device_signed_at": signature.device_signed_at, "image_sha256": signature.sha256,
        },
    }


SIGNATURE_TYPES = {"PNG": "image/png"}


@transaction.atomic
def sign_order(*, order: WorkOrder, actor, image: bytes, printed_name: str, client_id: str, device_signed_at=None, now=None) -> WorkOrder:
    """COMPLETED → SIGNED: the customer's signature (only after the work, 不允许在服务前要求用户签字),
    then the seal — SHA-256 over the canonical content and the image, HMAC-chained to the previous
    seal. The same submission (``client_id``) sent again — a tablet that was offline — is stored once."""
    now = now or timezone.now()
    client_id = _text(client_id, field="client_id", message=_("The signature has no submission id."), max_length=64)
    order = _lock(order)
    if order.signed_at is not None:
        signature = order.signature
        if signature.client_id == client_id:
            return order  # the same signature again: already stored
        raise Conflict(_("The work order is already signed."), code="already_signed")
    _ensure_technician(order, actor)
    if order.status != W.COMPLETED:
        raise InvalidTransition(_("The customer signs only after the work is completed."), field="status")
    printed_name = _text(printed_name, field="printed_name", message=_("Write the customer's name under the signature."), max_length=50)
    total = _within_agreed_price(order)
    order.total_charge = total
    _inspect_image(image, field="image", formats=SIGNATURE_TYPES, max_bytes=1024 * 1024)
    if _is_blank(image):
        raise DomainError(_("The signature pad is empty."), field="image")
    WorkOrderSignature.objects.create(
        order=order, image=image, sha256=hashlib.sha256(image).hexdigest(), printed_name=printed_name,
        meaning=SIGNATURE_MEANING, client_id=client_id, device_signed_at=device_signed_at, signed_at=now, signed_by_user=actor,
    )
    unit = order.ticket.unit
    order.customer_name = order.customer.name
    order.service_address = order.ticket.address
    order.unit_label = str(unit) if unit else ""
    order.signed_at = now
    order.status = W.SIGNED
    # One chain for the whole database: signings queue here for the moment of taking the next link.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('tickets.work_order_seal_chain'))")
    last = WorkOrder.objects.filter(seal_seq__isnull=False).order_by("-seal_seq").values("seal_seq", "seal_chain").first()
    order.seal_seq = (last["seal_seq"] + 1) if last else 1
    previous = last["seal_chain"] if last else sealing.GENESIS
    order_fresh = _for_seal(order)
    s = sealing.seal(seal_content(order_fresh), image, key=settings.SIGNATURE_SEAL_KEY, previous=previous)
    order.seal_digest, order.seal_previous, order.seal_chain = s.digest, s.previous, s.chain
    order.save(update_fields=[
        "customer_name", "service_address", "unit_label", "signed_at", "status", "seal_seq", "seal_digest", "total_charge",
        "seal_previous", "seal_chain",
    ])
    _step(order, "signed", actor, now, seal=order.seal_seq, device_signed_at=device_signed_at.isoformat() if device_signed_at else None)
    ticket = Ticket.objects.select_for_update().get(pk=order.ticket_id)
    if ticket.status == Ticket.Status.DISPATCHED and not ticket.work_orders.exclude(pk=order.pk).exclude(
        status__in=[W.SIGNED, W.CLOSED, W.CANCELLED]
    ).exists():
        move_ticket(ticket, Ticket.Status.RESOLVED)
        ticket.save(update_fields=["status"])
    ticket_log(ticket, TicketLog.Kind.NOTE, actor, _("Work order %(number)s signed by %(name)s") % {"number": order.number, "name": printed_name}, at=now)
    return order


def _for_seal(order: WorkOrder) -> WorkOrder:
    """``order`` with its lines and signature loaded exactly as the verification will read them."""
    fresh = WorkOrder.objects.prefetch_related("items", "parts", "old_parts", "photos").select_related("signature").get(pk=order.pk)
    for name in ("customer_name", "service_address", "unit_label", "signed_at", "total_charge", "status"):
        setattr(fresh, name, getattr(order, name))
    return fresh


def _is_blank(png: bytes) -> bool:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as img:
        img = img.convert("LA")
        alpha = img.getchannel("A")
        lum = img.getchannel("L")
        # Ink is any pixel that is opaque and not white.
        lo, _hi = lum.getextrema()
        a_lo, a_hi = alpha.getextrema()
        return a_hi == 0 or (lo > 240 and a_lo == a_hi)


@transaction.atomic
def review_order(*, order: WorkOrder, actor, comment: str = "", now=None) -> WorkOrder:
    """SIGNED → CLOSED: the supervisor or manager reviewed the signed report (交领导审批后存档).
    Closes the ticket when no other order is open, and tells the callbacks after commit."""
    now = now or timezone.now()
    if not (has_role(actor, Role.SUPERVISOR, Role.STATION_HEAD, Role.MANAGER, Role.GENERAL_MANAGER) or actor.is_superuser):
        raise DomainError(_("Only a supervisor or a manager reviews signed work orders."), field="order")
    order = _lock(order)
    if order.status != W.SIGNED:
        raise InvalidTransition(_("Only a signed work order can be reviewed and closed."), field="status")
    _move(order, W.CLOSED)
    order.reviewed_by = actor
    order.reviewed_at = now
    order.review_comment = (comment or "").strip()
    order.closed_at = now
    order.save(update_fields=list(("status", "reviewed_by", "reviewed_at", "review_comment", "closed_at")))
    _step(order, "closed", actor, now, comment=order.review_comment)
    ticket = Ticket.objects.select_for_update().get(pk=order.ticket_id)
    others_open = ticket.work_orders.exclude(pk=order.pk).exclude(status__in=[W.CLOSED, W.CANCELLED]).exists()
    if not others_open and ticket.status in (Ticket.Status.RESOLVED, Ticket.Status.DISPATCHED):
        close_ticket_row(ticket, actor=actor, resolution=order.resolution or order.review_comment or order.number, now=now)
    order_pk = order.pk
    transaction.on_commit(lambda: signals.work_order_closed.send(sender=WorkOrder, order_id=order_pk))
    return order


@transaction.atomic
def correct_signed_order(*, order: WorkOrder, actor, reason: str, now=None) -> WorkOrder:
    """A signed order is never edited: a correction is a new version, linked to it, with the same
    content, open for the technician to fix and for the customer to sign again."""
    now = now or timezone.now()
    order = _lock(order)
    reason = _text(reason, field="reason", message=_("Say what needs correcting."), max_length=1000)
    if order.signed_at is None:
        raise InvalidTransition(_("The order is not signed yet: change it directly."), field="status")
    if not (has_role(actor, Role.SUPERVISOR, Role.STATION_HEAD, Role.MANAGER) or actor.is_superuser):
        raise DomainError(_("Only a supervisor or a manager can open a correction."), field="order")
    if WorkOrder.objects.filter(supersedes=order).exists():
        raise Conflict(_("This order already has a correction."), code="already_corrected")
    root = order.number.split("/")[0]
    version = (WorkOrder.objects.filter(number__startswith=f"{root}/").aggregate(m=Max("version"))["m"] or order.version) + 1
    copy = WorkOrder.objects.create(
        number=f"{root}/{version}", ticket_id=order.ticket_id, customer_id=order.customer_id, technician_id=order.technician_id,
        status=W.COMPLETED, category=order.category, category_reason=order.category_reason,
        dispatched_at=order.dispatched_at, dispatched_by_id=order.dispatched_by_id, dispatch_reasons=order.dispatch_reasons,
        service_date=order.service_date, accepted_at=order.accepted_at, appointment_at=order.appointment_at,
        appointment_confirmed_at=order.appointment_confirmed_at, arrived_at=order.arrived_at, started_at=order.started_at,
        completed_at=now, fault_reported=order.fault_reported, diag_listen=order.diag_listen, diag_look=order.diag_look,
        diag_check=order.diag_check, running_time=order.running_time, opened_before=order.opened_before, cause=order.cause,
        responsibility=order.responsibility, resolution=order.resolution, notes=order.notes,
        labour_minutes=order.labour_minutes, labour_charge=order.labour_charge,
        price_confirmed_amount=order.price_confirmed_amount, price_confirmed_at=order.price_confirmed_at,
        total_charge=order.total_charge, payment_method=order.payment_method, is_carry_in=order.is_carry_in,
        rework_of_id=order.rework_of_id, supersedes=order, version=version,
    )
    WorkOrderItem.objects.bulk_create([
        WorkOrderItem(order=copy, service_item_id=i.service_item_id, code=i.code, name=i.name, unit_price=i.unit_price, qty=i.qty,
                      chargeable=i.chargeable, amount=i.amount, checklist_done=i.checklist_done, acceptance_ok=i.acceptance_ok)
        for i in order.items.order_by("pk")
    ])
    WorkOrderPart.objects.bulk_create([
        WorkOrderPart(order=copy, part_id=p.part_id, location_id=p.location_id, qty=p.qty, unit_price=p.unit_price,
                      chargeable=p.chargeable, is_warranty=p.is_warranty, amount=p.amount, stock_move_id=p.stock_move_id)
        for p in order.parts.order_by("pk")
    ])
    WorkOrderOldPart.objects.bulk_create([
        WorkOrderOldPart(order=copy, part_id=o.part_id, qty=o.qty, is_warranty=o.is_warranty, note=o.note)
        for o in order.old_parts.order_by("pk")
    ])
    _step(copy, "correction_opened", actor, now, of=order.number, reason=reason)
    _step(order, "corrected", actor, now, by=copy.number, reason=reason)
    return copy


# --- verification -------------------------------------------------------------------------------


def verify_seals(*, batch: int = 500) -> list[dict]:
    """Recompute every signed order's digest and the HMAC chain in seal order, and each photo
    file's hash. Returns one entry per order altered behind the application's back (empty: intact)."""
    from django.core.files.storage import default_storage

    problems: dict[int, dict] = {}
    previous = sealing.GENESIS
    key = settings.SIGNATURE_SEAL_KEY
    last_seq = 0
    expected_seq = 1
    qs = WorkOrder.objects.filter(seal_seq__isnull=False).select_related("signature").prefetch_related(
        "items", "parts", "old_parts", "photos"
    ).order_by("seal_seq")

    def flag(order, reason):
        entry = problems.setdefault(order.pk, {"id": order.pk, "number": order.number, "seal_seq": order.seal_seq, "reasons": []})
        if reason not in entry["reasons"]:
            entry["reasons"].append(reason)

    while True:
        rows = list(qs.filter(seal_seq__gt=last_seq)[:batch])
        if not rows:
            break
        for order in rows:
            last_seq = order.seal_seq
            if order.seal_seq != expected_seq:
                flag(order, "seal_missing_before")
            expected_seq = order.seal_seq + 1
            try:
                signature = order.signature
            except WorkOrderSignature.DoesNotExist:
                flag(order, "signature_missing")
                previous = order.seal_chain
                continue
            image = bytes(signature.image)
            if hashlib.sha256(image).hexdigest() != signature.sha256:
                flag(order, "signature_altered")
            stored = sealing.Seal(digest=order.seal_digest, previous=order.seal_previous, chain=order.seal_chain)
            for reason in sealing.check_link(seal_content(order), image, stored, key=key, previous=previous):
                flag(order, reason)
            previous = order.seal_chain
            if order.signed_at is None or order.status not in (W.SIGNED, W.CLOSED):
                flag(order, "content_altered")
            for photo in order.photos.all():
                try:
                    with default_storage.open(photo.image.name, "rb") as fh:
                        if hashlib.sha256(fh.read()).hexdigest() != photo.sha256:
                            flag(order, "photo_altered")
                except FileNotFoundError:
                    flag(order, "photo_missing")
    # A signed order whose seal number was wiped is out of the chain altogether.
    for order in WorkOrder.objects.filter(seal_seq__isnull=True, signed_at__isnull=False):
        flag(order, "seal_removed")
    return sorted(problems.values(), key=lambda p: (p["seal_seq"] or 0, p["id"]))
