"""The dispatcher's admin: the ticket list with its countdown, registering a call, the ticket page,
the actions and the other tickets screens — as a dispatcher (is_staff, group permissions) would use them."""

import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tickets import services
from tickets.admin import EstimatedCountPaginator
from tickets.models import SLAPolicy, Ticket, TicketLog, WorkOrder
from tests.factories import CustomerFactory
from tests.tickets.desk import admin_as, desk, many_tickets, register  # noqa: F401

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/tickets/ticket/"
REGISTER = "/admin/tickets/ticket/register/"


def change_url(ticket):
    return reverse("admin:tickets_ticket_change", args=[ticket.pk])


def op_url(ticket, name):
    return reverse("admin:tickets_ticket_operation", args=[ticket.pk, name])


def states_in(page: str) -> list[str]:
    return re.findall(r'data-sla-state="(\w+)"', page)


def test_a_dispatcher_takes_a_call_from_search_to_countdown(admin_as, dispatcher, technician, desk):
    client = admin_as(dispatcher)
    # 1. The phone rings: find the customer by the caller's number.
    found = client.get("/admin/tickets/customer/", {"q": "021-58881234"}).content.decode()
    assert "浦东人民医院" in found
    assert f"{REGISTER}?customer={desk.customer.pk}" in found

    # 2. Open "register a call" for that customer: the caller is filled in from the primary contact.
    page = client.get(REGISTER, {"customer": desk.customer.pk})
    assert page.status_code == 200
    assert page.context["form"].initial["caller_phone"] == "13912345678"

    # 3. Check the warranty for the unit before registering.
    form = {
        "customer": desk.customer.pk, "unit": desk.unit.pk, "caller_name": "李主任", "caller_phone": "13912345678",
        "address": "", "channel": "phone", "kind": "service", "service_type": "repair",
        "description": "三楼手术室空调不制冷", "fault_code": "不制冷", "urgency": "high", "severity": "normal",
        "appointment_at_0": "", "appointment_at_1": "",
    }
    checked = client.post(REGISTER, {**form, "_check_warranty": "1"})
    assert checked.status_code == 200 and checked.context["answer"].decision == "free_repair"
    assert not Ticket.objects.exists()

    # 4. Register: the service numbers it, checks the warranty and starts the clocks.
    response = client.post(REGISTER, form)
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == change_url(ticket)
    assert ticket.registered_by == dispatcher.user and ticket.address == desk.customer.address

    # 5. The ticket page: warranty decision and reason, clocks, contact log, unit history.
    page = client.get(change_url(ticket))
    assert page.status_code == 200
    html = page.content.decode()
    assert ticket.warranty_reason in html
    assert "data-sla-state=" in html and "<time datetime=" in html
    assert 'id="unit-history"' in html and "AC2611000001" in html
    assert "三楼手术室空调不制冷" in html  # the registration entry of the contact log
    assert op_url(ticket, "reply") in html and reverse("admin:tickets_ticket_dispatch", args=[ticket.pk]) in html

    # 6. Reply to the customer from the ticket page.
    response = client.post(op_url(ticket, "reply"), {"text": "工程师今天下午到"})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.REPLIED and ticket.first_replied_at

    # 7. Dispatch: the suggestions and their reasons; the owner is suggested (and pre-selected) first.
    url = reverse("admin:tickets_ticket_dispatch", args=[ticket.pk])
    page = client.get(url)
    cards = page.context["cards"]
    first, checked_first = cards[0]["suggestions"][0]
    assert first.technician == technician and checked_first
    html = page.content.decode()
    for reason in first.reasons:
        assert reason in html
    response = client.post(url, {f"tech_{ticket.pk}": technician.pk})
    assert response.status_code == 302
    order = WorkOrder.objects.get()
    assert order.technician == technician and order.dispatch_reasons == first.reasons

    # 8. Back on the list: dispatched, with the arrival countdown ticking.
    page = client.get(CHANGELIST).content.decode()
    assert ticket.number in page and "sla_countdown.js" in page and 'id="sd-sla-i18n"' in page
    assert states_in(page) == ["ok"]


