"""Reads of customers, tickets and work orders — scoped by who asks, in one place for API, admin and pages."""

from __future__ import annotations

import re
from datetime import date

from django.db import connections
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Replace
from django.db.models.lookups import Contains
from django.db.models.query import BaseIterable
from django.utils import timezone
from rest_framework.filters import search_smart_split

from servicedesk.clocks.models import Clock
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


# --- the ticket search (API ``?search=`` and the admin's search box) -----------------------------

# What the hotline types for a phone: digits with spaces, dashes, brackets or a leading +.
_PHONE_TEXT = re.compile(r"[\d\s()（）+\-]+")
# A customer-name or serial term matching more rows than this is matched by a sub-select instead
# of an id list: such a common term matches many tickets, which the newest-first walk finds at once.
SEARCH_ID_LIMIT = 500


def search_tickets(tickets: QuerySet[Ticket], text: str) -> QuerySet[Ticket]:
    """``tickets`` whose number, caller's phone, customer's name or unit's serial contains every
    term of ``text`` (split at spaces and commas, "quoted phrases" kept whole). Text that is only a
    phone number as heard (``021 6234-5678``) is one term compared by its digits.

    Written for the trigram indexes of migration ``tickets/0008`` (PostgreSQL): each of the four
    matches is one indexable condition on the ticket table itself — the customers and units a term
    names are looked up first (small tables, their own trigram index) and given to the ticket query
    as id lists, so the planner sees how many tickets a term matches and picks either the newest-first
    walk (common terms) or the indexes (rare ones). An OR across joined tables could use neither and
    compared every ticket."""
    text = (text or "").replace("\x00", "").strip()
    if not text:
        return tickets
    if _PHONE_TEXT.fullmatch(text) and len(re.sub(r"\D", "", text)) >= 5:
        terms = [text]
    else:
        terms = search_smart_split(text.replace("，", ","))
    for term in terms:
        tickets = tickets.filter(_ticket_matches(term))
    return tickets


def _ticket_matches(term: str) -> Q:
    digits = re.sub(r"\D", "", term)
    phone = bool(_PHONE_TEXT.fullmatch(term)) and len(digits) >= 3
    found = Q(number__icontains=term)
    if phone:
        # Stored phones keep their dashes (normalise_phone drops only spaces and brackets).
        found |= Q(Contains(Replace(F("caller_phone"), Value("-"), Value("")), digits))
    found |= _ids_or_subselect("customer_id", Customer.objects.filter(name__icontains=term))
    found |= _ids_or_subselect("unit_id", Unit.objects.filter(serial_number__icontains=digits if phone else term))
    return found


def _ids_or_subselect(field: str, matches: QuerySet) -> Q:
    ids = list(matches.order_by().values_list("pk", flat=True)[: SEARCH_ID_LIMIT + 1])
    if len(ids) > SEARCH_ID_LIMIT:
        return Q(**{f"{field}__in": matches.order_by().values("pk")})
    return Q(**{f"{field}__in": ids})


# --- the ticket list as plain rows ---------------------------------------------------------------

# ``views.nearest_clock`` in SQL, for one ticket's clocks: the running one due first, else the
# paused one with the least time left, else a late stopped one before a met one (latest first),
# else the newest. tests/tickets/test_list_rows.py holds the two equal; change them together.
NEAREST_CLOCK_ORDER = """
    CASE WHEN k.stopped_at IS NULL AND NOT k.cancelled AND k.running_since IS NOT NULL AND k.due_at IS NOT NULL THEN 0
         WHEN k.stopped_at IS NULL AND NOT k.cancelled AND k.running_since IS NULL THEN 1
         WHEN k.stopped_at IS NOT NULL AND NOT k.cancelled THEN 2
         ELSE 3 END,
    CASE WHEN k.stopped_at IS NULL AND NOT k.cancelled AND k.running_since IS NOT NULL THEN k.due_at END,
    CASE WHEN k.stopped_at IS NULL AND NOT k.cancelled AND k.running_since IS NULL THEN k.target - k.elapsed END,
    CASE WHEN k.stopped_at IS NOT NULL AND NOT k.cancelled
         THEN COALESCE(k.breached_at IS NOT NULL OR k.stopped_at > k.due_at, false) END DESC NULLS LAST,
    CASE WHEN k.stopped_at IS NOT NULL AND NOT k.cancelled THEN k.stopped_at END DESC NULLS LAST,
    CASE WHEN k.stopped_at IS NULL AND NOT k.cancelled AND (k.running_since IS NULL OR k.due_at IS NOT NULL) THEN k.id END,
    k.id DESC
"""
_CLOCK_COLUMNS = (
    "pk", "target_code", "kind", "target", "elapsed", "running_since", "due_at", "warn_at", "stopped_at", "breached_at",
    "cancelled",
)

