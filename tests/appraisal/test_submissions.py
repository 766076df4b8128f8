"""Submitting backups (archive checks by content, limits, private storage) and downloading them."""

import hashlib
import io
import tarfile
from datetime import date, timedelta

import pytest
from django.utils import timezone

from appraisal import services
from appraisal.models import BackupDeduction, BackupDownload, BackupSubmission
from appraisal.weeks import week_start_of
from servicedesk.core.exceptions import DomainError
from servicedesk.notifications.models import Notification

from .conftest import HOLIDAY_WEEK, at, upload, zip_bytes

pytestmark = pytest.mark.django_db


def _api_upload(client, **data):
    return client.post("/api/v1/appraisal/backups/", data, format="multipart")


def test_an_uploaded_archive_is_stored_privately_with_its_checksum(technician, submit, settings):
    content = zip_bytes("重要资料")
    backup = submit(technician, file=upload("客户资料 第3周.zip", content), now=at(2026, 9, 29, 16))
    backup.refresh_from_db()
    assert backup.kind == "file" and backup.file_type == "zip"
    assert backup.sha256 == hashlib.sha256(content).hexdigest()
    assert backup.size == len(content)
    assert backup.original_name == "客户资料 第3周.zip"
    # Stored through the storage API under a private prefix with a random name, not the uploader's.
    assert backup.file.name.startswith("private/backups/2026/2026-09-28/") and backup.file.name.endswith(".zip")
    assert "客户" not in backup.file.name
    assert (settings.MEDIA_ROOT / backup.file.name).read_bytes() == content
    assert backup.department == technician.station.department
    assert backup.due_at == at(2026, 9, 30, 18) and not backup.is_late


def test_other_archive_types_are_recognised_by_their_content(technician, submit):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        info = tarfile.TarInfo("a.txt")
        info.size = 1
        archive.addfile(info, io.BytesIO(b"x"))
    backup = submit(technician, file=upload("week.tar.gz", buffer.getvalue()))
    assert backup.file_type == "gz"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("backup.exe", b"MZ\x90\x00" + b"\x00" * 100, "file_type"),
        ("notes.docx", zip_bytes(), "file_type"),  # a ZIP container, but not an archive extension
        ("backup.zip", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "file_content"),
        ("backup.7z", zip_bytes(), "file_content"),  # a ZIP renamed to .7z
        ("empty.zip", b"", "invalid"),
    ],
)
def test_a_file_that_is_not_the_archive_it_claims_is_refused_on_the_file_field(technician, submit, name, content, code, settings):
    with pytest.raises(DomainError) as error:
        submit(technician, file=upload(name, content))
    assert error.value.field == "file" and error.value.code == code
    assert not BackupSubmission.objects.exists()
    assert not any((settings.MEDIA_ROOT).rglob("*.*")), "nothing is left in the storage"


def test_a_file_over_the_size_limit_is_refused_via_the_api_naming_the_file_field(technician, api_client_as, settings):
    settings.BACKUP_MAX_UPLOAD_MB = 1
    big = zip_bytes() + b"\x00" * (1024 * 1024)
    response = _api_upload(api_client_as(technician), file=upload("big.zip", big))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "too_large"
    assert list(body["errors"]) == ["file"]
    assert "1 MB" in body["errors"]["file"][0]
    assert not BackupSubmission.objects.exists()


def test_only_the_configured_types_are_accepted(technician, submit, settings):
    settings.BACKUP_ALLOWED_TYPES = ["zip"]
    with pytest.raises(DomainError) as error:
        submit(technician, file=upload("week.rar", b"Rar!\x1a\x07\x00" + b"\x00" * 50))
    assert error.value.field == "file"
    message = str(error.value.message)
    assert error.value.code == "file_type"
    assert ".zip" in message and message.count(".rar") == 1, "only the file's own name mentions .rar"


def test_a_confirmation_needs_a_note_and_can_be_switched_off(technician, submit, rules):
    with pytest.raises(DomainError) as error:
        services.submit_backup(staff=technician, week_start=HOLIDAY_WEEK, actor=technician.user, note="  ", now=at(2026, 9, 29, 9))
    assert error.value.field == "note"
    backup = submit(technician, note="已存服务站 NAS /备份/0928")
    assert (backup.kind, backup.file.name, backup.sha256) == ("confirmation", "", "")
    rules.allow_confirmation = False
    rules.save()
    with pytest.raises(DomainError) as error:
        submit(technician, note="再次确认")
    assert error.value.field == "file"


def test_nobody_submits_for_someone_else_nor_for_a_closed_or_future_week(technician, other_technician):
    with pytest.raises(DomainError):
        services.submit_backup(staff=technician, week_start=HOLIDAY_WEEK, actor=other_technician.user, note="x", now=at(2026, 9, 29, 9))
    for week in (date(2026, 9, 14), date(2026, 10, 5)):  # two weeks back (no open entry), next week
        with pytest.raises(DomainError) as error:
            services.submit_backup(staff=technician, week_start=week, actor=technician.user, note="x", now=at(2026, 9, 29, 9))
        assert error.value.field == "week_start"


