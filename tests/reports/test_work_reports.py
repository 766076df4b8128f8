"""Weekly and monthly work reports: figures drafted from the data, the approval workflow, reminders."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.exceptions import DomainError, InvalidTransition, NotAllowed
from reports.models import WorkReport
from reports.services.work_reports import due_at, week_start
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def province_supervisor(station_a):
    user = UserFactory(username="p_province")
    station_a.provincial_supervisor = user
    station_a.save(update_fields=["provincial_supervisor"])
    return user


@pytest.fixture
def week_of_work(make_customer, make_item, signed_order, stocked_van, thermostat, compressor, dispatcher, other_technician,
                 other_tech_customer):
    """This week at station A: 2 paid orders (one with a 45-yuan thermostat, one with a 680 compressor), a complaint;
    at station B: a ticket that must not count."""
    from tests.tickets.helpers import register

    hospital = make_customer("浦东仁济医院")
    a = signed_order(hospital, items=[make_item("清洗", "120.00")], parts=[(thermostat, stocked_van)])  # 165
    b = signed_order(hospital, items=[make_item("加氟", "200.00")], parts=[(compressor, stocked_van)], labour="20")  # 900
    complaint = register(dispatcher.user, hospital, kind="complaint", description="师傅迟到两小时")
    register(dispatcher.user, other_tech_customer)
    return {"a": a, "b": b, "complaint": complaint}


def test_the_draft_counts_what_happened_at_the_station(week_of_work, station_a):
    today = timezone.localdate()
    report = services.draft_work_report(station=station_a, period="weekly", start=today)
    f = report.figures
    assert report.period_start == week_start(today) and report.period_end == week_start(today) + timedelta(days=6)
    assert f["tickets_by_kind"] == {"consultation": 0, "complaint": 1, "service": 2} and f["tickets_total"] == 3
    assert f["orders_dispatched"] == 2 and f["orders_by_category"]["A"] == 2
    assert f["orders_by_status"] == {"signed": 2} and f["orders_signed"] == 2 and f["orders_closed"] == 0
    assert Decimal(f["revenue"]) == Decimal("1065.00")
    assert Decimal(f["parts_used_value"]) == Decimal("725.00")  # 45 + 680 at catalogue prices
    assert [c["number"] for c in report.cases] == [week_of_work["complaint"].number]
    # Drafting again returns the same report (one per station and period).
    assert services.draft_work_report(station=station_a, period="weekly", start=today).pk == report.pk


def test_due_dates():
    monday = date(2026, 3, 2)
    assert timezone.localtime(due_at("weekly", monday)) == timezone.make_aware(datetime(2026, 3, 9, 12, 0))
    due = timezone.localtime(due_at("monthly", date(2026, 2, 1)))
    assert due.date() == date(2026, 3, 4)  # Mar 2, 3, 4 are the first three working days (Mon–Wed)


def test_the_workflow_from_draft_to_reply(station_a, station_head, manager, province_supervisor, technician, dispatcher):
    report = services.draft_work_report(station=station_a, period="monthly", start=timezone.localdate())
    with pytest.raises(NotAllowed):
        services.edit_work_report(report=report, actor=technician.user, summary="x")
    with pytest.raises(DomainError) as e:
        services.submit_work_report(report=report, actor=station_head.user)
    assert e.value.field == "summary"
    services.edit_work_report(report=report, actor=station_head.user, summary="本月完成维修 2 单", plans="加强回访")
    report = services.submit_work_report(report=report, actor=station_head.user)
    assert (report.status, report.version) == ("submitted", 1)
    with pytest.raises(InvalidTransition):
        services.edit_work_report(report=report, actor=station_head.user, summary="改")
    with pytest.raises(NotAllowed):
        services.approve_work_report(report=report, actor=station_head.user)
    with pytest.raises(DomainError) as e:
        services.return_work_report(report=report, actor=manager.user, comment="")
    assert e.value.field == "comment"
    report = services.return_work_report(report=report, actor=manager.user, comment="请补充投诉处理情况")
    services.edit_work_report(report=report, actor=station_head.user, problems="投诉 1 起，已回访")
    report = services.submit_work_report(report=report, actor=station_head.user)
    assert report.version == 2
    with pytest.raises(InvalidTransition):
        services.reply_work_report(report=report, actor=province_supervisor, reply="好")  # not approved yet
    report = services.approve_work_report(report=report, actor=manager.user, comment="同意")
    with pytest.raises(NotAllowed):
        services.reply_work_report(report=report, actor=dispatcher.user, reply="x")
    report = services.reply_work_report(report=report, actor=province_supervisor, reply="继续保持")
    assert report.status == "replied" and report.reply == "继续保持"
    kinds = list(report.steps.values_list("kind", flat=True))
    assert kinds == ["drafted", "edited", "submitted", "returned", "edited", "submitted", "approved", "replied"]
    versions = [s.snapshot["problems"] for s in report.steps.filter(kind="submitted")]
    assert versions == ["", "投诉 1 起，已回访"]


def test_draft_task_and_daily_reminders_once_per_day(station_a, station_head):
    from reports.tasks import draft_work_reports_task
    from visits.models import Reminder
    from visits.reminders import send_due_reminders

    assert draft_work_reports_task() == 2  # last week and last month
    assert draft_work_reports_task() == 0
    weekly = WorkReport.objects.get(period="weekly")
    today = timezone.localdate(weekly.due_at)
    sent = send_due_reminders(today=today, only=["work_report"])
    assert sent["work_report"] >= 1
    assert send_due_reminders(today=today, only=["work_report"])["work_report"] == 0
    assert Reminder.objects.filter(item_type="work_report", item_id=weekly.pk, day=today, recipient=station_head.user).count() == 1


def test_work_report_api_and_pages_are_scoped(station_a, station_b, station_head, manager, technician, api_client_as, client,
                                              django_assert_max_num_queries):
    mine = services.draft_work_report(station=station_a, period="weekly", start=timezone.localdate())
    other = services.draft_work_report(station=station_b, period="weekly", start=timezone.localdate())
    with django_assert_max_num_queries(6):
        r = api_client_as(station_head).get("/api/v1/reports/work-reports/")
    assert [row["id"] for row in r.json()["results"]] == [mine.pk]
    assert api_client_as(station_head).get(f"/api/v1/reports/work-reports/{other.pk}/").status_code == 404
    assert api_client_as(technician).get("/api/v1/reports/work-reports/").json()["results"] == []
    r = api_client_as(station_head).post(f"/api/v1/reports/work-reports/{mine.pk}/narrative/", {"summary": "总结"}, format="json")
    assert r.status_code == 200 and r.json()["summary"] == "总结"
    assert api_client_as(station_head).post(f"/api/v1/reports/work-reports/{mine.pk}/submit/").status_code == 200
    r = api_client_as(manager).post(f"/api/v1/reports/work-reports/{mine.pk}/return/", {"comment": ""}, format="json")
    assert r.status_code == 400 and "comment" in r.json()["errors"]
    assert api_client_as(manager).post(f"/api/v1/reports/work-reports/{mine.pk}/approve/", {}, format="json").status_code == 200
    client.force_login(manager.user)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("reports:work_reports"))
    assert page.status_code == 200 and station_a.name in page.content.decode()
    detail = client.get(reverse("reports:work_report", args=[mine.pk])).content.decode()
    assert "总结" in detail and "@media print" not in detail  # print rules live in the stylesheet
    client.force_login(technician.user)
    assert client.get(reverse("reports:work_reports")).status_code == 403
