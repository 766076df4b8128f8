"""Fixtures of the visits tests: customers and contracts of the two technicians, dates to build on."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.factories import ContractFactory, CustomerFactory


@pytest.fixture(autouse=True)
def _visit_pages_mounted(settings):
    # The visit pages live in visits.urls; this URLconf mounts them at /visits/ like the project's.
    settings.ROOT_URLCONF = "tests.visits.urls"


@pytest.fixture
def customer(technician, station_a):
    """A customer owned by the first technician."""
    return CustomerFactory(name="浦东第一中学", station=station_a, owner=technician, address="上海市浦东新区东方路1号")


@pytest.fixture
def second_customer(technician, station_a):
    return CustomerFactory(name="陆家嘴物业", station=station_a, owner=technician, is_key=True)


@pytest.fixture
def other_customer(other_technician, station_b):
    """A customer of the second technician (another station)."""
    return CustomerFactory(name="苏州园区医院", station=station_b, owner=other_technician)


@pytest.fixture
def make_contract():
    """``make_contract(customer, end_date, number=…)`` → a one-year contract ending on ``end_date``."""
    counter = {"n": 0}

    def make(customer, end_date: date, **extra):
        counter["n"] += 1
        extra.setdefault("number", f"HT-T-{counter['n']:04d}")
        extra.setdefault("start_date", end_date - timedelta(days=364))
        return ContractFactory(customer=customer, end_date=end_date, **extra)

    return make
