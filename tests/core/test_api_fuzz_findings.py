"""One test per defect the API fuzzing (tests/core/test_api_fuzz.py) found, at the level a client acts:
a request, its status and body — and, for the schema defects, the real answer validated against the
served OpenAPI schema by schemathesis."""

import json

import pytest
import schemathesis
from rest_framework.test import APIClient

from tests.tickets.desk import desk, register  # noqa: F401

pytestmark = pytest.mark.django_db


def _field_error(response, field):
    body = response.json()
    assert set(body) == {"detail", "code", "errors"}, body
    assert body["errors"].get(field), body
    return body


# --- server errors (500) -----------------------------------------------------------------------


def test_a_billing_mark_on_an_id_that_is_not_a_number_is_404_not_500(api_client_as, finance):
    response = api_client_as(finance).post("/api/v1/reports/billing/null/mark/", {"status": "paid"}, format="json")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("path", ["/api/v1/reports/billing/?month=2026-10&station=abc", "/api/v1/reports/work-reports/?station=abc"])
def test_a_station_filter_that_is_not_a_number_is_a_400_naming_it(api_client_as, manager, path):
    response = api_client_as(manager).get(path)
    assert response.status_code == 400
    _field_error(response, "station")


def test_a_scorecard_station_filter_of_a_unicode_digit_is_a_400_not_500(api_client_as, manager):
    # "²".isdigit() is True, int("²") raises.
    response = api_client_as(manager).get("/api/v1/appraisal/scorecards/", {"station": "²"})
    assert response.status_code == 400
    _field_error(response, "station")


def test_an_impossible_feedback_day_is_a_400_naming_it(api_client_as, manager):
    # Well formed but impossible: django's parse_date raises ValueError instead of returning None.
    response = api_client_as(manager).get("/api/v1/appraisal/feedback-forms/", {"day": "2026-13-45"})
    assert response.status_code == 400
    _field_error(response, "day")


def test_a_daily_report_for_a_unicode_digit_technician_is_404_not_500(api_client_as, technician):
    response = api_client_as(technician).get("/api/v1/daily-reports/technician/", {"technician": "²"})
    assert response.status_code == 404


def test_deleting_a_customer_who_still_has_tickets_is_a_409_not_500(api_client_as, dispatcher, desk, django_user_model):  # noqa: F811
    register(dispatcher, desk.customer)
    root = django_user_model.objects.create_superuser("root", "root@example.com", "x")
    response = api_client_as(root).delete(f"/api/v1/customers/{desk.customer.pk}/")
    assert response.status_code == 409
    assert response.json()["code"] == "protected" and response.json()["errors"]["non_field_errors"]
    assert type(desk.customer).objects.filter(pk=desk.customer.pk).exists()


# --- bad input: a 4xx with the field (or, for the whole body, non_field_errors) -------------------