def test_the_countdown_shows_each_state_with_its_colour(admin_as, dispatcher, desk):
    now = timezone.now()
    ok = register(dispatcher, desk.customer, kind="consultation")
    warning = register(dispatcher, desk.customer, kind="consultation", now=now - timedelta(minutes=13))
    breached = register(dispatcher, desk.customer, kind="consultation", now=now - timedelta(hours=1))
    paused = register(dispatcher, desk.customer, kind="consultation")
    services.hold_ticket(ticket=paused, actor=dispatcher.user, reason="等客户回电")
    met = register(dispatcher, desk.customer, kind="complaint")
    services.give_plan(ticket=met, actor=dispatcher.user, text="明天上门")
    page = admin_as(dispatcher).get(CHANGELIST).content.decode()

    def state(ticket):
        row = page[page.index(f">{ticket.number}<"):]
        return re.search(r'data-sla-state="(\w+)"', row).group(1)

    assert state(ok) == "ok" and state(warning) == "warning" and state(breached) == "breached"
    assert state(paused) == "paused" and state(met) == "met"
    assert 'class="sd-sla sd-sla--breached"' in page


def test_the_filters_for_breached_now_due_today_key_customers_and_the_search(admin_as, dispatcher, desk):
    now = timezone.now()
    late = register(dispatcher, desk.customer, unit=desk.unit, now=now - timedelta(hours=2))
    fresh = register(dispatcher, desk.other_customer, unit=desk.other_unit, caller_phone="021-62345678")
    client = admin_as(dispatcher)

    def listed(**params):
        page = client.get(CHANGELIST, params).content.decode()
        return {n for n in (late.number, fresh.number) if n in page}

    assert listed(sla="breached") == {late.number}
    assert listed(sla="warning") == set()
    assert listed(is_key_customer__exact="1") == {late.number}
    assert listed(station__id__exact=desk.other_customer.station_id) == {fresh.number}
    assert listed(status__exact="new", kind__exact="service", channel__exact="phone", zone__exact="urban") == {late.number, fresh.number}
    if timezone.localdate(now + timedelta(minutes=15)) == timezone.localdate(now):
        assert fresh.number in listed(due="today")
    assert listed(q="021 6234 5678") == {fresh.number}
    assert listed(q="AC2611000001") == {late.number}
    assert listed(q="苏州工业园区") == {fresh.number}
    assert listed(q=late.number) == {late.number}


def test_the_ticket_list_runs_a_constant_number_of_queries(admin_as, dispatcher, many_tickets, django_assert_max_num_queries):
    client = admin_as(dispatcher)
    client.get(CHANGELIST)
    counts = []
    for more in (2, 40):
        many_tickets(more)
        with django_assert_max_num_queries(10) as captured:
            assert client.get(CHANGELIST).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], counts


def test_the_paginator_never_counts_a_big_table(dispatcher, many_tickets, django_assert_max_num_queries, monkeypatch):
    many_tickets(12)
    unfiltered = Ticket.objects.order_by("-registered_at", "-pk")
    # A small table (or one never analysed) is counted exactly, in the same single query.
    with django_assert_max_num_queries(1):
        assert EstimatedCountPaginator(unfiltered, 50).count == 12
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tickets_ticket")
    monkeypatch.setattr(EstimatedCountPaginator, "exact_below", 5)
    with django_assert_max_num_queries(1) as captured:
        count = EstimatedCountPaginator(unfiltered, 50).count
    assert count == 12  # the catalogue's estimate (ANALYZE made it exact here)
    assert "pg_class" in captured.captured_queries[0]["sql"]
    # Filtered: counted exactly up to the threshold, past it the planner's estimate; never a full count.
    with django_assert_max_num_queries(2) as captured:
        filtered = EstimatedCountPaginator(Ticket.objects.filter(kind="service").order_by("pk"), 50).count
    assert filtered >= 6
    assert "LIMIT 6" in captured.captured_queries[0]["sql"] and "EXPLAIN" in captured.captured_queries[1]["sql"]
    monkeypatch.setattr(EstimatedCountPaginator, "exact_below", 100)
    assert EstimatedCountPaginator(Ticket.objects.filter(kind="service").order_by("pk"), 50).count == 12


def test_bulk_reply_goes_through_an_intermediate_page_and_reports_each_refusal(admin_as, dispatcher, desk):
    open_one = register(dispatcher, desk.customer, unit=desk.unit)
    closed = register(dispatcher, desk.customer, kind="consultation")
    services.reply_to_customer(ticket=closed, actor=dispatcher.user, text="已答复", close=True)
    client = admin_as(dispatcher)
    selected = {"action": "reply_tickets", "_selected_action": [open_one.pk, closed.pk], "index": "0"}
    page = client.post(CHANGELIST, selected)
    assert page.status_code == 200 and page.context["op"].name == "reply" and not TicketLog.objects.filter(kind="reply", ticket=open_one).exists()

    done = client.post(
        CHANGELIST,
        {"action": "reply_tickets", "_selected_action": [open_one.pk, closed.pk], "apply": "1", "text": "工程师今天联系您"},
        follow=True,
    )
    messages = [str(m) for m in done.context["messages"]]
    assert any(closed.number in m for m in messages)  # refused: already closed
    open_one.refresh_from_db()
    assert open_one.status == Ticket.Status.REPLIED


