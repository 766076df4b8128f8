"""Carry-in repairs (携回修护): every write, from the pickup receipt to the unit's return.

The unit's way::

    take_in → TAKEN → start_repair → IN_REPAIR → finish_repair → REPAIRED → inspect(ok) → READY
                  ↘ request/decide_factory_return → AT_FACTORY → factory_back → REPAIRED ↗
    inspect(not ok) → IN_REPAIR;  READY → hand_back → RETURNED  (or, uncollected after the
    notices, READY → SHIP → mark_shipped → SHIPPED; a customer who turns up first → RETURNED)

The work order itself goes ARRIVED/IN_PROGRESS → CARRIED_IN at take-in and stays there until the
technician completes it (``work_orders.complete_order`` accepts a carried-in order once its unit is
READY/SHIP/RETURNED/SHIPPED); the customer then signs through ``work_orders.sign_order`` — the
"return with signature" is hand_back (register OUT, receipt voided) + complete + sign.

Locks: the work order first, then the carry-in row (the same order everywhere, so two requests
never deadlock). Each step writes a WorkOrderLog row; the goods register is append-only.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.core.exceptions import Conflict, DomainError, InvalidTransition
from servicedesk.core.numbering import next_number
from servicedesk.notifications.services import notify_users
from servicedesk.org.models import Role
from servicedesk.org.roles import has_role
from servicedesk.org.selectors import staff_of

from . import work_orders as wo
from .models import CarryIn, CollectionReminder, FactoryReturn, GoodsRegisterEntry, SLATarget, WorkOrder
from .services import start_clock, stop_clock

C = CarryIn.Status
W = WorkOrder.Status
IN, OUT = GoodsRegisterEntry.Direction.IN, GoodsRegisterEntry.Direction.OUT

CARRY_IN_TRANSITIONS: dict[str, set[str]] = {
    C.TAKEN: {C.IN_REPAIR, C.AT_FACTORY},
    C.IN_REPAIR: {C.REPAIRED, C.AT_FACTORY},
    C.REPAIRED: {C.READY, C.IN_REPAIR},
    C.AT_FACTORY: {C.REPAIRED},
    C.READY: {C.RETURNED, C.SHIP},
    C.SHIP: {C.SHIPPED, C.RETURNED},
    C.RETURNED: set(),
    C.SHIPPED: set(),
}
# A unit can be sent to the factory before it is repaired here.
FACTORY_FROM = (C.TAKEN, C.IN_REPAIR)
MAX_MINUTES = 7 * 24 * 60


# --- helpers ------------------------------------------------------------------------------------


def _move(carry: CarryIn, to: str) -> None:
    if to not in CARRY_IN_TRANSITIONS[carry.status]:
        raise InvalidTransition(
            _("A carry-in repair that is “%(from)s” cannot become “%(to)s”.") % {"from": C(carry.status).label, "to": C(to).label},
            field="status",
        )
    carry.status = to


def _lock(carry: CarryIn) -> tuple[WorkOrder, CarryIn]:
    order = wo._lock(WorkOrder(pk=carry.order_id))
    carry = CarryIn.objects.select_for_update().get(pk=carry.pk)
    return order, carry


def _same_station(actor, station_id) -> bool:
    me = staff_of(actor)
    # Department-level staff (no home station) act for every station.
    return me is not None and (me.station_id is None or me.station_id == station_id)


def _is_admin(actor) -> bool:
    return bool(getattr(actor, "is_superuser", False)) or has_role(actor, Role.ADMIN)


def _ensure_workshop(order: WorkOrder, actor) -> None:
    """Workshop steps: the order's technician, or a supervisor/station head of its station."""
    if _is_admin(actor):
        return
    if has_role(actor, Role.SUPERVISOR, Role.STATION_HEAD) and _same_station(actor, order.ticket.station_id):
        return
    me = staff_of(actor)
    if me is None or me.pk != order.technician_id:
        raise DomainError(_("Only the technician of this work order or the station's supervisor can do this."), field="technician")


def _ensure_inspector(order: WorkOrder, actor) -> None:
    if _is_admin(actor):
        return
    if not (has_role(actor, Role.SUPERVISOR, Role.STATION_HEAD) and _same_station(actor, order.ticket.station_id)):
        raise DomainError(_("Only a supervisor or the head of the order's station inspects a repaired unit."), field="inspected_by")


