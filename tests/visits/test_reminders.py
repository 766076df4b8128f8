"""Daily reminders: due and overdue visits and renewals, to the people concerned, once per item, day and person."""

from datetime import date, timedelta

import pytest

from servicedesk.core.models import JobHeartbeat
from servicedesk.notifications.models import Notification
from visits import reminders, services
from visits.models import Reminder, RenewalTask, Visit
from visits.tasks import run_daily_reminders_task

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 13)


def _plan(technician, customer, day, today):
    return services.schedule_visit(technician=technician, customer=customer, planned_for=day, actor=technician.user, today=today)


def _sent(**filters):
    return list(Reminder.objects.filter(**filters).order_by("item_type", "item_id", "day", "recipient_id").values_list(
        "item_type", "item_id", "day", "recipient__username", "kind"
    ))


def test_a_visit_is_reminded_on_its_day_and_every_day_it_is_overdue(technician, customer):
    visit = _plan(technician, customer, DAY, today=DAY - timedelta(days=3))
    assert reminders.send_due_reminders(today=DAY - timedelta(days=1))["visit"] == 0  # not due yet

    assert reminders.send_due_reminders(today=DAY)["visit"] == 1
    assert reminders.send_due_reminders(today=DAY + timedelta(days=1))["visit"] == 1
    assert _sent(item_type="visit") == [
        ("visit", visit.pk, DAY, "p_tech_a", "due"),
        ("visit", visit.pk, DAY + timedelta(days=1), "p_tech_a", "overdue"),
    ]
    note = Notification.objects.filter(recipient=technician.user).order_by("created_at").first()
    assert customer.name in note.title and note.kind == "reminder_visit_due"

    services.complete_visit(visit=visit, visit_date=DAY + timedelta(days=1), problems_resolved=1, report="已拜访",
                            actor=technician.user, today=DAY + timedelta(days=2))
    assert reminders.send_due_reminders(today=DAY + timedelta(days=2))["visit"] == 0  # recorded: no more reminders


def test_running_the_job_twice_a_day_reminds_nobody_twice(technician, customer, second_customer, make_contract):
    _plan(technician, customer, DAY, today=DAY - timedelta(days=1))
    _plan(technician, second_customer, DAY - timedelta(days=2), today=DAY - timedelta(days=5))
    make_contract(customer, DAY + timedelta(days=20))
    services.create_due_renewals(today=DAY)

    first = reminders.send_due_reminders(today=DAY)
    second = reminders.send_due_reminders(today=DAY)
    assert first == {"visit": 2, "renewal": 1, "callback": 0, "work_report": 0}
    assert second == {"visit": 0, "renewal": 0, "callback": 0, "work_report": 0}
    assert Reminder.objects.count() == 3
    assert Notification.objects.filter(kind__startswith="reminder_").count() == 3
    assert all(r.notification_id for r in Reminder.objects.all())


def test_the_daily_task_run_twice_changes_nothing_the_second_time(technician, customer, make_contract, today,
                                                                   django_capture_on_commit_callbacks):
    services.schedule_visit(technician=technician, customer=customer, planned_for=today, actor=technician.user, today=today)
    contract = make_contract(customer, today + timedelta(days=10))

    with django_capture_on_commit_callbacks(execute=True):
        first = run_daily_reminders_task.delay().get()
    with django_capture_on_commit_callbacks(execute=True):
        second = run_daily_reminders_task.delay().get()

    assert first["renewals"] == 1 and first["reminders"] == {"visit": 1, "renewal": 1, "callback": 0, "work_report": 0}
    assert second["renewals"] == 0 and second["reminders"] == {"visit": 0, "renewal": 0, "callback": 0, "work_report": 0}
    assert RenewalTask.objects.get().contract == contract
    assert Reminder.objects.count() == 2
    assert Notification.objects.filter(recipient=technician.user).count() == 2
    assert JobHeartbeat.objects.get(name="visits-daily-reminders").runs == 2
    assert second["plans"] == 0


