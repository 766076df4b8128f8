"""Every write on tickets: registration, replies, classification, escalation, hold, dispatch, close.

One function per operation, one transaction each; status changes go through ``_move`` and its
transition table. Side effects (notifications) are sent after commit.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.clocks import services as clocks
from servicedesk.core.exceptions import DomainError, InvalidTransition
from servicedesk.core.numbering import next_number
from servicedesk.core.validators import normalise_phone, validate_phone
from servicedesk.notifications.services import notify_users
from servicedesk.org.models import Role, Staff
from servicedesk.org.roles import has_role

from . import selectors, signals, warranty
from .models import (
    Customer,
    SLAClock,
    SLAPolicy,
    SLATarget,
    Ticket,
    TicketKind,
    TicketLog,
    Unit,
    WorkOrder,
)

S = Ticket.Status

# Which status may follow which (anything else is refused with a clear message).
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    S.NEW: {S.REPLIED, S.DISPATCHED, S.ON_HOLD, S.RESOLVED, S.CLOSED, S.CANCELLED},
    S.REPLIED: {S.DISPATCHED, S.ON_HOLD, S.RESOLVED, S.CLOSED, S.CANCELLED},
    S.DISPATCHED: {S.ON_HOLD, S.RESOLVED, S.CLOSED, S.DISPATCHED},
    S.ON_HOLD: {S.NEW, S.REPLIED, S.DISPATCHED, S.CANCELLED, S.CLOSED},
    S.RESOLVED: {S.CLOSED, S.DISPATCHED},
    S.CLOSED: set(),
    S.CANCELLED: set(),
}

# Targets started when a ticket is registered (the others start on later events).
REGISTRATION_TARGETS = [
    SLATarget.FIRST_REPLY,
    SLATarget.ARRIVAL,
    SLATarget.PLAN,
    SLATarget.COMPLAINT_PLAN,
    SLATarget.FOLLOW_UP_REPLY,
]


def _move(ticket: Ticket, to: str) -> None:
    if to not in ALLOWED_TRANSITIONS[ticket.status]:
        raise InvalidTransition(
            _("A ticket that is “%(from)s” cannot become “%(to)s”.")
            % {"from": S(ticket.status).label, "to": S(to).label},
            field="status",
        )
    ticket.status = to


def _log(ticket: Ticket, kind: str, actor, text: str = "", at: datetime | None = None) -> TicketLog:
    return TicketLog.objects.create(ticket=ticket, kind=kind, by=actor, text=text, at=at or timezone.now())


def _lock(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_for_update().get(pk=ticket.pk)


def _clock(ticket: Ticket, target: str) -> SLAClock | None:
    return SLAClock.objects.select_for_update().filter(ticket=ticket, target_code=target).first()


# --- policies -----------------------------------------------------------------------------------


def _conditions(ticket: Ticket) -> set[str]:
    beyond = ticket.needs_manufacturer or ticket.customer.distance_km > settings.SERVICE_RADIUS_KM
    out = {SLAPolicy.Condition.ALWAYS}
    out.add(SLAPolicy.Condition.BEYOND_RADIUS_OR_MANUFACTURER if beyond else SLAPolicy.Condition.WITHIN_RADIUS)
    if ticket.parent_id:
        out.add(SLAPolicy.Condition.FOLLOW_UP)
    return out


def applicable_policies(ticket: Ticket, targets=None, policies=None) -> dict[str, SLAPolicy]:
    """The most specific active policy per target for this ticket (kind, zone, urgency, condition)."""
    policies = policies if policies is not None else selectors.active_sla_policies()
    conditions = _conditions(ticket)
    best: dict[str, tuple[int, SLAPolicy]] = {}
    for p in policies:
        if targets is not None and p.target not in targets:
            continue
        if p.kind and p.kind != ticket.kind:
            continue
        if p.zone and p.zone != ticket.zone:
            continue
        if p.priority and p.priority != ticket.urgency:
            continue
        if p.condition not in conditions:
            continue
        score = bool(p.kind) + bool(p.zone) + bool(p.priority) + bool(p.condition)
        if p.target not in best or score > best[p.target][0]:
            best[p.target] = (score, p)
    return {target: p for target, (_, p) in best.items()}


def start_clock(*, ticket: Ticket, target: str, now: datetime | None = None) -> SLAClock | None:
    """Start the ticket's clock for ``target`` from its policy (idempotent: one clock per target)."""
    now = now or timezone.now()
    policy = applicable_policies(ticket, targets={target}).get(target)
    if policy is None or SLAClock.objects.filter(ticket=ticket, target_code=target).exists():
        return None
    clock = clocks.new_clock(SLAClock, target_code=target, kind=policy.clock, target=policy.duration, now=now, ticket=ticket, policy=policy)
    clock.save()
    return clock


