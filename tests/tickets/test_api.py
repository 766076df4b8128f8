"""The tickets API: the dispatcher's whole flow, filters, role permissions, scoping and query counts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from servicedesk.clocks.models import ClockState
from tickets import services
from tickets.models import Contact, Contract, Customer, Ticket, TicketLog, Unit, WorkOrder
from tests.factories import CustomerFactory, UnitFactory
from tests.tickets.desk import admin_as, desk, make_technician, many_tickets, register  # noqa: F401

pytestmark = pytest.mark.django_db

API = "/api/v1"


def test_a_dispatcher_takes_a_call_through_the_api(api_client_as, dispatcher, technician, desk):
    api = api_client_as(dispatcher)
    # The caller gives the phone of his contact person: find the customer and the unit.
    found = api.get(f"{API}/customers/", {"phone": "13912345678"}).json()
    assert [c["id"] for c in found["results"]] == [desk.customer.pk]
    units = api.get(f"{API}/units/", {"customer": desk.customer.pk}).json()["results"]
    assert [u["serial_number"] for u in units] == ["AC2611000001"]

    answer = api.post(f"{API}/units/{desk.unit.pk}/warranty-check/", {"fault_code": "不制冷"}, format="json").json()
    assert answer["decision"] == "free_repair" and answer["category"] == "C"
    assert answer["rule"] == "warranty" and answer["reason"] and answer["dates"]["warranty_end"]

    response = api.post(
        f"{API}/tickets/",
        {
            "customer": desk.customer.pk, "unit": desk.unit.pk, "channel": "phone", "kind": "service",
            "service_type": "repair", "caller_name": "李主任", "caller_phone": "139 1234 5678",
            "description": "三楼手术室空调不制冷", "fault_code": "不制冷",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    ticket = response.json()
    assert ticket["number"].startswith("T-") and ticket["status"] == "new"
    assert ticket["caller_phone"] == "13912345678"
    assert ticket["warranty_decision"] == "free_repair" and ticket["warranty_category"] == "C"
    assert {c["target_code"] for c in ticket["clocks"]} == {"first_reply", "arrival"}
    assert ticket["sla"]["target_code"] == "first_reply" and ticket["sla"]["state"] == ClockState.RUNNING

    replied = api.post(f"{API}/tickets/{ticket['id']}/reply/", {"text": "已安排工程师，今天下午上门"}, format="json").json()
    assert replied["status"] == "replied"
    assert {c["target_code"]: c["state"] for c in replied["clocks"]}["first_reply"] == ClockState.MET

    suggestions = api.get(f"{API}/tickets/{ticket['id']}/suggestions/").json()
    assert suggestions[0]["technician"] == technician.pk and suggestions[0]["rank"] == 1
    assert any("Owns this customer" in r or "负责该客户" in r for r in suggestions[0]["reasons"])

    order = api.post(f"{API}/tickets/{ticket['id']}/dispatch/", {"technician": technician.pk}, format="json")
    assert order.status_code == 201, order.json()
    assert order.json()["technician"] == technician.pk and order.json()["category"] == "C"
    assert order.json()["dispatch_reasons"] == suggestions[0]["reasons"]

    detail = api.get(f"{API}/tickets/{ticket['id']}/").json()
    assert detail["status"] == "dispatched"
    assert [w["number"] for w in detail["work_orders"]] == [order.json()["number"]]
    kinds = [e["kind"] for e in api.get(f"{API}/tickets/{ticket['id']}/log/").json()]
    assert kinds == ["registered", "reply", "dispatched"]


def test_a_consultation_is_answered_and_closed_at_once(api_client_as, dispatcher, desk):
    api = api_client_as(dispatcher)
    created = api.post(
        f"{API}/tickets/",
        {"customer": desk.customer.pk, "channel": "online", "kind": "consultation", "caller_name": "李主任",
         "caller_phone": "13912345678", "description": "保养合同什么时候到期？"},
        format="json",
    ).json()
    closed = api.post(f"{API}/tickets/{created['id']}/reply/", {"text": "明年一月到期", "close": True}, format="json").json()
    assert closed["status"] == "closed" and closed["resolution"] == "明年一月到期"


def test_a_major_complaint_is_escalated_and_can_be_held_resumed_and_closed(api_client_as, dispatcher, manager, general_manager, desk):
    api = api_client_as(dispatcher)
    complaint = register(dispatcher, desk.customer, kind="complaint", description="维修后又坏了，已向消协投诉")
    body = api.post(f"{API}/tickets/{complaint.pk}/classify/", {"complaint_class": "major", "reason": "客户已向消协投诉"}, format="json").json()
    assert body["complaint_class"] == "major" and body["escalated_at"]
    assert api.post(f"{API}/tickets/{complaint.pk}/plan/", {"text": "经理明天上门道歉并更换"}, format="json").json()["plan_given_at"]
    held = api.post(f"{API}/tickets/{complaint.pk}/hold/", {"reason": "等客户确认上门时间"}, format="json").json()
    assert held["status"] == "on_hold" and all(c["paused"] or c["stopped_at"] for c in held["clocks"])
    resumed = api.post(f"{API}/tickets/{complaint.pk}/resume/", {}, format="json").json()
    assert resumed["status"] == "replied"
    escalated = api.post(f"{API}/tickets/{complaint.pk}/escalate/", {"reason": "客户要求总经理回复", "to_general_manager": True}, format="json")
    assert escalated.status_code == 200
    closed = api.post(f"{API}/tickets/{complaint.pk}/close/", {"resolution": "已更换新机，客户满意"}, format="json").json()
    assert closed["status"] == "closed"


def test_contacts_are_logged_and_the_log_is_read_in_order(api_client_as, dispatcher, desk):
    api = api_client_as(dispatcher)
    ticket = register(dispatcher, desk.customer, unit=desk.unit)
    entry = api.post(f"{API}/tickets/{ticket.pk}/log/", {"kind": "call_in", "text": "客户来电催促"}, format="json")
    assert entry.status_code == 201 and entry.json()["by"] == dispatcher.user.username
    log = api.get(f"{API}/tickets/{ticket.pk}/log/").json()
    assert [e["kind"] for e in log] == ["registered", "call_in"]


def test_only_appointment_urgency_and_severity_can_be_patched(api_client_as, dispatcher, desk):
    api = api_client_as(dispatcher)
    ticket = register(dispatcher, desk.customer, unit=desk.unit)
    refused = api.patch(f"{API}/tickets/{ticket.pk}/", {"status": "closed", "warranty_decision": "paid"}, format="json")
    assert refused.status_code == 400
    assert set(refused.json()["errors"]) == {"status", "warranty_decision"}
    ticket.refresh_from_db()
    assert ticket.status == "new" and ticket.warranty_decision == "free_repair"

    when = timezone.now() + timedelta(days=1)
    changed = api.patch(f"{API}/tickets/{ticket.pk}/", {"urgency": "urgent", "appointment_at": when.isoformat()}, format="json")
    assert changed.status_code == 200, changed.json()
    assert changed.json()["urgency"] == "urgent"
    assert ticket.log.filter(kind=TicketLog.Kind.NOTE).count() == 1
    assert api.put(f"{API}/tickets/{ticket.pk}/", {}, format="json").status_code == 405
    assert api.delete(f"{API}/tickets/{ticket.pk}/").status_code in (403, 405)


def test_the_ticket_list_filters_and_searches_like_the_admin(api_client_as, dispatcher, desk):
    api = api_client_as(dispatcher)
    now = timezone.now()
    breached = register(dispatcher, desk.customer, unit=desk.unit, now=now - timedelta(hours=2))
    fresh = register(dispatcher, desk.other_customer, unit=desk.other_unit, caller_phone="021-62345678")
    consult = register(dispatcher, desk.customer, kind="consultation", description="咨询保养")

    def numbers(**params):
        return {t["number"] for t in api.get(f"{API}/tickets/", params).json()["results"]}

    assert numbers(breached="true") == {breached.number}
    assert numbers(kind="consultation") == {consult.number}
    assert numbers(status=["new"]) == {breached.number, fresh.number, consult.number}
    assert numbers(station=desk.other_customer.station_id) == {fresh.number}
    assert numbers(is_key_customer="true") == {breached.number, consult.number}
    assert numbers(search="62345678") == {fresh.number}
    assert numbers(search="AC2611000002") == {fresh.number}
    assert numbers(search="苏州工业园区") == {fresh.number}
    assert numbers(search=consult.number) == {consult.number}
    if timezone.localdate(now + timedelta(minutes=15)) == timezone.localdate(now):
        # Its first-reply deadline is 15 minutes away: today (unless the test runs just before midnight).
        assert fresh.number in numbers(due_today="true")
    assert breached.number not in numbers(breached="false")


def test_the_ticket_list_pages_with_a_cursor(api_client_as, dispatcher, many_tickets):
    tickets = many_tickets(5)
    api = api_client_as(dispatcher)
    first = api.get(f"{API}/tickets/", {"page_size": 2}).json()
    assert "count" not in first and first["next"]
    assert [t["number"] for t in first["results"]] == [tickets[4].number, tickets[3].number]
    second = api.get(first["next"]).json()
    assert [t["number"] for t in second["results"]] == [tickets[2].number, tickets[1].number]


@pytest.mark.parametrize(
    ("url", "limit"),
    [
        ("/tickets/", 6),
        ("/customers/", 6),
        ("/units/", 6),
        ("/contracts/", 7),
        ("/contacts/", 6),
        ("/clocks/", 6),
    ],
)
def test_list_query_counts_do_not_grow_with_the_page(api_client_as, dispatcher, desk, many_tickets, django_assert_max_num_queries, url, limit):
    api = api_client_as(dispatcher)
    api.get(f"{API}{url}")  # roles and permissions are cached on the user from here on
    counts = []
    for more in (2, 30):
        many_tickets(more)
        for _ in range(more):
            customer = CustomerFactory(station=desk.customer.station)
            Contact.objects.create(customer=customer, name="张三", phone="13800000000")
            UnitFactory(customer=customer, product_line=desk.line)
            Contract.objects.create(number=f"HT-X-{customer.pk}", customer=customer, start_date=timezone.localdate(), end_date=timezone.localdate())
        with django_assert_max_num_queries(limit) as captured:
            response = api.get(f"{API}{url}", {"page_size": 100})
        assert response.status_code == 200
        assert len(response.json()["results"]) >= more
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], f"{url}: {counts}"


def test_the_ticket_list_of_a_technician_stays_constant_too(api_client_as, dispatcher, technician, desk, many_tickets, django_assert_max_num_queries):
    api = api_client_as(technician)
    api.get(f"{API}/tickets/")
    counts = []
    for more in (2, 20):
        for ticket in many_tickets(more):
            services.dispatch_ticket(ticket=ticket, technician=technician, actor=dispatcher.user)
        with django_assert_max_num_queries(6) as captured:
            assert len(api.get(f"{API}/tickets/", {"page_size": 100}).json()["results"]) >= more
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_a_technician_sees_only_his_own_tickets_and_customers(api_client_as, dispatcher, technician, other_technician, desk):
    mine = register(dispatcher, desk.customer, unit=desk.unit)
    services.dispatch_ticket(ticket=mine, technician=technician, actor=dispatcher.user)
    theirs = register(dispatcher, desk.other_customer, unit=desk.other_unit)
    services.dispatch_ticket(ticket=theirs, technician=other_technician, actor=dispatcher.user)
    undispatched = register(dispatcher, desk.customer, unit=desk.unit)

    api = api_client_as(technician)
    assert [t["id"] for t in api.get(f"{API}/tickets/").json()["results"]] == [mine.pk]
    assert api.get(f"{API}/tickets/{mine.pk}/").status_code == 200
    assert api.get(f"{API}/tickets/{theirs.pk}/").status_code == 404
    assert api.get(f"{API}/tickets/{undispatched.pk}/").status_code == 404
    assert api.get(f"{API}/tickets/{theirs.pk}/clocks/").status_code == 404
    assert {c["id"] for c in api.get(f"{API}/customers/").json()["results"]} == {desk.customer.pk}
    assert api.get(f"{API}/customers/{desk.other_customer.pk}/").status_code == 404
    assert api.get(f"{API}/units/{desk.other_unit.pk}/history/").status_code == 404
    assert {c["ticket"] for c in api.get(f"{API}/clocks/").json()["results"]} == {mine.pk}
    # Reading is all a technician does here.
    assert api.post(f"{API}/tickets/{mine.pk}/reply/", {"text": "x"}, format="json").status_code == 403
    assert api.post(f"{API}/customers/", {"name": "x"}, format="json").status_code == 403

    other = api_client_as(other_technician)
    assert [t["id"] for t in other.get(f"{API}/tickets/").json()["results"]] == [theirs.pk]


def test_finance_reads_but_changes_nothing(api_client_as, dispatcher, finance, technician, desk):
    ticket = register(dispatcher, desk.customer, unit=desk.unit)
    api = api_client_as(finance)
    assert api.get(f"{API}/tickets/{ticket.pk}/").status_code == 200
    assert api.get(f"{API}/contracts/").status_code == 200
    assert api.post(f"{API}/tickets/{ticket.pk}/reply/", {"text": "x"}, format="json").status_code == 403
    assert api.post(f"{API}/tickets/{ticket.pk}/dispatch/", {"technician": technician.pk}, format="json").status_code == 403
    assert api.get(f"{API}/tickets/{ticket.pk}/suggestions/").status_code == 403
    assert api.patch(f"{API}/tickets/{ticket.pk}/", {"urgency": "high"}, format="json").status_code == 403
    assert api.post(f"{API}/tickets/", {}, format="json").status_code == 403
    assert api.patch(f"{API}/customers/{desk.customer.pk}/", {"name": "x"}, format="json").status_code == 403
    assert not WorkOrder.objects.exists()


def test_a_station_head_sees_his_station_only(api_client_as, dispatcher, station_head, desk):
    here = register(dispatcher, desk.customer, unit=desk.unit)
    there = register(dispatcher, desk.other_customer, unit=desk.other_unit)
    api = api_client_as(station_head)
    assert [t["id"] for t in api.get(f"{API}/tickets/").json()["results"]] == [here.pk]
    assert api.get(f"{API}/tickets/{there.pk}/").status_code == 404


def test_customers_contacts_units_and_contracts_are_kept_by_the_desk(api_client_as, dispatcher, desk, station_a):
    api = api_client_as(dispatcher)
    customer = api.post(
        f"{API}/customers/",
        {"name": "张江派出所", "kind": "public_authority", "phone": "021-50801234", "address": "上海市浦东新区科苑路1号",
         "zone": "urban", "distance_km": "8.5", "station": station_a.pk, "is_key": True},
        format="json",
    )
    assert customer.status_code == 201, customer.json()
    cid = customer.json()["id"]
    contact = api.post(f"{API}/contacts/", {"customer": cid, "name": "王所长", "phone": "13611112222"}, format="json")
    assert contact.status_code == 201
    unit = api.post(
        f"{API}/units/",
        {"customer": cid, "product_line": desk.line.pk, "model": "KFR-72LW", "serial_number": "AC-NEW-1",
         "purchase_date": "2026-06-01", "warranty_start": "2026-06-01", "warranty_end": "2027-05-31"},
        format="json",
    )
    assert unit.status_code == 201, unit.json()
    contract = api.post(
        f"{API}/contracts/",
        {"number": "HT-2026-9001", "customer": cid, "kind": "maintenance", "start_date": "2026-06-01",
         "end_date": "2027-05-31", "units": [unit.json()["id"]], "annual_fee": "3600.00"},
        format="json",
    )
    assert contract.status_code == 201, contract.json()
    assert contract.json()["signed_by"] == dispatcher.user.pk and contract.json()["renewal_notice_on"] == "2027-04-30"
    foreign = api.post(
        f"{API}/contracts/",
        {"number": "HT-2026-9002", "customer": cid, "start_date": "2026-06-01", "end_date": "2027-05-31",
         "units": [desk.unit.pk]},
        format="json",
    )
    assert foreign.status_code == 400 and "units" in foreign.json()["errors"]
    assert api.delete(f"{API}/customers/{cid}/").status_code == 403  # nobody deletes a customer


def test_unit_history_lists_every_ticket_and_work_order_of_the_unit(api_client_as, dispatcher, technician, desk):
    first = register(dispatcher, desk.customer, unit=desk.unit, fault_code="不制冷")
    order = services.dispatch_ticket(ticket=first, technician=technician, actor=dispatcher.user)
    second = register(dispatcher, desk.customer, unit=desk.unit, fault_code="漏水")
    register(dispatcher, desk.other_customer, unit=desk.other_unit)
    body = api_client_as(dispatcher).get(f"{API}/units/{desk.unit.pk}/history/").json()
    assert body["unit"]["serial_number"] == "AC2611000001"
    assert [t["number"] for t in body["tickets"]] == [second.number, first.number]
    assert [w["number"] for w in body["work_orders"]] == [order.number]


def test_clocks_are_read_per_ticket_with_their_state_now(api_client_as, dispatcher, desk):
    late = register(dispatcher, desk.customer, unit=desk.unit, now=timezone.now() - timedelta(hours=1))
    api = api_client_as(dispatcher)
    clocks = api.get(f"{API}/clocks/", {"ticket": late.pk}).json()["results"]
    by_target = {c["target_code"]: c for c in clocks}
    assert by_target["first_reply"]["state"] == ClockState.BREACHED
    assert by_target["first_reply"]["remaining_seconds"] < 0
    assert {c["id"] for c in api.get(f"{API}/tickets/{late.pk}/clocks/").json()} == {c["id"] for c in clocks}
    assert api.get(f"{API}/clocks/", {"ticket": late.pk, "open": "true"}).json()["results"]


def test_warranty_check_takes_flags_and_refuses_a_date_before_purchase(api_client_as, dispatcher, desk):
    api = api_client_as(dispatcher)
    url = f"{API}/units/{desk.unit.pk}/warranty-check/"
    paid = api.post(url, {"exclusions": ["misuse"]}, format="json").json()
    assert paid["decision"] == "paid" and paid["rule"] == "exclusion" and paid["category"] == "A"
    early = api.post(url, {"fault_date": (desk.unit.purchase_date - timedelta(days=1)).isoformat()}, format="json")
    assert early.status_code == 400 and "fault_date" in early.json()["errors"]
    bad = api.post(url, {"exclusions": ["bad_luck"]}, format="json")
    assert bad.status_code == 400 and "exclusions" in bad.json()["errors"]


def test_dispatch_suggestions_are_only_for_service_requests(api_client_as, dispatcher, desk):
    consult = register(dispatcher, desk.customer, kind="consultation")
    response = api_client_as(dispatcher).get(f"{API}/tickets/{consult.pk}/suggestions/")
    assert response.status_code == 400 and "ticket" in response.json()["errors"]


def test_every_customer_kind_is_accepted_and_the_models_are_untouched_by_reads(api_client_as, finance, desk):
    before = (Customer.objects.count(), Unit.objects.count(), Ticket.objects.count())
    api = api_client_as(finance)
    for url in ("/customers/", "/units/", "/contracts/", "/contacts/", "/tickets/", "/clocks/"):
        assert api.get(f"{API}{url}").status_code == 200, url
    assert (Customer.objects.count(), Unit.objects.count(), Ticket.objects.count()) == before


def test_an_absent_technician_is_named_when_dispatching_through_the_api(api_client_as, dispatcher, station_a, desk):
    away = make_technician("away", station_a, status="on_leave")
    ticket = register(dispatcher, desk.customer, unit=desk.unit)
    response = api_client_as(dispatcher).post(f"{API}/tickets/{ticket.pk}/dispatch/", {"technician": away.pk}, format="json")
    assert response.status_code == 400 and "technician" in response.json()["errors"]


def test_a_device_token_lists_tickets_in_six_queries_from_cold(dispatcher, many_tickets, django_assert_max_num_queries):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    token = Token.objects.create(user=dispatcher.user)
    for more in (2, 40):
        many_tickets(more)
        client = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")  # a new request: nothing cached on the user
        # token+user, roles, two permission reads, the page, its clocks.
        with django_assert_max_num_queries(6):
            assert client.get(f"{API}/tickets/", {"page_size": 100}).status_code == 200
