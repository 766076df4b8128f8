"""The dispatch board: the queue in SPEC §5 order and each working technician's day against the cap."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tickets import services
from tests.factories import CustomerFactory
from tests.tickets.desk import admin_as, desk, make_technician, many_tickets, register  # noqa: F401

pytestmark = pytest.mark.django_db

BOARD = "/admin/tickets/ticket/board/"


def test_the_queue_puts_key_customers_then_carried_over_calls_first(admin_as, dispatcher, station_a, desk):
    now = timezone.now()
    plain = CustomerFactory(name="普通客户", station=station_a, is_key=False)
    today_plain = register(dispatcher, plain)
    yesterday_plain = register(dispatcher, plain, now=now - timedelta(days=1))
    today_key = register(dispatcher, desk.customer, unit=desk.unit)
    consultation = register(dispatcher, plain, kind="consultation")
    dispatched = register(dispatcher, plain)
    services.dispatch_ticket(ticket=dispatched, technician=make_technician("busy", station_a), actor=dispatcher.user)

    page = admin_as(dispatcher).get(BOARD)
    assert page.status_code == 200
    queue = [row["ticket"] for row in page.context["rows"]]
    assert queue == [today_key, yesterday_plain, today_plain]
    html = page.content.decode()
    assert consultation.number not in html and dispatched.number not in html
    assert reverse("admin:tickets_ticket_dispatch", args=[today_key.pk]) in html
    assert html.count('data-sla-state="') >= 3


def test_each_working_technician_shows_customers_today_against_the_cap(admin_as, dispatcher, technician, station_a, desk, settings):
    settings.DISPATCH_DAILY_CUSTOMER_CAP = 3
    away = make_technician("away", station_a, status="on_leave")
    for _ in range(3):
        ticket = register(dispatcher, CustomerFactory(station=station_a))
        services.dispatch_ticket(ticket=ticket, technician=technician, actor=dispatcher.user)
    page = admin_as(dispatcher).get(BOARD)
    crew = {c["staff"]: c for c in page.context["crew"]}
    assert away not in crew
    assert crew[technician]["customers_today"] == 3 and crew[technician]["open_orders"] == 3 and crew[technician]["full"]
    html = page.content.decode()
    assert "3 / 3" in html and "sd-load--full" in html


def test_the_board_links_from_the_ticket_list_and_needs_ticket_permission(admin_as, dispatcher, warehouse_keeper):
    assert BOARD in admin_as(dispatcher).get("/admin/tickets/ticket/").content.decode()
    assert admin_as(warehouse_keeper).get(BOARD).status_code == 403


def test_the_board_hides_the_dispatch_button_from_those_who_cannot_dispatch(admin_as, dispatcher, finance, desk):
    ticket = register(dispatcher, desk.customer, unit=desk.unit)
    html = admin_as(finance).get(BOARD).content.decode()
    assert ticket.number in html
    assert reverse("admin:tickets_ticket_dispatch", args=[ticket.pk]) not in html
    assert admin_as(finance).get(reverse("admin:tickets_ticket_dispatch", args=[ticket.pk])).status_code == 403


def test_the_board_refreshes_itself_and_ticks(admin_as, dispatcher, desk):
    register(dispatcher, desk.customer, unit=desk.unit)
    html = admin_as(dispatcher).get(BOARD).content.decode()
    assert "js/sla_countdown.js" in html
    config = re.search(r'<script id="sd-sla-i18n" type="application/json">(.*?)</script>', html).group(1)
    assert '"refresh": 60' in config


def test_the_board_runs_a_constant_number_of_queries(admin_as, dispatcher, technician, station_a, desk, many_tickets, django_assert_max_num_queries):
    client = admin_as(dispatcher)
    client.get(BOARD)
    counts = []
    for more in (2, 25):
        many_tickets(more)
        make_technician(f"extra{more}", station_a)
        with django_assert_max_num_queries(14) as captured:
            assert client.get(BOARD).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], counts


def test_the_demo_desk_has_tickets_in_every_state_and_seeds_once(admin_as):
    from django.core.management import call_command

    from servicedesk.clocks.models import ClockState
    from servicedesk.org.models import Staff
    from tickets.models import Ticket, WorkOrder
    from tickets.views import nearest_clock

    call_command("seed_demo", verbosity=0)
    count = Ticket.objects.count()
    call_command("seed_demo", verbosity=0)
    assert Ticket.objects.count() == count >= 28
    assert set(Ticket.objects.values_list("kind", flat=True)) == {"service", "complaint", "consultation"}
    assert {"new", "replied", "dispatched", "on_hold", "closed"} <= set(Ticket.objects.values_list("status", flat=True))
    assert Ticket.objects.filter(complaint_class="major", escalated_at__isnull=False).exists()
    assert WorkOrder.objects.count() >= 4
    now = timezone.now()
    states = {nearest_clock(t.clocks.all()).state_at(now) for t in Ticket.objects.prefetch_related("clocks") if t.clocks.all()}
    assert {ClockState.RUNNING, ClockState.WARNING, ClockState.BREACHED, ClockState.PAUSED, ClockState.MET} <= states
    desk = Staff.objects.get(user__username="dispatcher")
    page = admin_as(desk).get(BOARD)
    assert page.status_code == 200 and page.context["rows"] and page.context["crew"]