def test_classify_escalate_hold_resume_and_close_actions_call_the_services(admin_as, dispatcher, manager, desk):
    complaint = register(dispatcher, desk.customer, kind="complaint", description="工程师态度差")
    client = admin_as(dispatcher)

    def act(action, **data):
        return client.post(CHANGELIST, {"action": action, "_selected_action": [complaint.pk], "apply": "1", **data}, follow=True)

    page = client.post(CHANGELIST, {"action": "classify_tickets", "_selected_action": [complaint.pk], "index": "0"})
    assert "complaint_class" in page.context["form"].fields
    act("classify_tickets", complaint_class="valid", reason="服务态度问题属实")
    complaint.refresh_from_db()
    assert complaint.complaint_class == "valid"
    act("escalate_tickets", reason="客户要求经理回电")
    act("hold_tickets", reason="等客户方便的时间")
    complaint.refresh_from_db()
    assert complaint.escalated_at and complaint.status == Ticket.Status.ON_HOLD
    client.post(CHANGELIST, {"action": "resume_tickets", "_selected_action": [complaint.pk], "index": "0"})
    act("resume_tickets", note="客户回电")
    act("close_tickets", resolution="经理道歉，客户接受")
    complaint.refresh_from_db()
    assert complaint.status == Ticket.Status.CLOSED
    kinds = list(complaint.log.values_list("kind", flat=True))
    assert kinds == ["registered", "classified", "escalated", "on_hold", "resumed", "closed"]


def test_the_dispatch_action_lists_suggestions_for_each_ticket(admin_as, dispatcher, technician, desk):
    a = register(dispatcher, desk.customer, unit=desk.unit)
    b = register(dispatcher, desk.customer, unit=desk.unit)
    client = admin_as(dispatcher)
    page = client.post(CHANGELIST, {"action": "dispatch_tickets", "_selected_action": [a.pk, b.pk], "index": "0"})
    assert page.status_code == 200 and len(page.context["cards"]) == 2
    assert all(card["suggestions"] for card in page.context["cards"])
    client.post(
        CHANGELIST,
        {"action": "dispatch_tickets", "_selected_action": [a.pk, b.pk], "apply": "1", f"tech_{a.pk}": technician.pk, f"tech_{b.pk}": ""},
    )
    assert list(WorkOrder.objects.values_list("ticket_id", flat=True)) == [a.pk]


