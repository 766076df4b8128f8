"""Regression tests for what the permission matrix found (each also a cell of the matrix)."""

from __future__ import annotations

import pytest
from django.test import Client

from tickets.models import Customer, WorkOrder

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_warehouse_keeper_cannot_open_his_stations_work_orders_on_the_tablet(demo_world):
    order = WorkOrder.objects.filter(ticket__station=demo_world.station_a).order_by("pk").first()
    keeper, head = demo_world.users["warehouse_keeper"], demo_world.users["station_head"]
    # He holds no work-order permission (roles.py); the station-wide scope is for the goods register.
    assert _client(keeper).get(f"/tablet/orders/{order.pk}/").status_code == 404
    assert _client(keeper).get(f"/tablet/orders/{order.pk}/sign/").status_code == 404
    assert _client(head).get(f"/tablet/orders/{order.pk}/").status_code == 200


def test_deleting_a_customer_whose_units_refer_to_it_is_a_409_not_a_500(demo_world):
    customer = Customer.objects.filter(units__isnull=False).order_by("pk").first()
    response = _client(demo_world.users["admin"]).delete(f"/api/v1/customers/{customer.pk}/")
    assert response.status_code == 409, response.content[:300]
    body = response.json()
    assert body["code"] == "protected" and body["errors"]["non_field_errors"]
    assert Customer.objects.filter(pk=customer.pk).exists()


def test_the_warehouse_keeper_cannot_fetch_a_signature_image(demo_world):
    order = WorkOrder.objects.filter(ticket__station=demo_world.station_a, signed_at__isnull=False).order_by("pk").first()
    assert _client(demo_world.users["warehouse_keeper"]).get(f"/tablet/orders/{order.pk}/signature.png").status_code == 404
    assert _client(demo_world.users["station_head"]).get(f"/tablet/orders/{order.pk}/signature.png").status_code == 200


def test_finance_reads_an_order_on_the_tablet_but_cannot_post_a_step(demo_world):
    order = WorkOrder.objects.filter(status="dispatched").order_by("pk").first()
    finance = _client(demo_world.users["finance"])
    assert finance.get(f"/tablet/orders/{order.pk}/").status_code == 200
    assert finance.post(f"/tablet/orders/{order.pk}/accept/", {}).status_code == 403
    order.refresh_from_db()
    assert order.status == "dispatched"
