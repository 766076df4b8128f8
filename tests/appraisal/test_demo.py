"""The demo seed: last week's backups for most staff, a few missing, one on a business trip; idempotent."""

import pytest
from django.core.management import call_command

from appraisal.models import BackupCheck, BackupCheckEntry, BackupDeduction, BackupSubmission, BorrowRequest

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_last_weeks_backups_and_is_idempotent(settings, tmp_path):
    call_command("seed_demo", verbosity=0)
    counts = [m.objects.count() for m in (BackupSubmission, BackupCheckEntry, BackupDeduction, BorrowRequest)]
    call_command("seed_demo", verbosity=0)
    assert [m.objects.count() for m in (BackupSubmission, BackupCheckEntry, BackupDeduction, BorrowRequest)] == counts

    check = BackupCheck.objects.get()
    outcomes = dict(BackupCheckEntry.objects.values_list("staff__user__username", "outcome"))
    if check.due_at is None:  # last week was a holiday week without working days
        return
    assert outcomes["tech04"] == "business_trip"
    assert outcomes["tech03"] == outcomes["tech06"] == "missing"
    assert outcomes["tech08"] == "late"
    assert sum(1 for o in outcomes.values() if o == "on_time") >= 10
    assert BackupDeduction.objects.filter(kind="incomplete", staff__user__username="tech02").count() == 1
    assert BorrowRequest.objects.get().status == "pending"
