"""Carry-in repairs: receipt, register, repair tag, inspection, factory return, hand-back and signature."""

from __future__ import annotations

import pytest

from servicedesk.core.exceptions import Conflict, DomainError, InvalidTransition
from servicedesk.org.models import Role
from tests.factories import StaffFactory, UserFactory
from tickets import carry_in as ci
from tickets import work_orders as wo
from tickets.models import CarryIn, FactoryReturn, GoodsRegisterEntry, SLAClock, WorkOrder

from .carry_helpers import complete_and_sign, repaired_and_ready, take_in, walk_to_site

pytestmark = pytest.mark.django_db
C = CarryIn.Status


def register_of(carry):
    return list(GoodsRegisterEntry.objects.filter(carry_in=carry).order_by("pk").values_list("direction", flat=True))


def test_taking_in_issues_the_receipt_writes_the_register_and_starts_the_seven_day_clock(order, technician):
    carry = take_in(order, technician)
    assert carry.number.startswith("CR-") and carry.status == C.TAKEN
    order.refresh_from_db()
    assert order.status == WorkOrder.Status.CARRIED_IN and order.is_carry_in
    assert register_of(carry) == ["in"]
    clock = SLAClock.objects.get(ticket=order.ticket, target_code="carry_in")
    assert clock.is_running and (clock.due_at - carry.taken_at).days == 7
    assert SLAClock.objects.get(ticket=order.ticket, target_code="on_site").stopped_at == carry.taken_at
    assert order.steps.filter(kind="carried_in").exists()


@pytest.mark.parametrize("goods, field", [("", "goods"), ("  ", "goods"), ("x" * 201, "goods")])
def test_taking_in_without_describing_the_unit_is_refused_and_nothing_saved(order, technician, goods, field):
    walk_to_site(order, technician)
    with pytest.raises(DomainError) as e:
        ci.take_in(order=order, actor=technician.user, goods=goods)
    assert e.value.field == field
    assert not CarryIn.objects.exists() and WorkOrder.objects.get(pk=order.pk).status == WorkOrder.Status.ARRIVED


def test_taking_in_before_arrival_is_refused(order, technician):
    wo.accept_order(order=order, actor=technician.user)
    with pytest.raises(InvalidTransition) as e:
        ci.take_in(order=order, actor=technician.user, goods="空调")
    assert e.value.field == "status" and not CarryIn.objects.exists()


def test_another_technician_cannot_take_the_unit_in(order, technician, other_technician):
    walk_to_site(order, technician)
    with pytest.raises(DomainError) as e:
        ci.take_in(order=order, actor=other_technician.user, goods="空调")
    assert e.value.field == "technician" and not CarryIn.objects.exists()


def test_a_unit_is_taken_in_once(order, technician):
    take_in(order, technician)
    with pytest.raises((Conflict, InvalidTransition)):
        ci.take_in(order=order, actor=technician.user, goods="空调")
    assert CarryIn.objects.count() == 1


def test_the_whole_way_repair_inspection_return_and_signature(order, technician, supervisor):
    carry = take_in(order, technician)
    with pytest.raises(InvalidTransition):
        wo.complete_order(order=order, actor=technician.user)  # not repaired yet
    with pytest.raises(InvalidTransition) as e:
        ci.finish_repair(carry_in=carry, actor=technician.user, minutes=30, notes="x")
    assert e.value.field == "status"
    carry = ci.start_repair(carry_in=carry, actor=technician.user)
    assert carry.status == C.IN_REPAIR and carry.repair_started_at
    carry = ci.finish_repair(carry_in=carry, actor=technician.user, minutes=40, notes="更换电容")
    assert carry.status == C.REPAIRED

    # Inspection fails: back to repair; the second repair adds its minutes to the tag.
    with pytest.raises(DomainError) as e:
        ci.inspect(carry_in=carry, actor=supervisor.user, ok=False)
    assert e.value.field == "notes" and CarryIn.objects.get(pk=carry.pk).status == C.REPAIRED
    carry = ci.inspect(carry_in=carry, actor=supervisor.user, ok=False, notes="仍有异响")
    assert carry.status == C.IN_REPAIR
    assert SLAClock.objects.get(ticket=order.ticket, target_code="carry_in").is_running
    carry = ci.finish_repair(carry_in=carry, actor=technician.user, minutes=25, notes="紧固风扇")
    assert carry.repair_minutes == 65 and "紧固风扇" in carry.repair_notes and "更换电容" in carry.repair_notes

    carry = ci.inspect(carry_in=carry, actor=supervisor.user, ok=True)
    assert carry.status == C.READY and carry.ready_at == carry.inspected_at and carry.inspected_by == supervisor.user
    clock = SLAClock.objects.get(ticket=order.ticket, target_code="carry_in")
    assert clock.stopped_at == carry.ready_at and clock.breached_at is None

    carry = ci.hand_back(carry_in=carry, actor=technician.user)
    assert carry.status == C.RETURNED and carry.receipt_voided_at == carry.returned_at
    assert register_of(carry) == ["in", "out"]
    signed = complete_and_sign(order, technician)
    assert signed.status == WorkOrder.Status.SIGNED
    kinds = list(order.steps.values_list("kind", flat=True))
    assert kinds.index("carried_in") < kinds.index("inspected") < kinds.index("handed_back") < kinds.index("signed")


