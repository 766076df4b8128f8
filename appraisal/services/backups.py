"""Weekly backups: submitting one (archive or confirmation), marking one incomplete, downloading one."""

from __future__ import annotations

import hashlib
import logging
import os
import re
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from servicedesk.notifications.services import notify
from servicedesk.org.models import Staff

from .. import filetypes, selectors
from ..exceptions import BackupNotFound, Conflict, DomainError, InvalidTransition, NotAllowed
from ..models import BackupCheckEntry, BackupDeduction, BackupDownload, BackupRules, BackupSubmission
from ..weeks import due_moment, is_week_start, week_start_of
from .common import page_url

log = logging.getLogger(__name__)

_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\]+")


def max_upload_bytes() -> int:
    return settings.BACKUP_MAX_UPLOAD_MB * 1024 * 1024


def allowed_types() -> list[str]:
    return [kind for kind in settings.BACKUP_ALLOWED_TYPES if kind in filetypes.KNOWN_TYPES]


def clean_file_name(name: str) -> str:
    """The uploader's file name, safe to show and to send back in Content-Disposition."""
    name = _UNSAFE_NAME.sub("_", os.path.basename((name or "").replace("\\", "/"))).strip(" .")
    return (name or "backup")[-200:]


def inspect_archive(upload) -> tuple[str, str, int]:
    """Check an uploaded archive against the limits: ``(type, sha256, size)`` or a DomainError on ``file``.

    The type comes from the content (magic bytes) and must agree with the name's extension.
    """
    name = clean_file_name(getattr(upload, "name", ""))
    size = upload.size
    if not size:
        raise DomainError(_("The file is empty."), field="file")
    limit = max_upload_bytes()
    if size > limit:
        raise DomainError(
            _("The file is %(size).1f MB; at most %(limit)d MB may be uploaded.")
            % {"size": size / 1024 / 1024, "limit": settings.BACKUP_MAX_UPLOAD_MB},
            field="file",
            code="too_large",
        )
    allowed = allowed_types()
    claimed = filetypes.kind_for_name(name)
    if claimed is None or claimed not in allowed:
        raise DomainError(
            _("“%(name)s” is not an accepted archive: upload one of %(types)s.")
            % {"name": name, "types": ", ".join(filetypes.accepted_endings(allowed))},
            field="file",
            code="file_type",
        )
    digest = hashlib.sha256()
    head = b""
    for chunk in upload.chunks():
        if len(head) < filetypes.HEAD_BYTES:
            head += chunk[: filetypes.HEAD_BYTES - len(head)]
        digest.update(chunk)
    actual = filetypes.detect(head)
    if actual != claimed:
        raise DomainError(
            _("The content of “%(name)s” is not a %(type)s archive (its name says it is).")
            % {"name": name, "type": filetypes.extension_for(claimed)},
            field="file",
            code="file_content",
        )
    return actual, digest.hexdigest(), size


def weeks_open_for(staff: Staff, *, today: date) -> list[date]:
    """The weeks a person may submit for, newest first: this week, last week, and any week still missing."""
    this_week = week_start_of(today)
    weeks = {this_week, this_week - timedelta(weeks=1)}
    weeks.update(
        BackupCheckEntry.objects.filter(
            staff=staff, outcome=BackupCheckEntry.Outcome.MISSING, closed_at__isnull=True
        ).values_list("week_start", flat=True)
    )
    return sorted(weeks, reverse=True)


