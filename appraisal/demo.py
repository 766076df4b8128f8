"""Demo weekly backups: last week's submissions for most staff, a few missing, one late, one on a
business trip (tech04, from the org demo), one marked incomplete, the Monday check run, and a
borrowing request waiting for the manager. Idempotent: people who already have a submission for a
week are left alone, and the check's unique rows make re-running it harmless."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from servicedesk.calendar import CALENDAR_TZ
from servicedesk.core.demo import DemoContext, demo_seeder
from servicedesk.org.models import Staff

from . import services
from .models import BackupRules, BackupSubmission, BorrowRequest
from .weeks import due_moment, week_start_of

# Who does what last week (usernames of the org demo); everyone else uploads on time.
MISSING = ("tech03", "tech06")
LATE = "tech08"  # the day after the due date
CONFIRM_ONLY = ("gm", "finance")  # kept on the department's NAS: confirmation with a note
INCOMPLETE = "tech02"  # the supervisor finds a folder missing


def _archive(owner: str, week) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("客户资料/客户清单.csv", f"客户,电话\n演示客户,021-58301234\n# {owner} {week}\n")
        archive.writestr("工作单/说明.txt", f"{owner} 的重要资料备份（{week} 周）\n")
    return SimpleUploadedFile(f"{owner}-{week:%Y%m%d}-备份.zip", buffer.getvalue(), content_type="application/zip")


def _submit(staff: Staff, week, at, *, confirm: bool = False) -> BackupSubmission | None:
    if BackupSubmission.objects.filter(staff=staff, week_start=week).exists():
        return None
    if confirm:
        return services.submit_backup(
            staff=staff, week_start=week, actor=staff.user, note="已备份到服务部 NAS：/备份/本周", now=at
        )
    return services.submit_backup(staff=staff, week_start=week, actor=staff.user, upload=_archive(staff.user.username, week), now=at)


@demo_seeder
def seed_backups(ctx: DemoContext) -> None:
    BackupRules.current()
    people = ctx.objects.get("staff") or {s.user.username: s for s in Staff.objects.select_related("user")}
    now = timezone.now()
    this_week = week_start_of(timezone.localdate(now))
    last_week = this_week - timedelta(weeks=1)
    due = due_moment(last_week)
    if due is None:
        ctx.log("appraisal: last week had no working day, no backups to seed")
        return

    # Two weeks back: everyone's archive, so there is something archived to borrow.
    earlier = last_week - timedelta(weeks=1)
    earlier_due = due_moment(earlier)
    if earlier_due is not None:
        for username in ("tech01", "tech05"):
            if username in people:
                _submit(people[username], earlier, earlier_due - timedelta(hours=3))

    made = 0
    for n, (username, staff) in enumerate(sorted(people.items())):
        if username in MISSING or staff.status in (Staff.Status.LEFT, Staff.Status.BUSINESS_TRIP):
            continue
        at = due + timedelta(hours=20) if username == LATE else due - timedelta(hours=2, minutes=7 * n)
        if _submit(staff, last_week, at, confirm=username in CONFIRM_ONLY):
            made += 1

    # The check as the Monday 10:00 job runs it (or now, if the demo is seeded before that).
    monday_ten = datetime.combine(this_week, time(10, 0), tzinfo=CALENDAR_TZ)
    check = services.run_backup_check(week_start=last_week, now=min(now, monday_ten) if now > due else now)

    supervisor = people.get("supervisor")
    target = BackupSubmission.objects.filter(staff=people.get(INCOMPLETE), week_start=last_week, incomplete_at__isnull=True).first()
    if supervisor is not None and target is not None and not target.staff.backup_deductions.filter(
        week_start=last_week, kind="incomplete"
    ).exists():
        services.mark_backup_incomplete(
            submission=target, reason="缺少“工作单”目录中本周的服务报告扫描件", actor=supervisor.user, now=min(now, monday_ten + timedelta(hours=1))
        )

    borrower = people.get("tech05")
    archived = BackupSubmission.objects.filter(staff=people.get("tech01"), week_start=earlier, kind="file").first()
    if borrower is not None and archived is not None and not BorrowRequest.objects.filter(requester=borrower, submission=archived).exists():
        services.request_borrow(
            requester=borrower, submission=archived, reason="张伟休假，需要查阅他上上周的客户回访记录", actor=borrower.user
        )
    ctx.log(f"appraisal: {made} backups for the week of {last_week}, check: {check.missing} missing, {check.exempt} skipped")
