"""Registration starts the right clocks with deadlines from the business calendar (SPEC §3, §4)."""

from decimal import Decimal

import pytest

from servicedesk.clocks.models import ClockState
from servicedesk.core.exceptions import DomainError, InvalidTransition
from tickets import services
from tickets.models import SLAClock, Ticket, TicketLog
from tests.factories import CustomerFactory, UnitFactory
from tests.tickets.helpers import at, register

pytestmark = pytest.mark.django_db


def clocks_of(ticket):
    return {c.target_code: c for c in SLAClock.objects.filter(ticket=ticket)}


def test_an_urban_repair_gets_first_reply_and_arrival_clocks(dispatcher, station_a):
    customer = CustomerFactory(station=station_a, zone="urban")
    ticket = register(dispatcher.user, customer, now=at(2026, 11, 23, 9, 0))  # a Monday
    assert ticket.number == "T-2026-000001"
    clocks = clocks_of(ticket)
    assert set(clocks) == {"first_reply", "arrival"}
    assert clocks["first_reply"].due_at == at(2026, 11, 23, 9, 15)  # 15 calendar minutes
    assert clocks["arrival"].due_at == at(2026, 11, 23, 16, 0)  # 6 working hours over lunch
    assert clocks["arrival"].warn_at == at(2026, 11, 23, 14, 48)  # 80 % = 4 h 48 min
    assert [e.kind for e in ticket.log.all()] == [TicketLog.Kind.REGISTERED]


def test_arrival_deadline_skips_the_national_day_holiday(dispatcher, station_a):
    customer = CustomerFactory(station=station_a, zone="urban")
    ticket = register(dispatcher.user, customer, now=at(2026, 9, 30, 16, 0))
    # 2 h on 30 Sep, then 1–7 Oct are holidays, 8 Oct 09:00–12:00 and 13:00–14:00.
    assert clocks_of(ticket)["arrival"].due_at == at(2026, 10, 8, 14, 0)


def test_a_make_up_saturday_counts_as_a_working_day(dispatcher, station_a):
    customer = CustomerFactory(station=station_a, zone="suburban")
    ticket = register(dispatcher.user, customer, now=at(2026, 10, 10, 10, 0))  # 调休 Saturday
    assert clocks_of(ticket)["arrival"].due_at == at(2026, 10, 10, 18, 0)  # 7 working hours


def test_a_night_call_starts_counting_next_working_morning(dispatcher, station_a):
    customer = CustomerFactory(station=station_a, zone="urban")
    ticket = register(dispatcher.user, customer, now=at(2026, 11, 27, 22, 30))  # Friday night
    assert clocks_of(ticket)["arrival"].due_at == at(2026, 11, 30, 16, 0)  # Monday
    assert clocks_of(ticket)["first_reply"].due_at == at(2026, 11, 27, 22, 45)  # calendar time


def test_remote_customer_within_radius_gets_24_calendar_hours(dispatcher, station_a):
    customer = CustomerFactory(station=station_a, zone="remote", distance_km=Decimal("80"))
    ticket = register(dispatcher.user, customer, now=at(2026, 11, 27, 17, 0))
    assert clocks_of(ticket)["arrival"].due_at == at(2026, 11, 28, 17, 0)


def test_beyond_the_radius_or_needing_the_manufacturer_promises_a_plan_in_12_hours(dispatcher, station_a):
    far = CustomerFactory(station=station_a, zone="remote", distance_km=Decimal("180"))
    ticket = register(dispatcher.user, far, now=at(2026, 11, 27, 17, 0))
    clocks = clocks_of(ticket)
    assert "arrival" not in clocks
    assert clocks["plan"].due_at == at(2026, 11, 28, 5, 0)
    near = CustomerFactory(station=station_a, zone="urban")
    ticket2 = register(dispatcher.user, near, now=at(2026, 11, 27, 17, 0), needs_manufacturer=True)
    assert set(clocks_of(ticket2)) == {"first_reply", "plan"}


def test_a_complaint_needs_a_plan_within_72_hours(dispatcher, station_a):
    customer = CustomerFactory(station=station_a)
    ticket = register(dispatcher.user, customer, kind="complaint", now=at(2026, 11, 23, 9, 0))
    assert clocks_of(ticket)["complaint_plan"].due_at == at(2026, 11, 26, 9, 0)
    services.give_plan(ticket=ticket, actor=dispatcher.user, text="上门检查并更换压缩机", now=at(2026, 11, 24, 9, 0))
    plan = SLAClock.objects.get(ticket=ticket, target_code="complaint_plan")
    assert plan.state_at(at(2026, 11, 30, 9, 0)) == ClockState.MET


def test_the_warranty_decision_and_its_reason_are_recorded(dispatcher, station_a):
    customer = CustomerFactory(station=station_a)
    unit = UnitFactory(customer=customer, purchase_date=at(2026, 11, 20, 0, 0).date(),
                       warranty_start=at(2026, 11, 20, 0, 0).date(), warranty_end=at(2027, 11, 19, 0, 0).date())
    ticket = register(dispatcher.user, customer, unit=unit, now=at(2026, 11, 23, 9, 0))
    assert ticket.warranty_decision == "return"
    assert "7" in ticket.warranty_reason


