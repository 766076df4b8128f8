"""Reconciliation marks (finance only) and the monthly fee report's workflow, through services, pages and API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.exceptions import DomainError, InvalidTransition, NotAllowed
from reports.models import BillingMark, FeeReport

from .conftest import this_month

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_order(make_customer, make_item, signed_order):
    return signed_order(make_customer("浦东仁济医院"), items=[make_item("空调清洗保养", "120.00")], labour="30")


def test_finance_marks_an_order_paid_and_the_history_is_kept(paid_order, finance):
    mark = services.set_billing_mark(order=paid_order, status="unpaid", actor=finance.user, note="待月结")
    services.set_billing_mark(order=paid_order, status="paid", actor=finance.user, note="已收现金")
    mark.refresh_from_db()
    assert (mark.status, mark.note, mark.marked_by) == ("paid", "已收现金", finance.user)
    assert BillingMark.pgh_event_model.objects.filter(pgh_obj=mark).count() == 2  # insert + update


@pytest.mark.parametrize("persona", ["manager", "technician", "dispatcher", "station_head"])
def test_only_finance_may_mark(paid_order, persona, request):
    person = request.getfixturevalue(persona)
    with pytest.raises(NotAllowed):
        services.set_billing_mark(order=paid_order, status="paid", actor=person.user)
    assert not BillingMark.objects.exists()


def test_marks_need_a_signed_charged_order_and_a_valid_status(paid_order, finance, order):
    with pytest.raises(DomainError) as e:
        services.set_billing_mark(order=paid_order, status="maybe", actor=finance.user)
    assert e.value.field == "status"
    with pytest.raises(DomainError) as e:
        services.set_billing_mark(order=order, status="paid", actor=finance.user)  # dispatched, not signed
    assert e.value.field == "order"
    with pytest.raises(DomainError) as e:
        services.set_billing_mark(order=paid_order, status="paid", actor=finance.user, note="x" * 201)
    assert e.value.field == "note"


def test_billing_api_lists_and_marks_for_finance_and_forbids_others(paid_order, finance, manager, technician, api_client_as,
                                                                    django_assert_max_num_queries):
    month = this_month().strftime("%Y-%m")
    with django_assert_max_num_queries(8):
        r = api_client_as(finance).get(f"/api/v1/reports/billing/?month={month}")
    assert r.status_code == 200 and [o["number"] for o in r.json()["results"]] == [paid_order.number]
    assert api_client_as(manager).get(f"/api/v1/reports/billing/?month={month}").status_code == 200
    assert api_client_as(technician).get(f"/api/v1/reports/billing/?month={month}").status_code == 403
    r = api_client_as(manager).post(f"/api/v1/reports/billing/{paid_order.pk}/mark/", {"status": "paid"}, format="json")
    assert r.status_code == 403
    r = api_client_as(finance).post(f"/api/v1/reports/billing/{paid_order.pk}/mark/", {"status": "paid", "note": "ok"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "paid"
    r = api_client_as(finance).get("/api/v1/reports/billing/?month=2026-13")
    assert r.status_code == 400 and "month" in r.json()["errors"]


def test_the_finance_page_lists_the_month_with_marks_in_few_queries(paid_order, finance, client, make_customer, make_item,
                                                                     signed_order, django_assert_max_num_queries):
    for n in range(3):
        signed_order(make_customer(f"客户{n}"), items=[make_item(f"项目{n}", "50.00")])
    services.set_billing_mark(order=paid_order, status="paid", actor=finance.user)
    client.force_login(finance.user)
    with django_assert_max_num_queries(20):
        r = client.get(reverse("reports:billing"))
    assert r.status_code == 200
    page = r.content.decode()
    assert paid_order.number in page and "已收款" in page or "Payment received" in page
    assert client.post(reverse("reports:billing_mark", args=[paid_order.pk]), {"status": "unpaid"}).status_code == 302
    assert BillingMark.objects.get(order=paid_order).status == "unpaid"


def test_others_cannot_open_the_finance_page(technician, client):
    client.force_login(technician.user)
    assert client.get(reverse("reports:billing")).status_code == 403


# --- fee report ---------------------------------------------------------------------------------


def test_fee_report_prepared_submitted_returned_and_approved(paid_order, finance, manager):
    report = services.prepare_fee_report(month=this_month(), actor=finance.user)
    assert report.status == "draft" and report.figures["total"]["orders"] == 1
    assert report.figures["total"]["amount"] == "150.00"
    assert report.figures["by_category"][0]["code"] == "A"
    report = services.submit_fee_report(report=report, actor=finance.user)
    with pytest.raises(DomainError) as e:
        services.return_fee_report(report=report, actor=manager.user, comment="  ")
    assert e.value.field == "comment"
    report = services.return_fee_report(report=report, actor=manager.user, comment="现金部分请核对")
    assert report.status == "returned"
    report = services.prepare_fee_report(month=this_month().strftime("%Y-%m"), actor=finance.user)
    assert (report.status, report.version) == ("draft", 2)
    services.submit_fee_report(report=report, actor=finance.user)
    report = services.approve_fee_report(report=report, actor=manager.user, comment="同意")
    assert report.status == "approved" and report.decided_by == manager.user
    assert list(report.steps.values_list("kind", flat=True)) == ["prepared", "submitted", "returned", "prepared", "submitted", "approved"]
    with pytest.raises(InvalidTransition):
        services.prepare_fee_report(month=this_month(), actor=finance.user)


def test_fee_report_refuses_bad_input_and_wrong_roles(finance, manager):
    for bad in ("", "2026", "2026-13", "abc"):
        with pytest.raises(DomainError) as e:
            services.prepare_fee_report(month=bad, actor=finance.user)
        assert e.value.field == "month"
    future = (timezone.localdate().replace(day=1) + timedelta(days=40)).strftime("%Y-%m")
    with pytest.raises(DomainError) as e:
        services.prepare_fee_report(month=future, actor=finance.user)
    assert e.value.field == "month"
    with pytest.raises(NotAllowed):
        services.prepare_fee_report(month=this_month(), actor=manager.user)
    report = services.prepare_fee_report(month=this_month(), actor=finance.user)
    with pytest.raises(InvalidTransition):
        services.approve_fee_report(report=report, actor=manager.user)  # not submitted yet
    services.submit_fee_report(report=report, actor=finance.user)
    with pytest.raises(NotAllowed):
        services.approve_fee_report(report=report, actor=finance.user)
    assert FeeReport.objects.get(pk=report.pk).status == "submitted"


def test_fee_report_api_workflow(paid_order, finance, manager, technician, api_client_as):
    r = api_client_as(finance).post("/api/v1/reports/fee-reports/", {"month": this_month().strftime("%Y-%m")}, format="json")
    assert r.status_code == 201
    pk = r.json()["id"]
    assert api_client_as(finance).post(f"/api/v1/reports/fee-reports/{pk}/submit/").status_code == 200
    r = api_client_as(manager).post(f"/api/v1/reports/fee-reports/{pk}/return/", {}, format="json")
    assert r.status_code == 400 and "comment" in r.json()["errors"]
    r = api_client_as(manager).post(f"/api/v1/reports/fee-reports/{pk}/approve/", {"comment": "同意"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "approved"
    r = api_client_as(manager).post(f"/api/v1/reports/fee-reports/{pk}/approve/", {}, format="json")
    assert r.status_code == 409
    assert api_client_as(technician).get("/api/v1/reports/fee-reports/").status_code == 403
    assert len(api_client_as(manager).get(f"/api/v1/reports/fee-reports/{pk}/history/").json()) == 3


def test_fee_report_pages(paid_order, finance, manager, client):
    client.force_login(finance.user)
    r = client.post(reverse("reports:fee_reports"), {"month": this_month().strftime("%Y-%m")})
    report = FeeReport.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("reports:fee_report", args=[report.pk])
    client.post(reverse("reports:fee_report", args=[report.pk]), {"step": "submit"})
    client.force_login(manager.user)
    assert "150.00" in client.get(reverse("reports:fee_report", args=[report.pk])).content.decode()
    client.post(reverse("reports:fee_report", args=[report.pk]), {"step": "approve", "comment": "同意"})
    assert FeeReport.objects.get().status == "approved"