def test_the_ticket_page_is_read_only_and_details_change_through_a_service(admin_as, dispatcher, desk):
    ticket = register(dispatcher, desk.customer, unit=desk.unit)
    client = admin_as(dispatcher)
    assert client.post(change_url(ticket), {"status": "closed"}).status_code == 405
    page = client.get(change_url(ticket)).content.decode()
    assert 'name="_save"' not in page
    when = timezone.localtime() + timedelta(days=2)
    response = client.post(
        op_url(ticket, "details"),
        {"appointment_at_0": when.strftime("%Y-%m-%d"), "appointment_at_1": "10:00:00", "urgency": "urgent", "severity": "high"},
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.urgency == "urgent" and ticket.appointment_at is not None
    assert ticket.log.filter(kind="note").exists()
    # Adding through the admin's own "add" page leads to the register form.
    assert client.get("/admin/tickets/ticket/add/")["Location"].startswith(REGISTER)


def test_contacts_are_logged_from_the_ticket_page(admin_as, dispatcher, desk):
    ticket = register(dispatcher, desk.customer, unit=desk.unit)
    client = admin_as(dispatcher)
    client.post(op_url(ticket, "contact"), {"kind": "call_in", "text": "客户来电催促"})
    client.post(op_url(ticket, "plan"), {"text": "先送备用机"})
    html = client.get(change_url(ticket)).content.decode()
    assert html.index("客户来电催促") < html.index("先送备用机")  # oldest first


def test_excel_export_of_tickets_and_customers_is_formula_safe(admin_as, dispatcher, desk, station_a):
    evil = CustomerFactory(name="=HYPERLINK(\"http://x\",\"点我\")", station=station_a)
    register(dispatcher, evil, kind="consultation", description="+cmd|' /C calc'!A0")
    client = admin_as(dispatcher)
    response = client.post("/admin/tickets/customer/", {"action": "export_to_excel", "_selected_action": [evil.pk, desk.customer.pk], "index": "0"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "'=HYPERLINK(\"http://x\",\"点我\")" in values and "浦东人民医院" in values

    tickets = list(Ticket.objects.values_list("pk", flat=True))
    response = client.post(CHANGELIST, {"action": "export_to_excel", "_selected_action": tickets, "index": "0"})
    ws = load_workbook(io.BytesIO(response.content)).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "'+cmd|' /C calc'!A0" in values


def test_unit_and_customer_pages_show_history_warranty_and_a_register_link(admin_as, dispatcher, technician, desk):
    ticket = register(dispatcher, desk.customer, unit=desk.unit, fault_code="不制冷")
    order = services.dispatch_ticket(ticket=ticket, technician=technician, actor=dispatcher.user)
    client = admin_as(dispatcher)
    unit_page = client.get(reverse("admin:tickets_unit_change", args=[desk.unit.pk])).content.decode()
    assert ticket.number in unit_page and order.number in unit_page
    assert 'id="warranty-answer"' in unit_page and f"{REGISTER}?unit={desk.unit.pk}" in unit_page
    customer_page = client.get(reverse("admin:tickets_customer_change", args=[desk.customer.pk])).content.decode()
    assert ticket.number in customer_page and f"{REGISTER}?customer={desk.customer.pk}" in customer_page
    # Registering from the unit fills in its customer and shows the warranty at once.
    page = client.get(REGISTER, {"unit": desk.unit.pk})
    assert page.context["form"].initial["customer"] == desk.customer.pk and page.context["answer"] is not None


def test_the_autocomplete_finds_customers_units_and_technicians(admin_as, dispatcher, technician, desk):
    client = admin_as(dispatcher)

    def search(model, field, term):
        response = client.get("/admin/autocomplete/", {"app_label": "tickets", "model_name": model, "field_name": field, "term": term})
        assert response.status_code == 200, response.content
        return [r["text"] for r in response.json()["results"]]

    assert search("ticket", "customer", "人民医院") == ["浦东人民医院"]
    assert any("AC2611000001" in t for t in search("ticket", "unit", "AC2611000001"))
    assert any(technician.name in t for t in search("workorder", "technician", technician.name))


def test_policies_are_changed_by_managers_and_read_by_the_desk(admin_as, dispatcher, manager):
    policy = SLAPolicy.objects.get(target="first_reply")
    url = reverse("admin:tickets_slapolicy_change", args=[policy.pk])
    assert admin_as(dispatcher).get(url).status_code == 200
    assert admin_as(dispatcher).post(url, {}).status_code == 403
    response = admin_as(manager).post(
        url,
        {"target": "first_reply", "kind": "", "zone": "", "priority": "", "condition": "", "duration": "00:20:00",
         "clock": "calendar", "is_active": "on", "source": "15分钟内回复客户"},
    )
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.duration == timedelta(minutes=20)
    assert admin_as(manager).get("/admin/tickets/warrantypolicy/add/").status_code == 200


def test_work_orders_are_listed_read_only(admin_as, dispatcher, technician, desk):
    ticket = register(dispatcher, desk.customer, unit=desk.unit)
    order = services.dispatch_ticket(ticket=ticket, technician=technician, actor=dispatcher.user)
    client = admin_as(dispatcher)
    assert order.number in client.get("/admin/tickets/workorder/").content.decode()
    assert client.get("/admin/tickets/workorder/add/").status_code == 403
    page = client.get(reverse("admin:tickets_workorder_change", args=[order.pk])).content.decode()
    assert 'name="_save"' not in page


def test_a_station_head_sees_only_his_stations_tickets_in_the_admin(admin_as, dispatcher, station_head, desk):
    here = register(dispatcher, desk.customer, unit=desk.unit)
    there = register(dispatcher, desk.other_customer, unit=desk.other_unit)
    client = admin_as(station_head)
    page = client.get(CHANGELIST).content.decode()
    assert here.number in page and there.number not in page
    assert client.get(change_url(there)).status_code == 302  # the admin's "does not exist" redirect
    assert client.post(op_url(here, "reply"), {"text": "x"}).status_code == 403


def test_the_admin_speaks_chinese(admin_as, dispatcher, desk):
    ticket = register(dispatcher, desk.customer, unit=desk.unit)
    client = admin_as(dispatcher)
    page = client.get(CHANGELIST).content.decode()
    assert "登记来电" in page and "派工看板" in page and "时限倒计时" in page
    page = client.get(change_url(ticket)).content.decode()
    assert "三包" in page and "回复客户" in page
