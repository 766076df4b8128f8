"""The monthly statistics: figures against hand-computed numbers, drill-down lists equal to the counts,
station scoping, a constant query count, the Excel file, the dashboard, pages and API permissions."""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reports import services, statistics
from reports.dashboard import manager_dashboard
from reports.models import MonthlyFigure
from reports.selectors import local_bounds, month_end
from reports.statistics_xlsx import write_report
from servicedesk.clocks.models import ClockState
from tickets.models import SLAClock

from .conftest import all_cells, read_back
from .statistics_fixtures import PAYLOAD, month_data  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def _report(data, station=None):
    return statistics.monthly_statistics(month=data["month"], station=station, now=data["now"])


def _counts(rows, key="count"):
    return {r["code"]: r[key] for r in rows if r[key]}


def test_ticket_figures_match_the_hand_count(month_data):
    r = _report(month_data)
    t = r["tickets"]
    assert t["total"] == 7
    assert _counts(t["by_channel"]) == {"phone": 5, "letter": 1, "online": 1}
    assert _counts(t["by_kind"]) == {"service": 3, "complaint": 3, "consultation": 1}
    lines = {row["label"]: row["count"] for row in t["by_product_line"]}
    # o1, o2, t5 name a unit of the air-conditioner line, and t7 (the follow-up of o1's callback) inherits o1's.
    assert lines["空调"] == 4 and sum(lines.values()) == 7


def test_complaints_revenue_and_parts_match_the_hand_count(month_data):
    r = _report(month_data)
    c = r["complaints"]
    assert _counts(c["by_class"]) == {"valid": 1, "invalid": 1, statistics.NONE: 1}
    assert (c["counted"], c["orders_completed"], c["rate"]) == (1, 2, 50.0)
    assert sum(x["count"] for x in c["by_responsibility"]) == 2

    rev = r["revenue"]
    assert (rev["orders"], rev["amount"]) == (2, "285.00")
    assert {x["code"]: (x["orders"], x["amount"]) for x in rev["by_payment"]} == {"cash": (1, "165.00"), "invoice": (1, "120.00")}
    assert {x["code"]: x["amount"] for x in rev["by_category"]} == {"A": "285.00"}

    parts = r["parts"]
    assert (parts["moves"], parts["qty"], parts["value"]) == (1, "1", "45.00")
    assert [(p["number"], p["qty"], p["value"]) for p in parts["top"]] == [("RF-TMP-02", "1", "45.00")]


def test_satisfaction_distribution_and_top_dissatisfied(month_data):
    s = _report(month_data)["satisfaction"]
    assert (s["callbacks"], s["answers"], s["satisfied_answers"], s["rate"]) == (2, 8, 7, 87.5)
    dist = {d["dimension"]: [lv["count"] for lv in d["levels"]] for d in s["dimensions"]}
    assert dist == {
        "rating_attitude": [2, 0, 0, 0], "rating_skill": [0, 1, 0, 1], "rating_arrival": [2, 0, 0, 0],
        "rating_promise": [0, 2, 0, 0],
    }
    assert s["dissatisfied_callbacks"] == 1
    assert [(d["dimension"], d["count"]) for d in s["top_dimensions"]] == [("rating_skill", 1)]
    assert [(t["label"], t["count"]) for t in s["top_technicians"]] == [("p_tech_a", 1)]
    assert [(t["label"], t["count"]) for t in s["top_product_lines"]] == [("空调", 1)]
    assert [c["comments"] for c in s["comments"]] == [PAYLOAD]


def test_sla_attainment_agrees_with_each_clocks_own_state(month_data):
    now = month_data["now"]
    expected = {}
    for clock in SLAClock.objects.filter(cancelled=False):
        state = clock.state_at(now)
        bucket = {ClockState.MET: "met", ClockState.MISSED: "breached", ClockState.BREACHED: "breached"}.get(state, "running")
        if clock.breached_at is not None and clock.stopped_at is None:
            bucket = "breached"
        expected.setdefault(clock.target_code, {"met": 0, "breached": 0, "running": 0})[bucket] += 1
    got = {r["target"]: {k: r[k] for k in ("met", "breached", "running")} for r in _report(month_data)["sla"]}
    assert got == expected
    assert got["arrival"]["met"] == 2 and got["first_reply"]["breached"] >= 1  # t5 is not replied to two hours on
    arrival = next(r for r in _report(month_data)["sla"] if r["target"] == "arrival")
    assert arrival["attainment"] == 100.0


