"""Dispatch suggestions with reasons, dispatching, complaints and hand-over (SPEC §3, §5)."""

import pytest
from django.utils import translation

from servicedesk.core.exceptions import DomainError, InvalidTransition
from servicedesk.notifications.models import Notification
from servicedesk.org.models import Role, Staff
from tickets import services
from tickets.dispatch import suggest_technicians
from tickets.models import SLAClock, Ticket, WorkOrder
from tickets.selectors import dispatch_queue
from tests.factories import CustomerFactory, ProductLineFactory, StaffFactory, UnitFactory, UserFactory
from tests.tickets.helpers import at, register

pytestmark = pytest.mark.django_db


def tech(username, station, **kw):
    return StaffFactory(user=UserFactory(username=username, roles=[Role.TECHNICIAN]), station=station, name=username, **kw)


def test_the_owner_comes_first_then_station_zone_and_skill(dispatcher, station_a, station_b):
    line = ProductLineFactory(code="AC", name="空调")
    owner = tech("owner", station_b)
    skilled = tech("skilled", station_a, zone="urban")
    skilled.skills.add(line)
    plain = tech("plain", station_a)
    customer = CustomerFactory(station=station_a, zone="urban", owner=owner)
    unit = UnitFactory(customer=customer, product_line=line)
    ticket = register(dispatcher.user, customer, unit=unit, now=at(2026, 11, 23, 9, 0))
    with translation.override("en"):
        ranked = suggest_technicians(ticket, day=at(2026, 11, 23, 9, 0).date())
    assert [s.technician for s in ranked[:3]] == [owner, skilled, plain]
    assert "Owns this customer" in ranked[0].reasons
    assert any("Skilled in" in r for r in ranked[1].reasons)


def test_nobody_gets_more_than_three_customers_a_day(dispatcher, station_a, settings):
    busy = tech("busy", station_a)
    free = tech("free", station_a)
    day = at(2026, 11, 23, 9, 0)
    for _ in range(3):
        t = register(dispatcher.user, CustomerFactory(station=station_a, owner=busy), now=day)
        services.dispatch_ticket(ticket=t, technician=busy, actor=dispatcher.user, now=day)
    ticket = register(dispatcher.user, CustomerFactory(station=station_a, owner=busy), now=day)
    ranked = suggest_technicians(ticket, day=day.date())
    assert ranked[0].technician == free
    assert ranked[-1].technician == busy and ranked[-1].over_cap and ranked[-1].customers_today == 3
    settings.DISPATCH_DAILY_CUSTOMER_CAP = 4
    assert suggest_technicians(ticket, day=day.date())[0].technician == busy


def test_absent_technicians_are_not_suggested_and_cannot_be_dispatched(dispatcher, station_a):
    away = tech("away", station_a, status=Staff.Status.ON_LEAVE)
    ticket = register(dispatcher.user, CustomerFactory(station=station_a))
    assert away not in [s.technician for s in suggest_technicians(ticket)]
    with pytest.raises(DomainError) as err:
        services.dispatch_ticket(ticket=ticket, technician=away, actor=dispatcher.user)
    assert err.value.field == "technician"
    assert WorkOrder.objects.count() == 0


def test_dispatch_creates_the_order_replies_and_notifies(dispatcher, technician, station_a, django_capture_on_commit_callbacks):
    ticket = register(dispatcher.user, CustomerFactory(station=station_a), now=at(2026, 11, 23, 9, 0))
    with django_capture_on_commit_callbacks(execute=True):
        order = services.dispatch_ticket(ticket=ticket, technician=technician, actor=dispatcher.user, now=at(2026, 11, 23, 9, 10))
    assert order.number == "WO-2026-000001" and order.category == "A"
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.DISPATCHED and ticket.first_replied_at == at(2026, 11, 23, 9, 10)
    assert SLAClock.objects.get(ticket=ticket, target_code="first_reply").stopped_at is not None
    assert SLAClock.objects.get(ticket=ticket, target_code="arrival").stopped_at is None
    assert Notification.objects.get(kind="work_order_dispatched").recipient == technician.user