# --- downloads ---------------------------------------------------------------------------------


def test_the_owner_downloads_his_backup_and_the_download_is_logged(technician, submit, api_client_as):
    backup = submit(technician)
    client = api_client_as(technician)
    response = client.get(f"/api/v1/appraisal/backups/{backup.pk}/download/", HTTP_USER_AGENT="pad")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == zip_bytes()
    log = BackupDownload.objects.get()
    assert (log.user, log.submission, log.grounds, log.user_agent) == (technician.user, backup, "owner", "pad")
    assert log.ip_address == "127.0.0.1"


def test_another_persons_backup_is_a_404_and_leaves_no_log(technician, other_technician, submit, api_client_as):
    backup = submit(technician)
    client = api_client_as(other_technician)
    assert client.get(f"/api/v1/appraisal/backups/{backup.pk}/download/").status_code == 404
    assert client.get(f"/api/v1/appraisal/backups/{backup.pk}/").status_code == 404
    assert not BackupDownload.objects.exists()


def test_a_reviewer_downloads_recent_backups_but_needs_to_borrow_archived_ones(technician, supervisor, submit, client):
    # This week's backup (relative to the real clock): the supervisor may open it to review it.
    this_week = week_start_of(timezone.localdate())
    recent = services.submit_backup(staff=technician, week_start=this_week, actor=technician.user, upload=upload())
    # Last week's, checked on Monday: still open to its reviewers during this week.
    last_week = services.submit_backup(
        staff=technician, week_start=this_week - timedelta(weeks=1), actor=technician.user, upload=upload()
    )
    archived = submit(technician)  # the holiday week, long over
    client.force_login(supervisor.user)
    assert client.get(f"/api/v1/appraisal/backups/{recent.pk}/download/").status_code == 200
    assert client.get(f"/api/v1/appraisal/backups/{last_week.pk}/download/").status_code == 200
    assert client.get(f"/api/v1/appraisal/backups/{archived.pk}/download/").status_code == 404
    assert list(BackupDownload.objects.values_list("grounds", flat=True)) == ["reviewer", "reviewer"]


def test_media_urls_do_not_serve_backups(technician, submit, client):
    backup = submit(technician)
    client.force_login(technician.user)
    assert client.get(f"/media/{backup.file.name}").status_code == 404


# --- marking incomplete ------------------------------------------------------------------------


def test_a_supervisor_marks_a_backup_incomplete_once(technician, supervisor, submit, rules, django_capture_on_commit_callbacks):
    first = submit(technician, now=at(2026, 9, 29, 9))
    second = submit(technician, file=upload("again.zip"), now=at(2026, 9, 29, 10))
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_backup_incomplete(submission=first, reason="缺少本周服务报告", actor=supervisor.user, now=at(2026, 10, 8, 9))
    first.refresh_from_db()
    assert first.is_incomplete and first.incomplete_by == supervisor.user
    deduction = BackupDeduction.objects.get()
    assert (deduction.kind, deduction.points, deduction.occurred_on, deduction.created_by) == (
        "incomplete", 5, date(2026, 10, 8), supervisor.user
    )
    assert Notification.objects.filter(recipient=technician.user, kind="backup_incomplete").count() == 1

    with pytest.raises(DomainError) as again:
        services.mark_backup_incomplete(submission=first, reason="又一次", actor=supervisor.user)
    assert again.value.status_code == 409
    with pytest.raises(DomainError) as same_week:
        services.mark_backup_incomplete(submission=second, reason="第二份也不全", actor=supervisor.user)
    assert same_week.value.status_code == 409
    assert BackupDeduction.objects.count() == 1
    second.refresh_from_db()
    assert not second.is_incomplete, "nothing half-saved"


def test_marking_incomplete_needs_a_reason_and_a_reviewer_who_is_not_the_owner(technician, other_technician, supervisor, submit):
    backup = submit(supervisor)
    with pytest.raises(DomainError) as own:
        services.mark_backup_incomplete(submission=backup, reason="x", actor=supervisor.user)
    assert own.value.status_code == 403
    with pytest.raises(DomainError) as not_reviewer:
        services.mark_backup_incomplete(submission=submit(technician), reason="x", actor=other_technician.user)
    assert not_reviewer.value.status_code == 403
    with pytest.raises(DomainError) as no_reason:
        services.mark_backup_incomplete(submission=submit(technician), reason=" ", actor=supervisor.user)
    assert no_reason.value.field == "reason"


def test_a_station_head_reviews_only_his_station(technician, other_technician, station_head, submit):
    services.mark_backup_incomplete(submission=submit(technician), reason="不全", actor=station_head.user)
    with pytest.raises(DomainError):
        services.mark_backup_incomplete(submission=submit(other_technician), reason="不全", actor=station_head.user)