def submit_backup(
    *, staff: Staff, week_start: date, actor, upload=None, note: str = "", now: datetime | None = None
) -> BackupSubmission:
    """A person's backup for a week: an archive (checked, stored privately, SHA-256 recorded) or a
    confirmation with a note. A late one for a week already checked closes its missing entry and
    records the overdue days up to now (each once)."""
    from .checks import settle_after_submission

    now = now or timezone.now()
    if actor.pk != staff.user_id:
        raise NotAllowed(_("A backup can only be submitted by its owner."))
    if staff.status == Staff.Status.LEFT:
        raise DomainError(_("%(name)s has left the department.") % {"name": staff.name})
    if not is_week_start(week_start):
        raise DomainError(_("Choose the Monday of a week."), field="week_start")
    if week_start not in weeks_open_for(staff, today=timezone.localdate(now)):
        raise DomainError(
            _("Backups can be submitted for this week, last week and weeks still missing one."), field="week_start"
        )
    note = (note or "").strip()
    rules = BackupRules.current()
    department = selectors.department_of(staff)
    if department is None:
        raise DomainError(_("No department is set up yet: ask the administrator."))

    submission = BackupSubmission(
        staff=staff,
        week_start=week_start,
        department=department,
        note=note,
        submitted_at=now,
        submitted_by=actor,
        due_at=due_moment(week_start),
    )
    if upload is not None:
        file_type, sha256, size = inspect_archive(upload)
        submission.kind = BackupSubmission.Kind.FILE
        submission.original_name = clean_file_name(upload.name)
        submission.file_type, submission.sha256, submission.size = file_type, sha256, size
    else:
        if not rules.allow_confirmation:
            raise DomainError(_("Upload the backup archive: confirming without a file is not allowed."), field="file")
        if not note:
            raise DomainError(_("Say where the backup is kept (a confirmation needs a note)."), field="note")
        submission.kind = BackupSubmission.Kind.CONFIRMATION

    stored = ""
    try:
        if upload is not None:
            # Stored before the transaction so no slow I/O holds locks; removed again if the row fails.
            submission.file.save(f"backup{filetypes.extension_for(submission.file_type)}", upload, save=False)
            stored = submission.file.name
        with transaction.atomic():
            submission.save()
            settle_after_submission(staff=staff, week_start=week_start, now=now)
    except BaseException:
        if stored:
            submission.file.storage.delete(stored)
        raise
    return submission


@transaction.atomic
def mark_backup_incomplete(*, submission: BackupSubmission, reason: str, actor, now: datetime | None = None) -> BackupSubmission:
    """A reviewer finds a backup incomplete: the submission is marked and the owner loses the
    configured points — once per week, however many of the week's submissions are marked. The
    owner is notified after commit."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say what is missing from the backup."), field="reason")
    submission = BackupSubmission.objects.select_for_update().select_related("staff", "staff__user").get(pk=submission.pk)
    if submission.staff.user_id == actor.pk:
        raise NotAllowed(_("Nobody reviews his own backup."))
    if not selectors.reviewable_staff(actor).filter(pk=submission.staff_id).exists():
        raise NotAllowed(_("You do not review this person's backups."))
    if submission.is_incomplete:
        raise InvalidTransition(_("This backup is already marked incomplete."), field="reason")
    rules = BackupRules.current()
    submission.incomplete_at, submission.incomplete_by, submission.incomplete_reason = now, actor, reason
    submission.save(update_fields=["incomplete_at", "incomplete_by", "incomplete_reason"])
    try:
        # A savepoint: the unique row per person and week is the "once" guard.
        with transaction.atomic():
            BackupDeduction.objects.create(
                staff=submission.staff,
                week_start=submission.week_start,
                kind=BackupDeduction.Kind.INCOMPLETE,
                day_no=0,
                occurred_on=timezone.localdate(now),
                points=rules.incomplete_points,
                note=reason[:300],
                submission=submission,
                created_by=actor,
            )
    except IntegrityError:
        raise Conflict(
            _("A backup of %(name)s for this week was already marked incomplete.") % {"name": submission.staff.name},
            field="reason",
        ) from None
    transaction.on_commit(lambda: _notify_incomplete(submission.pk, rules.incomplete_points))
    return submission


def _notify_incomplete(submission_id: int, points: int) -> None:
    submission = BackupSubmission.objects.select_related("staff__user").filter(pk=submission_id).first()
    if submission is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            recipient=submission.staff.user,
            kind="backup_incomplete",
            title=_("Your backup of the week of %(week)s is incomplete (−%(points)d)")
            % {"week": f"{submission.week_start:%Y-%m-%d}", "points": points},
            body=submission.incomplete_reason,
            url=page_url("appraisal:my_backups"),
            key=f"appraisal:backup-incomplete:{submission.pk}",
        )


def record_download(
    *, submission: BackupSubmission, user, ip_address: str | None = None, user_agent: str = "", now: datetime | None = None
) -> BackupDownload:
    """Allow and log one download of a backup file; a backup the user may not fetch is "not found"."""
    now = now or timezone.now()
    found = selectors.download_grounds(user, submission, now=now)
    if found is None:
        raise BackupNotFound(_("No such backup."))
    grounds, borrow = found
    return BackupDownload.objects.create(
        submission=submission,
        user=user,
        grounds=grounds,
        borrow_request=borrow,
        at=now,
        ip_address=ip_address or None,
        user_agent=(user_agent or "")[:300],
    )
