"""Two reminder runs at the very same moment (beat fired twice, a redelivered message): each reminder once."""

import threading
from datetime import date

import pytest
from django.db import connection

from servicedesk.notifications.models import Notification
from visits import reminders, services
from visits.models import Reminder

DAY = date(2026, 11, 13)


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_runs_send_each_reminder_once(technician, customer, second_customer):
    for c in (customer, second_customer):
        services.schedule_visit(technician=technician, customer=c, planned_for=DAY, actor=technician.user, today=DAY)

    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(reminders.send_due_reminders(today=DAY, only=["visit"])["visit"])
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            # This thread's own connection; close_old_connections() keeps it for CONN_MAX_AGE, and
            # the open session then stopped the test database from being dropped at the end.
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert errors == []
    assert sum(results) == 2
    assert Reminder.objects.count() == 2
    assert Notification.objects.filter(kind="reminder_visit_due").count() == 2