def _ensure_factory_approver(order: WorkOrder, actor) -> None:
    if _is_admin(actor) or has_role(actor, Role.MANAGER):
        return
    if not (has_role(actor, Role.STATION_HEAD) and _same_station(actor, order.ticket.station_id)):
        raise DomainError(_("Only a manager or the head of the order's station decides a return to the factory."), field="decided_by")


def _minutes(value) -> int:
    try:
        minutes = int(value)
    except (TypeError, ValueError):
        raise DomainError(_("Enter whole minutes."), field="minutes") from None
    if isinstance(value, float) and value != minutes:
        raise DomainError(_("Enter whole minutes."), field="minutes")
    if minutes <= 0 or minutes > MAX_MINUTES:
        raise DomainError(_("Enter between 1 and %(n)d minutes.") % {"n": MAX_MINUTES}, field="minutes")
    return minutes


def _optional(value, *, field: str, max_length: int) -> str:
    value = (value or "").strip()
    if len(value) > max_length:
        raise DomainError(_("At most %(n)d characters.") % {"n": max_length}, field=field)
    return value


def _register(carry: CarryIn, direction: str, actor, now, note: str) -> GoodsRegisterEntry:
    return GoodsRegisterEntry.objects.create(carry_in=carry, direction=direction, at=now, by=actor, note=note[:200])


def station_users(station_id, *roles: str):
    User = get_user_model()
    return list(
        User.objects.filter(is_active=True, staff__station_id=station_id, groups__name__in=roles).distinct().order_by("pk")
    )


def _managers_and_station_head(station_id):
    User = get_user_model()
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(groups__name=Role.MANAGER) | Q(groups__name=Role.STATION_HEAD, staff__station_id=station_id))
        .distinct()
        .order_by("pk")
    )


def _later(func) -> None:
    transaction.on_commit(func)


# --- taking the unit in -------------------------------------------------------------------------


@transaction.atomic
def take_in(*, order: WorkOrder, actor, goods: str, accessories: str = "", condition: str = "", now=None) -> CarryIn:
    """ARRIVED/IN_PROGRESS → CARRIED_IN: the pickup receipt (客户商品领取收据, number CR-…), the
    register's IN line, the on-site clock stopped (he leaves with the unit) and the 7-day carry-in
    clock started."""
    now = now or timezone.now()
    order = wo._lock(order)
    wo._ensure_technician(order, actor)
    goods = wo._text(goods, field="goods", message=_("Describe the unit taken: model and serial number."), max_length=200)
    accessories = _optional(accessories, field="accessories", max_length=200)
    condition = _optional(condition, field="condition", max_length=2000)
    existing = CarryIn.objects.filter(order=order).first()
    if existing is not None:
        raise Conflict(_("The unit of this order is already taken in (receipt %(number)s).") % {"number": existing.number}, code="already_taken")
    if order.status not in (W.ARRIVED, W.IN_PROGRESS):
        raise InvalidTransition(
            _("A unit is taken in from the customer's site: the order must be arrived or in progress (it is “%(status)s”).")
            % {"status": W(order.status).label},
            field="status",
        )
    wo._move(order, W.CARRIED_IN)
    order.is_carry_in = True
    order.save(update_fields=["status", "is_carry_in"])
    carry = CarryIn.objects.create(
        number=next_number("CR", at=now), order=order, goods=goods, accessories=accessories, condition=condition,
        taken_at=now, taken_by=actor,
    )
    _register(carry, IN, actor, now, _("Taken from the customer (%(order)s)") % {"order": order.number})
    stop_clock(ticket=order.ticket, target=SLATarget.ON_SITE, now=now)
    start_clock(ticket=order.ticket, target=SLATarget.CARRY_IN, now=now)
    wo._step(order, "carried_in", actor, now, receipt=carry.number, goods=goods)
    return carry


# --- the repair tag (修护卡) --------------------------------------------------------------------


@transaction.atomic
def start_repair(*, carry_in: CarryIn, actor, now=None) -> CarryIn:
    """TAKEN → IN_REPAIR."""
    now = now or timezone.now()
    order, carry = _lock(carry_in)
    _ensure_workshop(order, actor)
    _move(carry, C.IN_REPAIR)
    carry.repair_started_at = carry.repair_started_at or now
    carry.save(update_fields=["status", "repair_started_at"])
    wo._step(order, "repair_started", actor, now, receipt=carry.number)
    return carry


