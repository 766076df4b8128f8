"""The pages: my backups (everyone), compliance and its history (reviewers), borrowing, the export."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from appraisal import services
from appraisal.models import BackupDownload, BackupSubmission, BorrowRequest
from appraisal.weeks import week_start_of
from tests.factories import StaffFactory

from .conftest import HOLIDAY_WEEK, at, upload, zip_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.appraisal.urls")]


def test_my_backups_upload_through_the_page(client, technician):
    client.force_login(technician.user)
    page = client.get(reverse("appraisal:my_backups"))
    assert page.status_code == 200
    this_week = week_start_of(timezone.localdate())
    response = client.post(
        reverse("appraisal:my_backups"),
        {"week_start": this_week.isoformat(), "file": upload("本周备份.zip")},
        follow=True,
    )
    assert response.status_code == 200
    backup = BackupSubmission.objects.get()
    assert (backup.staff, backup.week_start, backup.original_name) == (technician, this_week, "本周备份.zip")
    assert "本周备份.zip" in response.content.decode()


def test_a_wrong_file_on_the_page_is_reported_on_the_file_field(client, technician):
    client.force_login(technician.user)
    this_week = week_start_of(timezone.localdate())
    response = client.post(
        reverse("appraisal:my_backups"), {"week_start": this_week.isoformat(), "file": upload("virus.zip", b"MZ" + b"\0" * 80)}
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["file"]
    assert not BackupSubmission.objects.exists()


def test_the_page_download_is_the_owners_only_and_logged(client, technician, other_technician, submit):
    backup = submit(technician)
    url = reverse("appraisal:backup_download", args=[backup.pk])
    client.force_login(other_technician.user)
    assert client.get(url).status_code == 404
    client.force_login(technician.user)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == zip_bytes()
    assert BackupDownload.objects.filter(user=technician.user).count() == 1


def test_a_user_without_staff_record_sees_an_explanation(client, django_user_model):
    user = django_user_model.objects.create_user("nobody", password="x")
    client.force_login(user)
    response = client.get(reverse("appraisal:my_backups"))
    assert response.status_code == 200 and response.templates[0].name == "appraisal/no_staff.html"


def test_compliance_is_for_reviewers(client, technician):
    client.force_login(technician.user)
    assert client.get(reverse("appraisal:compliance")).status_code == 403
    assert client.get(reverse("appraisal:compliance_export")).status_code == 403


def test_compliance_of_the_holiday_week_with_history_and_mark_incomplete(
    client, supervisor, technician, other_technician, submit, rules
):
    backup = submit(technician, now=at(2026, 9, 30, 9))
    services.run_backup_check(week_start=HOLIDAY_WEEK, now=at(2026, 10, 5, 10))
    client.force_login(supervisor.user)
    url = reverse("appraisal:compliance") + "?week=2026-09-30"  # any day of the week
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["week"] == HOLIDAY_WEEK and page.context["due"] == at(2026, 9, 30, 18)
    states = {person.pk: state.key for person, state in page.context["rows"]}
    assert states[technician.pk] == "on_time" and states[other_technician.pk] == "missing"
    assert page.context["counts"]["missing"] == 2  # other_technician and the supervisor himself
    assert [c.week_start for c in page.context["history"]] == [HOLIDAY_WEEK]

    response = client.post(reverse("appraisal:mark_incomplete", args=[backup.pk]), {"reason": "缺少照片"})
    assert response.status_code == 302 and response.url.endswith("?week=2026-09-28")
    backup.refresh_from_db()
    assert backup.is_incomplete


def test_the_compliance_page_reads_a_constant_number_of_queries(client, manager, station_a, rules, django_assert_max_num_queries):
    client.force_login(manager.user)
    url = reverse("appraisal:compliance") + "?week=2026-09-28"
    client.get(url)
    counts = []
    for n in (2, 15):
        for person in [StaffFactory(station=station_a) for _ in range(n)]:
            services.submit_backup(staff=person, week_start=HOLIDAY_WEEK, actor=person.user, upload=upload(), now=at(2026, 9, 29, 9))
        with django_assert_max_num_queries(20) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], counts


def test_the_compliance_export_is_a_formula_safe_workbook(client, manager, station_a, submit, rules):
    tricky = StaffFactory(station=station_a, name="=HYPERLINK(\"http://x\")")
    submit(tricky, now=at(2026, 10, 1, 9))  # late, during the holiday
    services.run_backup_check(week_start=HOLIDAY_WEEK, now=at(2026, 10, 5, 10))
    client.force_login(manager.user)
    response = client.get(reverse("appraisal:compliance_export") + "?week=2026-09-28")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="backups-2026-09-28.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    names = [row[1] for row in rows]
    assert "'=HYPERLINK(\"http://x\")" in names
    row = rows[names.index("'=HYPERLINK(\"http://x\")")]
    assert row[7] == 1 and row[9] == 5  # one overdue day, five points


def test_borrowing_pages_request_approve_download(client, technician, other_technician, department, manager, submit):
    backup = submit(technician)
    client.force_login(other_technician.user)
    wrong_week = client.post(
        reverse("appraisal:borrow_list"), {"owner": technician.pk, "week": "2026-09-21", "reason": "查资料"}
    )
    assert list(wrong_week.context["form"].errors) == ["week"]
    response = client.post(reverse("appraisal:borrow_list"), {"owner": technician.pk, "week": "2026-09-28", "reason": "查资料"})
    borrow = BorrowRequest.objects.get()
    assert response.status_code == 302 and borrow.submission == backup
    assert client.get(reverse("appraisal:borrow_download", args=[borrow.pk])).status_code == 404

    client.force_login(manager.user)
    listing = client.get(reverse("appraisal:borrow_list"))
    assert [b.pk for b in listing.context["awaiting"]] == [borrow.pk]
    detail = client.get(reverse("appraisal:borrow_detail", args=[borrow.pk]))
    assert [d.pk for d in detail.context["to_decide"]] == [department.pk]
    client.post(reverse("appraisal:borrow_decide", args=[borrow.pk]), {"decision": "approve", "comment": ""})
    borrow.refresh_from_db()
    assert borrow.status == "approved"

    client.force_login(other_technician.user)
    detail = client.get(reverse("appraisal:borrow_detail", args=[borrow.pk]))
    assert detail.context["can_download"]
    assert client.get(reverse("appraisal:borrow_download", args=[borrow.pk])).status_code == 200
    assert BackupDownload.objects.get().grounds == "borrowed"


def test_pages_render_in_chinese_by_default(client, technician):
    client.force_login(technician.user)
    html = client.get(reverse("appraisal:my_backups")).content.decode()
    assert "我的备份" in html
