"""The tablet page, the progress report with its Excel export, the renewal page and the admin screens."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import CustomerFactory
from visits import services
from visits.models import RenewalTask, Visit, VisitPlan

pytestmark = pytest.mark.django_db


def test_the_technician_page_shows_progress_due_visits_and_renewals_in_chinese(client, technician, customer, second_customer,
                                                                              make_contract, today):
    services.record_visit(technician=technician, customer=customer, visit_date=today, purpose="routine", problems_resolved=3,
                          report="清洗滤网<script>alert(1)</script>", actor=technician.user)
    services.schedule_visit(technician=technician, customer=second_customer, planned_for=today, actor=technician.user)
    contract = make_contract(customer, today + timedelta(days=10))
    services.create_due_renewals(today=today)

    client.force_login(technician.user)
    page = client.get(reverse("visits:mine"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "我的拜访" in page and "登记拜访" in page and "到期续约" in page
    assert "1</strong> / 15" in page and "3</strong> / 45" in page
    assert second_customer.name in page and contract.number in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_recording_through_the_form_redirects_and_counts(client, technician, customer, today):
    client.force_login(technician.user)
    response = client.post(reverse("visits:record"), {
        "customer": customer.pk, "visit_date": today.isoformat(), "purpose": "maintenance", "problems_resolved": "4",
        "report": "更换门封条，客户满意。",
    })
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert (visit.technician, visit.status, visit.problems_resolved) == (technician, "done", 4)


def test_form_errors_are_shown_on_their_fields_and_nothing_is_saved(client, technician, customer, other_customer, today):
    client.force_login(technician.user)
    response = client.post(reverse("visits:record"), {
        "customer": other_customer.pk, "visit_date": (today + timedelta(days=2)).isoformat(), "purpose": "routine",
        "problems_resolved": "-3", "report": "",
    }, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    form = response.context["record_form"]
    assert set(form.errors) == {"customer", "problems_resolved", "report"}
    # The date rule is the service's: it shows on its field once the rest is right.
    response = client.post(reverse("visits:record"), {
        "customer": customer.pk, "visit_date": (today + timedelta(days=2)).isoformat(), "purpose": "routine",
        "problems_resolved": "1", "report": "好",
    }, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and set(response.context["record_form"].errors) == {"visit_date"}
    assert "once it has taken place" in response.content.decode()
    assert not Visit.objects.exists()


def test_planning_and_completing_a_visit_on_the_tablet(client, technician, customer, today):
    client.force_login(technician.user)
    assert client.post(reverse("visits:plan"), {"customer": customer.pk, "planned_for": today.isoformat(),
                                                "purpose": "routine"}).status_code == 302
    visit = Visit.objects.get()
    page = client.get(reverse("visits:complete", args=[visit.pk]))
    assert page.status_code == 200
    response = client.post(reverse("visits:complete", args=[visit.pk]), {
        "visit_date": today.isoformat(), "purpose": "routine", "problems_resolved": "2", "report": "按计划完成。",
    })
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == "done"


def test_the_manager_sees_progress_per_technician_and_renewals_due(client, manager, technician, other_technician, customer,
                                                                 make_contract, today):
    services.record_visit(technician=technician, customer=customer, visit_date=today, purpose="routine", problems_resolved=2,
                          report="ok", actor=technician.user)
    contract = make_contract(customer, today + timedelta(days=10))
    services.create_due_renewals(today=today)
    client.force_login(manager.user)
    response = client.get(reverse("visits:progress"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = response.content.decode()
    assert response.status_code == 200
    assert [r.technician for r in response.context["rows"]] == [technician, other_technician]
    assert "拜访进度" in page and contract.number in page
    assert client.get(reverse("visits:progress") + "?month=bad").status_code == 200  # a bad month falls back to this month


def test_the_progress_export_is_a_formula_safe_workbook(client, manager, technician, today):
    technician.name = "=HYPERLINK(\"http://evil\")"
    technician.save(update_fields=["name"])
    client.force_login(manager.user)
    response = client.get(reverse("visits:progress_export") + f"?month={today:%Y-%m}", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    ws = load_workbook(BytesIO(response.content)).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0][0].startswith("客户拜访")
    header = values[2]
    assert header[:5] == ["服务工程师", "工号", "服务站", "拜访目标", "已拜访"]
    assert values[3][0] == "'=HYPERLINK(\"http://evil\")" and values[3][3] == 15
    assert ws.freeze_panes == "A4"


def test_closing_a_renewal_on_its_page(client, technician, customer, make_contract, today):
    make_contract(customer, today + timedelta(days=10))
    new = make_contract(customer, today + timedelta(days=375))
    services.create_due_renewals(today=today)
    task = RenewalTask.objects.get(contract__end_date=today + timedelta(days=10))
    client.force_login(technician.user)
    url = reverse("visits:renewal", args=[task.pk])
    assert client.post(url, {"step": "notice", "given_on": today.isoformat()}).status_code == 302
    bad = client.post(url, {"step": "close", "outcome": "lost", "note": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400 and "note" in bad.context["close_form"].errors
    assert client.post(url, {"step": "close", "outcome": "done", "new_contract": new.pk}).status_code == 302
    task.refresh_from_db()
    assert (task.status, task.new_contract, task.notice_given_on) == ("done", new, today)


def test_the_admin_plans_a_month_and_closes_a_renewal_through_services(client, manager, technician, other_technician,
                                                                      customer, make_contract, today):
    client.force_login(manager.user)
    response = client.post(reverse("admin:visits_visitplan_plan_month"), {"month": today.strftime("%Y-%m")})
    assert response.status_code == 302
    assert VisitPlan.objects.count() == 2
    assert client.get(reverse("admin:visits_visitplan_changelist")).status_code == 200

    make_contract(customer, today + timedelta(days=10))
    assert client.post(reverse("admin:visits_renewaltask_open_due")).status_code == 302
    task = RenewalTask.objects.get()
    assert client.get(reverse("admin:visits_renewaltask_change", args=[task.pk])).status_code == 200
    bad = client.post(reverse("admin:visits_renewaltask_close", args=[task.pk]), {"outcome": "done"})
    assert bad.status_code == 200 and "new_contract" in bad.context["form"].errors
    ok = client.post(reverse("admin:visits_renewaltask_close", args=[task.pk]), {"outcome": "lost", "note": "客户不续"})
    assert ok.status_code == 302
    assert RenewalTask.objects.get().status == "lost"
    for name in ("visit", "visitpolicy", "reminder"):
        assert client.get(reverse(f"admin:visits_{name}_changelist")).status_code == 200


@pytest.fixture
def busy_month(technician, other_technician, station_a, station_b, make_contract, today):
    state = {"n": 0}

    def add(n):
        for tech, station in ((technician, station_a), (other_technician, station_b)):
            for _ in range(n):
                state["n"] += 1
                c = CustomerFactory(station=station, owner=tech)
                services.record_visit(technician=tech, customer=c, visit_date=today, purpose="routine", problems_resolved=1,
                                      report="例行", actor=tech.user)
                services.schedule_visit(technician=tech, customer=c, planned_for=today, actor=tech.user)
                make_contract(c, today + timedelta(days=5), number=f"HT-P-{state['n']:04d}")
        services.create_due_renewals(today=today)

    return add


@pytest.mark.parametrize(
    ("persona", "url_name", "limit"),
    [("technician", "visits:mine", 16), ("manager", "visits:progress", 14), ("manager", "visits:progress_export", 8)],
)
def test_page_query_counts_do_not_grow_with_rows(client, request, busy_month, django_assert_max_num_queries, persona,
                                                 url_name, limit):
    person = request.getfixturevalue(persona)
    client.force_login(person.user)
    url = reverse(url_name)
    client.get(url)
    counts = []
    for more in (1, 6):
        busy_month(more)
        with django_assert_max_num_queries(limit) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], counts
