"""Bad input at the edges (SPEC §11): a clear error naming the field, and nothing half-saved —
through the API and through the admin alike."""

import pytest
from django.urls import reverse

from servicedesk.core.models import NumberSequence
from tickets import services
from tickets.models import SLAClock, Ticket, TicketLog, WorkOrder
from tests.tickets.desk import admin_as, desk, make_technician, register  # noqa: F401

pytestmark = pytest.mark.django_db

API = "/api/v1/tickets/"
REGISTER = "/admin/tickets/ticket/register/"


def call(desk, **changes):
    data = {
        "customer": desk.customer.pk, "unit": desk.unit.pk, "channel": "phone", "kind": "service",
        "service_type": "repair", "caller_name": "李主任", "caller_phone": "13912345678", "description": "空调不制冷",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def nothing_saved():
    return not Ticket.objects.exists() and not SLAClock.objects.exists() and not TicketLog.objects.exists() and not NumberSequence.objects.filter(prefix="T").exists()


def admin_form(desk, **changes):
    data = call(desk, **changes)
    data.setdefault("address", "")
    data.update({"urgency": "normal", "severity": "normal", "appointment_at_0": "", "appointment_at_1": ""})
    return data


# --- unknown customer / unit -------------------------------------------------------------------


@pytest.mark.parametrize("field", ["customer", "unit"])
def test_api_unknown_customer_or_unit_is_a_400_naming_it(api_client_as, dispatcher, desk, field):
    response = api_client_as(dispatcher).post(API, call(desk, **{field: 999999}), format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {field}
    assert nothing_saved()


def test_api_a_unit_of_another_customer_is_refused_on_the_unit(api_client_as, dispatcher, desk):
    response = api_client_as(dispatcher).post(API, call(desk, unit=desk.other_unit.pk), format="json")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["unit"]
    assert nothing_saved()


@pytest.mark.parametrize("field", ["customer", "unit"])
def test_admin_unknown_customer_or_unit_is_shown_on_the_field(admin_as, dispatcher, desk, field):
    page = admin_as(dispatcher).post(REGISTER, admin_form(desk, **{field: 999999}))
    assert page.status_code == 200
    assert field in page.context["form"].errors
    assert nothing_saved()


def test_admin_a_unit_of_another_customer_is_refused_on_the_unit(admin_as, dispatcher, desk):
    page = admin_as(dispatcher).post(REGISTER, admin_form(desk, unit=desk.other_unit.pk))
    assert list(page.context["form"].errors) == ["unit"]
    assert nothing_saved()


# --- a phone that is not a phone ----------------------------------------------------------------


@pytest.mark.parametrize("phone", ["12345", "abc-defg", "138123456789012"])
def test_api_a_phone_that_is_not_a_phone_is_refused(api_client_as, dispatcher, desk, phone):
    response = api_client_as(dispatcher).post(API, call(desk, caller_phone=phone), format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["caller_phone"]
    assert response.json()["detail"].startswith("caller_phone")
    assert nothing_saved()


def test_admin_a_phone_that_is_not_a_phone_is_shown_on_the_field(admin_as, dispatcher, desk):
    page = admin_as(dispatcher).post(REGISTER, admin_form(desk, caller_phone="12345"))
    assert page.status_code == 200
    assert list(page.context["form"].errors) == ["caller_phone"]
    assert 'class="errorlist' in page.content.decode()
    assert nothing_saved()


def test_api_a_customer_with_a_bad_phone_is_not_created(api_client_as, dispatcher, desk, station_a):
    response = api_client_as(dispatcher).post(
        "/api/v1/customers/",
        {"name": "坏电话", "kind": "individual", "phone": "12", "address": "x", "zone": "urban", "station": station_a.pk},
        format="json",
    )
    assert response.status_code == 400 and list(response.json()["errors"]) == ["phone"]


# --- dispatching a closed ticket ----------------------------------------------------------------


@pytest.fixture
def closed_ticket(dispatcher, desk):
    ticket = register(dispatcher, desk.customer, unit=desk.unit)
    services.close_ticket(ticket=ticket, actor=dispatcher.user, resolution="客户自行解决")
    return ticket


def test_api_dispatching_a_closed_ticket_is_a_409(api_client_as, dispatcher, technician, closed_ticket):
    response = api_client_as(dispatcher).post(f"{API}{closed_ticket.pk}/dispatch/", {"technician": technician.pk}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition" and "ticket" in response.json()["errors"]
    assert not WorkOrder.objects.exists()
    closed_ticket.refresh_from_db()
    assert closed_ticket.status == Ticket.Status.CLOSED


def test_admin_dispatching_a_closed_ticket_shows_why(admin_as, dispatcher, technician, closed_ticket):
    url = reverse("admin:tickets_ticket_dispatch", args=[closed_ticket.pk])
    page = admin_as(dispatcher).post(url, {f"other_{closed_ticket.pk}": technician.pk})
    assert page.status_code == 200
    assert f"other_{closed_ticket.pk}" in page.context["form"].errors
    assert not WorkOrder.objects.exists()


# --- a technician on leave ----------------------------------------------------------------------


def test_api_a_technician_on_leave_is_named(api_client_as, dispatcher, station_a, desk):
    away = make_technician("away", station_a, status="on_leave")
    ticket = register(dispatcher, desk.customer, unit=desk.unit)
    response = api_client_as(dispatcher).post(f"{API}{ticket.pk}/dispatch/", {"technician": away.pk}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["technician"]
    assert away.name in response.json()["errors"]["technician"][0]
    assert not WorkOrder.objects.exists()
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.NEW and not ticket.log.filter(kind="dispatched").exists()


def test_api_an_unknown_technician_is_named(api_client_as, dispatcher, desk):
    ticket = register(dispatcher, desk.customer, unit=desk.unit)
    response = api_client_as(dispatcher).post(f"{API}{ticket.pk}/dispatch/", {"technician": 999999}, format="json")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["technician"]


def test_admin_a_technician_on_leave_is_named_on_the_form(admin_as, dispatcher, station_a, desk):
    away = make_technician("away", station_a, status="on_leave")
    ticket = register(dispatcher, desk.customer, unit=desk.unit)
    url = reverse("admin:tickets_ticket_dispatch", args=[ticket.pk])
    page = admin_as(dispatcher).post(url, {f"other_{ticket.pk}": away.pk})
    assert page.status_code == 200
    errors = page.context["form"].errors[f"other_{ticket.pk}"]
    assert away.name in errors[0]
    assert not WorkOrder.objects.exists()


# --- classifying what is not a complaint --------------------------------------------------------


def test_api_classifying_a_service_request_is_refused(api_client_as, dispatcher, desk):
    ticket = register(dispatcher, desk.customer, unit=desk.unit)
    response = api_client_as(dispatcher).post(f"{API}{ticket.pk}/classify/", {"complaint_class": "major", "reason": "x"}, format="json")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["complaint_class"]
    ticket.refresh_from_db()
    assert ticket.complaint_class == "" and ticket.escalated_at is None
    assert list(ticket.log.values_list("kind", flat=True)) == ["registered"]


def test_api_an_unknown_classification_is_refused(api_client_as, dispatcher, desk):
    ticket = register(dispatcher, desk.customer, kind="complaint")
    response = api_client_as(dispatcher).post(f"{API}{ticket.pk}/classify/", {"complaint_class": "serious", "reason": "x"}, format="json")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["complaint_class"]


def test_admin_classifying_a_service_request_shows_the_error(admin_as, dispatcher, desk):
    ticket = register(dispatcher, desk.customer, unit=desk.unit)
    url = reverse("admin:tickets_ticket_operation", args=[ticket.pk, "classify"])
    page = admin_as(dispatcher).post(url, {"complaint_class": "major", "reason": "客户向上级投诉"})
    assert page.status_code == 200
    assert list(page.context["form"].errors) == ["complaint_class"]
    ticket.refresh_from_db()
    assert ticket.complaint_class == "" and list(ticket.log.values_list("kind", flat=True)) == ["registered"]


def test_admin_bulk_classify_reports_the_refused_ticket_and_classifies_the_rest(admin_as, dispatcher, desk):
    service = register(dispatcher, desk.customer, unit=desk.unit)
    complaint = register(dispatcher, desk.customer, kind="complaint")
    response = admin_as(dispatcher).post(
        "/admin/tickets/ticket/",
        {"action": "classify_tickets", "_selected_action": [service.pk, complaint.pk], "apply": "1",
         "complaint_class": "invalid", "reason": "非我方责任，已礼貌说明"},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any(service.number in m for m in messages)
    complaint.refresh_from_db()
    service.refresh_from_db()
    assert complaint.complaint_class == "invalid" and service.complaint_class == ""


# --- other refusals at the edge -----------------------------------------------------------------


def test_api_missing_and_wrong_values_name_every_field(api_client_as, dispatcher, desk):
    response = api_client_as(dispatcher).post(API, {"channel": "fax", "kind": "service"}, format="json")
    assert response.status_code == 400
    assert {"channel", "caller_name", "caller_phone", "description"} <= set(response.json()["errors"])
    assert nothing_saved()


def test_api_a_service_request_without_a_service_type_names_it(api_client_as, dispatcher, desk):
    response = api_client_as(dispatcher).post(API, call(desk, service_type=""), format="json")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["service_type"]
    assert nothing_saved()


def test_api_an_appointment_in_the_past_names_it(api_client_as, dispatcher, desk):
    response = api_client_as(dispatcher).post(API, call(desk, appointment_at="2020-01-01T10:00:00+08:00"), format="json")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["appointment_at"]
    assert nothing_saved()


def test_api_resuming_a_ticket_that_is_not_on_hold_is_a_409(api_client_as, dispatcher, desk):
    ticket = register(dispatcher, desk.customer, unit=desk.unit)
    response = api_client_as(dispatcher).post(f"{API}{ticket.pk}/resume/", {}, format="json")
    assert response.status_code == 409 and "status" in response.json()["errors"]


def test_api_closing_a_consultation_reply_on_a_repair_names_close(api_client_as, dispatcher, desk):
    ticket = register(dispatcher, desk.customer, unit=desk.unit)
    response = api_client_as(dispatcher).post(f"{API}{ticket.pk}/reply/", {"text": "好的", "close": True}, format="json")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["close"]
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.NEW and ticket.first_replied_at is None
    assert not ticket.log.filter(kind="reply").exists()