def test_per_technician_and_per_station_tables(month_data, technician):
    r = _report(month_data)
    (tech,) = r["technicians"]
    assert (tech["id"], tech["completed"], tech["billed"], tech["amount"], tech["callbacks"], tech["dissatisfied"], tech["satisfaction"]) == (
        technician.pk, 2, 2, "285.00", 2, 1, 87.5,
    )
    by_name = {s["label"]: s for s in r["stations"]}
    a = next(s for s in r["stations"] if s["tickets"] == 6)
    b = next(s for s in r["stations"] if s["tickets"] == 1)
    assert (a["complaints"], a["completed"], a["amount"], a["satisfaction"], a["complaint_rate"], a["timeliness"]) == (
        1, 2, "285.00", 87.5, 50.0, 100.0,
    )
    assert (b["complaints"], b["completed"], b["amount"], b["complaint_rate"]) == (0, 0, "0.00", None)
    assert len(by_name) == 2


def test_trends_end_with_the_month(month_data):
    months = _report(month_data)["trends"]["months"]
    assert len(months) == 12 and months[-1]["month"] == month_data["month"].strftime("%Y-%m")
    assert (months[-1]["tickets"], months[-1]["revenue"], months[-1]["satisfaction"], months[-1]["timeliness"]) == (7, "285.00", 87.5, 100.0)
    assert all(m["tickets"] == 0 for m in months[:-1])


def test_summary_compares_with_the_targets(month_data, settings):
    settings.REPORT_TARGET_SATISFACTION_PERCENT = 90
    summary = {k["key"]: k for k in _report(month_data)["summary"]}
    assert (summary["timeliness"]["value"], summary["timeliness"]["met"]) == (100.0, True)
    assert (summary["satisfaction"]["value"], summary["satisfaction"]["target"], summary["satisfaction"]["met"]) == (87.5, 90, False)
    assert (summary["complaint_rate"]["value"], summary["complaint_rate"]["met"]) == (50.0, False)


def _figures_with_drill(node):
    """Every (count, drill) pair of the report, wherever it sits."""
    if isinstance(node, dict):
        if "drill" in node and isinstance(node["drill"], dict) and "source" in node["drill"]:
            for key in ("count", "orders"):
                if key in node:
                    yield node[key], node["drill"]
        if "drill" in node and isinstance(node["drill"], dict) and "met" in node["drill"]:
            for state in ("met", "breached", "running"):
                yield node[state], node["drill"][state]
        for value in node.values():
            yield from _figures_with_drill(value)
    elif isinstance(node, list):
        for value in node:
            yield from _figures_with_drill(value)


@pytest.mark.parametrize("scoped", [False, True])
def test_every_drill_down_lists_exactly_the_rows_counted(month_data, station_a, scoped):
    station = station_a if scoped else None
    report = _report(month_data, station)
    scope = statistics.Scope(month=month_data["month"], station=station, now=month_data["now"])
    pairs = list(_figures_with_drill(report))
    assert len(pairs) > 40
    for count, drill in pairs:
        assert statistics.records(drill["source"], scope, drill["params"]).count() == count, drill
    for tech in report["technicians"]:
        for key, drill_key in (("completed", "completed_drill"), ("billed", "revenue_drill"), ("callbacks", "callbacks_drill"),
                               ("dissatisfied", "dissatisfied_drill")):
            assert statistics.records(tech[drill_key]["source"], scope, tech[drill_key]["params"]).count() == tech[key]
    assert statistics.records("tickets", scope, {}).count() == report["tickets"]["total"]
    assert statistics.records("parts", scope, {}).count() == report["parts"]["moves"]