def test_a_unit_of_another_customer_is_refused_and_nothing_is_saved(dispatcher, station_a):
    customer = CustomerFactory(station=station_a)
    other_unit = UnitFactory()
    with pytest.raises(DomainError) as err:
        register(dispatcher.user, customer, unit=other_unit)
    assert err.value.field == "unit"
    assert Ticket.objects.count() == 0 and SLAClock.objects.count() == 0


@pytest.mark.parametrize("phone", ["12345", "abc", "1381234567"])
def test_a_bad_phone_is_refused_naming_the_field(dispatcher, station_a, phone):
    with pytest.raises(DomainError) as err:
        register(dispatcher.user, CustomerFactory(station=station_a), caller_phone=phone)
    assert err.value.field == "caller_phone"


def test_service_type_rules(dispatcher, station_a):
    customer = CustomerFactory(station=station_a)
    with pytest.raises(DomainError) as err:
        services.register_ticket(actor=dispatcher.user, customer=customer, kind="service", service_type="", channel="phone",
                                 caller_name="a", caller_phone="13812345678", description="x")
    assert err.value.field == "service_type"


def test_hold_pauses_and_resume_moves_the_deadline_by_the_pause(dispatcher, station_a):
    customer = CustomerFactory(station=station_a, zone="urban")
    ticket = register(dispatcher.user, customer, now=at(2026, 11, 23, 9, 0))
    services.reply_to_customer(ticket=ticket, actor=dispatcher.user, text="已受理，稍后派工", now=at(2026, 11, 23, 9, 5))
    services.hold_ticket(ticket=ticket, actor=dispatcher.user, reason="客户出差，下周再约", now=at(2026, 11, 23, 10, 0))
    arrival = SLAClock.objects.get(ticket=ticket, target_code="arrival")
    assert arrival.state_at(at(2026, 11, 25, 9, 0)) == ClockState.PAUSED
    assert arrival.next_fire_at is None
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.ON_HOLD
    services.resume_ticket(ticket=ticket, actor=dispatcher.user, now=at(2026, 11, 24, 9, 0))
    arrival.refresh_from_db()
    # 1 h counted before the pause, 5 h left from Tuesday 09:00.
    assert arrival.due_at == at(2026, 11, 24, 15, 0)
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.REPLIED


def test_resume_of_a_ticket_not_on_hold_is_refused(dispatcher, station_a):
    ticket = register(dispatcher.user, CustomerFactory(station=station_a))
    with pytest.raises(InvalidTransition):
        services.resume_ticket(ticket=ticket, actor=dispatcher.user)


def test_first_reply_stops_its_clock_and_a_consultation_closes_with_its_answer(dispatcher, station_a):
    ticket = register(dispatcher.user, CustomerFactory(station=station_a), kind="consultation", now=at(2026, 11, 23, 9, 0))
    services.reply_to_customer(ticket=ticket, actor=dispatcher.user, text="保修期为一年", close=True, now=at(2026, 11, 23, 9, 10))
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CLOSED
    reply = SLAClock.objects.get(ticket=ticket, target_code="first_reply")
    assert reply.state_at(at(2026, 11, 23, 12, 0)) == ClockState.MET
    assert reply.stopped_at == at(2026, 11, 23, 9, 10)


def test_a_late_reply_reads_as_met_late(dispatcher, station_a):
    ticket = register(dispatcher.user, CustomerFactory(station=station_a), kind="consultation", now=at(2026, 11, 23, 9, 0))
    services.reply_to_customer(ticket=ticket, actor=dispatcher.user, text="回复", now=at(2026, 11, 23, 9, 40))
    reply = SLAClock.objects.get(ticket=ticket, target_code="first_reply")
    assert reply.state_at(at(2026, 11, 23, 12, 0)) == ClockState.MISSED


def test_contact_log_is_append_only_in_the_database(dispatcher, station_a):
    from django.db import connection, transaction

    ticket = register(dispatcher.user, CustomerFactory(station=station_a))
    entry = services.log_contact(ticket=ticket, actor=dispatcher.user, kind="call_in", text="客户来电催促")
    with pytest.raises(Exception), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE tickets_ticketlog SET text = 'x' WHERE id = %s", [entry.pk])
    with pytest.raises(Exception), transaction.atomic():
        TicketLog.objects.filter(pk=entry.pk).delete()
    assert TicketLog.objects.get(pk=entry.pk).text == "客户来电催促"


def test_numbering_is_per_year_in_shanghai_time(dispatcher, station_a):
    customer = CustomerFactory(station=station_a)
    t1 = register(dispatcher.user, customer, kind="consultation", now=at(2026, 12, 31, 23, 50))
    t2 = register(dispatcher.user, customer, kind="consultation", now=at(2027, 1, 1, 0, 10))
    assert t1.number.startswith("T-2026-") and t2.number == "T-2027-000001"
