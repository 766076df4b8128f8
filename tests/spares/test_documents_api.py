"""The warehouse documents through the API, as the keeper, the station head and the technician use them."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from spares import services
from spares.models import (
    OldPartReturn,
    Receipt,
    Requisition,
    StockBalance,
    StockMove,
    StockReturn,
    StockTake,
    WriteOff,
)
from tests.spares.conftest import on_hand

pytestmark = pytest.mark.django_db

API = "/api/v1/spares"


def _error(response, status, field=None, code=None):
    assert response.status_code == status, response.content.decode()[:500]
    body = response.json()
    assert set(body) == {"detail", "code", "errors"}
    if field is not None:
        assert field in body["errors"], body
    if code is not None:
        assert body["code"] == code, body
    return body


# --- Receipts -----------------------------------------------------------------------------------


def test_keeper_receives_parts_with_supplier_and_delivery_note(api_client_as, warehouse_keeper, central, compressor, thermostat):
    response = api_client_as(warehouse_keeper).post(f"{API}/receipts/", {
        "location": central.pk, "supplier": "格力电器配件公司", "delivery_note": "GL-2026-1188",
        "lines": [{"part": compressor.pk, "qty": "4", "unit_price": "650.00"}, {"part": thermostat.pk, "qty": "20"}],
    }, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"].startswith("RC-") and len(body["moves"]) == 2
    assert [line["qty"] for line in body["lines"]] == ["4.000", "20.000"]
    assert on_hand(compressor, central) == 4 and on_hand(thermostat, central) == 20
    move = StockMove.objects.get(pk=body["moves"][0])
    assert (move.kind, move.reference, move.actor) == ("receipt", body["number"], warehouse_keeper.user)


@pytest.mark.parametrize(
    ("lines", "field"),
    [
        ([{"part": "PART", "qty": "0"}], "lines.0.qty"),
        ([{"part": "PART", "qty": "-3"}], "lines.0.qty"),
        ([{"part": 999999, "qty": "1"}], "lines.0.part"),
        ([], "lines"),
        ([{"part": "PART", "qty": "1"}, {"part": "PART", "qty": "2"}], "lines.1.part"),
    ],
    ids=["zero", "negative", "unknown-part", "no-lines", "part-twice"],
)
def test_bad_receipt_lines_are_refused_and_nothing_is_saved(api_client_as, warehouse_keeper, central, compressor, lines, field):
    lines = [{**line, "part": compressor.pk if line["part"] == "PART" else line["part"]} for line in lines]
    response = api_client_as(warehouse_keeper).post(
        f"{API}/receipts/", {"location": central.pk, "supplier": "美的", "lines": lines}, format="json"
    )
    _error(response, 400, field)
    assert Receipt.objects.count() == 0 and StockMove.objects.count() == 0 and StockBalance.objects.count() == 0


def test_receipt_without_supplier_is_refused(api_client_as, warehouse_keeper, central, compressor):
    response = api_client_as(warehouse_keeper).post(
        f"{API}/receipts/", {"location": central.pk, "supplier": "  ", "lines": [{"part": compressor.pk, "qty": 1}]},
        format="json",
    )
    _error(response, 400, "supplier")
    assert Receipt.objects.count() == 0


def test_a_receipt_is_reversed_once_and_not_after_its_parts_left(
    api_client_as, warehouse_keeper, manager, central, van_a, compressor, put_stock
):
    receipt = put_stock(central, (compressor, 2))
    client = api_client_as(warehouse_keeper)
    response = client.post(f"{API}/receipts/{receipt.pk}/reverse/", {"reason": "供应商发错型号"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["reversed_by"] == warehouse_keeper.user.username
    assert on_hand(compressor, central) == 0
    _error(client.post(f"{API}/receipts/{receipt.pk}/reverse/", {"reason": "again"}, format="json"), 409,
           code="already_reversed")
    assert StockMove.objects.filter(kind="reversal").count() == 1

    second = put_stock(central, (compressor, 2))
    requisition = services.create_requisition(from_location=central, to_location=van_a, lines=[(compressor, 2)],
                                              actor=warehouse_keeper.user)
    services.approve_requisition(requisition=requisition, actor=manager.user)
    services.issue_requisition(requisition=requisition, actor=warehouse_keeper.user)
    _error(client.post(f"{API}/receipts/{second.pk}/reverse/", {"reason": "晚了"}, format="json"), 409,
           code="insufficient_stock")
    second.refresh_from_db()
    assert second.reversed_at is None and on_hand(compressor, van_a) == 2


# --- Transfers ------------------------------------------------------------------------------------


def test_transfer_to_a_station_and_to_the_same_location(api_client_as, warehouse_keeper, central, station_a_stock, compressor, put_stock):
    put_stock(central, (compressor, 5))
    client = api_client_as(warehouse_keeper)
    response = client.post(f"{API}/transfers/", {
        "from_location": central.pk, "to_location": station_a_stock.pk, "shipping_ref": "SF1234567890",
        "postage": "18.00", "lines": [{"part": compressor.pk, "qty": "3"}],
    }, format="json")
    assert response.status_code == 201, response.json()
    assert on_hand(compressor, central) == 2 and on_hand(compressor, station_a_stock) == 3

    same = client.post(f"{API}/transfers/", {
        "from_location": central.pk, "to_location": central.pk, "lines": [{"part": compressor.pk, "qty": "1"}],
    }, format="json")
    _error(same, 400, "to_location")
    too_many = client.post(f"{API}/transfers/", {
        "from_location": central.pk, "to_location": station_a_stock.pk, "lines": [{"part": compressor.pk, "qty": "3"}],
    }, format="json")
    body = _error(too_many, 409, "lines.0.qty", "insufficient_stock")
    assert "2" in body["detail"]
    assert StockMove.objects.filter(kind="transfer").count() == 1


# --- Requisitions --------------------------------------------------------------------------------


def test_requisition_is_approved_by_a_leader_then_issued_by_the_keeper(
    api_client_as, technician, station_head, warehouse_keeper, central, van_a, compressor, thermostat, put_stock
):
    put_stock(central, (compressor, 3), (thermostat, 10))
    response = api_client_as(technician).post(f"{API}/requisitions/", {
        "from_location": central.pk, "to_location": van_a.pk, "work_order_ref": "WO-2026-000042",
        "reason": "空调不制冷，需更换压缩机", "lines": [{"part": compressor.pk, "qty": "1"}, {"part": thermostat.pk, "qty": "2"}],
    }, format="json")
    assert response.status_code == 201, response.json()
    rid = response.json()["id"]
    assert response.json()["status"] == "submitted"

    # Not yet approved: the keeper cannot issue; nothing moves.
    _error(api_client_as(warehouse_keeper).post(f"{API}/requisitions/{rid}/issue/"), 409, code="not_approved")
    # The technician cannot approve his own request.
    _error(api_client_as(technician).post(f"{API}/requisitions/{rid}/approve/"), 403, code="permission_denied")
    approved = api_client_as(station_head).post(f"{API}/requisitions/{rid}/approve/")
    assert approved.json()["status"] == "approved" and approved.json()["approved_by"] == station_head.user.username
    issued = api_client_as(warehouse_keeper).post(f"{API}/requisitions/{rid}/issue/")
    assert issued.status_code == 200 and issued.json()["status"] == "issued"
    assert len(issued.json()["moves"]) == 2
    assert on_hand(compressor, van_a) == 1 and on_hand(thermostat, van_a) == 2
    assert on_hand(compressor, central) == 2
    # A second click issues nothing more.
    _error(api_client_as(warehouse_keeper).post(f"{API}/requisitions/{rid}/issue/"), 409, code="invalid_transition")
    assert StockMove.objects.filter(kind="issue").count() == 2


def test_requisition_lacking_stock_stays_approved_and_moves_nothing(
    api_client_as, manager, warehouse_keeper, central, van_a, compressor, thermostat, put_stock
):
    put_stock(central, (compressor, 5), (thermostat, 1))
    requisition = services.create_requisition(
        from_location=central, to_location=van_a, lines=[(compressor, 1), (thermostat, 2)], actor=warehouse_keeper.user
    )
    services.approve_requisition(requisition=requisition, actor=manager.user)
    body = _error(api_client_as(warehouse_keeper).post(f"{API}/requisitions/{requisition.pk}/issue/"), 409,
                  "lines.1.qty", "insufficient_stock")
    assert "冰箱温控器" in body["detail"]
    requisition.refresh_from_db()
    assert requisition.status == Requisition.Status.APPROVED
    assert on_hand(compressor, central) == 5 and StockMove.objects.filter(kind="issue").count() == 0


def test_rejecting_needs_a_reason_and_cancelling_stops_the_issue(
    api_client_as, manager, warehouse_keeper, technician, central, van_a, compressor, put_stock
):
    put_stock(central, (compressor, 5))
    requisition = services.create_requisition(from_location=central, to_location=van_a, lines=[(compressor, 1)],
                                              actor=technician.user)
    _error(api_client_as(manager).post(f"{API}/requisitions/{requisition.pk}/reject/", {}, format="json"), 400, "reason")
    cancelled = api_client_as(technician).post(f"{API}/requisitions/{requisition.pk}/cancel/",
                                               {"reason": "客户改约下周"}, format="json")
    assert cancelled.json()["status"] == "cancelled"
    _error(api_client_as(manager).post(f"{API}/requisitions/{requisition.pk}/approve/"), 409, code="invalid_transition")


def test_a_technician_requests_only_for_his_own_van(api_client_as, technician, central, van_b, compressor):
    response = api_client_as(technician).post(f"{API}/requisitions/", {
        "from_location": central.pk, "to_location": van_b.pk, "lines": [{"part": compressor.pk, "qty": "1"}],
    }, format="json")
    _error(response, 403, "to_location")
    assert Requisition.objects.count() == 0


# --- Returns of unused parts ----------------------------------------------------------------------


@pytest.fixture
def issued(central, van_a, compressor, put_stock, warehouse_keeper, manager):
    put_stock(central, (compressor, 5))
    requisition = services.create_requisition(from_location=central, to_location=van_a, lines=[(compressor, 3)],
                                              actor=warehouse_keeper.user)
    services.approve_requisition(requisition=requisition, actor=manager.user)
    return services.issue_requisition(requisition=requisition, actor=warehouse_keeper.user)


def test_unused_parts_go_back_but_never_more_than_were_issued(api_client_as, warehouse_keeper, issued, van_a, central, compressor):
    client = api_client_as(warehouse_keeper)
    url = f"{API}/returns/"
    first = client.post(url, {"requisition": issued.pk, "from_location": van_a.pk,
                              "lines": [{"part": compressor.pk, "qty": "2"}], "reason": "工单取消"}, format="json")
    assert first.status_code == 201, first.json()
    assert first.json()["to_location"]["id"] == central.pk
    too_many = client.post(url, {"requisition": issued.pk, "from_location": van_a.pk,
                                 "lines": [{"part": compressor.pk, "qty": "2"}]}, format="json")
    body = _error(too_many, 400, "lines.0.qty", "exceeds_issued")
    assert "1" in body["detail"]
    assert on_hand(compressor, van_a) == 1 and on_hand(compressor, central) == 4
    assert StockReturn.objects.count() == 1


# --- Old parts and warranty write-offs ------------------------------------------------------------


@pytest.fixture
def van_with_part(van_a, compressor, central, put_stock, warehouse_keeper):
    put_stock(central, (compressor, 2))
    services.transfer_stock(from_location=central, to_location=van_a, lines=[(compressor, 2)], actor=warehouse_keeper.user)
    return van_a


def test_warranty_part_is_written_off_against_signed_report_and_old_part(
    api_client_as, warehouse_keeper, technician, van_with_part, station_a_old, compressor
):
    keeper = api_client_as(warehouse_keeper)
    old = keeper.post(f"{API}/old-part-returns/", {
        "part": compressor.pk, "location": station_a_old.pk, "work_order_ref": "WO-2026-000077",
        "returned_by": technician.pk, "unit_serial": "GREE-KFR35-88123", "fault": "压缩机卡缸", "is_warranty": True,
    }, format="json")
    assert old.status_code == 201, old.json()
    old_id = old.json()["id"]
    assert on_hand(compressor, station_a_old) == 1

    base = {"kind": "warranty", "location": van_with_part.pk, "part": compressor.pk, "qty": "1",
            "work_order_ref": "WO-2026-000077", "service_report_ref": "SR-2026-000077"}
    tech = api_client_as(technician)
    # Not signed yet → refused.
    _error(tech.post(f"{API}/write-offs/", {**base, "service_report_signed": False, "old_part_return": old_id},
                     format="json"), 400, "service_report_signed", "report_not_signed")
    # No old part → refused.
    _error(tech.post(f"{API}/write-offs/", {**base, "service_report_signed": True}, format="json"), 400,
           "old_part_return", "old_part_missing")
    # No service report → refused.
    _error(tech.post(f"{API}/write-offs/", {**base, "service_report_ref": "", "service_report_signed": True,
                                            "old_part_return": old_id}, format="json"), 400, "service_report_ref")
    # The old part of another work order → refused.
    _error(tech.post(f"{API}/write-offs/", {**base, "work_order_ref": "WO-2026-000078", "service_report_signed": True,
                                            "old_part_return": old_id}, format="json"), 400, "old_part_return")
    assert WriteOff.objects.count() == 0 and on_hand(compressor, van_with_part) == 2

    done = tech.post(f"{API}/write-offs/", {**base, "service_report_signed": True, "old_part_return": old_id,
                                            "shipping_ref": "EMS9911", "postage": "22.50"}, format="json")
    assert done.status_code == 201, done.json()
    assert done.json()["postage"] == "22.50" and done.json()["old_part_return"] == old.json()["number"]
    assert on_hand(compressor, van_with_part) == 1
    # The same old part cannot cover a second write-off.
    _error(tech.post(f"{API}/write-offs/", {**base, "service_report_signed": True, "old_part_return": old_id},
                     format="json"), 409, "old_part_return")
    assert on_hand(compressor, van_with_part) == 1


def test_writing_off_more_than_on_hand_is_refused(api_client_as, warehouse_keeper, central, compressor, put_stock):
    put_stock(central, (compressor, 1))
    response = api_client_as(warehouse_keeper).post(f"{API}/write-offs/", {
        "kind": "damaged", "location": central.pk, "part": compressor.pk, "qty": "2", "reason": "运输途中摔坏",
    }, format="json")
    _error(response, 409, "qty", "insufficient_stock")
    assert WriteOff.objects.count() == 0 and on_hand(compressor, central) == 1
    ok = api_client_as(warehouse_keeper).post(f"{API}/write-offs/", {
        "kind": "damaged", "location": central.pk, "part": compressor.pk, "qty": "1", "reason": "运输途中摔坏",
    }, format="json")
    assert ok.status_code == 201 and on_hand(compressor, central) == 0


def test_monthly_old_part_processing_disposes_and_claims(api_client_as, warehouse_keeper, station_a_old, compressor, thermostat):
    keeper = warehouse_keeper.user
    claim = services.record_old_part_return(part=compressor, qty=1, location=station_a_old, work_order_ref="WO-1",
                                            is_warranty=True, actor=keeper)
    dispose = services.record_old_part_return(part=thermostat, qty=1, location=station_a_old, work_order_ref="WO-2",
                                              actor=keeper)
    period = timezone.localdate().replace(day=1)
    url = f"{API}/old-part-batches/"
    client = api_client_as(warehouse_keeper)
    lines = [{"old_part_return": claim.pk, "action": "claim", "claim_amount": "520.00"},
             {"old_part_return": dispose.pk, "action": "dispose"}]
    _error(client.post(url, {"location": station_a_old.pk, "period": period.isoformat(), "lines": lines},
                       format="json"), 400, "supplier")
    response = client.post(url, {"location": station_a_old.pk, "period": period.isoformat(), "lines": lines,
                                 "supplier": "格力电器售后部", "shipping_ref": "SF778899", "postage": "35"}, format="json")
    assert response.status_code == 201, response.json()
    kinds = sorted(StockMove.objects.filter(pk__in=response.json()["moves"]).values_list("kind", flat=True))
    assert kinds == ["supplier_claim", "write_off"]
    assert on_hand(compressor, station_a_old) == 0 and on_hand(thermostat, station_a_old) == 0
    assert {o.status for o in OldPartReturn.objects.all()} == {"claimed", "disposed"}
    # An old part is processed once.
    again = client.post(url, {"location": station_a_old.pk, "period": period.isoformat(), "supplier": "x",
                              "lines": [lines[0]]}, format="json")
    assert again.status_code in (400, 409)
    assert StockMove.objects.filter(kind="supplier_claim").count() == 1


# --- Stock-takes ----------------------------------------------------------------------------------


def test_stock_take_counts_variance_approval_and_adjustment(
    api_client_as, warehouse_keeper, station_head, technician, station_a_stock, compressor, thermostat, put_stock
):
    put_stock(station_a_stock, (compressor, 5), (thermostat, 10))
    keeper = api_client_as(warehouse_keeper)
    started = keeper.post(f"{API}/stock-takes/", {"location": station_a_stock.pk, "note": "11月月度盘点"}, format="json")
    assert started.status_code == 201, started.json()
    sid = started.json()["id"]
    assert {line["part"]["number"] for line in started.json()["lines"]} == {compressor.number, thermostat.number}
    # A second sheet for the same shelves while this one is open is refused.
    _error(keeper.post(f"{API}/stock-takes/", {"location": station_a_stock.pk}, format="json"), 400, "location")
    # Submitting before everything is counted is refused.
    counted = keeper.post(f"{API}/stock-takes/{sid}/counts/", {"counts": [{"part": compressor.pk, "counted_qty": "4"}]},
                          format="json")
    assert counted.status_code == 200
    _error(keeper.post(f"{API}/stock-takes/{sid}/submit/"), 400, "counts", "not_counted")
    keeper.post(f"{API}/stock-takes/{sid}/counts/", {"counts": [{"part": thermostat.pk, "counted_qty": "12"}]}, format="json")
    assert keeper.post(f"{API}/stock-takes/{sid}/submit/").json()["status"] == "submitted"
    # A technician cannot approve; the station head can.
    _error(api_client_as(technician).post(f"{API}/stock-takes/{sid}/approve/"), 403, code="permission_denied")
    approved = api_client_as(station_head).post(f"{API}/stock-takes/{sid}/approve/")
    assert approved.status_code == 200, approved.json()
    variances = {line["part"]["number"]: line["variance"] for line in approved.json()["lines"]}
    assert variances == {compressor.number: "-1.000", thermostat.number: "2.000"}
    assert on_hand(compressor, station_a_stock) == 4 and on_hand(thermostat, station_a_stock) == 12
    assert StockMove.objects.filter(kind="adjustment").count() == 2
    assert StockTake.objects.get(pk=sid).status == "approved"


def test_stock_take_keeps_moves_posted_after_the_count(warehouse_keeper, manager, central, compressor, put_stock):
    put_stock(central, (compressor, 5))
    sheet = services.start_stock_take(location=central, actor=warehouse_keeper.user)
    services.record_counts(stock_take=sheet, counts=[{"part": compressor, "counted_qty": 4}], actor=warehouse_keeper.user)
    put_stock(central, (compressor, 10))  # a delivery arrives after the count
    services.submit_stock_take(stock_take=sheet, actor=warehouse_keeper.user)
    services.approve_stock_take(stock_take=sheet, actor=manager.user)
    assert on_hand(compressor, central) == 14


def test_negative_count_is_refused(api_client_as, warehouse_keeper, central, compressor, put_stock):
    put_stock(central, (compressor, 1))
    sheet = services.start_stock_take(location=central, actor=warehouse_keeper.user)
    response = api_client_as(warehouse_keeper).post(
        f"{API}/stock-takes/{sheet.pk}/counts/", {"counts": [{"part": compressor.pk, "counted_qty": "-1"}]}, format="json"
    )
    _error(response, 400, "counts.0.counted_qty")


# --- Out-of-stock registrations -------------------------------------------------------------------


def test_out_of_stock_registration_runs_a_seven_day_reply_clock(api_client_as, dispatcher, warehouse_keeper, thermostat):
    before = timezone.now()
    response = api_client_as(dispatcher).post(f"{API}/out-of-stock/", {
        "part": thermostat.pk, "qty": "1", "customer_name": "王秀英", "customer_phone": "13916820033",
        "work_order_ref": "WO-2026-000101",
    }, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    due = timezone.datetime.fromisoformat(body["reply_due_at"])
    assert timedelta(days=7) <= due - before < timedelta(days=7, minutes=1)
    assert body["status"] == "open" and body["station"] == dispatcher.station.name
    replied = api_client_as(warehouse_keeper).post(f"{API}/out-of-stock/{body['id']}/reply/",
                                                   {"note": "已电话告知：配件下周二到货"}, format="json")
    assert replied.json()["status"] == "replied" and replied.json()["replied_at"]
    _error(api_client_as(warehouse_keeper).post(f"{API}/out-of-stock/{body['id']}/reply/", {"note": "again"},
                                                format="json"), 409)


def test_out_of_stock_needs_a_part_or_its_description(api_client_as, dispatcher):
    response = api_client_as(dispatcher).post(f"{API}/out-of-stock/", {
        "customer_name": "李桂兰", "customer_phone": "13800001111"}, format="json")
    _error(response, 400, "part")
    ok = api_client_as(dispatcher).post(f"{API}/out-of-stock/", {
        "part_description": "老款海尔冰箱门封条 BCD-180", "customer_name": "李桂兰", "customer_phone": "13800001111"},
        format="json")
    assert ok.status_code == 201


def test_the_reply_period_is_a_policy_a_manager_changes(dispatcher, thermostat):
    from spares.models import SparesPolicy

    policy = SparesPolicy.current()
    policy.out_of_stock_reply_days = 3
    policy.save()
    registration = services.register_out_of_stock(part=thermostat, customer_name="张丽", customer_phone="13800002222",
                                                  actor=dispatcher.user)
    assert registration.reply_due_at - registration.registered_at == timedelta(days=3)


# --- Catalogue ------------------------------------------------------------------------------------


def test_keeper_maintains_the_catalogue_and_others_only_read_it(api_client_as, warehouse_keeper, technician, air_conditioners):
    created = api_client_as(warehouse_keeper).post(f"{API}/parts/", {
        "number": "AC-EXV-01", "name": "电子膨胀阀", "spec": "DPF(O)1.8C-07", "unit": "个", "price": "120.00",
        "product_lines": ["AC"], "low_stock_threshold": "5"}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["product_lines"] == ["AC"]
    _error(api_client_as(technician).post(f"{API}/parts/", {"number": "X-1", "name": "x"}, format="json"), 403)
    listed = api_client_as(technician).get(f"{API}/parts/?search=膨胀阀")
    assert [p["number"] for p in listed.json()["results"]] == ["AC-EXV-01"]
    changed = api_client_as(warehouse_keeper).patch(f"{API}/parts/{created.json()['id']}/", {"price": "118.00"}, format="json")
    assert changed.status_code == 200 and changed.json()["price"] == "118.00"


def test_a_technician_van_is_created_by_the_keeper_once(api_client_as, warehouse_keeper, technician):
    client = api_client_as(warehouse_keeper)
    data = {"code": "VAN-A", "name": "张师傅的车", "kind": "van", "technician": technician.pk}
    created = client.post(f"{API}/locations/", data, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["station"] == technician.station_id
    _error(client.post(f"{API}/locations/", {**data, "code": "VAN-A2"}, format="json"), 400, "kind")
    _error(client.post(f"{API}/locations/", {"code": "S-X", "name": "x", "kind": "station"}, format="json"), 400, "station")


def test_quantities_are_decimal_and_keep_three_places(api_client_as, warehouse_keeper, central, make_part):
    pipe = make_part("AC-CU-1/4", "铜管 1/4", unit="米")
    response = api_client_as(warehouse_keeper).post(f"{API}/receipts/", {
        "location": central.pk, "supplier": "海亮铜业", "lines": [{"part": pipe.pk, "qty": "12.5"}]}, format="json")
    assert response.status_code == 201
    assert on_hand(pipe, central) == Decimal("12.5")
    bad = api_client_as(warehouse_keeper).post(f"{API}/receipts/", {
        "location": central.pk, "supplier": "海亮铜业", "lines": [{"part": pipe.pk, "qty": "0.0001"}]}, format="json")
    _error(bad, 400, "lines.0.qty")