@pytest.mark.parametrize("minutes", [0, -5, "abc", None, 10081, 1.5])
def test_repair_time_must_be_whole_positive_minutes(order, technician, minutes):
    carry = take_in(order, technician)
    ci.start_repair(carry_in=carry, actor=technician.user)
    with pytest.raises(DomainError) as e:
        ci.finish_repair(carry_in=carry, actor=technician.user, minutes=minutes, notes="更换电容")
    assert e.value.field == "minutes"
    assert CarryIn.objects.get(pk=carry.pk).status == C.IN_REPAIR and CarryIn.objects.get(pk=carry.pk).repair_minutes == 0


def test_only_a_supervisor_or_head_of_the_station_inspects(order, technician, other_technician, station_b):
    carry = take_in(order, technician)
    ci.start_repair(carry_in=carry, actor=technician.user)
    ci.finish_repair(carry_in=carry, actor=technician.user, minutes=30, notes="更换电容")
    far_supervisor = StaffFactory(user=UserFactory(username="sup_b", roles=[Role.SUPERVISOR]), station=station_b, name="sup_b")
    for who in (technician.user, other_technician.user, far_supervisor.user):
        with pytest.raises(DomainError) as e:
            ci.inspect(carry_in=carry, actor=who, ok=True)
        assert e.value.field == "inspected_by"
    assert CarryIn.objects.get(pk=carry.pk).status == C.REPAIRED


def test_another_technician_cannot_touch_the_repair_tag(order, technician, other_technician):
    carry = take_in(order, technician)
    with pytest.raises(DomainError) as e:
        ci.start_repair(carry_in=carry, actor=other_technician.user)
    assert e.value.field == "technician" and CarryIn.objects.get(pk=carry.pk).status == C.TAKEN


def test_a_return_to_the_factory_needs_approval(order, technician, manager, station_head, django_capture_on_commit_callbacks):
    from servicedesk.notifications.models import Notification

    carry = take_in(order, technician)
    with pytest.raises(DomainError) as e:
        ci.request_factory_return(carry_in=carry, actor=technician.user, reason=" ")
    assert e.value.field == "reason" and not FactoryReturn.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        request = ci.request_factory_return(carry_in=carry, actor=technician.user, reason="压缩机需厂家检测")
    assert set(Notification.objects.filter(kind="factory_return_requested").values_list("recipient__username", flat=True)) == {
        manager.user.username, station_head.user.username,
    }
    with pytest.raises(Conflict):
        ci.request_factory_return(carry_in=carry, actor=technician.user, reason="再次申请")
    with pytest.raises(DomainError) as e:
        ci.decide_factory_return(factory_return=request, actor=technician.user, approve=True)
    assert e.value.field == "decided_by"
    with pytest.raises(DomainError) as e:
        ci.decide_factory_return(factory_return=request, actor=manager.user, approve=False)
    assert e.value.field == "comment" and FactoryReturn.objects.get(pk=request.pk).status == "requested"

    request = ci.decide_factory_return(factory_return=request, actor=manager.user, approve=True, comment="同意返厂")
    assert request.status == "approved" and CarryIn.objects.get(pk=carry.pk).status == C.AT_FACTORY
    with pytest.raises(InvalidTransition):
        ci.decide_factory_return(factory_return=request, actor=manager.user, approve=False, comment="改主意")
    request = ci.factory_back(factory_return=request, actor=technician.user, note="厂家更换压缩机")
    carry = CarryIn.objects.get(pk=carry.pk)
    assert request.status == "back" and carry.status == C.REPAIRED and "厂家更换压缩机" in carry.repair_notes
    assert register_of(carry) == ["in", "out", "in"]
    carry = ci.inspect(carry_in=carry, actor=station_head.user, ok=True)
    assert carry.status == C.READY


def test_a_refused_factory_return_leaves_the_unit_where_it_is(order, technician, station_head):
    carry = take_in(order, technician)
    request = ci.request_factory_return(carry_in=carry, actor=technician.user, reason="需厂家检测")
    request = ci.decide_factory_return(factory_return=request, actor=station_head.user, approve=False, comment="本站可修")
    assert request.status == "rejected" and CarryIn.objects.get(pk=carry.pk).status == C.TAKEN
    with pytest.raises(InvalidTransition):
        ci.factory_back(factory_return=request, actor=technician.user)
    # Refused: a new application may be made.
    ci.request_factory_return(carry_in=carry, actor=technician.user, reason="补充检测报告后再申请")


def test_hand_back_before_inspection_and_shipping_a_ready_unit_are_refused(order, technician, supervisor):
    carry = take_in(order, technician)
    with pytest.raises(InvalidTransition) as e:
        ci.hand_back(carry_in=carry, actor=technician.user)
    assert e.value.field == "status"
    carry = repaired_and_ready_from(carry, technician, supervisor)
    with pytest.raises(InvalidTransition):
        ci.mark_shipped(carry_in=carry, actor=technician.user, shipping_note="顺丰 SF123")
    assert register_of(carry) == ["in"] and CarryIn.objects.get(pk=carry.pk).receipt_voided_at is None


def repaired_and_ready_from(carry, technician, supervisor):
    ci.start_repair(carry_in=carry, actor=technician.user)
    ci.finish_repair(carry_in=carry, actor=technician.user, minutes=30, notes="更换电容")
    return ci.inspect(carry_in=carry, actor=supervisor.user, ok=True)


def test_completion_is_accepted_once_the_unit_is_ready(order, technician, supervisor):
    repaired_and_ready(order, technician, supervisor)
    wo.save_report(order=order, actor=technician.user, cause="电容老化", resolution="更换电容")
    done = wo.complete_order(order=order, actor=technician.user)
    assert done.status == WorkOrder.Status.COMPLETED