def test_only_open_service_requests_are_dispatched(dispatcher, technician, station_a):
    consultation = register(dispatcher.user, CustomerFactory(station=station_a), kind="consultation")
    with pytest.raises(DomainError):
        services.dispatch_ticket(ticket=consultation, technician=technician, actor=dispatcher.user)
    ticket = register(dispatcher.user, CustomerFactory(station=station_a))
    services.close_ticket(ticket=ticket, actor=dispatcher.user, resolution="客户自行解决")
    with pytest.raises(InvalidTransition):
        services.dispatch_ticket(ticket=ticket, technician=technician, actor=dispatcher.user)


def test_a_category_override_needs_a_reason(dispatcher, technician, station_a):
    ticket = register(dispatcher.user, CustomerFactory(station=station_a))
    with pytest.raises(DomainError) as err:
        services.dispatch_ticket(ticket=ticket, technician=technician, actor=dispatcher.user, category="C")
    assert err.value.field == "category_reason"
    order = services.dispatch_ticket(ticket=ticket, technician=technician, actor=dispatcher.user, category="C", category_reason="经理批准免费")
    assert order.category == "C"


def test_key_customers_and_yesterdays_calls_lead_the_queue(dispatcher, station_a):
    today = at(2026, 11, 24, 9, 0)
    normal_today = register(dispatcher.user, CustomerFactory(station=station_a), now=today)
    yesterday = register(dispatcher.user, CustomerFactory(station=station_a), now=at(2026, 11, 23, 17, 0))
    key_today = register(dispatcher.user, CustomerFactory(station=station_a, is_key=True), now=at(2026, 11, 24, 10, 0))
    assert list(dispatch_queue(today=today.date())) == [key_today, yesterday, normal_today]


def test_a_major_complaint_goes_to_manager_and_general_manager_at_once(dispatcher, manager, general_manager, station_a, django_capture_on_commit_callbacks):
    ticket = register(dispatcher.user, CustomerFactory(station=station_a), kind="complaint")
    with django_capture_on_commit_callbacks(execute=True):
        services.classify_complaint(ticket=ticket, actor=dispatcher.user, complaint_class="major", reason="客户已向消协投诉")
    ticket.refresh_from_db()
    assert ticket.escalated_at is not None
    assert {n.recipient for n in Notification.objects.filter(kind="ticket_escalated")} == {manager.user, general_manager.user}


def test_an_unjudgeable_complaint_goes_to_the_manager(dispatcher, manager, general_manager, station_a, django_capture_on_commit_callbacks):
    ticket = register(dispatcher.user, CustomerFactory(station=station_a), kind="complaint")
    with django_capture_on_commit_callbacks(execute=True):
        services.classify_complaint(ticket=ticket, actor=dispatcher.user, complaint_class="undetermined", reason="责任不清")
    assert [n.recipient for n in Notification.objects.filter(kind="ticket_escalated")] == [manager.user]


def test_classifying_a_non_complaint_is_refused(dispatcher, station_a):
    ticket = register(dispatcher.user, CustomerFactory(station=station_a))
    with pytest.raises(DomainError) as err:
        services.classify_complaint(ticket=ticket, actor=dispatcher.user, complaint_class="valid", reason="x")
    assert err.value.field == "complaint_class"


def test_a_complaint_cannot_close_unclassified(dispatcher, station_a):
    ticket = register(dispatcher.user, CustomerFactory(station=station_a), kind="complaint")
    with pytest.raises(DomainError):
        services.close_ticket(ticket=ticket, actor=dispatcher.user, resolution="已处理")
    services.classify_complaint(ticket=ticket, actor=dispatcher.user, complaint_class="invalid", reason="超出保修范围，已礼貌解释")
    services.close_ticket(ticket=ticket, actor=dispatcher.user, resolution="已礼貌答复")


def test_hand_over_moves_open_orders_and_customers(dispatcher, station_a):
    leaving = tech("leaving", station_a)
    taking = tech("taking", station_a)
    customer = CustomerFactory(station=station_a, owner=leaving)
    ticket = register(dispatcher.user, customer)
    order = services.dispatch_ticket(ticket=ticket, technician=leaving, actor=dispatcher.user)
    result = services.hand_over(from_technician=leaving, to_technician=taking, actor=dispatcher.user)
    assert result == {"work_orders": 1, "customers": 1}
    order.refresh_from_db()
    customer.refresh_from_db()
    assert order.technician == taking and customer.owner == taking
