"""/api/v1/carry-ins/, /factory-returns/, /compensations/, /daily-reports/ — scoping, actions, errors."""

from __future__ import annotations

import pytest

from tickets.models import CarryIn, Compensation

from .carry_helpers import walk_to_site

pytestmark = pytest.mark.django_db


def test_a_carry_in_through_the_api(api_client_as, order, technician, supervisor, other_technician):
    walk_to_site(order, technician)
    tech = api_client_as(technician)
    bad = tech.post("/api/v1/carry-ins/", {"order": order.pk, "goods": " "}, format="json")
    assert bad.status_code == 400 and "goods" in bad.json()["errors"] and not CarryIn.objects.exists()
    # Another technician's order does not exist for him.
    assert api_client_as(other_technician).post("/api/v1/carry-ins/", {"order": order.pk, "goods": "空调"}, format="json").status_code == 404

    made = tech.post("/api/v1/carry-ins/", {"order": order.pk, "goods": "空调室内机"}, format="json")
    assert made.status_code == 201, made.json()
    pk = made.json()["id"]
    assert made.json()["number"].startswith("CR-") and made.json()["status"] == "taken"
    assert api_client_as(other_technician).get(f"/api/v1/carry-ins/{pk}/").status_code == 404
    assert api_client_as(other_technician).get("/api/v1/carry-ins/").json()["results"] == []

    wrong = tech.post(f"/api/v1/carry-ins/{pk}/finish-repair/", {"minutes": 30, "notes": "x"}, format="json")
    assert wrong.status_code == 409 and "status" in wrong.json()["errors"]
    assert tech.post(f"/api/v1/carry-ins/{pk}/start-repair/").status_code == 200
    bad = tech.post(f"/api/v1/carry-ins/{pk}/finish-repair/", {"minutes": 0, "notes": "更换电容"}, format="json")
    assert bad.status_code == 400 and "minutes" in bad.json()["errors"]
    assert tech.post(f"/api/v1/carry-ins/{pk}/finish-repair/", {"minutes": 45, "notes": "更换电容"}, format="json").json()["status"] == "repaired"
    refused = tech.post(f"/api/v1/carry-ins/{pk}/inspect/", {"ok": True}, format="json")
    assert refused.status_code == 400 and "inspected_by" in refused.json()["errors"]
    ready = api_client_as(supervisor).post(f"/api/v1/carry-ins/{pk}/inspect/", {"ok": True}, format="json")
    assert ready.json()["status"] == "ready" and ready.json()["ready_at"]
    back = tech.post(f"/api/v1/carry-ins/{pk}/hand-back/", {}, format="json")
    assert back.json()["status"] == "returned" and back.json()["receipt_voided_at"]


def test_factory_return_through_the_api(api_client_as, order, technician, manager):
    walk_to_site(order, technician)
    tech = api_client_as(technician)
    pk = tech.post("/api/v1/carry-ins/", {"order": order.pk, "goods": "空调"}, format="json").json()["id"]
    made = tech.post(f"/api/v1/carry-ins/{pk}/factory-return/", {"reason": "需厂家检测"}, format="json")
    assert made.status_code == 201
    fr = made.json()["id"]
    assert tech.post(f"/api/v1/factory-returns/{fr}/decide/", {"approve": True}, format="json").status_code == 400
    ok = api_client_as(manager).post(f"/api/v1/factory-returns/{fr}/decide/", {"approve": True, "comment": "同意"}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "approved"
    assert tech.post(f"/api/v1/factory-returns/{fr}/back/", {"note": "厂家已修复"}, format="json").json()["status"] == "back"


def test_compensations_through_the_api(api_client_as, order, technician, manager, general_manager, finance, settings):
    settings.COMPENSATION_MANAGER_LIMIT = 2000
    tech = api_client_as(technician)
    bad = tech.post("/api/v1/compensations/", {"order": order.pk, "amount": "-1", "kind": "damage", "reason": "x"}, format="json")
    assert bad.status_code == 400 and "amount" in bad.json()["errors"] and not Compensation.objects.exists()
    big = tech.post("/api/v1/compensations/", {"order": order.pk, "amount": "5000", "kind": "quality", "reason": "批次问题"}, format="json")
    assert big.status_code == 201 and big.json()["approver_role"] == "general_manager"
    pk = big.json()["id"]
    refused = api_client_as(manager).post(f"/api/v1/compensations/{pk}/approve/", {}, format="json")
    assert refused.status_code == 400 and "approver_role" in refused.json()["errors"]
    done = api_client_as(general_manager).post(f"/api/v1/compensations/{pk}/approve/", {}, format="json")
    assert done.json()["status"] == "approved" and done.json()["finance_notified_at"]
    assert [c["id"] for c in api_client_as(finance).get("/api/v1/compensations/").json()["results"]] == [pk]


def test_daily_reports_as_json(api_client_as, order, technician, other_technician, supervisor, station_a):
    mine = api_client_as(technician).get("/api/v1/daily-reports/technician/")
    assert mine.status_code == 200 and set(mine.json()["by_category"]) == {"A", "B", "C", "D"}
    assert api_client_as(other_technician).get(f"/api/v1/daily-reports/technician/?technician={technician.pk}").status_code == 404
    station = api_client_as(supervisor).get(f"/api/v1/daily-reports/supervisor/?station={station_a.pk}")
    assert station.status_code == 200 and [r["name"] for r in station.json()["rows"]] == [technician.name]
    assert api_client_as(technician).get("/api/v1/daily-reports/supervisor/").status_code == 404
    assert api_client_as(supervisor).get("/api/v1/daily-reports/supervisor/?day=x").status_code == 400
