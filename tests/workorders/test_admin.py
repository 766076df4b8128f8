"""The supervisor's review desk in the admin: a read-only record, a review action, the seal check."""

from __future__ import annotations

import pytest

from tickets import work_orders as wo
from tickets.models import WorkOrder

from .conftest import new_id, png
from .test_lifecycle import fill_and_complete, walk_to_site

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/tickets/workorder/"


@pytest.fixture
def signed(order, technician, service_item):
    walk_to_site(order, technician)
    fill_and_complete(order, technician, service_item)
    return wo.sign_order(order=order, actor=technician.user, image=png(), printed_name="王主任", client_id=new_id())


def test_a_supervisor_reviews_signed_orders_from_the_changelist(client, supervisor, signed):
    client.force_login(supervisor.user)
    r = client.post(CHANGELIST, {"action": "review_selected", "_selected_action": [signed.pk]}, follow=True)
    assert r.status_code == 200
    assert WorkOrder.objects.get(pk=signed.pk).status == WorkOrder.Status.CLOSED


def test_reviewing_an_unsigned_order_says_why_and_changes_nothing(client, supervisor, order):
    client.force_login(supervisor.user)
    r = client.post(CHANGELIST, {"action": "review_selected", "_selected_action": [order.pk]}, follow=True)
    assert order.number in r.content.decode()
    assert WorkOrder.objects.get(pk=order.pk).status == WorkOrder.Status.DISPATCHED


def test_the_order_page_is_a_read_only_record_with_the_signature(client, supervisor, signed):
    client.force_login(supervisor.user)
    r = client.get(f"{CHANGELIST}{signed.pk}/change/")
    body = r.content.decode()
    assert r.status_code == 200 and f"/api/v1/work-orders/{signed.pk}/signature/image/" in body
    assert 'name="resolution"' not in body  # nothing editable
    r = client.post(f"{CHANGELIST}{signed.pk}/change/", {"resolution": "改"})
    assert r.status_code == 403
    assert WorkOrder.objects.get(pk=signed.pk).resolution == "更换风扇叶片并清洗"


def test_the_changelist_runs_a_constant_number_of_queries(client, supervisor, dispatcher, tech_customer, technician,
                                                          django_assert_max_num_queries):
    from tests.tickets.helpers import register
    from tickets import services

    for i in range(8):
        services.dispatch_ticket(ticket=register(dispatcher.user, tech_customer, description=f"故障{i}"),
                                 technician=technician, actor=dispatcher.user)
    client.force_login(supervisor.user)
    client.get(CHANGELIST)
    with django_assert_max_num_queries(12):
        r = client.get(CHANGELIST)
    assert r.status_code == 200 and r.content.decode().count("WO-") >= 8