def test_a_station_sees_only_its_own_figures(month_data, station_a, station_b):
    a, b = _report(month_data, station_a), _report(month_data, station_b)
    assert (a["tickets"]["total"], b["tickets"]["total"]) == (6, 1)
    assert (a["revenue"]["amount"], b["revenue"]["amount"]) == ("285.00", "0.00")
    assert (a["satisfaction"]["callbacks"], b["satisfaction"]["callbacks"]) == (2, 0)
    assert b["parts"]["moves"] == 0 and b["technicians"] == []
    assert [s["id"] for s in b["stations"]] == [station_b.pk]


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def test_the_query_count_does_not_grow_with_the_data(month_data, make_customer, make_item, signed_order, dispatcher, station_a):
    first = _queries(lambda: _report(month_data))  # also stores the trend's closed months (a fixed few queries more)
    before = _queries(lambda: _report(month_data))
    assert first - before <= 7  # 3 counting queries, then savepoint, delete, insert, release
    scoped_before = _queries(lambda: _report(month_data, station_a))
    item = make_item("检修", "80.00")
    for name in ("丁公司", "戊公司", "己公司"):
        signed_order(make_customer(name), items=[item], payment="monthly")
    from tests.tickets.helpers import register

    for _i in range(5):
        register(dispatcher.user, month_data["cust1"], kind="consultation", channel="visit")
    assert _queries(lambda: _report(month_data)) == before
    assert _queries(lambda: _report(month_data, station_a)) == scoped_before
    assert before <= 32


def test_the_excel_file_has_a_sheet_per_section_and_no_formula(month_data):
    out = io.BytesIO()
    write_report(out, _report(month_data))
    wb = read_back(out.getvalue())
    assert len(wb.sheetnames) == 10
    assert not [cell.coordinate for _ws, cell in all_cells(wb) if cell.data_type == "f"]
    texts = [cell.value for _ws, cell in all_cells(wb) if isinstance(cell.value, str)]
    assert any(PAYLOAD in t and not t.startswith("=") for t in texts)
    revenue = wb.worksheets[6]
    amounts = [row[3].value for row in revenue.iter_rows(min_row=5) if row[3].value is not None]
    assert sum(Decimal(str(v)) for v in amounts) == Decimal("570.00")  # by category + by payment
    assert isinstance(amounts[0], (int, float, Decimal))


def test_the_dashboard_shows_the_month_like_the_statistics(month_data, station_a):
    data = manager_dashboard(now=month_data["now"])
    month = {k["key"]: k["value"] for k in data["periods"]["month"]["kpis"]}
    assert month == {"timeliness": 100.0, "satisfaction": 87.5, "complaint_rate": 50.0}
    figures = {f["key"]: f["value"] for f in data["periods"]["month"]["figures"]}
    assert figures == {"tickets": 7, "complaints": 1, "completed": 2, "callbacks": 2, "revenue": "285.00"}
    open_breached = [
        c for c in SLAClock.objects.filter(cancelled=False, stopped_at__isnull=True)
        if c.state_at(month_data["now"]) == ClockState.BREACHED or c.breached_at is not None
    ]
    assert data["breaches"]["total"] == len(open_breached) >= 1
    assert month_data["t5"].number in {row["ticket"] for row in data["breaches"]["rows"]}
    assert {o["status"]: o["count"] for o in data["orders_today"]} == {"closed": 1, "signed": 1}
    assert data["quotas"] is not None and isinstance(data["quotas"]["behind"], list)
    scoped = manager_dashboard(station=station_a, now=month_data["now"])
    assert scoped["quotas"] is None and scoped["periods"]["month"]["figures"][0]["value"] == 6


def test_the_dashboard_query_count_is_constant(month_data, make_customer, make_item, signed_order):
    before = _queries(lambda: manager_dashboard(now=month_data["now"]))
    item = make_item("检修", "80.00")
    signed_order(make_customer("丁公司"), items=[item], payment="monthly")
    assert _queries(lambda: manager_dashboard(now=month_data["now"])) == before