@transaction.atomic
def finish_repair(*, carry_in: CarryIn, actor, minutes, notes: str, now=None) -> CarryIn:
    """IN_REPAIR → REPAIRED: the actual repair time and what was done go on the repair tag. A unit
    that failed inspection and was repaired again adds its minutes to the tag's total."""
    now = now or timezone.now()
    minutes = _minutes(minutes)
    notes = wo._text(notes, field="notes", message=_("Write what was repaired."), max_length=2000)
    order, carry = _lock(carry_in)
    _ensure_workshop(order, actor)
    _move(carry, C.REPAIRED)
    carry.repair_finished_at = now
    carry.repair_minutes += minutes
    carry.repair_notes = f"{carry.repair_notes}\n{notes}".strip() if carry.repair_notes else notes
    carry.save(update_fields=["status", "repair_finished_at", "repair_minutes", "repair_notes"])
    wo._step(order, "repair_finished", actor, now, receipt=carry.number, minutes=minutes)
    return carry


@transaction.atomic
def inspect(*, carry_in: CarryIn, actor, ok, notes: str = "", now=None) -> CarryIn:
    """REPAIRED → READY (inspection passed: waiting for collection, the 7-day clock stops) or back
    to IN_REPAIR (failed: the notes say why). Supervisor or station head of the order's station."""
    now = now or timezone.now()
    if ok not in (True, False):
        raise DomainError(_("Answer yes or no."), field="ok")
    notes = _optional(notes, field="notes", max_length=2000)
    if not ok and not notes:
        raise DomainError(_("Say what is still wrong with the unit."), field="notes")
    order, carry = _lock(carry_in)
    _ensure_inspector(order, actor)
    if carry.status != C.REPAIRED:
        raise InvalidTransition(_("Only a repaired unit is inspected (it is “%(status)s”).") % {"status": C(carry.status).label}, field="status")
    _move(carry, C.READY if ok else C.IN_REPAIR)
    carry.inspected_at = now
    carry.inspected_by = actor
    carry.inspection_notes = notes
    fields = ["status", "inspected_at", "inspected_by", "inspection_notes"]
    if ok:
        carry.ready_at = now
        fields.append("ready_at")
        stop_clock(ticket=order.ticket, target=SLATarget.CARRY_IN, now=now)
    carry.save(update_fields=fields)
    wo._step(order, "inspected" if ok else "inspection_failed", actor, now, receipt=carry.number, notes=notes)
    return carry


# --- return to the factory (返厂) --------------------------------------------------------------


@transaction.atomic
def request_factory_return(*, carry_in: CarryIn, actor, reason: str, now=None) -> FactoryReturn:
    """An application to send the unit back to the factory; a manager or the station head decides."""
    now = now or timezone.now()
    reason = wo._text(reason, field="reason", message=_("Say why the unit must go back to the factory."), max_length=2000)
    order, carry = _lock(carry_in)
    _ensure_workshop(order, actor)
    if carry.status not in FACTORY_FROM:
        raise InvalidTransition(
            _("A return to the factory is asked for before the unit is repaired here (it is “%(status)s”).") % {"status": C(carry.status).label},
            field="status",
        )
    if carry.factory_returns.filter(status__in=[FactoryReturn.Status.REQUESTED, FactoryReturn.Status.APPROVED]).exists():
        raise Conflict(_("A return to the factory is already open for this unit."), code="factory_return_open")
    try:
        with transaction.atomic():
            request = FactoryReturn.objects.create(carry_in=carry, reason=reason, requested_by=actor, requested_at=now)
    except IntegrityError:
        raise Conflict(_("A return to the factory is already open for this unit."), code="factory_return_open") from None
    wo._step(order, "factory_return_requested", actor, now, receipt=carry.number, reason=reason)
    approvers = _managers_and_station_head(order.ticket.station_id)
    title = _("Return to the factory asked for: %(number)s") % {"number": carry.number}
    body = f"{carry.goods}\n{reason}"
    pk = request.pk
    _later(lambda: notify_users(recipients=approvers, kind="factory_return_requested", title=title, body=body,
                                url=f"/admin/tickets/factoryreturn/{pk}/change/", key=f"factory_return:{pk}:requested"))
    return request


