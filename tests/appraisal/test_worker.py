"""The Monday job run by a real Celery worker through Redis: the holiday week, a business trip, twice."""

import pytest
from django.db.models import Sum

from appraisal import services
from appraisal.models import BackupCheck, BackupCheckEntry, BackupDeduction
from appraisal.tasks import check_backups_task
from servicedesk.core.models import JobHeartbeat
from servicedesk.notifications.models import Notification
from servicedesk.org.models import Staff
from tests.factories import StaffFactory, StationFactory
from tests.fixtures.celery_worker import wait_until

from .conftest import HOLIDAY_WEEK, at

pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _runs() -> int:
    row = JobHeartbeat.objects.filter(name="appraisal-backup-check").first()
    return row.runs if row else 0


def _points(staff) -> int:
    return BackupDeduction.objects.filter(staff=staff).aggregate(p=Sum("points"))["p"] or 0


def test_the_monday_job_on_a_real_worker_deducts_exactly_once(live_celery_worker):
    station = StationFactory(code="WK1", name="杭州服务站")
    boss = StaffFactory(station=station, name="组长")
    on_time = StaffFactory(station=station, name="按时", supervisor=boss)
    missing = StaffFactory(station=station, name="漏交", supervisor=boss)
    travelling = StaffFactory(station=station, name="出差", supervisor=boss, status=Staff.Status.BUSINESS_TRIP)
    services.submit_backup(staff=boss, week_start=HOLIDAY_WEEK, actor=boss.user, note="NAS", now=at(2026, 9, 30, 12))
    services.submit_backup(staff=on_time, week_start=HOLIDAY_WEEK, actor=on_time.user, note="NAS", now=at(2026, 9, 30, 17))

    # Monday 5 October 10:00 (the holiday week was due Wednesday 30 September 18:00) — sent twice,
    # as a redelivered message or a second beat would.
    check_backups_task.delay(now=at(2026, 10, 5, 10).isoformat())
    check_backups_task.delay(now=at(2026, 10, 5, 10).isoformat())
    wait_until(lambda: _runs() == 2, timeout=60, message="two runs of the backup check on the worker")

    check = BackupCheck.objects.get(week_start=HOLIDAY_WEEK)
    assert (check.runs, check.expected, check.on_time, check.missing, check.exempt) == (2, 4, 2, 1, 1)
    assert BackupCheckEntry.objects.get(staff=travelling).outcome == "business_trip"
    assert _points(missing) == 25  # 1–5 October, once
    assert _points(travelling) == _points(on_time) == 0
    wait_until(
        lambda: Notification.objects.filter(recipient=boss.user, kind="backup_missing").count() == 1,
        timeout=30, message="the supervisor's notification",
    )

    # The next Monday: the still-missing week grows to 12 days; the week of 5 Oct is checked too.
    check_backups_task.delay(now=at(2026, 10, 12, 10).isoformat())
    wait_until(lambda: _runs() == 3, timeout=60, message="the next Monday's run")
    assert BackupDeduction.objects.filter(staff=missing, week_start=HOLIDAY_WEEK).count() == 12
    assert BackupCheck.objects.filter(week_start="2026-10-05").exists()
    assert Notification.objects.filter(recipient=boss.user, key__contains="2026-09-28").count() == 1
    assert JobHeartbeat.objects.get(name="appraisal-backup-check").last_error == ""