def stop_clock(*, ticket: Ticket, target: str, now: datetime | None = None) -> bool:
    """The event that meets ``target`` happened (reply, arrival, plan …)."""
    clock = _clock(ticket, target)
    return bool(clock and clocks.stop_clock(clock, now=now or timezone.now()))


# --- warranty -----------------------------------------------------------------------------------


def warranty_answer(*, unit: Unit, on, fault_code: str = "", **flags) -> warranty.Answer:
    """The 三包 decision for ``unit`` with the policy of its product line and its repair history."""
    policy_row = getattr(unit.product_line, "warranty_policy", None)
    policy = warranty.Policy(
        **{f: getattr(policy_row, f) for f in warranty.Policy.__dataclass_fields__}
    ) if policy_row else warranty.Policy()
    facts = warranty.UnitFacts(
        purchase_date=unit.purchase_date,
        warranty_end=unit.warranty_end,
        past_repairs=tuple(warranty.PastRepair(day, code) for day, code in selectors.past_repairs(unit)),
        contract_periods=tuple((c.start_date, c.end_date, c.number) for c in unit.contracts.all()),
    )
    return warranty.decide(facts, on=on, fault_code=fault_code, policy=policy, **flags)


# --- registration -------------------------------------------------------------------------------


@transaction.atomic
def register_ticket(
    *,
    actor,
    customer: Customer,
    channel: str,
    kind: str,
    caller_name: str,
    caller_phone: str,
    description: str,
    unit: Unit | None = None,
    service_type: str = "",
    urgency: str = "normal",
    severity: str = "normal",
    address: str = "",
    fault_code: str = "",
    appointment_at: datetime | None = None,
    needs_manufacturer: bool = False,
    parent: Ticket | None = None,
    now: datetime | None = None,
) -> Ticket:
    """New ticket from one contact: numbered, warranty checked, its clocks started, logged."""
    now = now or timezone.now()
    if unit is not None and unit.customer_id != customer.pk:
        raise DomainError(_("This unit belongs to another customer."), field="unit")
    if kind == TicketKind.SERVICE and not service_type:
        raise DomainError(_("A service request needs a service type (repair, installation, maintenance, special)."), field="service_type")
    if kind != TicketKind.SERVICE and service_type:
        raise DomainError(_("Only service requests have a service type."), field="service_type")
    if not (description or "").strip():
        raise DomainError(_("Write down the request in the customer's words."), field="description")
    try:
        validate_phone(caller_phone)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], field="caller_phone") from None
    if appointment_at is not None and appointment_at < now - timedelta(minutes=5):
        raise DomainError(_("The appointment cannot be in the past."), field="appointment_at")

    ticket = Ticket(
        number=next_number("T", at=now),
        channel=channel,
        kind=kind,
        service_type=service_type,
        customer=customer,
        unit=unit,
        caller_name=caller_name,
        caller_phone=normalise_phone(caller_phone),
        address=address or customer.address,
        description=description,
        fault_code=fault_code,
        urgency=urgency,
        severity=severity,
        zone=customer.zone,
        station_id=customer.station_id,
        is_key_customer=customer.is_key,
        needs_manufacturer=needs_manufacturer,
        appointment_at=appointment_at,
        registered_by=actor,
        registered_at=now,
        parent=parent,
    )
    if unit is not None and kind == TicketKind.SERVICE:
        answer = warranty_answer(unit=unit, on=timezone.localdate(now), fault_code=fault_code)
        ticket.warranty_decision, ticket.warranty_reason = answer.decision, answer.reason
    try:
        ticket.full_clean(exclude=["number", "registered_by", "station"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(messages[0], field=field) from None
    ticket.save()
    _log(ticket, TicketLog.Kind.REGISTERED, actor, description, at=now)

    policies = applicable_policies(ticket, targets=set(REGISTRATION_TARGETS))
    SLAClock.objects.bulk_create(
        [
            clocks.new_clock(SLAClock, target_code=t, kind=p.clock, target=p.duration, now=now, ticket=ticket, policy=p)
            for t, p in policies.items()
        ]
    )
    if kind == TicketKind.COMPLAINT and customer.is_key:
        _notify_managers(ticket, _("Complaint from key customer %(customer)s") % {"customer": customer.name}, key="key-complaint")
    return ticket


# --- replies and contacts -----------------------------------------------------------------------


@transaction.atomic
def log_contact(*, ticket: Ticket, actor, kind: str, text: str) -> TicketLog:
    """Add a call, letter, note or progress update to the contact log (kept forever)."""
    allowed = {TicketLog.Kind.CALL_IN, TicketLog.Kind.CALL_OUT, TicketLog.Kind.LETTER, TicketLog.Kind.NOTE, TicketLog.Kind.PROGRESS}
    if kind not in allowed:
        raise DomainError(_("Choose a call, letter, note or progress update."), field="kind")
    if not text.strip():
        raise DomainError(_("Write what was said."), field="text")
    ticket = _lock(ticket)
    return _log(ticket, kind, actor, text)


@transaction.atomic
def reply_to_customer(*, ticket: Ticket, actor, text: str, close: bool = False, now=None) -> Ticket:
    """First (or later) reply to the customer; stops the first-reply clock. A consultation may close at once."""
    now = now or timezone.now()
    if not text.strip():
        raise DomainError(_("Write the reply given to the customer."), field="text")
    ticket = _lock(ticket)
    if not ticket.is_open:
        raise InvalidTransition(_("The ticket is already closed."), field="status")
    if ticket.first_replied_at is None:
        ticket.first_replied_at = now
    stop_clock(ticket=ticket, target=SLATarget.FIRST_REPLY, now=now)
    _log(ticket, TicketLog.Kind.REPLY, actor, text, at=now)
    if close:
        if ticket.kind != TicketKind.CONSULTATION:
            raise DomainError(_("Only a consultation is closed with its reply."), field="close")
        return _close(ticket, actor=actor, resolution=text, now=now)
    if ticket.status == S.NEW:
        _move(ticket, S.REPLIED)
    ticket.save(update_fields=["status", "first_replied_at"])
    return ticket


@transaction.atomic
def give_plan(*, ticket: Ticket, actor, text: str, now=None) -> Ticket:
    """A handling plan told to the customer: meets the plan / complaint-plan / follow-up clocks."""
    now = now or timezone.now()
    if not text.strip():
        raise DomainError(_("Describe the plan given to the customer."), field="text")
    ticket = _lock(ticket)
    if not ticket.is_open:
        raise InvalidTransition(_("The ticket is already closed."), field="status")
    ticket.plan_given_at = ticket.plan_given_at or now
    ticket.first_replied_at = ticket.first_replied_at or now
    for target in (SLATarget.PLAN, SLATarget.COMPLAINT_PLAN, SLATarget.FOLLOW_UP_REPLY, SLATarget.FIRST_REPLY):
        stop_clock(ticket=ticket, target=target, now=now)
    _log(ticket, TicketLog.Kind.PLAN, actor, text, at=now)
    if ticket.status == S.NEW:
        _move(ticket, S.REPLIED)
    ticket.save(update_fields=["status", "plan_given_at", "first_replied_at"])
    return ticket


# --- complaints ---------------------------------------------------------------------------------


def _managers(*roles: str):
    return get_user_model().objects.filter(groups__name__in=roles, is_active=True).distinct()


def _notify_managers(ticket: Ticket, title: str, *, key: str, roles=(Role.MANAGER,)) -> None:
    recipients = list(_managers(*roles))
    url = f"/admin/tickets/ticket/{ticket.pk}/change/"
    transaction.on_commit(
        lambda: notify_users(
            recipients=recipients, kind="ticket_escalated", title=title,
            body=f"{ticket.number} · {ticket.customer.name}\n{ticket.description[:300]}", url=url,
            key=f"ticket:{ticket.pk}:{key}",
        )
    )


@transaction.atomic
def classify_complaint(*, ticket: Ticket, actor, complaint_class: str, reason: str, now=None) -> Ticket:
    """投诉性质: valid / invalid (with the reason told politely) / major (to manager and GM at once) /
    undetermined (the dispatcher cannot judge: to the manager)."""
    now = now or timezone.now()
    ticket = _lock(ticket)
    if ticket.kind != TicketKind.COMPLAINT:
        raise DomainError(_("Only complaints are classified."), field="complaint_class")
    if complaint_class not in {c for c in Ticket.ComplaintClass.values if c}:
        raise DomainError(_("Choose valid, invalid, major or cannot judge."), field="complaint_class")
    if not ticket.is_open:
        raise InvalidTransition(_("The ticket is already closed."), field="status")
    if not reason.strip():
        raise DomainError(_("Give the reason for the classification."), field="reason")
    ticket.complaint_class = complaint_class
    ticket.complaint_reason = reason
    _log(ticket, TicketLog.Kind.CLASSIFIED, actor, f"{Ticket.ComplaintClass(complaint_class).label}: {reason}", at=now)
    if complaint_class == Ticket.ComplaintClass.MAJOR:
        ticket.escalated_at = ticket.escalated_at or now
        _log(ticket, TicketLog.Kind.ESCALATED, actor, _("Major complaint: escalated to the manager and the general manager."), at=now)
        _notify_managers(
            ticket, _("Major complaint %(number)s") % {"number": ticket.number}, key="major",
            roles=(Role.MANAGER, Role.GENERAL_MANAGER),
        )
    elif complaint_class == Ticket.ComplaintClass.UNDETERMINED:
        ticket.escalated_at = ticket.escalated_at or now
        _log(ticket, TicketLog.Kind.ESCALATED, actor, _("Cannot judge: escalated to the manager."), at=now)
        _notify_managers(ticket, _("Complaint %(number)s needs your judgement") % {"number": ticket.number}, key="undetermined")
    ticket.save(update_fields=["complaint_class", "complaint_reason", "escalated_at"])
    return ticket


@transaction.atomic
def escalate(*, ticket: Ticket, actor, reason: str, to_general_manager: bool = False, now=None) -> Ticket:
    """Escalate any open ticket to the manager (and the general manager)."""
    now = now or timezone.now()
    if not reason.strip():
        raise DomainError(_("Say why the ticket is escalated."), field="reason")
    ticket = _lock(ticket)
    if not ticket.is_open:
        raise InvalidTransition(_("The ticket is already closed."), field="status")
    ticket.escalated_at = ticket.escalated_at or now
    ticket.save(update_fields=["escalated_at"])
    _log(ticket, TicketLog.Kind.ESCALATED, actor, reason, at=now)
    roles = (Role.MANAGER, Role.GENERAL_MANAGER) if to_general_manager else (Role.MANAGER,)
    count = ticket.log.filter(kind=TicketLog.Kind.ESCALATED).count()
    _notify_managers(ticket, _("Ticket %(number)s escalated") % {"number": ticket.number}, key=f"escalated-{count}", roles=roles)
    return ticket


# --- hold / resume / close ----------------------------------------------------------------------


@transaction.atomic
def hold_ticket(*, ticket: Ticket, actor, reason: str, now=None) -> Ticket:
    """Waiting on the customer: every running clock pauses until the ticket resumes."""
    now = now or timezone.now()
    if not reason.strip():
        raise DomainError(_("Say what the ticket is waiting for."), field="reason")
    ticket = _lock(ticket)
    ticket.status_before_hold = ticket.status
    _move(ticket, S.ON_HOLD)
    for clock in SLAClock.objects.select_for_update().filter(ticket=ticket, stopped_at__isnull=True):
        clocks.pause_clock(clock, now=now)
    ticket.save(update_fields=["status", "status_before_hold"])
    _log(ticket, TicketLog.Kind.ON_HOLD, actor, reason, at=now)
    return ticket


@transaction.atomic
def resume_ticket(*, ticket: Ticket, actor, note: str = "", now=None) -> Ticket:
    """Back from hold to where it was; paused clocks run again (deadlines move by the pause)."""
    now = now or timezone.now()
    ticket = _lock(ticket)
    if ticket.status != S.ON_HOLD:
        raise InvalidTransition(_("Only a ticket on hold can resume."), field="status")
    previous = ticket.status_before_hold
    _move(ticket, previous if previous in ALLOWED_TRANSITIONS[S.ON_HOLD] else S.NEW)
    ticket.status_before_hold = ""
    for clock in SLAClock.objects.select_for_update().filter(ticket=ticket, stopped_at__isnull=True, cancelled=False):
        clocks.resume_clock(clock, now=now)
    ticket.save(update_fields=["status", "status_before_hold"])
    _log(ticket, TicketLog.Kind.RESUMED, actor, note, at=now)
    return ticket


def _close(ticket: Ticket, *, actor, resolution: str, now) -> Ticket:
    _move(ticket, S.CLOSED)
    ticket.closed_at = now
    ticket.resolution = resolution
    for clock in SLAClock.objects.select_for_update().filter(ticket=ticket, stopped_at__isnull=True):
        clocks.cancel_clock(clock, now=now)
    ticket.save(update_fields=["status", "closed_at", "resolution", "first_replied_at"])
    _log(ticket, TicketLog.Kind.CLOSED, actor, resolution, at=now)
    ticket_id, kind = ticket.pk, ticket.kind
    transaction.on_commit(lambda: signals.ticket_closed.send(sender=Ticket, ticket_id=ticket_id, kind=kind))
    return ticket


@transaction.atomic
def close_ticket(*, ticket: Ticket, actor, resolution: str, now=None) -> Ticket:
    """Close with the resolution. A complaint must be classified first; open work orders block it."""
    now = now or timezone.now()
    if not resolution.strip():
        raise DomainError(_("Write how the ticket was resolved."), field="resolution")
    ticket = _lock(ticket)
    if ticket.kind == TicketKind.COMPLAINT and not ticket.complaint_class:
        raise DomainError(_("Classify the complaint before closing it."), field="complaint_class")
    open_orders = ticket.work_orders.exclude(status__in=[WorkOrder.Status.CLOSED, WorkOrder.Status.CANCELLED, WorkOrder.Status.SIGNED])
    if open_orders.exists():
        raise InvalidTransition(_("The ticket still has open work orders."), field="status")
    return _close(ticket, actor=actor, resolution=resolution, now=now)


# --- dispatch -----------------------------------------------------------------------------------


def ensure_can_dispatch(ticket: Ticket, technician: Staff) -> None:
    if ticket.kind != TicketKind.SERVICE:
        raise DomainError(_("Only service requests are dispatched."), field="ticket")
    if not ticket.is_open or ticket.status == S.ON_HOLD:
        raise InvalidTransition(
            _("A ticket that is “%(status)s” cannot be dispatched.") % {"status": S(ticket.status).label}, field="ticket"
        )
    if not has_role(technician.user, Role.TECHNICIAN):
        raise DomainError(_("%(name)s is not a technician.") % {"name": technician.name}, field="technician")
    if technician.status != Staff.Status.WORKING:
        raise DomainError(
            _("%(name)s is %(status)s and cannot take work.") % {"name": technician.name, "status": Staff.Status(technician.status).label},
            field="technician",
        )


@transaction.atomic
def dispatch_ticket(*, ticket: Ticket, technician: Staff, actor, reasons: list[str] | None = None, category: str = "", category_reason: str = "", now=None) -> WorkOrder:
    """Service request → new work order DISPATCHED to ``technician``. Counts as the reply to the
    customer (first-reply clock); the arrival clock keeps running until the technician arrives."""
    now = now or timezone.now()
    ticket = _lock(ticket)
    technician = Staff.objects.select_related("user").get(pk=technician.pk)
    ensure_can_dispatch(ticket, technician)
    if category:
        if category not in WorkOrder.Category.values:
            raise DomainError(_("Choose category A, B, C or D."), field="category")
        if not category_reason.strip():
            raise DomainError(_("Give the reason for overriding the category."), field="category_reason")
    else:
        category = warranty.Decision.CATEGORY.get(ticket.warranty_decision, WorkOrder.Category.PAID) if ticket.unit_id else WorkOrder.Category.PAID
        category_reason = ticket.warranty_reason or _("No unit registered: paid service unless changed.")
    order = WorkOrder.objects.create(
        number=next_number("WO", at=now),
        ticket=ticket,
        customer_id=ticket.customer_id,
        technician=technician,
        category=category,
        category_reason=category_reason,
        dispatched_at=now,
        dispatched_by=actor,
        dispatch_reasons=reasons or [],
        service_date=timezone.localdate(ticket.appointment_at) if ticket.appointment_at and ticket.appointment_at > now else timezone.localdate(now),
    )
    ticket.first_replied_at = ticket.first_replied_at or now
    stop_clock(ticket=ticket, target=SLATarget.FIRST_REPLY, now=now)
    _move(ticket, S.DISPATCHED)
    ticket.save(update_fields=["status", "first_replied_at"])
    _log(ticket, TicketLog.Kind.DISPATCHED, actor, _("Work order %(number)s to %(name)s") % {"number": order.number, "name": technician.name}, at=now)
    user = technician.user
    transaction.on_commit(
        lambda: notify_users(
            recipients=[user], kind="work_order_dispatched",
            title=_("New work order %(number)s") % {"number": order.number},
            body=f"{ticket.customer.name} · {ticket.address}\n{ticket.description[:300]}",
            url="/tablet/", key=f"work_order:{order.pk}:dispatched",
        )
    )
    return order


@transaction.atomic
def hand_over(*, from_technician: Staff, to_technician: Staff, actor, customers: bool = True, now=None) -> dict[str, int]:
    """移交: a departing or absent technician's open work orders (and customers) go to another."""
    now = now or timezone.now()
    if from_technician.pk == to_technician.pk:
        raise DomainError(_("Choose another technician to hand over to."), field="to_technician")
    to_technician = Staff.objects.select_related("user").get(pk=to_technician.pk)
    if to_technician.status != Staff.Status.WORKING or not has_role(to_technician.user, Role.TECHNICIAN):
        raise DomainError(_("%(name)s cannot take work now.") % {"name": to_technician.name}, field="to_technician")
    open_statuses = [WorkOrder.Status.DISPATCHED, WorkOrder.Status.ACCEPTED, WorkOrder.Status.CONFIRMED, WorkOrder.Status.ON_HOLD]
    orders = list(WorkOrder.objects.select_for_update().filter(technician=from_technician, status__in=open_statuses).order_by("pk"))
    for order in orders:
        _log(order.ticket, TicketLog.Kind.DISPATCHED, actor,
             _("Work order %(number)s handed over from %(from)s to %(to)s") % {"number": order.number, "from": from_technician.name, "to": to_technician.name}, at=now)
    moved_orders = WorkOrder.objects.filter(pk__in=[o.pk for o in orders]).update(technician=to_technician)
    moved_customers = Customer.objects.filter(owner=from_technician).update(owner=to_technician) if customers else 0
    return {"work_orders": moved_orders, "customers": moved_customers}


# --- details ------------------------------------------------------------------------------------

EDITABLE_DETAILS = ("appointment_at", "urgency", "severity")


@transaction.atomic
def update_ticket_details(*, ticket: Ticket, actor, now=None, **changes) -> Ticket:
    """Change the appointment wish, urgency or severity of an open ticket; the change is logged.

    Clocks already running keep their deadlines: a target is promised when the call is registered.
    """
    now = now or timezone.now()
    for name in changes:
        if name not in EDITABLE_DETAILS:
            raise DomainError(_("This field cannot be changed after registration."), field=name)
    ticket = _lock(ticket)
    if not ticket.is_open:
        raise InvalidTransition(_("The ticket is already closed."), field="status")
    lines, changed = [], []
    for name, value in changes.items():
        field = Ticket._meta.get_field(name)
        if field.choices and value not in {c for c, _label in field.choices}:
            raise DomainError(_("Choose one of the listed values."), field=name)
        if name == "appointment_at" and value is not None and value < now - timedelta(minutes=5):
            raise DomainError(_("The appointment cannot be in the past."), field="appointment_at")
        old = getattr(ticket, name)
        if old == value:
            continue
        setattr(ticket, name, value)
        changed.append(name)

        def shown(v, field=field):
            if v is None or v == "":
                return "—"
            if field.choices:
                return str(dict(field.choices).get(v, v))
            return timezone.localtime(v).strftime("%Y-%m-%d %H:%M") if isinstance(v, datetime) else str(v)

        lines.append(f"{field.verbose_name}: {shown(old)} → {shown(value)}")
    if changed:
        ticket.save(update_fields=changed)
        _log(ticket, TicketLog.Kind.NOTE, actor, "；".join(lines), at=now)
    return ticket
