"""Reports fixtures: signed work orders built through the work-order services, and openpyxl read-backs."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import CustomerFactory, UnitFactory
from tests.workorders.conftest import (  # noqa: F401  (fixtures)
    _books_equal_the_ledger_after_each_test,
    allow_drift,
    central,
    compressor,
    make_part,
    new_id,
    order,
    ticket,
    png,
    put_stock,
    service_item,
    station_a_old,
    station_a_stock,
    stocked_van,
    thermostat,
    van_a,
    van_b,
)
from tests.tickets.helpers import register
from tests.workorders.test_lifecycle import walk_to_site
from tickets import services as ticket_services
from tickets import work_orders as wo
from tickets.models import ServiceItem, WorkOrder


@pytest.fixture
def make_customer(station_a, air_conditioners, today):
    """``make_customer(name)`` → a customer of station A with one unit out of warranty (a paid order)."""

    def make(name, station=None):
        customer = CustomerFactory(name=name, station=station or station_a)
        UnitFactory(
            customer=customer, product_line=air_conditioners, serial_number=f"SN-R-{customer.pk:05d}",
            purchase_date=today - timedelta(days=900), warranty_start=today - timedelta(days=900),
            warranty_end=today - timedelta(days=500),
        )
        return customer

    return make


@pytest.fixture
def make_item(air_conditioners):
    counter = {"n": 0}

    def make(name="空调清洗保养", price="120.00"):
        counter["n"] += 1
        item = ServiceItem.objects.create(code=f"R-{counter['n']:03d}", name=name, price=Decimal(price))
        item.product_lines.add(air_conditioners)
        return item

    return make


@pytest.fixture
def signed_order(dispatcher, technician):
    """``signed_order(customer, items=[...], parts=[(part, van)], labour="0", payment="cash", signed_at=None)``
    → a work order walked through the services up to the customer's signature."""

    def make(customer, *, items=(), parts=(), labour="0", payment="cash", signed_at=None, tech=None, desk=None):
        tech = tech or technician
        desk = desk or dispatcher
        ticket = register(desk.user, customer, unit=customer.units.first())
        order = ticket_services.dispatch_ticket(ticket=ticket, technician=tech, actor=desk.user)
        walk_to_site(order, tech)
        user = tech.user
        wo.save_report(order=order, actor=user, cause="老化", resolution="更换并清洗", labour_charge=labour)
        for item in items:
            wo.add_service_item(order=order, actor=user, service_item=item)
        for part, van in parts:
            wo.add_part(order=order, actor=user, part=part, location=van, qty=1)
        total = wo.quote(WorkOrder.objects.get(pk=order.pk))
        if total > 0:
            wo.confirm_price(order=order, actor=user, amount=total, payment_method=payment)
        wo.start_work(order=order, actor=user)
        wo.complete_order(order=order, actor=user)
        wo.sign_order(order=order, actor=user, image=png(), printed_name="王主任", client_id=new_id(), now=signed_at)
        return WorkOrder.objects.get(pk=order.pk)

    return make


def read_back(data) -> "openpyxl.Workbook":  # noqa: F821
    """The workbook from bytes or a file — read the way a spreadsheet program would (not read-only)."""
    if isinstance(data, (bytes, bytearray)):
        data = io.BytesIO(data)
    return load_workbook(data)


def all_cells(wb):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                yield ws, cell


def this_month():
    return timezone.localdate().replace(day=1)
