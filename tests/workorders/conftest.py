"""Work-order fixtures: a dispatched order of the first technician, a van with stock, the price list.

The spare-parts fixtures (locations, parts, receipts, and the books = ledger check after each test)
come from the spares tests so both suites stock vans the same way.
"""

from __future__ import annotations

import io
import uuid
from decimal import Decimal

import pytest

from tests.spares.conftest import (  # noqa: F401  (fixtures)
    _books_equal_the_ledger_after_each_test,
    allow_drift,
    central,
    compressor,
    make_part,
    put_stock,
    station_a_old,
    station_a_stock,
    thermostat,
    van_a,
    van_b,
)
from tests.tickets.helpers import register
from tickets import services
from tickets.models import ServiceItem


@pytest.fixture
def service_item(air_conditioners):
    item = ServiceItem.objects.create(
        code="AC-01", name="空调清洗保养", price=Decimal("120.00"),
        checklist=["断电", "拆下过滤网清洗", "清洗蒸发器", "复装试机"], acceptance_check="出风正常、无异响、无滴水",
    )
    item.product_lines.add(air_conditioners)
    return item


@pytest.fixture
def ticket(dispatcher, tech_customer):
    unit = tech_customer.units.get(serial_number="SN-OUT-0002")  # out of warranty: a paid (A) order
    return register(dispatcher.user, tech_customer, unit=unit)


@pytest.fixture
def order(ticket, technician, dispatcher):
    return services.dispatch_ticket(ticket=ticket, technician=technician, actor=dispatcher.user)


@pytest.fixture
def stocked_van(van_a, compressor, thermostat, put_stock, central, warehouse_keeper):
    from spares import services as spares

    put_stock(central, (compressor, 5), (thermostat, 10))
    spares.transfer_stock(
        from_location=central, to_location=van_a,
        lines=[{"part": compressor, "qty": Decimal("2")}, {"part": thermostat, "qty": Decimal("4")}],
        actor=warehouse_keeper.user,
    )
    return van_a


def png(ink: bool = True, size=(300, 120), seed: int = 0) -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", size, (255, 255, 255, 0))
    if ink:
        draw = ImageDraw.Draw(img)
        draw.line([(10, 60 + seed % 20), (120, 20), (200, 100), (290, 40 + seed % 30)], fill=(0, 0, 0, 255), width=4)
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def jpeg(size=(640, 480), colour=(200, 30, 30)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", quality=80)
    return out.getvalue()


def new_id() -> str:
    return uuid.uuid4().hex
