"""Compensation requests (产品质量处理核销申报表): damage caused by the service or a quality problem.

Up to ``settings.COMPENSATION_MANAGER_LIMIT`` yuan the manager approves, above it the general
manager; the approver role is fixed when the request is made, and only that role decides. An
approval tells finance (every user with the finance role) in the same transaction that records it.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.core.exceptions import DomainError, InvalidTransition
from servicedesk.core.numbering import next_number
from servicedesk.notifications.services import notify_users
from servicedesk.org.models import Role
from servicedesk.org.roles import has_role
from servicedesk.org.selectors import staff_of

from . import work_orders as wo
from .models import Compensation, WorkOrder

A = Compensation.Approver
S = Compensation.Status
# Who may apply: the order's technician (checked below) and these roles.
REQUEST_ROLES = (Role.SUPERVISOR, Role.STATION_HEAD, Role.MANAGER, Role.DISPATCHER)


def approver_for(amount: Decimal) -> str:
    return A.MANAGER if amount <= Decimal(settings.COMPENSATION_MANAGER_LIMIT) else A.GENERAL_MANAGER


def _users_with(role: str):
    return list(get_user_model().objects.filter(is_active=True, groups__name=role).distinct().order_by("pk"))


@transaction.atomic
def request_compensation(*, order: WorkOrder, actor, amount, kind: str, reason: str, now=None) -> Compensation:
    """A new request (number PC-…), routed to the manager or, above the limit, the general manager."""
    now = now or timezone.now()
    amount = wo._amount(amount, field="amount")
    if amount <= 0:
        raise DomainError(_("The amount must be more than zero."), field="amount")
    if kind not in Compensation.Kind.values:
        raise DomainError(_("Choose one of the listed values."), field="kind")
    reason = wo._text(reason, field="reason", message=_("Say what happened."), max_length=4000)
    order = wo._lock(order)
    me = staff_of(actor)
    if not (has_role(actor, *REQUEST_ROLES) or (me is not None and me.pk == order.technician_id)):
        raise DomainError(_("Only the technician of this work order, a supervisor or a manager asks for compensation."), field="order")
    if order.status == WorkOrder.Status.CANCELLED:
        raise InvalidTransition(_("The work order is cancelled."), field="order")
    role = approver_for(amount)
    comp = Compensation.objects.create(
        number=next_number("PC", at=now), order=order, kind=kind, amount=amount, reason=reason, approver_role=role,
        requested_by=actor, requested_at=now,
    )
    wo._step(order, "compensation_requested", actor, now, number=comp.number, amount=str(amount), approver=role)
    approvers = _users_with(role)
    title = _("Compensation %(number)s to approve: %(amount)s yuan") % {"number": comp.number, "amount": amount}
    body = f"{order.number} · {order.customer.name}\n{reason}"
    pk = comp.pk
    transaction.on_commit(lambda: notify_users(
        recipients=approvers, kind="compensation_requested", title=title, body=body,
        url=f"/admin/tickets/compensation/{pk}/change/", key=f"compensation:{pk}:requested",
    ))
    return comp


def _lock_for_decision(compensation: Compensation, actor) -> Compensation:
    comp = Compensation.objects.select_for_update().select_related("order").get(pk=compensation.pk)
    if comp.status != S.REQUESTED:
        raise InvalidTransition(_("This compensation is already decided."), field="status")
    if not has_role(actor, comp.approver_role):
        if comp.approver_role == A.GENERAL_MANAGER and has_role(actor, Role.MANAGER):
            raise DomainError(
                _("Above %(limit)s yuan only the general manager approves a compensation.") % {"limit": settings.COMPENSATION_MANAGER_LIMIT},
                field="approver_role",
            )
        raise DomainError(
            _("This compensation is decided by the %(role)s.") % {"role": A(comp.approver_role).label}, field="approver_role"
        )
    return comp


@transaction.atomic
def approve_compensation(*, compensation: Compensation, actor, comment: str = "", now=None) -> Compensation:
    """REQUESTED → APPROVED by the approver role; finance is told in the same transaction."""
    now = now or timezone.now()
    comp = _lock_for_decision(compensation, actor)
    comp.status = S.APPROVED
    comp.decided_by = actor
    comp.decided_at = now
    comp.decision_comment = (comment or "").strip()[:2000]
    finance = _users_with(Role.FINANCE)
    notify_users(
        recipients=finance, kind="compensation_approved",
        title=_("Compensation %(number)s approved: %(amount)s yuan") % {"number": comp.number, "amount": comp.amount},
        body=f"{comp.order.number} · {Compensation.Kind(comp.kind).label}\n{comp.reason}",
        url=f"/admin/tickets/compensation/{comp.pk}/change/", key=f"compensation:{comp.pk}:finance",
    )
    comp.finance_notified_at = now if finance else None
    comp.save(update_fields=["status", "decided_by", "decided_at", "decision_comment", "finance_notified_at"])
    wo._step(comp.order, "compensation_approved", actor, now, number=comp.number)
    return comp


@transaction.atomic
def reject_compensation(*, compensation: Compensation, actor, comment: str, now=None) -> Compensation:
    """REQUESTED → REJECTED by the approver role, with the reason; the requester is told."""
    now = now or timezone.now()
    comment = wo._text(comment, field="comment", message=_("Say why the compensation is refused."), max_length=2000)
    comp = _lock_for_decision(compensation, actor)
    comp.status = S.REJECTED
    comp.decided_by = actor
    comp.decided_at = now
    comp.decision_comment = comment
    comp.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
    wo._step(comp.order, "compensation_rejected", actor, now, number=comp.number)
    requester, pk, number = comp.requested_by, comp.pk, comp.number
    transaction.on_commit(lambda: notify_users(
        recipients=[requester], kind="compensation_rejected", title=_("Compensation %(number)s refused") % {"number": number},
        body=comment, url="", key=f"compensation:{pk}:rejected",
    ))
    return comp
