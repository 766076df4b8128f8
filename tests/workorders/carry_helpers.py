"""Shared steps of the carry-in, compensation and daily-report tests (through the services only)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tickets import carry_in as ci
from tickets import work_orders as wo

from .conftest import new_id, png


def walk_to_site(order, technician, *, now=None):
    user = technician.user
    wo.accept_order(order=order, actor=user, now=now)
    wo.confirm_appointment(order=order, actor=user, appointment_at=(now or timezone.now()) + timedelta(hours=1), now=now)
    return wo.record_arrival(order=order, actor=user, now=now)


def take_in(order, technician, **kw):
    walk_to_site(order, technician)
    return ci.take_in(order=order, actor=technician.user, goods="空调室内机 KFR-35GW SN-OUT-0002", accessories="遥控器",
                      condition="外壳有划痕", **kw)


def repaired_and_ready(order, technician, supervisor, *, now=None):
    carry = take_in(order, technician)
    ci.start_repair(carry_in=carry, actor=technician.user)
    ci.finish_repair(carry_in=carry, actor=technician.user, minutes=90, notes="更换风机电容")
    return ci.inspect(carry_in=carry, actor=supervisor.user, ok=True, notes="试机正常", now=now)


def complete_and_sign(order, technician, *, now=None):
    user = technician.user
    wo.save_report(order=order, actor=user, cause="电容老化", resolution="带回维修，更换电容", labour_minutes=60)
    wo.complete_order(order=order, actor=user, now=now)
    return wo.sign_order(order=order, actor=user, image=png(), printed_name="王主任", client_id=new_id(), now=now)