# The list's columns around the page the ORM chose (scope, filters, search, cursor, order and
# slice, selecting only ids: cheap to build), with the nearest clock's columns last. The rows come
# back in the page's own order (the position of each id in it), so any ordering the ORM can build
# (the admin's sortable columns too) works without being written again here.
_LIST_SQL = f"""
SELECT t.id, t.number, t.channel, t.kind, t.service_type, t.status, t.customer_id AS customer, c.name AS customer_name,
       t.unit_id AS unit, u.serial_number AS unit_serial, t.caller_name, t.caller_phone, t.zone, t.station_id AS station,
       s.name AS station_name, t.is_key_customer, t.urgency, t.severity, t.registered_at, t.appointment_at,
       t.complaint_class, t.warranty_decision,
       k.id, k.target_code, k.kind, k.target, k.elapsed, k.running_since, k.due_at, k.warn_at, k.stopped_at,
       k.breached_at, k.cancelled
FROM (SELECT ARRAY(SELECT page.id FROM ({{page}}) AS page) AS ids OFFSET 0) AS page
JOIN tickets_ticket t ON t.id = ANY(page.ids)
JOIN tickets_customer c ON c.id = t.customer_id
JOIN org_station s ON s.id = t.station_id
LEFT JOIN tickets_unit u ON u.id = t.unit_id
LEFT JOIN LATERAL (SELECT * FROM tickets_slaclock k WHERE k.ticket_id = t.id ORDER BY {NEAREST_CLOCK_ORDER} LIMIT 1) k ON true
ORDER BY array_position(page.ids, t.id)
"""
# Not a join on a sub-select of the page's ids: estimating one makes the planner probe the ends of
# the id index, slow (milliseconds per query) while it holds many dead rows; = ANY(ids) needs no
# estimate. OFFSET 0 keeps the array one value (else each use would run the page query again), and
# the statement starts with SELECT, which pghistory leaves alone (it prefixes anything else, a WITH
# too, with its context variables).


class ClockRow:
    """The nearest clock of a list row: the fields the countdown needs and the model's own rules
    for state and time left (borrowed from :class:`Clock`, so they cannot drift)."""

    __slots__ = _CLOCK_COLUMNS
    state_at = Clock.state_at
    elapsed_at = Clock.elapsed_at
    remaining_at = Clock.remaining_at

    def __init__(self, values):
        for name, value in zip(_CLOCK_COLUMNS, values, strict=True):
            setattr(self, name, value)


class _TicketRowsIterable(BaseIterable):
    """Runs the page's own SQL inside ``_LIST_SQL``: one query, no model instances, and none of
    the ORM's work of compiling twenty joined columns for every request."""

    def __iter__(self):
        queryset = self.queryset
        if connections[queryset.db].vendor != "postgresql":
            yield from self._portable()
            return
        page, params = queryset.query.get_compiler(using=queryset.db).as_sql()
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(_LIST_SQL.format(page=page), params)
            width = len(cursor.description) - len(_CLOCK_COLUMNS)
            names = [column[0] for column in cursor.description[:width]]
            for values in cursor.fetchall():
                row = dict(zip(names, values[:width]))
                row["clock"] = ClockRow(values[width:]) if values[width] is not None else None
                yield row

    def _portable(self):
        """The quick start's SQLite has no arrays or LATERAL: the same rows through the ORM (the
        page's ids, then the tickets with their clocks in two more queries)."""
        from .views import nearest_clock

        ids = list(self.queryset.values_list("id", flat=True))
        tickets = Ticket.objects.filter(pk__in=ids).select_related("customer", "unit", "station").prefetch_related(
            Prefetch("clocks", queryset=SLAClock.objects.order_by("due_at", "pk"))
        )
        by_id = {t.pk: t for t in tickets}
        for pk in ids:
            t = by_id[pk]
            clock = nearest_clock(t.clocks.all())
            yield {
                "id": t.pk, "number": t.number, "channel": t.channel, "kind": t.kind, "service_type": t.service_type,
                "status": t.status, "customer": t.customer_id, "customer_name": t.customer.name, "unit": t.unit_id,
                "unit_serial": t.unit.serial_number if t.unit_id else None, "caller_name": t.caller_name,
                "caller_phone": t.caller_phone, "zone": t.zone, "station": t.station_id, "station_name": t.station.name,
                "is_key_customer": t.is_key_customer, "urgency": t.urgency, "severity": t.severity,
                "registered_at": t.registered_at, "appointment_at": t.appointment_at,
                "complaint_class": t.complaint_class, "warranty_decision": t.warranty_decision,
                "clock": ClockRow([getattr(clock, name) for name in _CLOCK_COLUMNS]) if clock is not None else None,
            }


def ticket_list_rows(tickets: QuerySet[Ticket]) -> QuerySet[dict]:
    """``tickets`` (scoped, filtered) as dicts of the list's columns plus ``clock``, the one its
    countdown shows (a :class:`ClockRow`, or None). Order, slice and filter it like a queryset; it
    runs as one query whatever the page size: the list stays near the cost of a raw SQL page."""
    rows = tickets.select_related(None).prefetch_related(None).values("id", "registered_at")
    rows._iterable_class = _TicketRowsIterable
    return rows


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
