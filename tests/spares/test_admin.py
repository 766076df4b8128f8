"""The warehouse keeper's day in the admin, tried as a new user would: receive parts, have a requisition
approved and issue it, take back an old part, run a stock-take, export the stock to Excel."""

from __future__ import annotations

import io

import pytest
from django.contrib.messages import get_messages
from openpyxl import load_workbook

from spares import services
from spares.models import OldPartReturn, Receipt, Requisition, StockMove, StockTake
from tests.spares.conftest import on_hand

pytestmark = pytest.mark.django_db

ADMIN = "/admin/spares"


def _formset(prefix, rows, total=4):
    data = {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _act(client, model, action, ids, **extra):
    return client.post(f"{ADMIN}/{model}/", {"action": action, "_selected_action": [str(i) for i in ids], "index": "0",
                                             **extra}, follow=True)


def test_the_keeper_sees_the_warehouse_in_the_admin(client, warehouse_keeper, central):
    client.force_login(warehouse_keeper.user)
    index = client.get("/admin/").content.decode()
    for url in ("stockbalance", "stockmove", "receipt", "requisition", "stocktake", "oldpartreturn", "part"):
        assert f"/admin/spares/{url}/" in index, url
    for url in ("stockbalance", "stockmove", "receipt", "requisition", "stocktake", "oldpartreturn", "writeoff",
                "outofstockregistration", "transfer", "stockreturn", "oldpartbatch", "location", "part"):
        assert client.get(f"{ADMIN}/{url}/").status_code == 200, url
    assert client.get(f"{ADMIN}/receipt/add/").status_code == 200


def test_receiving_parts_on_the_receipt_form(client, warehouse_keeper, central, compressor, thermostat):
    client.force_login(warehouse_keeper.user)
    data = {"location": central.pk, "supplier": "格力电器配件公司", "delivery_note": "GL-88", "note": "",
            **_formset("lines", [{"part": compressor.pk, "qty": "2", "unit_price": "650"},
                                 {"part": thermostat.pk, "qty": "12"}])}
    response = client.post(f"{ADMIN}/receipt/add/", data, follow=True)
    assert response.status_code == 200
    receipt = Receipt.objects.get()
    assert response.redirect_chain[-1][0] == f"{ADMIN}/receipt/{receipt.pk}/change/"
    assert on_hand(compressor, central) == 2 and on_hand(thermostat, central) == 12
    page = client.get(f"{ADMIN}/receipt/{receipt.pk}/change/").content.decode()
    assert "格力电器配件公司" in page and compressor.number in page


def test_a_bad_receipt_line_is_shown_on_the_form_and_nothing_is_saved(client, warehouse_keeper, central, compressor):
    client.force_login(warehouse_keeper.user)
    data = {"location": central.pk, "supplier": "", "delivery_note": "", "note": "",
            **_formset("lines", [{"part": compressor.pk, "qty": "-1"}])}
    response = client.post(f"{ADMIN}/receipt/add/", data)
    assert response.status_code == 200
    assert response.context["form"].errors and response.context["formset"].errors[0]
    assert Receipt.objects.count() == 0 and StockMove.objects.count() == 0
    # A form that passes its own checks but breaks a rule: the service's message lands on the field.
    data = {"location": central.pk, "supplier": "美的", "delivery_note": "", "note": "",
            **_formset("lines", [{"part": compressor.pk, "qty": "1"}, {"part": compressor.pk, "qty": "2"}])}
    response = client.post(f"{ADMIN}/receipt/add/", data)
    assert response.context["formset"].forms[1].errors["part"]
    assert Receipt.objects.count() == 0


def test_requisition_approved_by_the_manager_and_issued_by_the_keeper_with_actions(
    client, warehouse_keeper, manager, technician, central, van_a, compressor, put_stock
):
    put_stock(central, (compressor, 3))
    client.force_login(technician.user)
    # Technicians work on the tablet, not in the admin: the API is their way in.
    requisition = services.create_requisition(from_location=central, to_location=van_a, lines=[(compressor, 2)],
                                              actor=technician.user)

    client.force_login(warehouse_keeper.user)
    refused = _act(client, "requisition", "issue", [requisition.pk])
    assert any("not been approved" in m or "尚未" in m or "审批" in m for m in _messages(refused)), _messages(refused)
    assert on_hand(compressor, van_a) == 0

    client.force_login(manager.user)
    approved = _act(client, "requisition", "approve", [requisition.pk])
    assert any("1" in m for m in _messages(approved))
    requisition.refresh_from_db()
    assert requisition.status == Requisition.Status.APPROVED

    client.force_login(warehouse_keeper.user)
    _act(client, "requisition", "issue", [requisition.pk])
    requisition.refresh_from_db()
    assert requisition.status == Requisition.Status.ISSUED and on_hand(compressor, van_a) == 2


def test_rejecting_in_the_admin_asks_for_a_reason(client, manager, warehouse_keeper, central, van_a, compressor):
    requisition = services.create_requisition(from_location=central, to_location=van_a, lines=[(compressor, 1)],
                                              actor=warehouse_keeper.user)
    client.force_login(manager.user)
    page = _act(client, "requisition", "reject", [requisition.pk])
    assert "reason" in page.content.decode()
    requisition.refresh_from_db()
    assert requisition.status == Requisition.Status.SUBMITTED
    _act(client, "requisition", "reject", [requisition.pk], apply="1", reason="同型号库存在站里")
    requisition.refresh_from_db()
    assert requisition.status == Requisition.Status.REJECTED and requisition.rejection_reason == "同型号库存在站里"


def test_taking_back_an_old_part(client, warehouse_keeper, technician, station_a_old, compressor):
    client.force_login(warehouse_keeper.user)
    response = client.post(f"{ADMIN}/oldpartreturn/add/", {
        "part": compressor.pk, "qty": "1", "location": station_a_old.pk, "work_order_ref": "WO-2026-000501",
        "returned_by": technician.pk, "unit_serial": "KFR-35-001", "fault": "压缩机烧毁", "is_warranty": "on",
    }, follow=True)
    assert response.status_code == 200
    old = OldPartReturn.objects.get()
    assert old.is_warranty and old.returned_by == technician and on_hand(compressor, station_a_old) == 1


def test_a_stock_take_in_the_admin(client, warehouse_keeper, station_head, station_a_stock, compressor, thermostat, put_stock):
    put_stock(station_a_stock, (compressor, 5), (thermostat, 2))
    client.force_login(warehouse_keeper.user)
    client.post(f"{ADMIN}/stocktake/add/", {"location": station_a_stock.pk, "note": "季度盘点"})
    sheet = StockTake.objects.get()
    page = client.get(f"{ADMIN}/stocktake/{sheet.pk}/count/")
    assert page.status_code == 200 and compressor.number in page.content.decode()
    lines = list(sheet.lines.order_by("part__number"))  # AC-… before RF-…
    data = {"counts-TOTAL_FORMS": "2", "counts-INITIAL_FORMS": "2", "counts-MIN_NUM_FORMS": "0",
            "counts-MAX_NUM_FORMS": "1000",
            "counts-0-line": lines[0].pk, "counts-0-counted_qty": "5",
            "counts-1-line": lines[1].pk, "counts-1-counted_qty": "1", "submit": "1"}
    client.post(f"{ADMIN}/stocktake/{sheet.pk}/count/", data, follow=True)
    sheet.refresh_from_db()
    assert sheet.status == StockTake.Status.SUBMITTED

    client.force_login(station_head.user)
    _act(client, "stocktake", "approve", [sheet.pk])
    sheet.refresh_from_db()
    assert sheet.status == StockTake.Status.APPROVED
    assert on_hand(thermostat, station_a_stock) == 1 and on_hand(compressor, station_a_stock) == 5


def test_stock_exported_to_excel_from_the_stock_list(client, warehouse_keeper, central, compressor, put_stock):
    put_stock(central, (compressor, 7))
    client.force_login(warehouse_keeper.user)
    listing = client.get(f"{ADMIN}/stockbalance/?location__id__exact={central.pk}")
    assert listing.status_code == 200 and compressor.name in listing.content.decode()
    balance = central.balances.get()
    response = _act(client, "stockbalance", "export_xlsx", [balance.pk])
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    row = next(ws.iter_rows(min_row=4, values_only=True))
    assert row[2] == compressor.number and row[6] == 7
    moves = _act(client, "stockmove", "export_xlsx", list(StockMove.objects.values_list("pk", flat=True)))
    assert load_workbook(io.BytesIO(moves.content)).active.max_row == 4


def test_move_history_per_part_and_the_ledger_is_read_only(client, warehouse_keeper, central, compressor, put_stock):
    put_stock(central, (compressor, 1))
    client.force_login(warehouse_keeper.user)
    history = client.get(f"{ADMIN}/stockmove/?part__id__exact={compressor.pk}")
    assert history.status_code == 200 and "RC-" in history.content.decode()
    move = StockMove.objects.get()
    assert client.post(f"{ADMIN}/stockmove/{move.pk}/delete/").status_code == 403
    assert client.get(f"{ADMIN}/stockmove/add/").status_code == 403


def test_a_station_head_does_not_see_another_station_in_the_admin(client, station_head, station_a_stock, station_b_stock,
                                                                   compressor, put_stock):
    put_stock(station_a_stock, (compressor, 1))
    put_stock(station_b_stock, (compressor, 2))
    client.force_login(station_head.user)
    page = client.get(f"{ADMIN}/stockbalance/").content.decode()
    assert station_a_stock.name in page and station_b_stock.name not in page
    form = client.get(f"{ADMIN}/receipt/add/").content.decode()
    assert station_b_stock.name not in form


def test_a_van_without_its_technician_is_refused_with_a_clear_message(client, warehouse_keeper, station_a):
    client.force_login(warehouse_keeper.user)
    response = client.post(f"{ADMIN}/location/add/", {"code": "VAN-X", "name": "无主随车库", "kind": "van",
                                                      "station": station_a.pk, "is_active": "on"})
    assert response.status_code == 200
    errors = " ".join(str(e) for e in response.context["adminform"].form.non_field_errors())
    assert "technician" in errors or "工程师" in errors
    from spares.models import Location

    assert not Location.objects.filter(code="VAN-X").exists()