# --- pages and API ----------------------------------------------------------------------------


def test_the_manager_gets_the_page_with_charts_and_drill_down_links(month_data, manager, client):
    client.force_login(manager.user)
    r = client.get(reverse("reports:statistics"), {"month": month_data["month"].strftime("%Y-%m")})
    assert r.status_code == 200
    html = r.content.decode()
    assert html.count("<svg") >= 8 and reverse("reports:statistics_records", args=["callbacks"]) in html
    listing = client.get(reverse("reports:statistics_records", args=["tickets"]),
                         {"month": month_data["month"].strftime("%Y-%m"), "channel": "phone"})
    assert listing.status_code == 200 and listing.context["page"].paginator.count == 5
    excel = client.get(reverse("reports:statistics_export"))
    assert excel.status_code == 200 and excel["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(reverse("reports:dashboard")).status_code == 200


def test_a_station_head_reads_his_station_only(month_data, station_head, station_b, client):
    client.force_login(station_head.user)
    r = client.get(reverse("reports:statistics"))
    assert r.status_code == 200 and r.context["report"]["tickets"]["total"] == 6
    assert client.get(reverse("reports:statistics"), {"station": station_b.pk}).status_code == 404
    assert client.get(reverse("reports:statistics_records", args=["tickets"]), {"station": station_b.pk}).status_code == 404
    assert client.get(reverse("reports:dashboard"), {"station": station_b.pk}).status_code == 404


def test_technicians_and_finance_get_no_statistics(month_data, technician, finance, client):
    for person in (technician, finance):
        client.force_login(person.user)
        assert client.get(reverse("reports:statistics")).status_code == 403
        assert client.get(reverse("reports:statistics_records", args=["tickets"])).status_code == 403
        assert client.get(reverse("reports:dashboard")).status_code == 403


@pytest.mark.parametrize(
    ("persona", "station", "status"),
    [
        ("manager", None, 200), ("general_manager", None, 200), ("supervisor", None, 200), ("supervisor", "b", 200),
        ("station_head", None, 200), ("station_head", "b", 404), ("technician", None, 403), ("finance", None, 403),
        ("dispatcher", None, 403),
    ],
)
def test_api_permissions(month_data, api_client_as, request, station_b, persona, station, status):
    client = api_client_as(request.getfixturevalue(persona))
    params = {"month": month_data["month"].strftime("%Y-%m")}
    if station:
        params["station"] = station_b.pk
    for url in ("/api/v1/reports/statistics/", "/api/v1/reports/dashboard/"):
        r = client.get(url, params)
        assert r.status_code == status, (url, r.content[:200])


def test_api_figures_equal_the_page_figures_with_drill_urls(month_data, api_client_as, manager, station_head):
    body = api_client_as(manager).get("/api/v1/reports/statistics/", {"month": month_data["month"].strftime("%Y-%m")}).json()
    assert body["tickets"]["total"] == 7 and body["revenue"]["amount"] == "285.00"
    assert body["tickets"]["by_channel"][0]["drill"]["url"].startswith(reverse("reports:statistics_records", args=["tickets"]))
    own = api_client_as(station_head).get("/api/v1/reports/statistics/").json()
    assert own["station"]["name"] and own["tickets"]["total"] == 6
    bad = api_client_as(manager).get("/api/v1/reports/statistics/", {"month": "2026-13"})
    assert bad.status_code == 400 and "month" in bad.json()["errors"]


# --- the trends: closed months from the stored figures -------------------------------------------


def _month_after(month):
    return (month + timedelta(days=32)).replace(day=1)


def _in_the_next_month(data):
    """A moment in the month after the fixture's: the fixture's month is then closed (stored)."""
    nxt = _month_after(data["month"])
    return nxt, timezone.make_aware(datetime.combine(nxt + timedelta(days=4), time(10, 0)))


def _trend(month, now, station=None):
    return statistics.monthly_statistics(month=month, station=station, now=now)["trends"]["months"]


def test_closed_months_come_from_the_stored_figures_and_equal_the_live_count(month_data, station_a, station_b):
    month = month_data["month"]
    nxt, later = _in_the_next_month(month_data)
    assert not MonthlyFigure.objects.exists()
    first_call = _queries(lambda: _trend(nxt, later))
    # Every closed month of the trend is stored, zeros included (its station-less row marks it computed).
    assert MonthlyFigure.objects.filter(station__isnull=True).count() == 11
    assert not MonthlyFigure.objects.filter(month=nxt).exists()  # the month shown is counted live, never stored

    trend = _trend(nxt, later)
    stored = trend[-2]
    # The same month counted live by its own report (same "now": t5's arrival clock has run late by then).
    assert stored == _trend(month, later)[-1]
    assert (stored["month"], stored["tickets"], stored["revenue"], stored["satisfaction"]) == (month.strftime("%Y-%m"), 7, "285.00", 87.5)
    # Each of the eleven closed months equals the live count over the records.
    start, _x = local_bounds(statistics.trend_months(nxt)[0], statistics.trend_months(nxt)[0])
    _y, end = local_bounds(month, month_end(month))
    live = statistics.live_trend_figures(start, end, later)
    for row, m in zip(trend[:-1], statistics.trend_months(nxt)[:-1]):
        assert row == statistics._trend_row(m, statistics._sum_figures(f for (mm, _s), f in live.items() if mm == m))
    for station, tickets in ((station_a, 6), (station_b, 1)):
        scoped = _trend(nxt, later, station)[-2]
        assert scoped == _trend(month, later, station)[-1] and scoped["tickets"] == tickets
    # Read back: one query for the stored months instead of the refresh.
    assert _queries(lambda: _trend(nxt, later)) < first_call


def test_the_stored_trend_query_count_does_not_grow_with_the_data(month_data, make_customer, make_item, signed_order):
    nxt, later = _in_the_next_month(month_data)
    _trend(nxt, later)  # stores the closed months
    before = _queries(lambda: _trend(nxt, later))
    item = make_item("检修", "80.00")
    for name in ("丁公司", "戊公司"):
        signed_order(make_customer(name), items=[item], payment="monthly")
    statistics.monthly_statistics(month=month_data["month"], now=later)
    assert _queries(lambda: _trend(nxt, later)) == before


def test_a_late_change_to_a_closed_month_reaches_the_trend_with_the_nightly_refresh(month_data, make_customer, make_item,
                                                                                    signed_order):
    month = month_data["month"]
    nxt, later = _in_the_next_month(month_data)
    stored = _trend(nxt, later)[-2]
    # Seen from `later`, this order is signed in the closed month (as an offline signature synced late would be).
    signed_order(make_customer("庚公司"), items=[make_item("检修", "80.00")], payment="monthly")
    live = _trend(month, later)[-1]
    assert (live["tickets"], live["revenue"]) == (8, "365.00")  # the month's own report: at once
    assert _trend(nxt, later)[-2] == stored  # the stored figure: until the refresh (the documented rule)

    written = services.refresh_recent_monthly_figures(now=later)  # what the nightly beat entry runs
    assert written >= 12 and MonthlyFigure.objects.filter(station__isnull=True).count() == 12
    assert _trend(nxt, later)[-2] == live
    # Idempotent: the same rows again, not a second set.
    services.refresh_recent_monthly_figures(now=later)
    assert MonthlyFigure.objects.filter(station__isnull=True).count() == 12
    assert MonthlyFigure.objects.filter(month=month).exclude(station__isnull=True).values("station").distinct().count() == \
        MonthlyFigure.objects.filter(month=month).exclude(station__isnull=True).count()


def test_the_nightly_task_stores_only_closed_months(month_data):
    from reports.tasks import refresh_monthly_figures_task

    written = refresh_monthly_figures_task()
    this_month = timezone.localdate().replace(day=1)
    assert written >= 12
    assert not MonthlyFigure.objects.filter(month__gte=this_month).exists()
    assert MonthlyFigure.objects.filter(station__isnull=True).count() == 12
