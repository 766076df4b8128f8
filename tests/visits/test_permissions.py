"""Who sees which visits and renewals: a technician only his own (another's is a 404), a station head his station."""

from datetime import timedelta

import pytest
from django.urls import reverse

from visits import services
from visits.models import RenewalTask

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_visits(technician, other_technician, customer, other_customer, today):
    mine = services.schedule_visit(technician=technician, customer=customer, planned_for=today, actor=technician.user)
    theirs = services.schedule_visit(technician=other_technician, customer=other_customer, planned_for=today,
                                     actor=other_technician.user)
    return mine, theirs


def test_a_technician_lists_only_his_own_visits(api_client_as, technician, two_visits):
    mine, _theirs = two_visits
    rows = api_client_as(technician).get("/api/v1/visits/visits/").json()["results"]
    assert [r["id"] for r in rows] == [mine.pk]


def test_another_technicians_visit_is_not_found_anywhere(api_client_as, client, technician, two_visits):
    _mine, theirs = two_visits
    api = api_client_as(technician)
    assert api.get(f"/api/v1/visits/visits/{theirs.pk}/").status_code == 404
    assert api.post(f"/api/v1/visits/visits/{theirs.pk}/record/", {"problems_resolved": 1, "report": "x"},
                    format="json").status_code == 404
    assert api.post(f"/api/v1/visits/visits/{theirs.pk}/cancel/", {"reason": "x"}, format="json").status_code == 404
    client.force_login(technician.user)
    assert client.get(reverse("visits:complete", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("visits:cancel", args=[theirs.pk]), {"reason": "x"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "planned"


def test_a_technician_cannot_name_a_colleague_or_his_customer(api_client_as, technician, other_technician, other_customer, today):
    body = {"technician": other_technician.pk, "customer": other_customer.pk, "visit_date": today.isoformat(),
            "problems_resolved": 1, "report": "代录"}
    response = api_client_as(technician).post("/api/v1/visits/visits/", body, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"technician", "customer"}


def test_a_station_head_sees_his_station_and_a_manager_everything(api_client_as, station_head, manager, two_visits):
    mine, theirs = two_visits
    assert [r["id"] for r in api_client_as(station_head).get("/api/v1/visits/visits/").json()["results"]] == [mine.pk]
    assert {r["id"] for r in api_client_as(manager).get("/api/v1/visits/visits/").json()["results"]} == {mine.pk, theirs.pk}


def test_progress_shows_each_person_what_he_may_see(api_client_as, technician, other_technician, station_head, manager):
    def ids(person):
        return {r["technician"] for r in api_client_as(person).get("/api/v1/visits/progress/").json()}

    assert ids(technician) == {technician.pk}
    assert ids(station_head) == {technician.pk}
    assert ids(manager) == {technician.pk, other_technician.pk}


def test_finance_and_the_desk_cannot_record_visits(api_client_as, finance, dispatcher, customer, technician, today):
    body = {"technician": technician.pk, "customer": customer.pk, "visit_date": today.isoformat(), "problems_resolved": 0,
            "report": "x"}
    for person in (finance, dispatcher):
        assert api_client_as(person).post("/api/v1/visits/visits/", body, format="json").status_code == 403


def test_renewals_are_scoped_like_customers(api_client_as, technician, other_technician, station_head, dispatcher,
                                            customer, other_customer, make_contract, today):
    make_contract(customer, today + timedelta(days=10))
    make_contract(other_customer, today + timedelta(days=10))
    services.create_due_renewals(today=today)
    mine = RenewalTask.objects.get(contract__customer=customer)
    theirs = RenewalTask.objects.get(contract__customer=other_customer)

    def ids(person):
        return {r["id"] for r in api_client_as(person).get("/api/v1/visits/renewals/").json()["results"]}

    assert ids(technician) == {mine.pk}
    assert ids(station_head) == {mine.pk}
    assert ids(dispatcher) == {mine.pk, theirs.pk}
    assert api_client_as(technician).get(f"/api/v1/visits/renewals/{theirs.pk}/").status_code == 404


def test_the_dispatcher_sees_renewals_due_in_the_admin(client, dispatcher, customer, make_contract, today):
    contract = make_contract(customer, today + timedelta(days=10))
    services.create_due_renewals(today=today)
    client.force_login(dispatcher.user)
    response = client.get(reverse("admin:visits_renewaltask_changelist") + "?state=due")
    assert response.status_code == 200
    assert contract.number in response.content.decode()


def test_a_technician_opens_his_renewal_page_but_not_anothers(client, technician, other_customer, customer, make_contract, today):
    make_contract(customer, today + timedelta(days=10))
    make_contract(other_customer, today + timedelta(days=10))
    services.create_due_renewals(today=today)
    client.force_login(technician.user)
    mine = RenewalTask.objects.get(contract__customer=customer)
    theirs = RenewalTask.objects.get(contract__customer=other_customer)
    assert client.get(reverse("visits:renewal", args=[mine.pk])).status_code == 200
    assert client.get(reverse("visits:renewal", args=[theirs.pk])).status_code == 404


def test_the_progress_page_is_not_for_technicians(client, technician):
    client.force_login(technician.user)
    assert client.get(reverse("visits:progress")).status_code == 403
