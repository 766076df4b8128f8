"""Daily reports from the orders: figures against hand-computed numbers, constant queries, Excel read back."""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import load_workbook

from tests.tickets.helpers import register
from tickets import carry_in as ci
from tickets import daily_reports as dr
from tickets import services
from tickets import work_orders as wo
from tickets.models import WorkOrder

from .conftest import new_id, png

pytestmark = pytest.mark.django_db
M = timedelta(minutes=1)


@pytest.fixture
def day():
    return timezone.localdate() - timedelta(days=1)


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def to_site(order, tech, t):
    user = tech.user
    wo.accept_order(order=order, actor=user, now=t - 60 * M)
    wo.confirm_appointment(order=order, actor=user, appointment_at=t, now=t - 50 * M)
    return wo.record_arrival(order=order, actor=user, now=t)


@pytest.fixture
def the_day(day, order, technician, dispatcher, tech_customer, service_item):
    """Three orders of the first technician on ``day``:
    A paid, 09:00→09:50 on site, 50 min labour, 120 yuan, signed;
    C free, 11:00→11:30, 30 min labour, no charge, completed (open);
    A carried in, 14:00→14:20 (taken in), no labour yet, open."""
    user = technician.user
    t1 = at(day, 9)
    to_site(order, technician, t1)
    wo.save_report(order=order, actor=user, cause="风扇老化", resolution="更换风扇", labour_minutes=50, now=t1 + M)
    wo.add_service_item(order=order, actor=user, service_item=service_item, now=t1 + M)
    wo.confirm_price(order=order, actor=user, amount="120", payment_method="cash", now=t1 + 2 * M)
    wo.start_work(order=order, actor=user, now=t1 + 3 * M)
    wo.complete_order(order=order, actor=user, now=t1 + 50 * M)
    wo.sign_order(order=order, actor=user, image=png(), printed_name="王主任", client_id=new_id(), now=t1 + 52 * M)

    unit = tech_customer.units.get(serial_number="SN-OUT-0002")
    free = services.dispatch_ticket(
        ticket=register(dispatcher.user, tech_customer, unit=unit, description="保修内复查"), technician=technician,
        actor=dispatcher.user, category="C", category_reason="保修期内",
    )
    t2 = at(day, 11)
    to_site(free, technician, t2)
    wo.save_report(order=free, actor=user, cause="滤网脏堵", resolution="清洗滤网", labour_minutes=30, now=t2 + M)
    wo.start_work(order=free, actor=user, now=t2 + 2 * M)
    wo.complete_order(order=free, actor=user, now=t2 + 30 * M)

    carried = services.dispatch_ticket(
        ticket=register(dispatcher.user, tech_customer, unit=unit, description="压缩机不启动"), technician=technician,
        actor=dispatcher.user, category="A", category_reason="过保",
    )
    t3 = at(day, 14)
    to_site(carried, technician, t3)
    ci.take_in(order=carried, actor=user, goods="空调外机", now=t3 + 20 * M)
    return order, free, carried


def test_the_technicians_day_by_category(the_day, technician, day, django_assert_num_queries):
    with django_assert_num_queries(2):
        report = dr.technician_daily_report(technician=technician, day=day)
    a, c = report.by_category["A"], report.by_category["C"]
    assert (a.orders, a.completed, a.on_site_minutes, a.labour_minutes, a.charges) == (2, 1, 50 + 20, 50, Decimal("120.00"))
    assert (c.orders, c.completed, c.on_site_minutes, c.labour_minutes, c.charges) == (1, 1, 30, 30, Decimal("0.00"))
    assert report.by_category["B"].orders == report.by_category["D"].orders == 0
    t = report.total
    assert (t.orders, t.completed, t.on_site_minutes, t.labour_minutes, t.charges) == (3, 2, 100, 80, Decimal("120.00"))
    assert [o.number for o in report.orders] == [o.number for o in the_day]
    assert dr.technician_daily_report(technician=technician, day=day - timedelta(days=1)).total.orders == 0


def test_the_supervisors_day_per_technician(the_day, technician, station_a, day, django_assert_num_queries):
    with django_assert_num_queries(1):
        report = dr.supervisor_daily_report(station=station_a, day=day)
    (row,) = report.rows
    assert row.technician_id == technician.pk
    assert row.categories == {"A": 2, "B": 0, "C": 1, "D": 0}
    assert (row.figures.orders, row.figures.completed, row.figures.on_site_minutes, row.figures.labour_minutes) == (3, 2, 100, 80)
    assert row.figures.charges == Decimal("120.00")
    assert (row.signed, row.closed, row.open) == (1, 0, 2)
    assert report.total.figures.orders == 3 and report.total.open == 2


def test_the_supervisors_report_has_constant_queries_with_more_technicians(the_day, station_a, day, django_assert_num_queries):
    from servicedesk.org.models import Role
    from tests.factories import StaffFactory, UserFactory

    for i in range(5):
        StaffFactory(user=UserFactory(username=f"extra_tech_{i}", roles=[Role.TECHNICIAN]), station=station_a, name=f"技术员{i}")
    with django_assert_num_queries(1):
        report = dr.supervisor_daily_report(station=station_a, day=day)
    assert len(report.rows) == 6 and report.total.figures.orders == 3


def test_a_cancelled_order_is_not_work_of_the_day(order, technician, dispatcher, day):
    to_site(order, technician, at(day, 9))
    wo.cancel_order(order=order, actor=dispatcher.user, reason="客户取消")
    assert WorkOrder.objects.get(pk=order.pk).service_date == day
    assert dr.technician_daily_report(technician=technician, day=day).total.orders == 0


def test_the_excel_files_read_back(the_day, technician, station_a, day):
    book = dr.technician_workbook(dr.technician_daily_report(technician=technician, day=day))
    buf = io.BytesIO()
    book.save(buf)
    ws = load_workbook(io.BytesIO(buf.getvalue())).worksheets[0]
    rows = [tuple(c.value for c in row) for row in ws.iter_rows()]
    header = rows.index(next(r for r in rows if r[1] == gettext("Orders")))
    body = rows[header + 1:]
    assert body[0][1:] == (2, 1, 70, 50, Decimal("120.00")) or body[0][1:] == (2, 1, 70, 50, 120)
    assert body[-1][0] == gettext("Total") and body[-1][1:4] == (3, 2, 100)

    book = dr.supervisor_workbook(dr.supervisor_daily_report(station=station_a, day=day), station_a.name)
    buf = io.BytesIO()
    book.save(buf)
    ws = load_workbook(io.BytesIO(buf.getvalue())).active
    values = [tuple(c.value for c in row) for row in ws.iter_rows()]
    tech_row = next(r for r in values if r[0] == technician.name)
    assert tech_row[1:5] == (2, 0, 1, 0) and tech_row[5:8] == (3, 2, 100) and tech_row[-3:] == (1, 0, 2)
