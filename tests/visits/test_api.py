"""/api/v1/visits/…: recording, planning, progress and renewals; bad input names the field; lists stay cheap."""

from datetime import timedelta

import pytest

from tests.factories import CustomerFactory
from visits import services
from visits.models import RenewalTask, Visit

pytestmark = pytest.mark.django_db

VISITS = "/api/v1/visits/visits/"
PLANS = "/api/v1/visits/plans/"
PROGRESS = "/api/v1/visits/progress/"
RENEWALS = "/api/v1/visits/renewals/"


def _body(customer_, today, **changes):
    body = {"customer": customer_.pk, "visit_date": today.isoformat(), "purpose": "routine", "problems_resolved": 2,
            "report": "检查设备，运行正常。"}
    body.update(changes)
    return body


def test_a_technician_records_a_visit_and_sees_it_in_his_progress(api_client_as, technician, customer, today):
    api = api_client_as(technician)
    response = api.post(VISITS, _body(customer, today), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["technician"], body["customer_name"], body["status"]) == (technician.pk, customer.name, "done")

    rows = api.get(PROGRESS).json()
    assert [(r["technician"], r["visits_done"], r["problems_resolved"], r["visits_target"]) for r in rows] == [
        (technician.pk, 1, 2, 15)
    ]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"problems_resolved": -1}, "problems_resolved"),
        ({"problems_resolved": "many"}, "problems_resolved"),
        ({"report": ""}, "report"),
        ({"visit_date": "2026-02-30"}, "visit_date"),
        ({"purpose": "party"}, "purpose"),
        ({"customer": 999999}, "customer"),
    ],
)
def test_bad_input_gets_a_400_naming_the_field(api_client_as, technician, customer, today, changes, field):
    response = api_client_as(technician).post(VISITS, _body(customer, today, **changes), format="json")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"detail", "code", "errors"} and field in body["errors"], body
    assert not Visit.objects.exists()


