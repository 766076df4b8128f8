"""Spare-parts fixtures: locations of the two persona stations, a few parts, stock put in by receipts.

Every test that touches the database ends with the books checked against the ledger (帐物一致),
as ``manage.py check_stock`` would; a test that seeds drift on purpose asks for ``allow_drift``.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from spares import selectors, services
from spares.models import Location, Part


@pytest.fixture(autouse=True)
def _books_equal_the_ledger_after_each_test(request):
    if request.node.get_closest_marker("django_db") is None:
        yield
        return
    # Set up the database first, so it is torn down (rolled back / flushed) after this check.
    request.getfixturevalue("_django_db_helper")
    yield
    if "allow_drift" in request.fixturenames:
        return
    assert selectors.stock_drift() == [], "stock books differ from the ledger after this test"


@pytest.fixture
def allow_drift():
    """Marks a test that damages the books on purpose (reconciliation tests)."""
    return True


@pytest.fixture
def central(db):
    return Location.objects.create(code="CW", name="中心仓库", kind=Location.Kind.CENTRAL)


@pytest.fixture
def station_a_stock(station_a):
    return services.ensure_station_locations(station_a)[0]


@pytest.fixture
def station_a_old(station_a):
    return services.ensure_station_locations(station_a)[1]


@pytest.fixture
def station_b_stock(station_b):
    return services.ensure_station_locations(station_b)[0]


@pytest.fixture
def van_a(technician):
    return services.ensure_van(technician)


@pytest.fixture
def van_b(other_technician):
    return services.ensure_van(other_technician)


@pytest.fixture
def make_part(warehouse_keeper):
    counter = {"n": 0}

    def make(number=None, name=None, *, threshold="0", price="10.00", unit="个"):
        counter["n"] += 1
        n = counter["n"]
        return services.create_part(
            actor=warehouse_keeper.user,
            number=number or f"P-{n:04d}",
            name=name or f"测试备件{n}",
            unit=unit,
            price=Decimal(price),
            low_stock_threshold=Decimal(threshold),
        )

    return make


@pytest.fixture
def compressor(make_part):
    return make_part("AC-CMP-01", "压缩机 1.5匹", price="680.00")


@pytest.fixture
def thermostat(make_part):
    return make_part("RF-TMP-02", "冰箱温控器", price="45.00")


@pytest.fixture
def put_stock(warehouse_keeper):
    """``put_stock(location, (part, qty), …)`` → a receipt posted by the warehouse keeper."""

    def put(location, *lines, supplier="格力电器配件公司"):
        return services.receive_stock(
            location=location,
            supplier=supplier,
            lines=[{"part": p, "qty": Decimal(str(q))} for p, q in lines],
            actor=warehouse_keeper.user,
        )

    return put


def on_hand(part: Part, location: Location) -> Decimal:
    return services.on_hand(part=part, location=location)
