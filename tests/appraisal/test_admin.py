"""The admin: lists scoped by selectors, actions that call services, the logged download."""

import pytest
from django.urls import reverse

from appraisal import services
from appraisal.models import BackupDeduction, BackupDownload, BorrowRequest
from servicedesk.org.roles import sync_role_permissions

from .conftest import HOLIDAY_WEEK, at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _permissions(db):
    sync_role_permissions()


@pytest.mark.parametrize(
    "model", ["backupsubmission", "backupcheck", "backupcheckentry", "backupdeduction", "backupdownload", "borrowrequest", "backuprules"]
)
def test_the_manager_opens_every_backup_screen(client, manager, technician, submit, rules, model):
    submit(technician)
    services.run_backup_check(week_start=HOLIDAY_WEEK, now=at(2026, 10, 5, 10))
    client.force_login(manager.user)
    assert client.get(reverse(f"admin:appraisal_{model}_changelist")).status_code == 200


def test_a_station_head_lists_only_his_stations_backups(client, station_head, technician, other_technician, submit):
    submit(technician)
    submit(other_technician)
    client.force_login(station_head.user)
    response = client.get(reverse("admin:appraisal_backupsubmission_changelist"))
    assert response.status_code == 200
    assert [s.staff for s in response.context["cl"].result_list] == [technician]


def test_the_mark_incomplete_action_asks_for_a_reason_then_calls_the_service(client, supervisor, technician, submit):
    backup = submit(technician)
    client.force_login(supervisor.user)
    url = reverse("admin:appraisal_backupsubmission_changelist")
    ask = client.post(url, {"action": "mark_incomplete", "_selected_action": [backup.pk]})
    assert ask.status_code == 200 and "form" in ask.context
    done = client.post(url, {"action": "mark_incomplete", "_selected_action": [backup.pk], "apply": "1", "reason": "缺照片"})
    assert done.status_code == 302
    assert BackupDeduction.objects.get().kind == "incomplete"


def test_the_admin_download_is_checked_and_logged(client, supervisor, other_technician, technician, submit):
    backup = submit(technician)
    url = reverse("admin:appraisal_backupsubmission_download", args=[backup.pk])
    client.force_login(supervisor.user)  # a reviewer, but the holiday week is archived
    assert client.get(url).status_code == 404
    client.force_login(technician.user)
    technician.user.is_staff = True
    technician.user.save()
    assert client.get(url).status_code == 200
    assert BackupDownload.objects.count() == 1


def test_the_approve_action_of_the_borrowing_admin(client, manager, department, technician, other_technician, submit):
    borrow = services.request_borrow(requester=other_technician, submission=submit(technician), reason="x", actor=other_technician.user)
    client.force_login(manager.user)
    client.post(reverse("admin:appraisal_borrowrequest_changelist"), {"action": "approve", "_selected_action": [borrow.pk]})
    assert BorrowRequest.objects.get().status == "approved"


def test_the_run_again_action_adds_nothing_twice(client, manager, technician, rules):
    check = services.run_backup_check(week_start=HOLIDAY_WEEK, now=at(2026, 10, 5, 10))
    before = BackupDeduction.objects.count()
    client.force_login(manager.user)
    client.post(reverse("admin:appraisal_backupcheck_changelist"), {"action": "run_again", "_selected_action": [check.pk]})
    check.refresh_from_db()
    assert check.runs == 2
    # Run later (now): the missing technician's days keep growing, never duplicated.
    assert BackupDeduction.objects.count() >= before
    assert BackupDeduction.objects.values("staff", "week_start", "kind", "day_no").distinct().count() == BackupDeduction.objects.count()
