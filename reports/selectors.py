"""Reads of the reports app: billable work orders, fee figures, work-report figures, jobs — scoped in one place."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from servicedesk.org.models import Role, Station
from servicedesk.org.roles import has_role
from servicedesk.org.selectors import staff_of
from spares.models import StockMove
from tickets.models import Ticket, WorkOrder, WorkOrderItem, WorkOrderPart

from .billing import BillingLine
from .models import BillingMark, ExportJob, FeeReport, WorkReport

ZERO = Decimal("0.00")
BILLING_CHUNK = 1000

# Finance prepares, managers approve: both read every finance page; nobody else does.
FINANCE_READERS = (Role.FINANCE, Role.MANAGER, Role.GENERAL_MANAGER)
MANAGERS = (Role.MANAGER, Role.GENERAL_MANAGER)


# --- periods ------------------------------------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def month_end(month: date) -> date:
    return next_month(month) - timedelta(days=1)


def local_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """[start of ``first``, start of the day after ``last``) in local time (Asia/Shanghai)."""
    start = timezone.make_aware(datetime.combine(first, time.min))
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
    return start, end


# --- billing ------------------------------------------------------------------------------------


def billable_orders(*, month: date, station: Station | None = None) -> QuerySet[WorkOrder]:
    """Work orders signed in ``month`` with something to charge (A, and the chargeable part of B).

    An order replaced by a signed correction is billed through the correction, never twice.
    """
    start, end = local_bounds(month_start(month), month_end(month_start(month)))
    qs = billable_between(start, end)
    if station is not None:
        qs = qs.filter(ticket__station=station)
    return qs


def billable_between(start: datetime, end: datetime) -> QuerySet[WorkOrder]:
    """Billable work orders signed in [start, end) — the rule of :func:`billable_orders` for any span."""
    return (
        WorkOrder.objects.filter(
            signed_at__gte=start, signed_at__lt=end, total_charge__gt=0,
            status__in=[WorkOrder.Status.SIGNED, WorkOrder.Status.CLOSED],
        )
        .exclude(corrected_by__signed_at__isnull=False)
    )


def billing_page(*, month: date, station: Station | None = None, mark: str = "") -> QuerySet[WorkOrder]:
    """The finance page's list: billable orders with customer, station and mark, by customer."""
    qs = billable_orders(month=month, station=station).select_related(
        "customer", "ticket__station", "billing_mark", "billing_mark__marked_by"
    )
    if mark == "none":
        qs = qs.filter(billing_mark__isnull=True)
    elif mark:
        qs = qs.filter(billing_mark__status=mark)
    return qs.order_by("customer__name", "customer_id", "signed_at", "pk")


def _billing_source(*, month: date, station: Station | None) -> QuerySet[WorkOrder]:
    items = WorkOrderItem.objects.filter(chargeable=True).only("order_id", "name", "qty", "amount").order_by("pk")
    parts = (
        WorkOrderPart.objects.filter(chargeable=True)
        .select_related("part")
        .only("order_id", "qty", "amount", "part__name", "part__number")
        .order_by("pk")
    )
    return (
        billable_orders(month=month, station=station)
        .select_related("customer", "ticket__station", "billing_mark")
        .only(
            "pk", "number", "customer_id", "customer_name", "customer__name", "signed_at", "category", "labour_charge",
            "total_charge", "payment_method", "ticket__station__name", "billing_mark__status", "billing_mark__note",
        )
        .prefetch_related(Prefetch("items", queryset=items), Prefetch("parts", queryset=parts))
        .order_by("customer__name", "customer_id", "signed_at", "pk")
    )


