"""Reads behind the technician's tablet pages: each returns everything its page shows in a fixed
number of queries, whatever the number of orders, lines or photos.

Scoping stays in one place: every order comes through :func:`tickets.selectors.work_orders_visible_to`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from spares.models import Location, Part, StockBalance

from . import selectors, warranty
from .models import (
    ServiceItem,
    SLAClock,
    Ticket,
    WorkOrder,
    WorkOrderItem,
    WorkOrderOldPart,
    WorkOrderPart,
    WorkOrderPhoto,
    WorkOrderSignature,
)

W = WorkOrder.Status

# What is still the technician's to do (a completed order still waits for the signature).
TABLET_OPEN = [W.DISPATCHED, W.ACCEPTED, W.CONFIRMED, W.ARRIVED, W.IN_PROGRESS, W.ON_HOLD, W.CARRIED_IN, W.COMPLETED]


def _clocks() -> Prefetch:
    return Prefetch("ticket__clocks", queryset=SLAClock.objects.order_by("due_at", "pk"))


@dataclass
class WorkDay:
    today: date
    overdue: list[WorkOrder] = field(default_factory=list)
    today_orders: list[WorkOrder] = field(default_factory=list)
    new_orders: list[WorkOrder] = field(default_factory=list)  # dispatched for a later day, to accept now

    @property
    def count(self) -> int:
        return len(self.overdue) + len(self.today_orders) + len(self.new_orders)


def _appointment_order(o: WorkOrder):
    # Appointments in time order; orders without one after them, oldest dispatch first.
    return (o.appointment_at is None, o.appointment_at or o.dispatched_at, o.dispatched_at, o.pk)


def my_work_today(user, *, today: date | None = None) -> WorkDay:
    """The technician's open orders for today, the overdue ones (an earlier service day, still open)
    and newly dispatched ones for later days — two queries in all (orders + their clocks)."""
    today = today or timezone.localdate()
    me_orders = (
        selectors.work_orders_visible_to(user)
        .filter(technician__user=user, status__in=TABLET_OPEN)
        .filter(Q(service_date__lte=today) | Q(status=W.DISPATCHED))
        .select_related("ticket__unit__product_line")
        .prefetch_related(_clocks())
    )
    day = WorkDay(today=today)
    for order in sorted(me_orders, key=_appointment_order):
        if order.service_date < today:
            day.overdue.append(order)
        elif order.service_date == today:
            day.today_orders.append(order)
        else:
            day.new_orders.append(order)
    return day


def order_for(user, pk: int) -> WorkOrder:
    """One order the user may see, with everything the order page shows (DoesNotExist otherwise)."""
    return (
        selectors.work_orders_visible_to(user)
        .select_related("ticket__unit__product_line", "customer", "reviewed_by", "signature")
        .defer("signature__image")
        .prefetch_related(
            Prefetch("items", queryset=WorkOrderItem.objects.select_related("service_item").order_by("pk")),
            Prefetch("parts", queryset=WorkOrderPart.objects.select_related("part", "location").order_by("pk")),
            Prefetch("old_parts", queryset=WorkOrderOldPart.objects.select_related("part").order_by("pk")),
            Prefetch("photos", queryset=WorkOrderPhoto.objects.order_by("uploaded_at", "pk")),
            _clocks(),
        )
        .get(pk=pk)
    )


def price_list_for(order: WorkOrder) -> QuerySet[ServiceItem]:
    """Active price-list items for the unit's product line, and those offered for every line."""
    unit = order.ticket.unit
    offered_everywhere = Q(product_lines__isnull=True)
    condition = offered_everywhere | Q(product_lines=unit.product_line_id) if unit else offered_everywhere
    ids = ServiceItem.objects.filter(is_active=True).filter(condition).values("pk")
    return ServiceItem.objects.filter(pk__in=ids).order_by("code")


def van_of(order: WorkOrder) -> Location | None:
    """The van of the order's technician (parts on the tablet come from there)."""
    return Location.objects.filter(kind=Location.Kind.VAN, technician_id=order.technician_id, is_active=True).first()


def van_stock(order: WorkOrder) -> list[StockBalance]:
    """What is in the technician's van now (on hand > 0), with the van: one query."""
    return list(
        StockBalance.objects.filter(
            location__kind=Location.Kind.VAN, location__technician_id=order.technician_id, location__is_active=True, qty__gt=0,
        )
        .select_related("part", "location")
        .order_by("part__number")
    )


def old_part_choices(order: WorkOrder, *, limit: int = 300) -> list[tuple[str, str]]:
    """(number, name) of catalogue parts for the unit's product line, for the old-part picker."""
    unit = order.ticket.unit
    qs = Part.objects.filter(is_active=True)
    if unit is not None:
        qs = qs.filter(Q(product_lines=unit.product_line_id) | Q(product_lines__isnull=True))
    return list(qs.order_by("number").values_list("number", "name").distinct()[:limit])


def unit_history(order: WorkOrder, user, *, limit: int = 10) -> tuple[list[Ticket], list[WorkOrder]]:
    """Earlier tickets and work orders of the order's unit that the user may see (two queries)."""
    unit = order.ticket.unit
    if unit is None:
        return [], []
    tickets, orders = selectors.unit_history(unit, user=user)
    tickets = list(tickets.exclude(pk=order.ticket_id).select_related(None)[:limit])
    orders = list(orders.exclude(pk=order.pk).select_related(None).select_related("technician")[:limit])
    return tickets, orders


def warranty_label(ticket: Ticket) -> str:
    """The decision stored at registration, in words."""
    label = warranty.Decision.LABELS.get(ticket.warranty_decision)
    return str(label) if label else ""


def photo_of(user, order_pk: int, photo_pk: int) -> WorkOrderPhoto:
    """A photo of an order the user may see (DoesNotExist otherwise: the view answers 404)."""
    return WorkOrderPhoto.objects.get(pk=photo_pk, order__in=selectors.work_orders_visible_to(user).filter(pk=order_pk))


def signature_of(user, order_pk: int) -> WorkOrderSignature:
    return WorkOrderSignature.objects.get(order__in=selectors.work_orders_visible_to(user).filter(pk=order_pk))
