"""Reads of customers, tickets and work orders — scoped by who asks, in one place for API, admin and pages."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from servicedesk.org.models import Role, Staff
from servicedesk.org.roles import has_role
from servicedesk.org.selectors import staff_of

from .models import Contact, Contract, Customer, SLAClock, SLAPolicy, Ticket, TicketLog, Unit, WorkOrder

# Roles that see every customer and ticket of the department.
_DEPARTMENT_WIDE = (Role.DISPATCHER, Role.MANAGER, Role.GENERAL_MANAGER, Role.SUPERVISOR, Role.FINANCE, Role.ADMIN)

OPEN_ORDER_STATUSES = [
    WorkOrder.Status.DISPATCHED, WorkOrder.Status.ACCEPTED, WorkOrder.Status.CONFIRMED, WorkOrder.Status.ARRIVED,
    WorkOrder.Status.IN_PROGRESS, WorkOrder.Status.ON_HOLD,
]


def active_sla_policies() -> list[SLAPolicy]:
    return list(SLAPolicy.objects.filter(is_active=True))


def past_repairs(unit: Unit) -> list[tuple[date, str]]:
    """(day, fault) of earlier repair tickets of the unit that reached a work order."""
    rows = (
        Ticket.objects.filter(unit=unit, kind="service", service_type="repair", work_orders__isnull=False)
        .exclude(fault_code="")
        .values_list("registered_at", "fault_code")
        .distinct()
    )
    return [(timezone.localdate(at), code) for at, code in rows]


def _scope(user, qs: QuerySet, *, station_field: str, technician_q) -> QuerySet:
    if user.is_superuser or has_role(user, *_DEPARTMENT_WIDE):
        return qs
    me = staff_of(user)
    if me is None:
        return qs.none()
    condition = Q(pk__in=[])
    if has_role(user, Role.STATION_HEAD, Role.WAREHOUSE_KEEPER) and me.station_id:
        condition |= Q(**{station_field: me.station_id})
    if has_role(user, Role.TECHNICIAN):
        condition |= technician_q(me)
    return qs.filter(condition)


def customers_visible_to(user) -> QuerySet[Customer]:
    qs = Customer.objects.select_related("station", "owner")
    return _scope(
        user, qs, station_field="station_id",
        technician_q=lambda me: Q(owner=me) | Q(work_orders__technician=me),
    ).distinct()


def units_visible_to(user) -> QuerySet[Unit]:
    qs = Unit.objects.select_related("customer", "product_line")
    return _scope(
        user, qs, station_field="customer__station_id",
        technician_q=lambda me: Q(customer__owner=me) | Q(customer__work_orders__technician=me),
    ).distinct()


def tickets_visible_to(user) -> QuerySet[Ticket]:
    """Tickets with what every list shows, in a constant number of queries."""
    qs = Ticket.objects.select_related("customer", "unit", "station", "registered_by").prefetch_related(
        Prefetch("clocks", queryset=SLAClock.objects.order_by("due_at", "pk"))
    )
    return _scope(
        user, qs, station_field="station_id",
        technician_q=lambda me: Q(Exists(WorkOrder.objects.filter(ticket=OuterRef("pk"), technician=me))),
    )


def work_orders_visible_to(user) -> QuerySet[WorkOrder]:
    qs = WorkOrder.objects.select_related("ticket", "customer", "technician", "technician__user")
    return _scope(user, qs, station_field="ticket__station_id", technician_q=lambda me: Q(technician=me))


def ticket_log(ticket: Ticket) -> QuerySet[TicketLog]:
    return ticket.log.select_related("by").order_by("at", "pk")


def dispatch_queue(*, today: date | None = None, user=None) -> QuerySet[Ticket]:
    """Service requests waiting for a technician: key customers first, then yesterday's and older
    calls, then the rest by registration time (SPEC §5 rule 4). With ``user``: only what he may see."""
    today = today or timezone.localdate()
    start_of_today = timezone.make_aware(timezone.datetime.combine(today, timezone.datetime.min.time()))
    from django.db.models import BooleanField, Case, Value, When

    qs = (
        Ticket.objects.filter(kind="service", status__in=[Ticket.Status.NEW, Ticket.Status.REPLIED])
        .filter(~Exists(WorkOrder.objects.filter(ticket=OuterRef("pk")).exclude(status=WorkOrder.Status.CANCELLED)))
        .annotate(
            carried_over=Case(When(registered_at__lt=start_of_today, then=Value(True)), default=Value(False), output_field=BooleanField())
        )
        .select_related("customer", "unit", "station")
        .prefetch_related(Prefetch("clocks", queryset=SLAClock.objects.order_by("due_at", "pk")))
        .order_by("-is_key_customer", "-carried_over", "registered_at", "pk")
    )
    if user is None:
        return qs
    # Technicians dispatch nothing: the queue is for desks and station heads.
    return _scope(user, qs, station_field="station_id", technician_q=lambda me: Q(pk__in=[]))


def technician_load(*, day: date, technicians=None) -> dict[int, dict]:
    """Per technician: distinct customers with work orders on ``day`` and open orders in total."""
    qs = Staff.objects.filter(user__groups__name=Role.TECHNICIAN)
    if technicians is not None:
        qs = qs.filter(pk__in=[t.pk for t in technicians])
    rows = qs.annotate(
        customers_today=Count(
            "work_orders__customer", filter=Q(work_orders__service_date=day) & ~Q(work_orders__status=WorkOrder.Status.CANCELLED), distinct=True
        ),
        open_orders=Count("work_orders", filter=Q(work_orders__status__in=OPEN_ORDER_STATUSES), distinct=True),
    ).values("pk", "customers_today", "open_orders")
    return {r["pk"]: r for r in rows}


def unit_history(unit: Unit, *, user) -> tuple[QuerySet[Ticket], QuerySet[WorkOrder]]:
    """服务凭证 history: every ticket and work order of ``unit`` that ``user`` may see, newest first."""
    tickets = tickets_visible_to(user).filter(unit=unit).prefetch_related(None).order_by("-registered_at", "-pk")
    orders = work_orders_visible_to(user).filter(ticket__unit=unit).order_by("-dispatched_at", "-pk")
    return tickets, orders


def contacts_visible_to(user) -> QuerySet[Contact]:
    qs = Contact.objects.select_related("customer")
    return _scope(
        user, qs, station_field="customer__station_id",
        technician_q=lambda me: Q(customer__owner=me) | Q(customer__work_orders__technician=me),
    ).distinct()


def contracts_visible_to(user) -> QuerySet[Contract]:
    qs = Contract.objects.select_related("customer")
    return _scope(
        user, qs, station_field="customer__station_id",
        technician_q=lambda me: Q(customer__owner=me) | Q(customer__work_orders__technician=me),
    ).distinct()


def clocks_visible_to(user) -> QuerySet[SLAClock]:
    qs = SLAClock.objects.select_related("ticket")
    return _scope(
        user, qs, station_field="ticket__station_id",
        technician_q=lambda me: Q(Exists(WorkOrder.objects.filter(ticket=OuterRef("ticket_id"), technician=me))),
    )
