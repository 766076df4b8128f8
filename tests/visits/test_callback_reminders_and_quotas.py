"""Callback reminders (once per item, day and person) and the monthly quotas on a small, hand-counted fixture."""

from datetime import date

import pytest

from servicedesk.notifications.models import Notification
from tests.workorders.conftest import service_item, ticket  # noqa: F401  (fixtures)
from visits import callbacks, reminders
from visits.models import Callback, Reminder
from visits.quotas import callback_quotas

from .callback_fixtures import at, close_complaint, close_order, closed_order, order, record  # noqa: F401

pytestmark = pytest.mark.django_db

DAY = date(2026, 10, 23)  # the 1-month callback of the order closed on 23 Sep is due; the 1-week one is overdue


def _sent():
    return sorted(Reminder.objects.filter(item_type="callback").values_list("item_id", "day", "recipient__username", "kind"))


def test_due_and_overdue_callbacks_go_to_the_station_supervisors_once_a_day(closed_order, supervisor, other_technician, manager):
    week, month = Callback.objects.filter(work_order=closed_order).order_by("due_date")[:2]
    assert reminders.send_due_reminders(today=DAY, only=["callback"]) == {"callback": 2}
    assert reminders.send_due_reminders(today=DAY, only=["callback"]) == {"callback": 0}  # the job ran twice
    assert _sent() == sorted([(week.pk, DAY, "p_supervisor", "overdue"), (month.pk, DAY, "p_supervisor", "due")])
    assert Notification.objects.filter(recipient=supervisor.user, kind__startswith="reminder_callback").count() == 2

    # Assigned to the manager, answered one: the next day only the manager hears of the other one.
    callbacks.assign_callback(callback=month, assignee=manager.user, actor=manager.user)
    record(week, supervisor, now=at(2026, 10, 23, 11, 0))
    assert reminders.send_due_reminders(today=date(2026, 10, 26), only=["callback"]) == {"callback": 1}
    assert Reminder.objects.get(item_id=month.pk, day=date(2026, 10, 26)).recipient == manager.user


def test_a_callback_waiting_for_its_retry_day_is_not_reminded(closed_order, supervisor):
    week = Callback.objects.filter(work_order=closed_order).order_by("due_date").first()
    callbacks.record_callback(callback=week, outcome="unreachable", actor=supervisor.user, now=at(2026, 10, 22, 10, 0))
    sent = reminders.send_due_reminders(today=DAY, only=["callback"])
    assert sent == {"callback": 2}  # retry day 23 Oct has come: the 1-week one is due again, with the 1-month one
    callbacks.record_callback(callback=week, outcome="unreachable", actor=supervisor.user, now=at(2026, 10, 23, 10, 0))
    assert reminders.send_due_reminders(today=date(2026, 10, 24), only=["callback"]) == {"callback": 1}  # only the 1-month one


def test_a_major_complaint_callback_is_reminded_to_the_managers(tech_customer, close_complaint, supervisor, manager):
    ticket = close_complaint(tech_customer, complaint_class="major", closed_at=at(2026, 11, 20, 10, 0))
    callback = Callback.objects.get(ticket=ticket)
    reminders.send_due_reminders(today=callback.due_date, only=["callback"])
    assert _sent() == [(callback.pk, callback.due_date, "p_manager", "due")]


def test_the_quotas_tell_the_truth_on_a_small_month(closed_order, supervisor, manager, general_manager, other_technician,
                                                     other_tech_customer, django_assert_max_num_queries):
    week, month = Callback.objects.filter(work_order=closed_order).order_by("due_date")[:2]
    record(week, supervisor, now=at(2026, 11, 5, 10, 0))
    record(month, manager, now=at(2026, 11, 6, 10, 0), channel="on_site")

    with django_assert_max_num_queries(8):
        data = callback_quotas(month=date(2026, 11, 1), today=date(2026, 11, 30))
    meters = {m.key: (m.done, m.target, m.met) for m in data.meters}
    # Active: 浦东仁济医院 (order closed 23 Sep, a running contract) and 苏州工业园区管委会 (a running contract).
    assert data.active_customers == 2
    assert meters["coverage"] == (1, 1, True)         # 1 of 2 called back; 30 % of 2 → at least 1
    assert meters["on_site"] == (1, 1, True)          # the manager's visit; 5 % of 2 → at least 1
    assert meters["technicians"] == (1, 2, False)     # p_tech_b has no callback on his work
    assert meters["supervisor"] == (2, 2, True)       # p_tech_a served 1 customer, checked; p_tech_b served none
    assert meters["managers"] == (0, 1, False)        # 1 of 3 callbacks
    assert meters["general_manager"] == (0, 1, False)
    assert meters["on_time"] == (1, 1, True)          # the 1-month one was due 23 Oct, finished 6 Nov ≤ 10 Nov
    behind = [row["technician"].name for row in data.technicians if row["callbacks"].behind]
    assert behind == ["p_tech_b"]
    assert [(m.name, m.done, m.target) for m in data.managers] == [("p_manager", 1, 3)]

    # October: the 1-week callback (due 30 Sep) is September's; nothing was done in October.
    october = {m.key: (m.done, m.target) for m in callback_quotas(month=date(2026, 10, 1), today=date(2026, 11, 30)).meters}
    assert october["coverage"] == (0, 1) and october["on_time"] == (0, 1)  # due 30 Sep, not finished by 10 Oct