@transaction.atomic
def decide_factory_return(*, factory_return: FactoryReturn, actor, approve, comment: str = "", now=None) -> FactoryReturn:
    """REQUESTED → APPROVED (the unit goes: AT_FACTORY, register OUT) or REJECTED (with a reason)."""
    now = now or timezone.now()
    if approve not in (True, False):
        raise DomainError(_("Answer yes or no."), field="approve")
    comment = _optional(comment, field="comment", max_length=2000)
    if not approve and not comment:
        raise DomainError(_("Say why the return is refused."), field="comment")
    order, carry = _lock(factory_return.carry_in)
    request = FactoryReturn.objects.select_for_update().get(pk=factory_return.pk)
    _ensure_factory_approver(order, actor)
    if request.status != FactoryReturn.Status.REQUESTED:
        raise InvalidTransition(_("This return to the factory is already decided."), field="status")
    request.status = FactoryReturn.Status.APPROVED if approve else FactoryReturn.Status.REJECTED
    request.decided_by = actor
    request.decided_at = now
    request.decision_comment = comment
    if approve:
        _move(carry, C.AT_FACTORY)
        carry.save(update_fields=["status"])
        _register(carry, OUT, actor, now, _("Sent to the factory"))
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
    wo._step(order, "factory_return_approved" if approve else "factory_return_rejected", actor, now, receipt=carry.number, comment=comment)
    requester = request.requested_by
    title = (_("Return to the factory approved: %(number)s") if approve else _("Return to the factory refused: %(number)s")) % {"number": carry.number}
    pk = request.pk
    _later(lambda: notify_users(recipients=[requester], kind="factory_return_decided", title=title, body=comment,
                                url="", key=f"factory_return:{pk}:decided"))
    return request


@transaction.atomic
def factory_back(*, factory_return: FactoryReturn, actor, note: str = "", now=None) -> FactoryReturn:
    """APPROVED → BACK: the unit is back (register IN) and waits for inspection (REPAIRED)."""
    now = now or timezone.now()
    note = _optional(note, field="note", max_length=2000)
    order, carry = _lock(factory_return.carry_in)
    request = FactoryReturn.objects.select_for_update().get(pk=factory_return.pk)
    _ensure_workshop(order, actor)
    if request.status != FactoryReturn.Status.APPROVED:
        raise InvalidTransition(_("Only an approved return to the factory comes back."), field="status")
    request.status = FactoryReturn.Status.BACK
    request.save(update_fields=["status"])
    _move(carry, C.REPAIRED)
    carry.repair_finished_at = now
    if note:
        carry.repair_notes = f"{carry.repair_notes}\n{note}".strip()
    carry.save(update_fields=["status", "repair_finished_at", "repair_notes"])
    _register(carry, IN, actor, now, _("Back from the factory"))
    wo._step(order, "back_from_factory", actor, now, receipt=carry.number, note=note)
    return request


# --- the unit goes back to the customer ---------------------------------------------------------


@transaction.atomic
def hand_back(*, carry_in: CarryIn, actor, note: str = "", now=None) -> CarryIn:
    """READY/SHIP → RETURNED: the customer collects the unit (register OUT, the receipt voided).
    The technician then completes the order and the customer signs it (work_orders services)."""
    now = now or timezone.now()
    note = _optional(note, field="note", max_length=200)
    order, carry = _lock(carry_in)
    _ensure_workshop(order, actor)
    if carry.status not in (C.READY, C.SHIP):
        raise InvalidTransition(
            _("Only an inspected unit goes back to the customer (it is “%(status)s”).") % {"status": C(carry.status).label}, field="status"
        )
    _move(carry, C.RETURNED)
    carry.returned_at = now
    carry.receipt_voided_at = now
    carry.save(update_fields=["status", "returned_at", "receipt_voided_at"])
    _register(carry, OUT, actor, now, note or _("Collected by the customer"))
    wo._step(order, "handed_back", actor, now, receipt=carry.number)
    return carry