def _qty(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def billing_lines(*, month: date, station: Station | None = None, chunk: int = BILLING_CHUNK) -> Iterator[BillingLine]:
    """The billing sheet's rows, streamed from a server-side cursor ``chunk`` orders at a time, each
    chunk with its item and part lines prefetched (three queries per chunk, flat memory)."""
    categories = dict(WorkOrder.Category.choices)
    payments = dict(WorkOrder.Payment.choices)
    marks = dict(BillingMark.Status.choices)
    for order in _billing_source(month=month, station=station).iterator(chunk_size=chunk):
        items = list(order.items.all())
        parts = list(order.parts.all())
        items_amount = sum((i.amount for i in items), ZERO)
        parts_amount = sum((p.amount for p in parts), ZERO)
        mark = getattr(order, "billing_mark", None)
        yield BillingLine(
            order_id=order.pk,
            number=order.number,
            customer_id=order.customer_id,
            customer=order.customer_name or order.customer.name,
            station=order.ticket.station.name,
            signed_on=timezone.localdate(order.signed_at),
            category=str(categories.get(order.category, order.category)),
            items="；".join(f"{i.name}×{_qty(i.qty)}" for i in items),
            parts="；".join(f"{p.part.name}×{_qty(p.qty)}" for p in parts),
            items_amount=items_amount,
            parts_amount=parts_amount,
            labour=order.labour_charge,
            amount=order.total_charge,
            payment_code=order.payment_method,
            payment=str(payments.get(order.payment_method, order.payment_method)),
            mark_code=mark.status if mark else "",
            mark=str(marks[mark.status]) if mark else "",
            note=mark.note if mark else "",
        )


def billing_count(*, month: date, station: Station | None = None) -> int:
    return billable_orders(month=month, station=station).count()


def fee_figures(*, month: date) -> dict:
    """The month's charges by category and by payment method (a JSON-able snapshot for the fee report)."""
    qs = billable_orders(month=month).order_by()
    money = DecimalField(max_digits=14, decimal_places=2)
    zero = Coalesce(Sum("total_charge"), ZERO, output_field=money)
    paid = Coalesce(Sum("total_charge", filter=Q(billing_mark__status=BillingMark.Status.PAID)), ZERO, output_field=money)

    def rows(field: str, labels: dict) -> list[dict]:
        out = []
        for row in qs.values(field).annotate(orders=Count("pk"), amount=zero, paid=paid).order_by(field):
            out.append({
                "code": row[field], "label": str(labels.get(row[field], row[field])), "orders": row["orders"],
                "amount": str(row["amount"]), "paid": str(row["paid"]), "unpaid": str(row["amount"] - row["paid"]),
            })
        return out

    total = qs.aggregate(orders=Count("pk"), amount=zero, paid=paid, labour=Coalesce(Sum("labour_charge"), ZERO, output_field=money))
    return {
        "month": month_start(month).isoformat(),
        "by_category": rows("category", dict(WorkOrder.Category.choices)),
        "by_payment": rows("payment_method", dict(WorkOrder.Payment.choices)),
        "total": {
            "orders": total["orders"], "amount": str(total["amount"]), "paid": str(total["paid"]),
            "unpaid": str(total["amount"] - total["paid"]), "labour": str(total["labour"]),
        },
    }


def fee_reports() -> QuerySet[FeeReport]:
    return FeeReport.objects.select_related("prepared_by", "decided_by").order_by("-month")


def fee_report_steps(report: FeeReport):
    return report.steps.select_related("actor").order_by("at", "pk")


# --- export jobs --------------------------------------------------------------------------------


def export_jobs_visible_to(user) -> QuerySet[ExportJob]:
    """A person sees his own jobs; managers see everyone's (they may need to pass a file on)."""
    qs = ExportJob.objects.select_related("requested_by")
    if user.is_superuser or has_role(user, *MANAGERS):
        return qs
    return qs.filter(requested_by=user)


# --- work reports -------------------------------------------------------------------------------


def work_reports_visible_to(user) -> QuerySet[WorkReport]:
    """Managers and finance-free roles by station: managers all, a station head his stations, a
    provincial supervisor the stations he supervises; nobody else."""
    qs = WorkReport.objects.select_related("station", "submitted_by", "approved_by", "replied_by")
    if user.is_superuser or has_role(user, *MANAGERS):
        return qs
    condition = Q(pk__in=[])
    if has_role(user, Role.STATION_HEAD):
        condition |= Q(station__head=user)
        me = staff_of(user)
        if me is not None and me.station_id:
            condition |= Q(station_id=me.station_id)
    condition |= Q(station__provincial_supervisor=user)
    return qs.filter(condition)


def _money(value) -> str:
    return str((value or ZERO).quantize(Decimal("0.01")))


def work_report_figures(*, station: Station, first: date, last: date) -> tuple[dict, list[dict]]:
    """Figures of a station's period and its notable cases (complaints, reworks), JSON-able.

    Tickets and orders count by the station of their ticket; parts used are USE moves out of the
    station's own locations (station stock and its vans) that were not reversed, valued at the
    catalogue price.
    """
    start, end = local_bounds(first, last)
    tickets = Ticket.objects.filter(station=station, registered_at__gte=start, registered_at__lt=end)
    by_kind = {row["kind"]: row["n"] for row in tickets.values("kind").annotate(n=Count("pk")).order_by()}
    orders = WorkOrder.objects.filter(ticket__station=station)
    dispatched = orders.filter(dispatched_at__gte=start, dispatched_at__lt=end)
    by_category = {r["category"]: r["n"] for r in dispatched.values("category").annotate(n=Count("pk")).order_by()}
    by_status = {r["status"]: r["n"] for r in dispatched.values("status").annotate(n=Count("pk")).order_by()}
    signed = orders.filter(signed_at__gte=start, signed_at__lt=end).count()
    closed = orders.filter(closed_at__gte=start, closed_at__lt=end).count()
    revenue = (
        WorkOrder.objects.filter(
            ticket__station=station, signed_at__gte=start, signed_at__lt=end, total_charge__gt=0,
            status__in=[WorkOrder.Status.SIGNED, WorkOrder.Status.CLOSED],
        )
        .exclude(corrected_by__signed_at__isnull=False)
        .aggregate(v=Sum("total_charge"))["v"]
    )
    value = ExpressionWrapper(F("qty") * F("part__price"), output_field=DecimalField(max_digits=18, decimal_places=5))
    parts = (
        StockMove.objects.filter(
            kind=StockMove.Kind.USE, from_location__station=station, posted_at__gte=start, posted_at__lt=end,
            reversed_by__isnull=True,
        )
        .aggregate(value=Sum(value), moves=Count("pk"))
    )
    figures = {
        "tickets_by_kind": {code: by_kind.get(code, 0) for code, _label in Ticket._meta.get_field("kind").choices},
        "tickets_total": sum(by_kind.values()),
        "orders_by_category": {code: by_category.get(code, 0) for code in WorkOrder.Category.values},
        "orders_by_status": {code: by_status.get(code, 0) for code in WorkOrder.Status.values if by_status.get(code)},
        "orders_dispatched": sum(by_category.values()),
        "orders_signed": signed,
        "orders_closed": closed,
        "revenue": _money(revenue),
        "parts_used_value": _money(parts["value"]),
        "parts_used_moves": parts["moves"],
    }
    cases = []
    for t in tickets.filter(kind="complaint").select_related("customer").order_by("registered_at", "pk")[:50]:
        cases.append({
            "type": "complaint", "number": t.number, "customer": t.customer.name if t.customer_id else "",
            "at": timezone.localtime(t.registered_at).strftime("%Y-%m-%d"), "text": (t.description or "")[:300],
        })
    reworks = dispatched.filter(rework_of__isnull=False).select_related("rework_of", "customer").order_by("dispatched_at", "pk")[:50]
    for o in reworks:
        cases.append({
            "type": "rework", "number": o.number, "customer": o.customer.name,
            "at": timezone.localtime(o.dispatched_at).strftime("%Y-%m-%d"),
            "text": f"{o.rework_of.number}: {(o.fault_reported or '')[:250]}",
        })
    return figures, cases
