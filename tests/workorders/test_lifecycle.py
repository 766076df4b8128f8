"""A work order from acceptance to the customer's signature and the review, through the services."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from servicedesk.core.exceptions import DomainError, InvalidTransition
from spares.models import StockMove
from tests.spares.conftest import on_hand
from tickets import signals, work_orders as wo
from tickets.models import SLAClock, Ticket, WorkOrder

from .conftest import jpeg, new_id, png

pytestmark = pytest.mark.django_db


def walk_to_site(order, technician):
    user = technician.user
    wo.accept_order(order=order, actor=user)
    wo.confirm_appointment(order=order, actor=user, appointment_at=timezone.now() + timedelta(hours=1))
    return wo.record_arrival(order=order, actor=user)


def fill_and_complete(order, technician, service_item, *, part=None, van=None):
    user = technician.user
    wo.save_report(order=order, actor=user, diag_listen="外机异响", diag_look="风扇叶片变形", diag_check="电容正常",
                   running_time="3200 小时", opened_before=False, cause="风扇叶片老化变形", responsibility="use",
                   resolution="更换风扇叶片并清洗", labour_minutes=50)
    wo.add_service_item(order=order, actor=user, service_item=service_item)
    if part is not None:
        wo.add_part(order=order, actor=user, part=part, location=van, qty=1)
    total = wo.quote(WorkOrder.objects.get(pk=order.pk))
    wo.confirm_price(order=order, actor=user, amount=total, payment_method="cash")
    wo.start_work(order=order, actor=user)
    return wo.complete_order(order=order, actor=user)


def test_an_order_walks_from_acceptance_to_review(order, technician, supervisor, service_item, stocked_van, thermostat,
                                                   django_capture_on_commit_callbacks):
    arrived = walk_to_site(order, technician)
    assert arrived.arrived_at is not None
    arrival = SLAClock.objects.get(ticket=order.ticket, target_code="arrival")
    assert arrival.stopped_at == arrived.arrived_at
    assert SLAClock.objects.get(ticket=order.ticket, target_code="on_site").is_running

    done = fill_and_complete(order, technician, service_item, part=thermostat, van=stocked_van)
    assert done.status == WorkOrder.Status.COMPLETED
    assert done.total_charge == Decimal("165.00")  # 120 item + 45 thermostat
    assert on_hand(thermostat, stocked_van) == Decimal("3")
    assert StockMove.objects.filter(kind="use", document_type="work_order", document_id=order.pk).count() == 1
    assert SLAClock.objects.get(ticket=order.ticket, target_code="on_site").stopped_at is not None

    signed = wo.sign_order(order=order, actor=technician.user, image=png(), printed_name="王主任", client_id=new_id())
    assert signed.status == WorkOrder.Status.SIGNED and signed.seal_seq and len(signed.seal_chain) == 64
    assert Ticket.objects.get(pk=order.ticket_id).status == Ticket.Status.RESOLVED

    received = []

    def receiver(sender, order_id, **kw):
        received.append(order_id)

    signals.work_order_closed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            closed = wo.review_order(order=order, actor=supervisor.user, comment="报告完整")
    finally:
        signals.work_order_closed.disconnect(receiver)
    assert closed.status == WorkOrder.Status.CLOSED
    assert received == [order.pk]
    assert Ticket.objects.get(pk=order.ticket_id).status == Ticket.Status.CLOSED
    assert wo.verify_seals() == []
    kinds = list(order.steps.values_list("kind", flat=True))
    assert kinds[:3] == ["accepted", "appointment_confirmed", "arrived"] and kinds[-2:] == ["signed", "closed"]


def test_arriving_without_a_confirmed_appointment_is_refused(order, technician):
    wo.accept_order(order=order, actor=technician.user)
    with pytest.raises(InvalidTransition) as e:
        wo.record_arrival(order=order, actor=technician.user)
    assert e.value.field == "status"


def test_the_customer_cannot_sign_before_the_work_is_completed(order, technician):
    walk_to_site(order, technician)
    with pytest.raises(InvalidTransition):
        wo.sign_order(order=order, actor=technician.user, image=png(), printed_name="王主任", client_id=new_id())
    assert not WorkOrder.objects.get(pk=order.pk).signed_at


def test_work_cannot_start_before_the_customer_accepts_the_price(order, technician, service_item):
    walk_to_site(order, technician)
    wo.add_service_item(order=order, actor=technician.user, service_item=service_item)
    with pytest.raises(DomainError) as e:
        wo.start_work(order=order, actor=technician.user)
    assert e.value.field == "price_confirmed_amount"
    with pytest.raises(DomainError) as e:
        wo.confirm_price(order=order, actor=technician.user, amount="100", payment_method="cash")
    assert e.value.field == "amount"


def test_charges_above_the_agreed_price_block_completion(order, technician, service_item):
    walk_to_site(order, technician)
    wo.add_service_item(order=order, actor=technician.user, service_item=service_item)
    wo.confirm_price(order=order, actor=technician.user, amount="120", payment_method="cash")
    wo.start_work(order=order, actor=technician.user)
    wo.save_report(order=order, actor=technician.user, cause="老化", resolution="清洗", labour_charge="30")
    with pytest.raises(DomainError) as e:
        wo.complete_order(order=order, actor=technician.user)
    assert e.value.field == "price_confirmed_amount"


def test_another_technician_cannot_act_on_the_order(order, other_technician):
    with pytest.raises(DomainError) as e:
        wo.accept_order(order=order, actor=other_technician.user)
    assert e.value.field == "technician"


def test_hold_pauses_the_ticket_clocks_and_resume_restarts_them(order, technician):
    wo.accept_order(order=order, actor=technician.user)
    wo.hold_order(order=order, actor=technician.user, reason="等配件")
    arrival = SLAClock.objects.get(ticket=order.ticket, target_code="arrival")
    assert arrival.running_since is None and arrival.stopped_at is None
    resumed = wo.resume_order(order=order, actor=technician.user)
    assert resumed.status == WorkOrder.Status.ACCEPTED
    assert SLAClock.objects.get(pk=arrival.pk).running_since is not None


def test_cancelling_returns_the_parts_to_the_van(order, technician, dispatcher, stocked_van, compressor):
    walk_to_site(order, technician)
    wo.add_part(order=order, actor=technician.user, part=compressor, location=stocked_van, qty=1)
    assert on_hand(compressor, stocked_van) == Decimal("1")
    with pytest.raises(DomainError):
        wo.cancel_order(order=order, actor=technician.user, reason="客户取消")
    wo.cancel_order(order=order, actor=dispatcher.user, reason="客户取消")
    assert on_hand(compressor, stocked_van) == Decimal("2")
    assert WorkOrder.objects.get(pk=order.pk).status == WorkOrder.Status.CANCELLED


def test_a_part_not_in_the_van_is_refused_and_nothing_is_saved(order, technician, stocked_van, compressor):
    walk_to_site(order, technician)
    with pytest.raises(DomainError):
        wo.add_part(order=order, actor=technician.user, part=compressor, location=stocked_van, qty=3)
    assert order.parts.count() == 0 and on_hand(compressor, stocked_van) == Decimal("2")


def test_a_retried_part_request_takes_the_part_once(order, technician, stocked_van, compressor):
    walk_to_site(order, technician)
    first = wo.add_part(order=order, actor=technician.user, part=compressor, location=stocked_van, qty=1, idempotency_key="k1")
    again = wo.add_part(order=order, actor=technician.user, part=compressor, location=stocked_van, qty=1, idempotency_key="k1")
    assert first.pk == again.pk and on_hand(compressor, stocked_van) == Decimal("1")


def test_photos_are_checked_by_content_and_stored_once(order, technician):
    walk_to_site(order, technician)
    data = jpeg()
    a = wo.add_photo(order=order, actor=technician.user, data=data, caption="故障部位")
    b = wo.add_photo(order=order, actor=technician.user, data=data, caption="故障部位")
    assert a.pk == b.pk and a.content_type == "image/jpeg" and (a.width, a.height) == (640, 480)
    with pytest.raises(DomainError) as e:
        wo.add_photo(order=order, actor=technician.user, data=b"<svg onload=alert(1)></svg>")
    assert e.value.field == "image"
    with pytest.raises(DomainError):
        wo.add_photo(order=order, actor=technician.user, data=b"GIF89a" + b"\0" * 100)


def test_an_empty_signature_is_refused(order, technician, service_item):
    walk_to_site(order, technician)
    fill_and_complete(order, technician, service_item)
    with pytest.raises(DomainError) as e:
        wo.sign_order(order=order, actor=technician.user, image=png(ink=False), printed_name="王主任", client_id=new_id())
    assert e.value.field == "image"
    with pytest.raises(DomainError) as e:
        wo.sign_order(order=order, actor=technician.user, image=png(), printed_name=" ", client_id=new_id())
    assert e.value.field == "printed_name"


def test_rework_before_signing_reopens_and_after_signing_is_a_new_free_order(order, technician, dispatcher, service_item):
    walk_to_site(order, technician)
    fill_and_complete(order, technician, service_item)
    back = wo.request_rework(order=order, actor=technician.user, reason="客户说仍有异响")
    assert back.status == WorkOrder.Status.IN_PROGRESS
    wo.complete_order(order=order, actor=technician.user)
    wo.sign_order(order=order, actor=technician.user, image=png(), printed_name="王主任", client_id=new_id())
    rework = wo.request_rework(order=order, actor=dispatcher.user, reason="三天后又坏")
    assert rework.rework_of_id == order.pk and rework.category == "C" and rework.status == WorkOrder.Status.DISPATCHED
    assert WorkOrder.objects.get(pk=order.pk).status == WorkOrder.Status.SIGNED
