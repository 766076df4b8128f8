"""Excel of list screens with their filters: tickets, work orders, stock balances (one registry entry each)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reports import lists
from reports.xlsx import Column

from .conftest import read_back

pytestmark = pytest.mark.django_db


def _values(response, column=1):
    body = b"".join(response.streaming_content)
    ws = read_back(body).worksheets[0]
    header = next(i for i, row in enumerate(ws.iter_rows(values_only=True), start=1) if row[0] in ("编号", "Number", "库位编码", "Location code"))
    return [row[column - 1] for row in ws.iter_rows(min_row=header + 1, values_only=True)], ws


def test_ticket_export_honours_the_filters_and_the_scope(dispatcher, technician, tech_customer, other_tech_customer, client):
    from tests.tickets.helpers import register

    complaint = register(dispatcher.user, tech_customer, kind="complaint", description="=HYPERLINK(\"http://x\")")
    service = register(dispatcher.user, tech_customer)
    other = register(dispatcher.user, other_tech_customer)
    client.force_login(dispatcher.user)
    numbers, ws = _values(client.get(reverse("reports:list_export", args=["tickets"]), {"kind": "complaint"}))
    assert numbers == [complaint.number]
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)
    numbers, _ws = _values(client.get(reverse("reports:list_export", args=["tickets"])))
    assert set(numbers) == {complaint.number, service.number, other.number}
    # A technician sees only tickets of his own work orders: none here.
    client.force_login(technician.user)
    numbers, _ws = _values(client.get(reverse("reports:list_export", args=["tickets"])))
    assert numbers == []


def test_work_order_export_filters_by_status(make_customer, make_item, signed_order, order, dispatcher, client):
    signed = signed_order(make_customer("甲公司"), items=[make_item()])
    client.force_login(dispatcher.user)
    numbers, _ws = _values(client.get(reverse("reports:list_export", args=["work_orders"]), {"status": "signed"}))
    assert numbers == [signed.number]
    numbers, _ws = _values(client.get(reverse("reports:list_export", args=["work_orders"]), {"status": "dispatched"}))
    assert numbers == [order.number]


def test_stock_export_filters_by_location(stocked_van, central, warehouse_keeper, client):
    client.force_login(warehouse_keeper.user)
    codes, _ws = _values(client.get(reverse("reports:list_export", args=["stock"]), {"location": stocked_van.pk}))
    assert codes and set(codes) == {stocked_van.code}
    codes, _ws = _values(client.get(reverse("reports:list_export", args=["stock"])))
    assert {central.code, stocked_van.code} <= set(codes)


def test_an_unknown_list_is_404_and_a_new_list_is_one_registry_entry(dispatcher, client):
    client.force_login(dispatcher.user)
    assert client.get(reverse("reports:list_export", args=["nope"])).status_code == 404
    from servicedesk.org.models import Station

    lists.register_list(lists.ListExport(
        name="stations_test", label="Stations", queryset=lambda user: Station.objects.all(),
        columns=lambda: [Column("Number")], row=lambda s: (s.code,), order_by=("code",),
    ))
    try:
        numbers, _ws = _values(client.get(reverse("reports:list_export", args=["stations_test"])))
        assert numbers == list(Station.objects.order_by("code").values_list("code", flat=True))
    finally:
        lists._lists.pop("stations_test")


def test_list_export_query_count_does_not_grow_with_rows(dispatcher, tech_customer, client, django_assert_max_num_queries):
    from tests.tickets.helpers import register

    for _n in range(15):
        register(dispatcher.user, tech_customer)
    client.force_login(dispatcher.user)
    with django_assert_max_num_queries(15):
        r = client.get(reverse("reports:list_export", args=["tickets"]))
    assert r.status_code == 200
