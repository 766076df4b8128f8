"""/api/v1/visits/callbacks/…: permissions by role and object, recording, bad input, cheap lists."""

import pytest

from tests.workorders.conftest import service_item, ticket  # noqa: F401  (fixtures)
from visits.models import Callback, CallbackPlan

from .callback_fixtures import GOOD, close_order, closed_order, order  # noqa: F401

pytestmark = pytest.mark.django_db

CALLBACKS = "/api/v1/visits/callbacks/"
PLANS = "/api/v1/visits/callback-plans/"
QUOTAS = "/api/v1/visits/callback-quotas/"


def test_a_technician_reads_only_the_callbacks_on_his_own_work(api_client_as, technician, other_technician, closed_order):
    callback = Callback.objects.filter(work_order=closed_order).first()
    mine = api_client_as(technician).get(CALLBACKS).json()
    assert {row["id"] for row in mine["results"]} == set(Callback.objects.filter(technician=technician).values_list("pk", flat=True))
    other = api_client_as(other_technician)
    assert other.get(CALLBACKS).json()["results"] == []
    assert other.get(f"{CALLBACKS}{callback.pk}/").status_code == 404
    assert other.get(f"{CALLBACKS}{callback.pk}/attempts/").status_code == 404
    # Reading is not recording.
    response = api_client_as(technician).post(f"{CALLBACKS}{callback.pk}/record/", {"outcome": "refused"}, format="json")
    assert response.status_code == 403


def test_finance_sees_no_callbacks(api_client_as, finance, closed_order):
    assert api_client_as(finance).get(CALLBACKS).json()["results"] == []
    assert api_client_as(finance).get(QUOTAS).status_code == 403


def test_a_supervisor_records_and_a_second_recording_is_409(api_client_as, supervisor, closed_order, today):
    callback = Callback.objects.filter(work_order=closed_order, due_date__lte=today).first()
    api = api_client_as(supervisor)
    response = api.post(f"{CALLBACKS}{callback.pk}/record/", {"outcome": "answered", **GOOD}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "done" and response.json()["rating_skill"] == 2
    again = api.post(f"{CALLBACKS}{callback.pk}/record/", {"outcome": "answered", **GOOD}, format="json")
    assert again.status_code == 409 and "status" in again.json()["errors"]
    attempts = api.get(f"{CALLBACKS}{callback.pk}/attempts/").json()
    assert [a["outcome"] for a in attempts] == ["answered"]


def test_ratings_outside_1_to_4_are_a_400_naming_each_field(api_client_as, supervisor, closed_order):
    callback = Callback.objects.filter(work_order=closed_order).first()
    body = {"outcome": "answered", **GOOD, "rating_skill": 5, "rating_promise": 0}
    response = api_client_as(supervisor).post(f"{CALLBACKS}{callback.pk}/record/", body, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"rating_skill", "rating_promise"}


def test_a_spot_check_on_an_open_order_is_refused_with_a_clear_error(api_client_as, manager, order):  # noqa: F811
    response = api_client_as(manager).post(f"{CALLBACKS}spot-check/", {"work_order": order.pk}, format="json")
    assert response.status_code == 400 and "work_order" in response.json()["errors"]
    assert order.number in response.json()["errors"]["work_order"][0]


def test_the_list_filters_and_its_query_count_does_not_grow(api_client_as, supervisor, closed_order, today,
                                                           django_assert_max_num_queries):
    api = api_client_as(supervisor)
    overdue = api.get(CALLBACKS, {"due": "overdue"}).json()["results"]
    assert len(overdue) == Callback.objects.filter(status="pending", due_date__lt=today).count() == 2
    assert api.get(CALLBACKS, {"kind": "complaint"}).json()["results"] == []
    with django_assert_max_num_queries(6):
        api.get(CALLBACKS, {"page_size": 100})


def test_managers_write_plans_and_supervisors_only_read(api_client_as, manager, supervisor):
    body = {"name": "空调 A 类", "category": "A", "offsets": ["14d", "2m"]}
    assert api_client_as(supervisor).post(PLANS, body, format="json").status_code == 403
    created = api_client_as(manager).post(PLANS, body, format="json")
    assert created.status_code == 201 and created.json()["offsets"] == ["14d", "2m"]
    bad = api_client_as(manager).post(PLANS, {**body, "category": "B", "offsets": ["soon"]}, format="json")
    assert bad.status_code == 400 and "offsets" in bad.json()["errors"]
    names = {row["name"] for row in api_client_as(supervisor).get(PLANS).json()["results"]}
    assert names == set(CallbackPlan.objects.values_list("name", flat=True))


def test_quotas_for_a_month(api_client_as, manager, closed_order):
    body = api_client_as(manager).get(QUOTAS, {"month": "2026-11"}).json()
    assert body["month"] == "2026-11" and {q["key"] for q in body["quotas"]} >= {"coverage", "on_site", "on_time"}
    assert api_client_as(manager).get(QUOTAS, {"month": "2026-13"}).status_code == 400
