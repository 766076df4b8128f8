"""Fixtures for the dispatcher's desk tests (admin, board, API, bad input).

Test modules import the fixtures they use by name. State is built through the services; plain
data through the factories.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from servicedesk.org.models import Role, Staff
from tests.factories import ContractFactory, CustomerFactory, ProductLineFactory, StaffFactory, UnitFactory, UserFactory
from tickets import services
from tickets.models import Contact


@dataclass
class Desk:
    customer: object
    unit: object
    other_customer: object
    other_unit: object
    line: object


def make_technician(username, station, **kw) -> Staff:
    return StaffFactory(user=UserFactory(username=username, roles=[Role.TECHNICIAN]), station=station, name=username, **kw)


def register(actor, customer, *, unit=None, kind="service", service_type="repair", now=None, **kw):
    data = dict(channel="phone", caller_name="王先生", caller_phone="13812345678", description="空调不制冷，外机有异响")
    data.update(kw)
    return services.register_ticket(
        actor=getattr(actor, "user", actor), customer=customer, unit=unit, kind=kind,
        service_type=service_type if kind == "service" else "", now=now, **data,
    )


@pytest.fixture
def desk(station_a, station_b, technician, other_technician):
    """Two customers: one at station A owned by ``technician``, one at station B owned by ``other_technician``."""
    line = ProductLineFactory(code="AC", name="空调")
    technician.skills.add(line)
    customer = CustomerFactory(name="浦东人民医院", phone="021-58881234", station=station_a, zone="urban", owner=technician, is_key=True)
    Contact.objects.create(customer=customer, name="李主任", phone="13912345678", is_primary=True)
    unit = UnitFactory(
        customer=customer, product_line=line, serial_number="AC2611000001",
        purchase_date=timezone.localdate() - timedelta(days=100),
    )
    other = CustomerFactory(name="苏州工业园区管委会", station=station_b, zone="urban", owner=other_technician)
    other_unit = UnitFactory(customer=other, product_line=line, serial_number="AC2611000002")
    ContractFactory(customer=customer)
    return Desk(customer=customer, unit=unit, other_customer=other, other_unit=other_unit, line=line)


@pytest.fixture
def admin_as():
    """``admin_as(persona)`` → a Django test client signed in as that person, asking for zh-hans pages."""

    def make(person):
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(getattr(person, "user", person))
        return client

    return make


@pytest.fixture
def many_tickets(dispatcher, desk):
    """``many_tickets(n)`` registers n more service requests (through the service)."""

    def make(n, **kw):
        return [register(dispatcher, desk.customer, unit=desk.unit, **kw) for _ in range(n)]

    return make