def test_a_body_that_is_not_json_is_a_400_with_a_message(api_client_as, dispatcher):
    response = api_client_as(dispatcher).post("/api/v1/tickets/", data=b"\x00", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"]


@pytest.mark.parametrize("value", ["abc", "0", "-3", "1.5"])
def test_a_page_size_that_is_not_a_positive_number_is_a_400_naming_it(api_client_as, dispatcher, value):
    response = api_client_as(dispatcher).get("/api/v1/stations/", {"page_size": value})
    assert response.status_code == 400
    _field_error(response, "page_size")


def test_an_empty_page_size_still_means_the_default(api_client_as, dispatcher):
    assert api_client_as(dispatcher).get("/api/v1/stations/", {"page_size": ""}).status_code == 200


def test_a_backup_check_for_a_week_in_year_57_is_refused(api_client_as, manager):
    # It was accepted, and its due time was written with Shanghai's local mean time (+08:05:43).
    response = api_client_as(manager).post("/api/v1/appraisal/backup-checks/run/", {"week_start": "0057-07-02"}, format="json")
    assert response.status_code == 400
    _field_error(response, "week_start")


def test_an_api_url_no_endpoint_matches_answers_json_404_even_to_a_post(technician):
    # An id that is not a number (/work-orders/1.5/…) matches no route: Django's HTML 404 — and for a
    # POST with a session, the CSRF failure's HTML 403 — before; now the API's JSON error.
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(technician.user)
    for method in ("get", "post"):
        response = getattr(client, method)("/api/v1/work-orders/1.5/items/x/checklist/")
        assert response.status_code == 404, method
        assert response["Content-Type"] == "application/json"
        assert response.json()["code"] == "not_found"
    # Without the trailing slash Django still redirects to it first.
    assert client.get("/api/v1/stations").status_code == 301


# --- the schema tells the truth ------------------------------------------------------------------


@pytest.fixture
def served_schema(client):
    # Through Django's test client (inside the test's transaction), then handed to schemathesis.
    return schemathesis.openapi.from_dict(json.loads(client.get("/api/v1/schema/?format=json").content))


def _conforms(schema, template, method, response):
    """Validate a Django test-client response against the served schema (schemathesis' own check)."""
    import requests

    request = requests.Request(method=method, url=f"http://localhost{response.request['PATH_INFO']}").prepare()
    answer = schemathesis.Response(
        status_code=response.status_code,
        headers={name: [value] for name, value in response.headers.items()},
        content=response.content,
        request=request,
        elapsed=0.0,
        verify=True,
    )
    schema[template][method].validate_response(answer)


def test_every_operation_documents_its_error_answers(served_schema):
    raw = served_schema.raw_schema
    assert raw["components"]["schemas"]["Error"]["required"] == ["detail", "code", "errors"]
    for path, methods in raw["paths"].items():
        for method, operation in methods.items():
            if path == "/api/v1/auth/token/":
                continue
            assert "403" in operation["responses"], (method, path)
            if "{" in path:
                assert "404" in operation["responses"], (method, path)


def test_the_token_sign_in_is_documented_as_open_to_anyone_with_its_refusals(served_schema, client, technician, password):
    operation = served_schema.raw_schema["paths"]["/api/v1/auth/token/"]["post"]
    # It said a session or a token was needed to get a token.
    assert operation.get("security") in (None, [], [{}])
    assert {"200", "400", "429"} <= set(operation["responses"])
    response = client.post("/api/v1/auth/token/", {"username": technician.user.username, "password": password})
    assert response.status_code == 200 and set(response.json()) == {"token"}
    _conforms(served_schema, "/api/v1/auth/token/", "POST", response)
    refused = client.post("/api/v1/auth/token/", {"username": technician.user.username, "password": "wrong"})
    assert refused.status_code == 400
    _conforms(served_schema, "/api/v1/auth/token/", "POST", refused)


def test_blank_choices_nulls_and_plain_lists_match_the_schema(served_schema, api_client_as, dispatcher, desk):  # noqa: F811
    # A ticket never put on hold has status_before_hold "" (a blank choice); one with no unit has
    # unit_serial null; its log and clocks are plain lists, not pages.
    ticket = register(dispatcher, desk.customer)
    api = api_client_as(dispatcher)
    for path, template in [
        (f"/api/v1/tickets/{ticket.pk}/", "/api/v1/tickets/{id}/"),
        ("/api/v1/tickets/", "/api/v1/tickets/"),
        (f"/api/v1/tickets/{ticket.pk}/log/", "/api/v1/tickets/{id}/log/"),
        (f"/api/v1/tickets/{ticket.pk}/clocks/", "/api/v1/tickets/{id}/clocks/"),
        ("/api/v1/me/", "/api/v1/me/"),
        (f"/api/v1/staff/{dispatcher.pk}/", "/api/v1/staff/{id}/"),
    ]:
        response = api.get(path)
        assert response.status_code == 200, path
        _conforms(served_schema, template, "GET", response)
    body = api.get(f"/api/v1/tickets/{ticket.pk}/").json()
    assert body["status_before_hold"] == "" and body["unit_serial"] is None
