"""Daily reports produced from the work orders, never typed (SPEC §6):

- 技术员工作日报表 — one technician's orders of a day, by category A/B/C/D: orders, completed,
  time on site, labour minutes, charges; plus the list of the orders.
- 服务主任日报表 — every technician of a station with the same figures and the signed / closed /
  open counts.

"Orders of the day" are the technician's orders whose service day is that day (the day the
appointment was confirmed for, or of dispatch), cancelled ones left out. Time on site runs from
arrival to completion — or to the moment the unit was taken in, for a carry-in repair, since the
workshop time is on the repair tag, not at the customer's.

All figures come from database aggregation (GROUP BY / filtered aggregates): a constant number of
queries whatever the number of orders. The Excel files are written by :mod:`servicedesk.core.xlsx`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from openpyxl import Workbook

from servicedesk.core.xlsx import INTEGER, MONEY, Column, write_table
from servicedesk.org.models import Role, Staff

from .models import WorkOrder

W = WorkOrder.Status
CATEGORIES = [c for c, _label in WorkOrder.Category.choices]
ZERO = Decimal("0.00")
CLOSED_STATES = (W.SIGNED, W.CLOSED, W.CANCELLED)


def _on_site(prefix: str = "") -> ExpressionWrapper:
    end = Coalesce(F(f"{prefix}carry_in__taken_at"), F(f"{prefix}completed_at"))
    return ExpressionWrapper(end - F(f"{prefix}arrived_at"), output_field=DurationField())


def _minutes(span: timedelta | None) -> int:
    return int(span.total_seconds() // 60) if span else 0


@dataclass
class Figures:
    orders: int = 0
    completed: int = 0
    on_site_minutes: int = 0
    labour_minutes: int = 0
    charges: Decimal = ZERO

    def add(self, other: Figures) -> None:
        self.orders += other.orders
        self.completed += other.completed
        self.on_site_minutes += other.on_site_minutes
        self.labour_minutes += other.labour_minutes
        self.charges += other.charges


@dataclass
class TechnicianDay:
    technician: Staff
    day: date
    by_category: dict[str, Figures]
    total: Figures
    orders: list[WorkOrder]


def technician_daily_report(*, technician: Staff, day: date) -> TechnicianDay:
    """技术员工作日报表: two queries (figures by category, the orders themselves)."""
    base = WorkOrder.objects.filter(technician=technician, service_date=day).exclude(status=W.CANCELLED)
    rows = base.values("category").annotate(
        n=Count("pk"),
        done=Count("pk", filter=Q(completed_at__isnull=False)),
        site=Sum(_on_site(), filter=Q(arrived_at__isnull=False)),
        labour=Sum("labour_minutes"),
        money=Sum("total_charge"),
    ).order_by("category")
    by_category = {c: Figures() for c in CATEGORIES}
    total = Figures()
    for row in rows:  # at most four rows: one per category
        fig = Figures(row["n"], row["done"], _minutes(row["site"]), row["labour"] or 0, row["money"] or ZERO)
        by_category[row["category"]] = fig
        total.add(fig)
    orders = list(base.select_related("customer", "carry_in").order_by("appointment_at", "dispatched_at", "pk"))
    return TechnicianDay(technician=technician, day=day, by_category=by_category, total=total, orders=orders)


@dataclass
class SupervisorRow:
    technician_id: int
    name: str
    categories: dict[str, int]
    figures: Figures
    signed: int
    closed: int
    open: int


@dataclass
class SupervisorDay:
    station_id: int
    day: date
    rows: list[SupervisorRow]
    total: SupervisorRow = field(default=None)


def supervisor_daily_report(*, station, day: date) -> SupervisorDay:
    """服务主任日报表: one query — every technician of the station, his day's figures aggregated."""
    of_day = Q(work_orders__service_date=day) & ~Q(work_orders__status=W.CANCELLED)
    aggregates = {
        "n": Count("work_orders", filter=of_day),
        "done": Count("work_orders", filter=of_day & Q(work_orders__completed_at__isnull=False)),
        "site": Sum(_on_site("work_orders__"), filter=of_day & Q(work_orders__arrived_at__isnull=False)),
        "labour": Sum("work_orders__labour_minutes", filter=of_day),
        "money": Sum("work_orders__total_charge", filter=of_day),
        "signed": Count("work_orders", filter=of_day & Q(work_orders__status=W.SIGNED)),
        "closed": Count("work_orders", filter=of_day & Q(work_orders__status=W.CLOSED)),
        "open": Count("work_orders", filter=of_day & ~Q(work_orders__status__in=CLOSED_STATES)),
        **{f"cat_{c}": Count("work_orders", filter=of_day & Q(work_orders__category=c)) for c in CATEGORIES},
    }
    technicians = (
        Staff.objects.filter(station=station, user__groups__name=Role.TECHNICIAN)
        .annotate(**aggregates)
        .order_by("name", "pk")
        .values("pk", "name", *aggregates)
    )
    rows = []
    total = SupervisorRow(0, _("Total"), {c: 0 for c in CATEGORIES}, Figures(), 0, 0, 0)
    for t in technicians:  # one row per technician of the station (a handful)
        row = SupervisorRow(
            technician_id=t["pk"], name=t["name"], categories={c: t[f"cat_{c}"] for c in CATEGORIES},
            figures=Figures(t["n"], t["done"], _minutes(t["site"]), t["labour"] or 0, t["money"] or ZERO),
            signed=t["signed"], closed=t["closed"], open=t["open"],
        )
        rows.append(row)
        total.figures.add(row.figures)
        total.signed += row.signed
        total.closed += row.closed
        total.open += row.open
        for c in CATEGORIES:
            total.categories[c] += row.categories[c]
    return SupervisorDay(station_id=getattr(station, "pk", station), day=day, rows=rows, total=total)


