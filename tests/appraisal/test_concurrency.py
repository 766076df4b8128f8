"""Two checks of the same week at the same moment (beat and a manager's click): one roster, one deduction per day."""

import threading

import pytest
from django.db import connection

from appraisal import services
from appraisal.models import BackupCheck, BackupCheckEntry, BackupDeduction
from tests.factories import StaffFactory

from .conftest import HOLIDAY_WEEK, at

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_simultaneous_runs_deduct_once(station_a):
    people = [StaffFactory(station=station_a) for _ in range(3)]
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait(timeout=10)
            services.run_backup_check(week_start=HOLIDAY_WEEK, now=at(2026, 10, 5, 10))
        except Exception as exc:  # reported below: a thread's exception would otherwise vanish
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert BackupCheck.objects.get(week_start=HOLIDAY_WEEK).runs == 2
    assert BackupCheckEntry.objects.count() == 3
    assert BackupDeduction.objects.count() == 3 * 5
    for person in people:
        assert sorted(BackupDeduction.objects.filter(staff=person).values_list("day_no", flat=True)) == [1, 2, 3, 4, 5]
