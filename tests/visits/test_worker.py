"""The daily job through a real Celery worker on the real Redis broker: sent twice, reminds once."""

from datetime import timedelta

import pytest

from servicedesk.core.models import JobHeartbeat
from servicedesk.notifications.models import Notification
from tests.fixtures.celery_worker import wait_until
from visits import services
from visits.models import Reminder, RenewalTask
from visits.tasks import run_daily_reminders_task

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _runs():
    return JobHeartbeat.objects.filter(name="visits-daily-reminders").values_list("runs", flat=True).first() or 0


def test_the_daily_job_run_twice_by_a_real_worker_reminds_each_person_once(
    live_celery_worker, technician, customer, make_contract, today
):
    services.schedule_visit(technician=technician, customer=customer, planned_for=today, actor=technician.user, today=today)
    make_contract(customer, today + timedelta(days=12))

    run_daily_reminders_task.delay()
    wait_until(lambda: _runs() >= 1, timeout=60, message="the first run of the daily job")
    run_daily_reminders_task.delay()
    wait_until(lambda: _runs() >= 2, timeout=60, message="the second run of the daily job")

    assert RenewalTask.objects.count() == 1
    assert sorted(Reminder.objects.values_list("item_type", "kind")) == [("renewal", "due"), ("visit", "due")]
    assert Notification.objects.filter(recipient=technician.user, kind__startswith="reminder_").count() == 2
    assert JobHeartbeat.objects.get(name="visits-daily-reminders").last_error == ""
    # Their e-mails went out once each, through the same worker.
    wait_until(
        lambda: Notification.objects.filter(recipient=technician.user, kind__startswith="reminder_", email_status="sent").count() == 2,
        timeout=60, message="the reminder e-mails",
    )