# --- Excel --------------------------------------------------------------------------------------


def _figure_columns() -> list[Column]:
    return [
        Column(_("Orders"), INTEGER), Column(_("Completed"), INTEGER), Column(_("Time on site (min)"), INTEGER),
        Column(_("Labour (min)"), INTEGER), Column(_("Charges (CNY)"), MONEY),
    ]


def _figure_values(f: Figures) -> list:
    return [f.orders, f.completed, f.on_site_minutes, f.labour_minutes, f.charges]


def technician_workbook(report: TechnicianDay) -> Workbook:
    book = Workbook()
    ws = book.active
    ws.title = _("By category")[:31]
    labels = dict(WorkOrder.Category.choices)
    write_table(
        ws, [Column(_("Category")), *_figure_columns()],
        ([str(labels[c]), *_figure_values(report.by_category[c])] for c in CATEGORIES),
        title=_("Technician's daily report"), subtitle=f"{report.technician.name} · {report.day:%Y-%m-%d}",
        totals=[_("Total"), *_figure_values(report.total)],
    )
    orders = book.create_sheet(_("Orders")[:31])
    write_table(
        orders,
        [Column(_("Work order")), Column(_("Customer")), Column(_("Category")), Column(_("Status")),
         Column(_("Labour (min)"), INTEGER), Column(_("Charges (CNY)"), MONEY)],
        ([o.number, o.customer.name, o.category, o.get_status_display(), o.labour_minutes, o.total_charge] for o in report.orders),
    )
    return book


def supervisor_workbook(report: SupervisorDay, station_name: str) -> Workbook:
    book = Workbook()
    ws = book.active
    ws.title = _("Supervisor's daily report")[:31]
    columns = [
        Column(_("Technician")), *[Column(c, INTEGER) for c in CATEGORIES], *_figure_columns(),
        Column(_("Signed"), INTEGER), Column(_("Closed"), INTEGER), Column(_("Open"), INTEGER),
    ]

    def values(row: SupervisorRow) -> list:
        return [row.name, *[row.categories[c] for c in CATEGORIES], *_figure_values(row.figures), row.signed, row.closed, row.open]

    write_table(
        ws, columns, (values(r) for r in report.rows), title=_("Supervisor's daily report"),
        subtitle=f"{station_name} · {report.day:%Y-%m-%d}", totals=values(report.total),
    )
    return book