def test_the_renewal_notice_is_reminded_once_and_an_expired_one_every_day(technician, station_head, customer, make_contract):
    end = date(2026, 12, 10)
    make_contract(customer, end)
    services.create_due_renewals(today=date(2026, 11, 10))

    assert reminders.send_due_reminders(today=date(2026, 11, 10))["renewal"] == 1  # the expiry notice
    assert reminders.send_due_reminders(today=date(2026, 11, 11))["renewal"] == 0
    assert reminders.send_due_reminders(today=end)["renewal"] == 0  # last day of the contract: still quiet
    # Expired and still open: the technician and his station head, every day.
    assert reminders.send_due_reminders(today=end + timedelta(days=1))["renewal"] == 2
    assert reminders.send_due_reminders(today=end + timedelta(days=2))["renewal"] == 2
    assert {u for (*_, u, kind) in _sent(item_type="renewal", kind="overdue")} == {"p_tech_a", "p_head"}
    assert _sent(item_type="renewal", kind="due") == [
        ("renewal", RenewalTask.objects.get().pk, date(2026, 11, 10), "p_tech_a", "due"),
    ]

    services.complete_renewal(task=RenewalTask.objects.get(), outcome="lost", note="客户不续", actor=technician.user)
    assert reminders.send_due_reminders(today=end + timedelta(days=3))["renewal"] == 0


def test_a_renewal_nobody_owns_goes_to_the_managers(station_b, manager, make_contract):
    from tests.factories import CustomerFactory

    orphan = CustomerFactory(station=station_b, owner=None)  # station B has no head
    make_contract(orphan, date(2026, 12, 10))
    services.create_due_renewals(today=date(2026, 11, 10))
    reminders.send_due_reminders(today=date(2026, 11, 10))
    assert [u for (*_, u, _kind) in _sent(item_type="renewal")] == ["p_manager"]


def test_a_new_source_plugs_into_the_same_machinery(technician):
    """Callbacks will register their own source; the claim and the once-a-day rule come for free."""
    calls = []

    @reminders.reminder_source("test_callback")
    def callback_source(today):
        calls.append(today)
        yield reminders.Due(item_id=42, kind=Reminder.Kind.DUE, recipients=(technician.user, technician.user), title="回访到期")

    try:
        assert reminders.send_due_reminders(today=DAY, only=["test_callback"]) == {"test_callback": 1}
        assert reminders.send_due_reminders(today=DAY, only=["test_callback"]) == {"test_callback": 0}
        assert reminders.send_due_reminders(today=DAY + timedelta(days=1), only=["test_callback"]) == {"test_callback": 1}
    finally:
        reminders.unregister_source("test_callback")
    assert calls == [DAY, DAY, DAY + timedelta(days=1)]
    assert Notification.objects.filter(key__startswith="reminder:test_callback:42:").count() == 2


def test_a_lost_race_on_the_claim_sends_nothing(technician, customer):
    """Another run claimed the reminder between our read and our insert: we send nothing and say so."""
    visit = _plan(technician, customer, DAY, today=DAY)
    Reminder.objects.create(item_type="visit", item_id=visit.pk, day=DAY, recipient=technician.user, kind="due")
    due = reminders.Due(item_id=visit.pk, kind="due", recipients=(technician.user,), title="x")
    assert reminders._remind("visit", due, technician.user, DAY) is False
    assert not Notification.objects.exists()


def test_planned_visits_of_a_technician_who_left_are_not_reminded(technician, customer):
    from servicedesk.org.models import Staff

    _plan(technician, customer, DAY, today=DAY)
    Staff.objects.filter(pk=technician.pk).update(status=Staff.Status.LEFT)
    assert reminders.send_due_reminders(today=DAY)["visit"] == 0
    assert Visit.objects.count() == 1


def test_after_a_handover_the_new_owner_is_reminded(technician, customer, make_contract, station_a):
    """移交: the customer changed hands after the task was opened; the renewal follows the customer."""
    from tests.factories import StaffFactory, UserFactory

    successor = StaffFactory(user=UserFactory(username="p_tech_new", roles=["technician"]), station=station_a)
    make_contract(customer, date(2026, 12, 10))
    task = services.create_due_renewals(today=date(2026, 11, 10))[0]
    customer.owner = successor
    customer.save(update_fields=["owner"])
    reminders.send_due_reminders(today=date(2026, 11, 10))
    assert [u for (*_, u, _kind) in _sent(item_type="renewal")] == ["p_tech_new"]
    assert task.assignee == technician  # who it was opened for stays on record
