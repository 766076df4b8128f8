"""Closing a repair work order plans its callbacks; closing a complaint plans its complaint callback."""

from datetime import date

import pytest

from servicedesk.calendar import is_working_day
from tests.workorders.conftest import service_item, ticket  # noqa: F401  (fixtures)
from tickets import signals
from tickets.models import WorkOrder
from visits import callbacks
from visits.models import Callback, CallbackPlan

from .callback_fixtures import at, close_complaint, close_order, closed_order, order  # noqa: F401

pytestmark = pytest.mark.django_db


def _dates(order_):
    return list(Callback.objects.filter(work_order=order_, kind="repair").order_by("due_date").values_list("offset", "due_date"))


def test_closing_a_work_order_plans_the_default_callbacks_on_working_days(closed_order):
    planned = _dates(closed_order)
    assert [offset for offset, _day in planned] == ["7d", "1m", "3m", "6m", "12m"]
    # Closed Wed 2026-09-23: +7 days is 30 Sep; +1 month 23 Oct; +3 months 23 Dec; +6 months 23 Mar 2027
    # (a Tuesday); +12 months 23 Sep 2027 — each moved to the next working day if it is a day off.
    for (_offset, day), raw in zip(planned, [date(2026, 9, 30), date(2026, 10, 23), date(2026, 12, 23),
                                              date(2027, 3, 23), date(2027, 9, 23)]):
        assert day >= raw and is_working_day(day)
        assert day == raw or not is_working_day(raw)
    callback = Callback.objects.filter(work_order=closed_order).first()
    assert (callback.technician, callback.customer, callback.ticket_id) == (
        closed_order.technician, closed_order.customer, closed_order.ticket_id)
    assert callback.status == "pending" and callback.assignee is None and callback.required_role == "supervisor"


def test_planning_is_idempotent_when_the_signal_arrives_twice(closed_order):
    before = _dates(closed_order)
    signals.work_order_closed.send(sender=WorkOrder, order_id=closed_order.pk)
    callbacks.plan_callbacks_for_order(order_id=closed_order.pk)
    assert _dates(closed_order) == before
    assert callbacks.plan_missing_callbacks(since=date(2026, 9, 1)) == 0


def test_changing_the_plan_does_not_rewrite_callbacks_already_made(closed_order, manager):
    before = _dates(closed_order)
    default = CallbackPlan.objects.get(product_line=None, category="")
    callbacks.save_callback_plan(plan=default, name=default.name, offsets=["3d", "2m"], actor=manager.user)
    callbacks.plan_callbacks_for_order(order_id=closed_order.pk)
    assert _dates(closed_order) == before


def test_the_most_specific_plan_wins(order, close_order, manager, air_conditioners):
    callbacks.save_callback_plan(name="A 类", category="A", offsets="14d", actor=manager.user)
    callbacks.save_callback_plan(name="空调 A 类", product_line=air_conditioners, category="A", offsets=["2d", "1m"], actor=manager.user)
    closed = close_order(order, closed_at=at(2026, 9, 23, 15, 0))
    assert [o for o, _d in _dates(closed)] == ["2d", "1m"]


def test_a_bad_offset_is_refused_naming_the_field(manager):
    with pytest.raises(callbacks.DomainError) as error:
        callbacks.save_callback_plan(name="坏", offsets=["7x"], actor=manager.user)
    assert error.value.field == "offsets"


def test_internal_work_is_not_called_back(order, close_order):
    WorkOrder.objects.filter(pk=order.pk).update(category="D")
    closed = close_order(WorkOrder.objects.get(pk=order.pk), closed_at=at(2026, 9, 23, 15, 0))
    assert _dates(closed) == []


def test_a_closed_complaint_gets_one_callback_due_the_next_working_day(tech_customer, close_complaint):
    # Closed on Wed 30 Sep 2026, before the National Day holiday: due on the first working day after it.
    ticket = close_complaint(tech_customer, closed_at=at(2026, 9, 30, 16, 0))
    callback = Callback.objects.get(ticket=ticket)
    assert callback.kind == "complaint" and callback.work_order is None and callback.technician is None
    assert callback.due_date == date(2026, 10, 8) and is_working_day(callback.due_date)
    assert (callback.required_role, callback.on_site_required) == ("supervisor", False)
    assert callbacks.plan_ticket_callback(ticket_id=ticket.pk) is None  # idempotent
    assert Callback.objects.filter(ticket=ticket).count() == 1


def test_a_major_complaint_is_called_back_on_site_by_the_manager(tech_customer, close_complaint):
    ticket = close_complaint(tech_customer, complaint_class="major", closed_at=at(2026, 11, 20, 10, 0))
    callback = Callback.objects.get(ticket=ticket)
    assert (callback.required_role, callback.on_site_required) == ("manager", True)
    assert callback.due_date == date(2026, 11, 23)  # Friday → Monday
