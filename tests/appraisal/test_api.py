"""The appraisal API: the project's error format, scoping, actions and constant query counts."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from appraisal import services
from appraisal.weeks import due_moment, week_start_of
from tests.factories import StaffFactory

from .conftest import HOLIDAY_WEEK, at, upload

pytestmark = pytest.mark.django_db

BASE = "/api/v1/appraisal"


def test_a_confirmation_through_the_api_defaults_to_this_week(technician, api_client_as):
    response = api_client_as(technician).post(f"{BASE}/backups/", {"note": "已存 NAS"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["kind"] == "confirmation"
    assert body["week_start"] == week_start_of(timezone.localdate()).isoformat()
    assert body["staff"]["id"] == technician.pk


def test_validation_and_domain_errors_use_the_one_error_format(technician, api_client_as):
    client = api_client_as(technician)
    bad_date = client.post(f"{BASE}/backups/", {"week_start": "next friday", "note": "x"}, format="json")
    assert bad_date.status_code == 400
    assert set(bad_date.json()) == {"detail", "code", "errors"} and list(bad_date.json()["errors"]) == ["week_start"]

    no_note = client.post(f"{BASE}/backups/", {"note": ""}, format="json")
    assert no_note.status_code == 400
    assert no_note.json()["errors"] == {"note": [no_note.json()["errors"]["note"][0]]}
    assert no_note.json()["detail"].startswith("note")

    wrong_type = client.post(f"{BASE}/backups/", {"file": upload("a.exe", b"MZ" + b"\0" * 64)}, format="multipart")
    assert wrong_type.status_code == 400 and list(wrong_type.json()["errors"]) == ["file"]
    assert wrong_type.json()["code"] == "file_type"

    missing = client.get(f"{BASE}/backups/999999/")
    assert missing.status_code == 404
    assert set(missing.json()) == {"detail", "code", "errors"}


def test_mark_incomplete_via_the_api(technician, supervisor, submit, api_client_as):
    backup = submit(technician)
    client = api_client_as(supervisor)
    no_reason = client.post(f"{BASE}/backups/{backup.pk}/mark-incomplete/", {"reason": ""}, format="json")
    assert no_reason.status_code == 400 and list(no_reason.json()["errors"]) == ["reason"]
    ok = client.post(f"{BASE}/backups/{backup.pk}/mark-incomplete/", {"reason": "缺少照片"}, format="json")
    assert ok.status_code == 200 and ok.json()["is_incomplete"] is True
    again = client.post(f"{BASE}/backups/{backup.pk}/mark-incomplete/", {"reason": "再次"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"
    # The owner cannot reach the action on his own backup (403), another technician cannot even see it (404).
    assert api_client_as(technician).post(f"{BASE}/backups/{backup.pk}/mark-incomplete/", {"reason": "x"}, format="json").status_code == 403


def test_checks_are_for_reviewers_and_only_managers_run_one(technician, supervisor, manager, api_client_as, rules):
    services.run_backup_check(week_start=HOLIDAY_WEEK, now=at(2026, 10, 5, 10))
    assert api_client_as(technician).get(f"{BASE}/backup-checks/").json()["count"] == 0
    assert api_client_as(supervisor).get(f"{BASE}/backup-checks/").json()["count"] == 1
    refused = api_client_as(supervisor).post(f"{BASE}/backup-checks/run/", {"week_start": "2026-09-28"}, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    ran = api_client_as(manager).post(f"{BASE}/backup-checks/run/", {"week_start": "2026-09-28"}, format="json")
    assert ran.status_code == 200 and ran.json()["runs"] == 2
    not_monday = api_client_as(manager).post(f"{BASE}/backup-checks/run/", {"week_start": "2026-09-29"}, format="json")
    assert not_monday.status_code == 400 and list(not_monday.json()["errors"]) == ["week_start"]


def test_deductions_filter_by_month_with_a_field_named_error(technician, api_client_as, rules):
    services.run_backup_check(week_start=HOLIDAY_WEEK, now=at(2026, 10, 5, 10))
    client = api_client_as(technician)
    october = client.get(f"{BASE}/backup-deductions/?month=2026-10").json()
    assert october["count"] == 5 and {row["points"] for row in october["results"]} == {5}
    assert client.get(f"{BASE}/backup-deductions/?month=2026-09").json()["count"] == 0
    bad = client.get(f"{BASE}/backup-deductions/?month=10/2026")
    assert bad.status_code == 400 and list(bad.json()["errors"]) == ["month"]


def test_borrow_request_through_the_api(technician, other_technician, department, manager, submit, api_client_as):
    backup = submit(technician)
    client = api_client_as(other_technician)
    no_reason = client.post(f"{BASE}/borrow-requests/", {"submission": backup.pk, "reason": ""}, format="json")
    assert no_reason.status_code == 400 and list(no_reason.json()["errors"]) == ["reason"]
    created = client.post(f"{BASE}/borrow-requests/", {"submission": backup.pk, "reason": "回访资料"}, format="json")
    assert created.status_code == 201 and created.json()["status"] == "pending"
    pk = created.json()["id"]
    assert client.post(f"{BASE}/borrow-requests/{pk}/approve/", {}, format="json").status_code == 403
    approved = api_client_as(manager).post(f"{BASE}/borrow-requests/{pk}/approve/", {"comment": "同意"}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["approvals"][0]["decided_by"] == "p_manager"
    assert client.get(f"{BASE}/borrow-requests/{pk}/download/").status_code == 200


def _grow(n, week, *, station, requester):
    """n more technicians with a backup for ``week``, that week checked, a borrowing request each."""
    due = due_moment(week)
    people = [StaffFactory(station=station) for _ in range(n)]
    for person in people:
        backup = services.submit_backup(staff=person, week_start=week, actor=person.user, upload=upload(), now=due - timedelta(hours=1))
        services.request_borrow(requester=requester, submission=backup, reason="x", actor=requester.user)
    services.run_backup_check(week_start=week, now=due + timedelta(days=3))


@pytest.mark.parametrize(
    "path", ["backups/", "backup-check-entries/", "backup-deductions/", "borrow-requests/", "backup-checks/"]
)
def test_list_endpoints_read_a_constant_number_of_queries(
    path, manager, department, station_a, other_technician, api_client_as, django_assert_max_num_queries, rules
):
    client = api_client_as(manager)
    client.get(f"{BASE}/{path}")  # the first request of a user caches his roles
    counts = []
    for n, week in ((2, date(2026, 9, 21)), (12, HOLIDAY_WEEK)):
        _grow(n, week, station=station_a, requester=other_technician)
        with django_assert_max_num_queries(8) as captured:
            response = client.get(f"{BASE}/{path}?page_size=100")
        assert response.status_code == 200 and response.json()["count"] > 0
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], f"{path}: {counts}"


def test_the_schema_lists_the_appraisal_endpoints(client, manager):
    client.force_login(manager.user)
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi").content.decode()
    for path in ("/appraisal/backups/", "/appraisal/backup-checks/run/", "/appraisal/borrow-requests/{id}/approve/"):
        assert path in schema