def test_a_future_visit_is_refused_by_the_service_with_the_field(api_client_as, technician, customer, today):
    response = api_client_as(technician).post(VISITS, _body(customer, today + timedelta(days=1)), format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["visit_date"]


def test_recording_the_same_visit_twice_is_a_conflict(api_client_as, technician, customer, today):
    api = api_client_as(technician)
    assert api.post(VISITS, _body(customer, today), format="json").status_code == 201
    response = api.post(VISITS, _body(customer, today), format="json")
    assert response.status_code == 409 and "visit_date" in response.json()["errors"]


def test_planning_then_recording_and_cancelling(api_client_as, technician, customer, second_customer, today):
    api = api_client_as(technician)
    planned = api.post(f"{VISITS}plan/", {"customer": customer.pk, "planned_for": today.isoformat()}, format="json").json()
    assert planned["status"] == "planned"
    done = api.post(f"{VISITS}{planned['id']}/record/", {"problems_resolved": 3, "report": "按计划拜访。"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "done" and done.json()["visit_date"] == today.isoformat()

    later = api.post(f"{VISITS}plan/", {"customer": second_customer.pk, "planned_for": (today + timedelta(days=3)).isoformat()},
                     format="json").json()
    assert api.post(f"{VISITS}{later['id']}/cancel/", {"reason": ""}, format="json").json()["errors"].keys() == {"reason"}
    cancelled = api.post(f"{VISITS}{later['id']}/cancel/", {"reason": "客户搬迁"}, format="json")
    assert cancelled.json()["status"] == "cancelled"
    again = api.post(f"{VISITS}{later['id']}/cancel/", {"reason": "再次"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"


def test_a_manager_makes_and_adjusts_plans(api_client_as, manager, technician, today):
    api = api_client_as(manager)
    month = today.strftime("%Y-%m")
    created = api.post(PLANS, {"technician": technician.pk, "month": month}, format="json")
    assert created.status_code == 201 and created.json()["month"] == month
    plan_id = created.json()["id"]
    changed = api.patch(f"{PLANS}{plan_id}/", {"visits_target": 10, "problems_target": 30, "note": "新员工"}, format="json")
    assert changed.json()["visits_target"] == 10
    bad = api.patch(f"{PLANS}{plan_id}/", {"visits_target": 1000, "problems_target": 30}, format="json")
    assert bad.status_code == 400 and "visits_target" in bad.json()["errors"]
    assert api.post(PLANS, {"technician": technician.pk, "month": "2026-13"}, format="json").json()["errors"].keys() == {"month"}
    assert api.get(f"{PROGRESS}?month=nope").json()["errors"].keys() == {"month"}


def test_a_technician_cannot_make_or_change_plans(api_client_as, technician, today):
    api = api_client_as(technician)
    plan = services.plan_month(technician=technician, month=today)
    assert api.post(PLANS, {"technician": technician.pk, "month": today.strftime("%Y-%m")}, format="json").status_code == 403
    assert api.patch(f"{PLANS}{plan.pk}/", {"visits_target": 1, "problems_target": 1}, format="json").status_code == 403
    assert api.get(PLANS).json()["results"][0]["visits_target"] == 15


def test_renewals_are_listed_noted_and_closed(api_client_as, technician, dispatcher, customer, make_contract, today):
    contract = make_contract(customer, today + timedelta(days=10))
    services.create_due_renewals(today=today)
    task = RenewalTask.objects.get()
    new = make_contract(customer, today + timedelta(days=375))

    desk = api_client_as(dispatcher)
    rows = desk.get(f"{RENEWALS}?due=due").json()["results"]
    assert [(r["contract_number"], r["assignee"], r["expired"]) for r in rows] == [(contract.number, technician.pk, False)]

    api = api_client_as(technician)
    assert api.post(f"{RENEWALS}{task.pk}/notice/", {}, format="json").json()["notice_given_on"] == today.isoformat()
    bad = api.post(f"{RENEWALS}{task.pk}/close/", {"outcome": "done"}, format="json")
    assert bad.status_code == 400 and list(bad.json()["errors"]) == ["new_contract"]
    stranger = make_contract(CustomerFactory(), today + timedelta(days=400))
    assert "new_contract" in api.post(f"{RENEWALS}{task.pk}/close/", {"outcome": "done", "new_contract": stranger.pk},
                                      format="json").json()["errors"]
    closed = api.post(f"{RENEWALS}{task.pk}/close/", {"outcome": "done", "new_contract": new.pk}, format="json")
    assert closed.status_code == 200 and closed.json()["status"] == "done" and closed.json()["new_contract_number"] == new.number
    again = api.post(f"{RENEWALS}{task.pk}/close/", {"outcome": "lost", "note": "x"}, format="json")
    assert again.status_code == 409


def test_finance_reads_renewals_but_cannot_close_them(api_client_as, finance, customer, make_contract, today):
    make_contract(customer, today + timedelta(days=10))
    task = services.create_due_renewals(today=today)[0]
    api = api_client_as(finance)
    assert api.get(RENEWALS).json()["count"] == 1
    assert api.post(f"{RENEWALS}{task.pk}/close/", {"outcome": "lost", "note": "x"}, format="json").status_code == 403


# --- query counts ---------------------------------------------------------------------------------


@pytest.fixture
def many_visits(technician, other_technician, station_a, station_b, make_contract, today):
    """``many_visits(n)`` adds n customers per technician, each with a done visit, a planned one and a due renewal."""
    state = {"n": 0}

    def add(n):
        for tech, station in ((technician, station_a), (other_technician, station_b)):
            for _ in range(n):
                state["n"] += 1
                c = CustomerFactory(station=station, owner=tech)
                services.record_visit(technician=tech, customer=c, visit_date=today, purpose="routine", problems_resolved=1,
                                      report="例行拜访", actor=tech.user)
                services.schedule_visit(technician=tech, customer=c, planned_for=today + timedelta(days=1), actor=tech.user)
                make_contract(c, today + timedelta(days=5), number=f"HT-Q-{state['n']:04d}")
        services.create_due_renewals(today=today)

    return add


@pytest.mark.parametrize(
    ("persona", "url", "limit"),
    [
        ("manager", VISITS + "?page_size=100", 4),
        ("technician", VISITS + "?page_size=100", 4),
        ("manager", PLANS + "?page_size=100", 4),
        ("manager", PROGRESS, 5),
        ("dispatcher", RENEWALS + "?page_size=100", 4),
        ("technician", RENEWALS + "?page_size=100", 4),
    ],
)
def test_list_query_counts_do_not_grow_with_rows(api_client_as, request, many_visits, django_assert_max_num_queries,
                                                 persona, url, limit):
    person = request.getfixturevalue(persona)
    api = api_client_as(person)
    api.get(url)  # the first request of a process fills caches (the business calendar)
    counts = []
    for more in (1, 8):
        many_visits(more)
        with django_assert_max_num_queries(limit) as captured:
            response = api.get(url)
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], counts