@transaction.atomic
def mark_shipped(*, carry_in: CarryIn, actor, shipping_note: str, now=None) -> CarryIn:
    """SHIP → SHIPPED: sent to the customer (carrier and waybill in the note; register OUT, receipt voided)."""
    now = now or timezone.now()
    shipping_note = wo._text(shipping_note, field="shipping_note", message=_("Write the carrier and the waybill number."), max_length=200)
    order, carry = _lock(carry_in)
    _ensure_workshop(order, actor)
    if carry.status != C.SHIP:
        raise InvalidTransition(
            _("Only a unit marked “to be shipped” is shipped (it is “%(status)s”).") % {"status": C(carry.status).label}, field="status"
        )
    _move(carry, C.SHIPPED)
    carry.shipped_at = now
    carry.shipping_note = shipping_note
    carry.receipt_voided_at = now
    carry.save(update_fields=["status", "shipped_at", "shipping_note", "receipt_voided_at"])
    _register(carry, OUT, actor, now, shipping_note)
    wo._step(order, "shipped", actor, now, receipt=carry.number, note=shipping_note)
    return carry


# --- collection reminders (every 3 days, then ship) ---------------------------------------------


def send_collection_reminders(*, now=None) -> dict:
    """For every READY unit not collected: notice #1 at ready_at, each next notice
    CARRY_IN_REMINDER_DAYS after the previous one was sent, and CARRY_IN_REMINDER_DAYS after the
    last (CARRY_IN_REMINDERS-th) notice the unit is moved to SHIP and the station told.

    Each notice is a unique (carry-in, number) row inserted before the notification, in one
    transaction per unit with the unit's row locked: a second run, a redelivered message or two
    workers at once send nothing twice. At most one notice per unit per run (a run after a long
    stop does not fire three notices at once). No cap on the number of units per run.
    """
    now = now or timezone.now()
    ids = list(CarryIn.objects.filter(status=C.READY, ready_at__lte=now).order_by("pk").values_list("pk", flat=True))
    result = {"reminders": 0, "to_ship": 0}
    for pk in ids:
        done = _remind_one(pk, now)
        if done:
            result[done] += 1
    return result


@transaction.atomic
def _remind_one(pk: int, now) -> str | None:
    carry = (
        CarryIn.objects.select_for_update(of=("self",))
        .select_related("order__ticket__customer", "order__technician__user")
        .filter(pk=pk, status=C.READY)
        .first()
    )
    if carry is None:  # collected meanwhile
        return None
    every = timedelta(days=settings.CARRY_IN_REMINDER_DAYS)
    total = settings.CARRY_IN_REMINDERS
    last = carry.reminders.order_by("-seq").first()
    seq, due = (1, carry.ready_at) if last is None else (last.seq + 1, last.sent_at + every)
    if now < due:
        return None
    order = carry.order
    if seq > total:
        _move(carry, C.SHIP)
        carry.save(update_fields=["status"])
        wo._step(order, "to_be_shipped", None, now, receipt=carry.number, notices=last.seq if last else 0)
        recipients = station_users(order.ticket.station_id, Role.SUPERVISOR, Role.STATION_HEAD)
        if order.technician.user not in recipients:
            recipients.append(order.technician.user)
        notify_users(
            recipients=recipients, kind="carry_in_ship",
            title=_("Ship to the customer: %(number)s") % {"number": carry.number},
            body=_("%(customer)s did not collect %(goods)s after %(n)d notices: ship it to %(address)s.")
            % {"customer": order.customer.name, "goods": carry.goods, "n": total, "address": order.ticket.address},
            url=f"/workorders/carry-in/{carry.pk}/receipt/", key=f"carry_in:{carry.pk}:ship",
        )
        return "to_ship"
    try:
        with transaction.atomic():
            CollectionReminder.objects.create(carry_in=carry, seq=seq, due_at=due, sent_at=now)
    except IntegrityError:  # another run took this notice: it has been (or is being) sent
        return None
    wo._step(order, "collection_reminder", None, now, receipt=carry.number, seq=seq)
    customer = order.customer
    notify_users(
        recipients=[order.technician.user], kind="carry_in_collect",
        title=_("Collection notice %(seq)d of %(total)d: %(number)s") % {"seq": seq, "total": total, "number": carry.number},
        body=_("Tell %(customer)s (%(phone)s) that %(goods)s is repaired and waiting at the station (receipt %(number)s).")
        % {"customer": customer.name, "phone": customer.phone, "goods": carry.goods, "number": carry.number},
        url=f"/workorders/carry-in/{carry.pk}/receipt/", key=f"carry_in:{carry.pk}:collect:{seq}",
    )
    return "reminders"
