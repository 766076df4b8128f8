"""Every write on callbacks (回访): planning them, recording the outcome, spot checks, and the
dissatisfaction loop (follow-up ticket → follow-up callback → escalation). One function per operation.

* A closed repair work order gets one callback per offset of its plan (:func:`plan_callbacks_for_order`),
  a closed complaint one complaint callback, a closed follow-up ticket one follow-up callback. Each is
  unique in the database, so the receivers, the daily catch-up and a second delivery make nothing twice.
* :func:`record_callback` is the one entry point for an outcome: answered (the questionnaire), no
  answer (tried again the next working day, up to ``CALLBACK_MAX_ATTEMPTS``) or refused.
* An answer with any "dissatisfied" rating or a unit still faulty opens a follow-up ticket (its
  3-working-day reply clock is started by ``tickets.services.register_ticket``); dissatisfied again in
  the same chain escalates the new ticket to the managers, once per chain.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.calendar import get_calendar
from servicedesk.core.exceptions import Conflict, DomainError
from servicedesk.org.models import ProductLine, Role
from servicedesk.org.roles import has_role
from tickets import services as ticket_services
from tickets.models import Ticket, TicketChannel, TicketKind, WorkOrder

from . import policy
from .models import (
    COMMENTS_MAX_LENGTH,
    RATING_FIELDS,
    RATING_MAX,
    RATING_MIN,
    Callback,
    CallbackAttempt,
    CallbackPlan,
    CallbackQuota,
)

log = logging.getLogger(__name__)

CB = Callback.Status
# Callbacks are made by these roles; a manager or the general manager may also take a supervisor's.
CALLBACK_ROLES = (Role.SUPERVISOR, Role.MANAGER, Role.GENERAL_MANAGER)
_MAY_RECORD = {
    Callback.RequiredRole.SUPERVISOR: (Role.SUPERVISOR, Role.MANAGER, Role.GENERAL_MANAGER),
    Callback.RequiredRole.MANAGER: (Role.MANAGER, Role.GENERAL_MANAGER),
    Callback.RequiredRole.GENERAL_MANAGER: (Role.GENERAL_MANAGER,),
}
NOT_CALLED_BACK = WorkOrder.Category.INTERNAL  # D: internal work has no customer to ask


class InvalidAnswers(DomainError):
    """The questionnaire has errors in several fields at once: all of them are reported."""

    def __init__(self, errors: dict[str, str]):
        field, message = next(iter(errors.items()))
        super().__init__(message, field=field)
        self.errors = errors

    def as_dict(self) -> dict[str, list[str]]:
        return {field: [str(message)] for field, message in self.errors.items()}


def max_attempts() -> int:
    return max(1, int(settings.CALLBACK_MAX_ATTEMPTS))


def next_working_day(day: date) -> date:
    return policy.next_working_day(day, get_calendar().is_working_day)


def _working_day_on_or_after(day: date) -> date:
    return day if get_calendar().is_working_day(day) else next_working_day(day)


# --- plans and quotas ---------------------------------------------------------------------------


def get_quota() -> CallbackQuota:
    """The one quota row (created with the SPEC §7 defaults on first use)."""
    row, _created = CallbackQuota.objects.get_or_create(pk=1)
    return row


def plan_for(*, product_line_id: int | None, category: str) -> CallbackPlan | None:
    """The most specific active plan for a product line and a work-order category (None: no plan applies)."""
    candidates = CallbackPlan.objects.filter(is_active=True).filter(
        Q(product_line__isnull=True) | Q(product_line_id=product_line_id)
    ).filter(Q(category="") | Q(category=category))
    best = None
    for plan in candidates:
        score = (plan.product_line_id is not None) * 2 + bool(plan.category)
        if best is None or score > best[0] or (score == best[0] and plan.pk < best[1].pk):
            best = (score, plan)
    return best[1] if best else None


@transaction.atomic
def save_callback_plan(*, actor, name: str, offsets, product_line: ProductLine | None = None, category: str = "",
                       is_active: bool = True, plan: CallbackPlan | None = None) -> CallbackPlan:
    """Create or change a callback plan; callbacks already made keep their dates (nothing is rewritten)."""
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the plan a name."), field="name")
    if category not in ("", "A", "B", "C"):
        raise DomainError(_("Choose category A, B or C, or leave it empty for every category."), field="category")
    try:
        cleaned = policy.normalise_offsets(offsets)
    except ValueError as exc:
        raise DomainError(
            _("“%(value)s” is not an offset: write days as 7d or calendar months as 3m (up to two years).") % {"value": exc.args[0]},
            field="offsets",
        ) from None
    if not cleaned:
        raise DomainError(_("Give at least one callback offset, e.g. 7d or 1m."), field="offsets")
    if plan is None:
        plan = CallbackPlan()
    else:
        plan = CallbackPlan.objects.select_for_update().get(pk=plan.pk)
    plan.name, plan.product_line, plan.category, plan.offsets, plan.is_active = name, product_line, category, cleaned, is_active
    plan.updated_by = actor
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:
        raise DomainError(
            _("Another active plan already covers this product line and category; deactivate it first."), field="category"
        ) from None
    return plan


# --- planning -----------------------------------------------------------------------------------


def _created_by_callback(ticket_id: int) -> bool:
    return Callback.objects.filter(follow_up_ticket_id=ticket_id).exists()


def plan_callbacks_for_order(*, order_id: int) -> list[Callback]:
    """A closed repair work order → its callbacks, one per offset of its plan, due from its closing day.

    Idempotent: an order planned once is left alone (even if its plan changed since), and the unique
    (order, offset) key settles two concurrent runs. Internal work (D), orders not closed and orders that
    answer a callback's follow-up ticket (the follow-up callback asks that customer) get none.
    """
    order = WorkOrder.objects.select_related("ticket", "ticket__unit").filter(pk=order_id).first()
    if order is None or order.status != WorkOrder.Status.CLOSED or order.closed_at is None:
        return []
    if order.category == NOT_CALLED_BACK or _created_by_callback(order.ticket_id):
        return []
    existing = list(Callback.objects.filter(work_order=order, kind=Callback.Kind.REPAIR).order_by("due_date", "pk"))
    if existing:
        return existing  # planned once with the plan of that day: a later plan change rewrites nothing
    unit = order.ticket.unit
    plan = plan_for(product_line_id=unit.product_line_id if unit else None, category=order.category)
    if plan is None:
        return []
    closed_on = timezone.localdate(order.closed_at)
    rows = [
        Callback(
            kind=Callback.Kind.REPAIR, work_order=order, ticket_id=order.ticket_id, customer_id=order.customer_id,
            technician_id=order.technician_id, plan=plan, offset=offset,
            due_date=_working_day_on_or_after(policy.offset_due(closed_on, offset)),
        )
        for offset in plan.offsets
    ]
    # ignore_conflicts: a second delivery of the signal (or the catch-up sweep) adds nothing.
    Callback.objects.bulk_create(rows, ignore_conflicts=True)
    return list(Callback.objects.filter(work_order=order, kind=Callback.Kind.REPAIR).order_by("due_date", "pk"))


def plan_missing_callbacks(*, since: date) -> int:
    """Catch-up: plan the callbacks of orders closed since ``since`` that have none (a receiver that
    failed, a worker that died). Returns how many orders were planned."""
    start = timezone.make_aware(datetime.combine(since, datetime.min.time()))
    orders = (
        WorkOrder.objects.filter(status=WorkOrder.Status.CLOSED, closed_at__gte=start)
        .exclude(category=NOT_CALLED_BACK)
        .exclude(Exists(Callback.objects.filter(work_order=OuterRef("pk"), kind=Callback.Kind.REPAIR)))
        .values_list("pk", flat=True)
    )
    planned = 0
    for order_id in list(orders[:5000]):
        if plan_callbacks_for_order(order_id=order_id):
            planned += 1
    return planned


def _create_once(**fields) -> Callback | None:
    try:
        with transaction.atomic():
            return Callback.objects.create(**fields)
    except IntegrityError:
        return None  # made already (the signal delivered twice, or a concurrent run)


def plan_ticket_callback(*, ticket_id: int) -> Callback | None:
    """A closed ticket → its callback: a follow-up ticket opened by a callback gets a follow-up
    callback; any other complaint a complaint callback (a major one on site, by the manager).
    Due the next working day. Idempotent: one per ticket."""
    ticket = Ticket.objects.select_related("customer").filter(pk=ticket_id).first()
    if ticket is None or ticket.status != Ticket.Status.CLOSED:
        return None
    closed_on = timezone.localdate(ticket.closed_at or timezone.now())
    due = next_working_day(closed_on)
    source = Callback.objects.filter(follow_up_ticket=ticket).order_by("-pk").first()
    if source is not None:
        # The follow-up's own work order (a repair of the faulty unit), else the one first called back.
        order = ticket.work_orders.filter(status=WorkOrder.Status.CLOSED).order_by("-closed_at", "-pk").first()
        return _create_once(
            kind=Callback.Kind.FOLLOW_UP, ticket=ticket, customer_id=ticket.customer_id, parent=source,
            work_order=order or source.work_order,
            technician_id=order.technician_id if order else source.technician_id,
            due_date=due, required_role=source.required_role, on_site_required=source.on_site_required,
        )
    if ticket.kind != TicketKind.COMPLAINT:
        return None
    major = ticket.complaint_class == Ticket.ComplaintClass.MAJOR
    return _create_once(
        kind=Callback.Kind.COMPLAINT, ticket=ticket, customer_id=ticket.customer_id, due_date=due,
        required_role=Callback.RequiredRole.MANAGER if major else Callback.RequiredRole.SUPERVISOR,
        on_site_required=major,
    )


# --- spot checks and assignment -----------------------------------------------------------------


def _role_of(actor) -> str:
    if has_role(actor, Role.GENERAL_MANAGER):
        return Callback.RequiredRole.GENERAL_MANAGER
    if has_role(actor, Role.MANAGER):
        return Callback.RequiredRole.MANAGER
    return Callback.RequiredRole.SUPERVISOR


@transaction.atomic
def schedule_spot_check(*, work_order: WorkOrder, actor, due_date: date | None = None, today: date | None = None) -> Callback:
    """抽查: a supervisor or manager picks a closed work order to call its customer; assigned to them."""
    today = today or timezone.localdate()
    if not (actor.is_superuser or has_role(actor, *CALLBACK_ROLES)):
        raise DomainError(_("Only supervisors and managers make spot checks."), field="work_order")
    order = WorkOrder.objects.select_related("ticket").get(pk=work_order.pk)
    if order.status != WorkOrder.Status.CLOSED:
        raise DomainError(
            _("Work order %(number)s is “%(status)s”: only a reviewed and closed work order can be called back.")
            % {"number": order.number, "status": WorkOrder.Status(order.status).label},
            field="work_order",
        )
    if order.category == NOT_CALLED_BACK:
        raise DomainError(_("Internal work (category D) has no customer to call back."), field="work_order")
    due_date = due_date or today
    if not isinstance(due_date, date) or due_date < today:
        raise DomainError(_("A spot check cannot be due in the past."), field="due_date")
    try:
        with transaction.atomic():
            return Callback.objects.create(
                kind=Callback.Kind.SPOT_CHECK, work_order=order, ticket_id=order.ticket_id, customer_id=order.customer_id,
                technician_id=order.technician_id, due_date=due_date, assignee=actor, required_role=_role_of(actor),
                created_by=actor,
            )
    except IntegrityError:
        raise Conflict(
            _("A spot check of work order %(number)s is already waiting to be made.") % {"number": order.number},
            field="work_order",
        ) from None


@transaction.atomic
def assign_callback(*, callback: Callback, assignee, actor) -> Callback:
    """Give a pending callback to one person (``assignee=None``: back to the pool)."""
    callback = Callback.objects.select_for_update().get(pk=callback.pk)
    if not callback.is_pending:
        raise Conflict(_("This callback is already finished."), field="status")
    if assignee is not None and not (assignee.is_superuser or has_role(assignee, *_MAY_RECORD[callback.required_role])):
        raise DomainError(
            _("%(name)s cannot make this callback: it needs a %(role)s.")
            % {"name": assignee.get_full_name() or assignee.get_username(), "role": callback.get_required_role_display()},
            field="assignee",
        )
    callback.assignee = assignee
    callback.save(update_fields=["assignee"])
    return callback


# --- recording ----------------------------------------------------------------------------------


def _check_can_record(actor, callback: Callback) -> None:
    if actor.is_superuser or has_role(actor, *_MAY_RECORD[callback.required_role]):
        return
    if callback.required_role == Callback.RequiredRole.SUPERVISOR:
        raise DomainError(_("Only supervisors and managers record callbacks."), field="non_field_errors")
    raise DomainError(
        _("This callback is made by the %(role)s.") % {"role": callback.get_required_role_display()}, field="non_field_errors"
    )


def _bool_or_none(value, field: str, errors: dict, *, required: bool = False):
    if value in (None, ""):
        if required:
            errors[field] = _("Answer yes or no.")
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "y", "是"):
        return True
    if text in ("0", "false", "no", "n", "否"):
        return False
    errors[field] = _("Answer yes or no.")
    return None


def clean_answers(answers: dict, *, on_site_required: bool = False) -> dict:
    """The questionnaire checked field by field; every error at once (InvalidAnswers naming the fields)."""
    errors: dict[str, str] = {}
    out: dict = {}
    channel = answers.get("channel") or ""
    if channel not in Callback.Channel.values:
        errors["channel"] = _("Choose phone or on site.")
    elif on_site_required and channel != Callback.Channel.ON_SITE:
        errors["channel"] = _("This callback must be made on site.")
    out["channel"] = channel
    answered_by = str(answers.get("answered_by") or "").strip()
    if not answered_by:
        errors["answered_by"] = _("Write who answered.")
    elif len(answered_by) > 50:
        errors["answered_by"] = _("Keep the name under 50 characters.")
    out["answered_by"] = answered_by
    for field in RATING_FIELDS:
        value = answers.get(field)
        if value in (None, ""):
            errors[field] = _("Choose a rating from 1 (very satisfied) to 4 (dissatisfied).")
            continue
        try:
            number = int(str(value).strip()) if not isinstance(value, bool) else None
        except ValueError:
            number = None
        if number is None or str(value).strip() != str(number) or not RATING_MIN <= number <= RATING_MAX:
            errors[field] = _("A rating is 1 (very satisfied), 2, 3 or 4 (dissatisfied); “%(value)s” is not.") % {"value": value}
            continue
        out[field] = number
    out["signed_on_site"] = _bool_or_none(answers.get("signed_on_site"), "signed_on_site", errors)
    out["invoice_given"] = _bool_or_none(answers.get("invoice_given"), "invoice_given", errors)
    out["unit_working"] = _bool_or_none(answers.get("unit_working"), "unit_working", errors, required=True)
    fees = answers.get("fees_charged")
    if fees in (None, ""):
        out["fees_charged"] = None
    else:
        try:
            amount = Decimal(str(fees).strip())
            if not amount.is_finite() or amount < 0 or amount >= Decimal("1e10"):
                raise InvalidOperation
            out["fees_charged"] = amount.quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            errors["fees_charged"] = _("Enter the amount charged in yuan, e.g. 120 or 85.50.")
    deposit = str(answers.get("deposit_refund") or "").strip()
    if len(deposit) > 200:
        errors["deposit_refund"] = _("Keep this under 200 characters.")
    out["deposit_refund"] = deposit
    comments = str(answers.get("comments") or "").strip()
    if len(comments) > COMMENTS_MAX_LENGTH:
        errors["comments"] = _("Keep the comments under %(max)d characters.") % {"max": COMMENTS_MAX_LENGTH}
    out["comments"] = comments
    if errors:
        raise InvalidAnswers(errors)
    return out


def _lock(callback: Callback) -> Callback:
    return (
        Callback.objects.select_for_update(of=("self",))
        .select_related("customer", "ticket", "ticket__unit", "work_order")
        .get(pk=callback.pk)
    )


@transaction.atomic
def record_callback(*, callback: Callback, outcome: str, actor, answers: dict | None = None, note: str = "",
                    now: datetime | None = None) -> Callback:
    """Record one try at a callback.

    answered → DONE with the questionnaire; dissatisfied (any rating 4) or a faulty unit opens a
    follow-up ticket, and dissatisfied again in the same chain escalates it to the managers.
    unreachable → tried again the next working day; after ``CALLBACK_MAX_ATTEMPTS`` → UNREACHABLE.
    refused → REFUSED. A callback already finished is a 409 Conflict. Every try is an attempt row.
    """
    now = now or timezone.now()
    if outcome not in CallbackAttempt.Outcome.values:
        raise DomainError(_("Choose answered, no answer or refused."), field="outcome")
    callback = _lock(callback)
    _check_can_record(actor, callback)
    if not callback.is_pending:
        raise Conflict(
            _("This callback is already recorded: %(status)s.") % {"status": callback.get_status_display()}, field="status"
        )
    note = (note or "").strip()[:500]
    today = timezone.localdate(now)
    update = ["status", "attempts", "next_attempt_on", "done_at", "done_by"]
    if outcome == CallbackAttempt.Outcome.ANSWERED:
        cleaned = clean_answers(answers or {}, on_site_required=callback.on_site_required)
        for field, value in cleaned.items():
            setattr(callback, field, value)
        update += list(cleaned)
        callback.status = CB.DONE
    elif outcome == CallbackAttempt.Outcome.REFUSED:
        callback.status = CB.REFUSED
    else:
        callback.attempts += 1
        if callback.attempts >= max_attempts():
            callback.status = CB.UNREACHABLE
        else:
            callback.next_attempt_on = next_working_day(today)
    if callback.status != CB.PENDING:
        callback.next_attempt_on = None
        callback.done_at, callback.done_by = now, actor
    CallbackAttempt.objects.create(callback=callback, at=now, by=actor, outcome=outcome, note=note)
    if callback.status == CB.DONE and callback.dissatisfied:
        callback.follow_up_ticket = _open_follow_up(callback, actor=actor, now=now)
        update.append("follow_up_ticket")
        if _escalate_if_repeated(callback, actor=actor, now=now):
            update.append("escalated_at")
    callback.save(update_fields=update)
    return callback


# --- the dissatisfaction loop -------------------------------------------------------------------


def _complaints(callback: Callback) -> list[str]:
    labels = [str(Callback._meta.get_field(f).verbose_name) for f in RATING_FIELDS if getattr(callback, f) == RATING_MAX]
    if callback.unit_working is False:
        labels.append(_("the unit is still not working"))
    return labels


def _open_follow_up(callback: Callback, *, actor, now: datetime) -> Ticket:
    """A follow-up ticket for a dissatisfied answer: a repair request when the unit is faulty, else a
    complaint; its parent is the ticket called back, which starts the 3-working-day reply clock."""
    faulty = callback.unit_working is False
    parent = callback.ticket
    unit = parent.unit if parent.unit_id and parent.unit.customer_id == callback.customer_id else None
    facts = {
        "date": timezone.localdate(now).isoformat(), "kind": callback.get_kind_display(),
        "order": callback.work_order.number if callback.work_order_id else parent.number,
        "problems": "、".join(_complaints(callback)), "comments": callback.comments or "—",
    }
    description = _(
        "Callback of %(date)s (%(kind)s, %(order)s): the customer is not satisfied — %(problems)s. "
        "Customer's words: %(comments)s"
    ) % facts
    return ticket_services.register_ticket(
        actor=actor, customer=callback.customer,
        channel=TicketChannel.PHONE if callback.channel == Callback.Channel.PHONE else TicketChannel.OTHER,
        kind=TicketKind.SERVICE if faulty else TicketKind.COMPLAINT,
        service_type="repair" if faulty else "",
        caller_name=(callback.answered_by or callback.customer.name)[:50],
        caller_phone=callback.customer.phone,
        description=description, unit=unit, fault_code=parent.fault_code if faulty else "",
        parent=parent, now=now,
    )


def _chain(callback: Callback) -> list[Callback]:
    """The callback and those it follows up, back to the first (a few rows: chains are short)."""
    out, seen = [callback], {callback.pk}
    parent_id = callback.parent_id
    while parent_id and parent_id not in seen:
        parent = Callback.objects.filter(pk=parent_id).only("pk", "parent_id", "escalated_at").first()
        if parent is None:
            break
        out.append(parent)
        seen.add(parent.pk)
        parent_id = parent.parent_id
    return out


def _escalate_if_repeated(callback: Callback, *, actor, now: datetime) -> bool:
    """Dissatisfied again after a follow-up: escalate the new follow-up ticket to the managers —
    once per chain (the first callback of the chain that escalated carries ``escalated_at``)."""
    if callback.parent_id is None:
        return False
    if any(c.escalated_at for c in _chain(callback)[1:]):
        return False
    ticket_services.escalate(
        ticket=callback.follow_up_ticket, actor=actor, now=now,
        reason=_("The customer is dissatisfied again after a follow-up (callback of %(date)s).")
        % {"date": timezone.localdate(now).isoformat()},
    )
    callback.escalated_at = now
    return True


def follow_up_deadline(callback: Callback):
    """The follow-up ticket's reply deadline (its FOLLOW_UP_REPLY clock), or None."""
    if not callback.follow_up_ticket_id:
        return None
    clock = callback.follow_up_ticket.clocks.filter(target_code="follow_up_reply").first()
    return clock.due_at if clock else None


__all__ = [
    "InvalidAnswers", "assign_callback", "clean_answers", "get_quota", "plan_callbacks_for_order", "plan_for",
    "plan_missing_callbacks", "plan_ticket_callback", "record_callback", "save_callback_plan", "schedule_spot_check",
]
