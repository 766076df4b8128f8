"""Appraisal: the weekly backup of important data (重要资料备份) and borrowing archived backups.

Rows and their invariants only; every write is in :mod:`appraisal.services`, every scoped read in
:mod:`appraisal.selectors`. Deductions are one row per point-costing fact, unique per person, week,
kind and overdue day, so a scorecard sums them per person and month with one aggregate::

    BackupDeduction.objects.filter(occurred_on__range=(first, last)).values("staff").annotate(points=Sum("points"))
"""

from __future__ import annotations

import os
import uuid
from datetime import date, timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicedesk.audit.tracking import audited
from servicedesk.org.models import Staff

DEFAULT_OVERDUE_POINTS = 5  # SPEC §9: each overdue day costs 5 points
DEFAULT_INCOMPLETE_POINTS = 5  # SPEC §9: an incomplete backup costs 5 points
DEFAULT_BORROW_DAYS = 7


@audited
class BackupRules(models.Model):
    """备份考核规则 — points and options of the weekly backup check (one row, edited in the admin).

    A deduction keeps the points in force when it was recorded; changing the rules never rewrites
    what was already deducted.
    """

    overdue_points_per_day = models.PositiveSmallIntegerField(
        _("points per overdue day"), default=DEFAULT_OVERDUE_POINTS, validators=[MinValueValidator(1)]
    )
    incomplete_points = models.PositiveSmallIntegerField(
        _("points for an incomplete backup"), default=DEFAULT_INCOMPLETE_POINTS, validators=[MinValueValidator(1)]
    )
    max_overdue_days = models.PositiveSmallIntegerField(
        _("most overdue days counted per week"),
        default=0,
        help_text=_("0 = no limit: days are counted until the backup arrives."),
    )
    allow_confirmation = models.BooleanField(
        _("confirmation without a file allowed"),
        default=True,
        help_text=_("Staff may confirm, with a note, a backup kept elsewhere instead of uploading an archive."),
    )
    skip_on_leave = models.BooleanField(
        _("skip people on leave"),
        default=False,
        help_text=_("People on a business trip on the due date are always skipped; tick this to skip people on leave too."),
    )
    borrow_days = models.PositiveSmallIntegerField(
        _("borrowed backups downloadable for (days)"), default=DEFAULT_BORROW_DAYS, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("backup rules")
        verbose_name_plural = _("backup rules")

    def __str__(self):
        return str(_("Backup rules"))

    @classmethod
    def current(cls) -> BackupRules:
        rules, _created = cls.objects.get_or_create(pk=1)
        return rules


def backup_upload_to(instance: BackupSubmission, filename: str) -> str:
    """A random name under a private prefix: the uploader's file name never reaches the file system.

    The service passes a name made of the detected archive type's extension only (e.g. ``b.zip``).
    """
    week = instance.week_start
    extension = os.path.splitext(filename)[1].lower()
    return f"private/backups/{week:%Y}/{week:%Y-%m-%d}/{uuid.uuid4().hex}{extension}"


@audited
class BackupSubmission(models.Model):
    """重要资料备份 — one staff member's backup of a week: an uploaded archive or a confirmation.

    Rows are append-only: a second upload for the same week is a new row, and the week counts as
    submitted at its first row. The file lives in Django's storage under ``private/`` and is only
    ever served by the permission-checking download views, which log every download.
    """

    class Kind(models.TextChoices):
        FILE = "file", _("Archive uploaded")
        CONFIRMATION = "confirmation", _("Confirmed without file")

    staff = models.ForeignKey(Staff, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="backup_submissions")
    week_start = models.DateField(_("week (Monday)"))
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="backup_submissions",
        help_text=_("The department whose data this is (the owner's, when submitted)."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=backup_upload_to, storage=default_storage, max_length=255, blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    file_type = models.CharField(_("archive type"), max_length=10, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    note = models.TextField(_("note"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    incomplete_at = models.DateTimeField(_("marked incomplete at"), null=True, blank=True)
    incomplete_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked incomplete by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    incomplete_reason = models.TextField(_("why incomplete"), blank=True)

    class Meta:
        verbose_name = _("backup submission")
        verbose_name_plural = _("backup submissions")
        ordering = ["-week_start", "-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["staff", "week_start", "submitted_at"], name="backup_staff_week_idx"),
            models.Index(fields=["week_start", "submitted_at"], name="backup_week_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="file") & ~Q(file="") & ~Q(sha256="") & Q(size__isnull=False))
                | (Q(kind="confirmation") & Q(file="") & ~Q(note="")),
                name="backup_file_or_confirmation",
            ),
            models.CheckConstraint(
                condition=Q(incomplete_at__isnull=True) | ~Q(incomplete_reason=""),
                name="backup_incomplete_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.staff.name} · {self.week_start:%Y-%m-%d}"

    @property
    def has_file(self) -> bool:
        return self.kind == self.Kind.FILE and bool(self.file)

    @property
    def is_late(self) -> bool:
        return self.due_at is not None and self.submitted_at > self.due_at

    @property
    def is_incomplete(self) -> bool:
        return self.incomplete_at is not None

    def is_archived(self, today: date) -> bool:
        """Its week is over: others than the owner may borrow it (with approval)."""
        return self.week_start + timedelta(days=7) <= today

    def in_review_window(self, today: date) -> bool:
        """This week's or last week's: the owner's reviewers may open it without borrowing."""
        this_week = today - timedelta(days=today.weekday())
        return self.week_start >= this_week - timedelta(days=7)


@audited
class BackupCheck(models.Model):
    """周备份检查 — the check of one week's backups, run on Monday 10:00 and again while someone is missing.

    The counts are those of the last run, department-wide; pages scoped to a station count the
    entries themselves.
    """

    week_start = models.DateField(_("week (Monday)"), unique=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True, help_text=_("Empty: the week had no working day."))
    first_run_at = models.DateTimeField(_("first run at"))
    last_run_at = models.DateTimeField(_("last run at"))
    runs = models.PositiveIntegerField(_("runs"), default=0)
    expected = models.PositiveIntegerField(_("expected"), default=0)
    on_time = models.PositiveIntegerField(_("on time"), default=0)
    late = models.PositiveIntegerField(_("late"), default=0)
    missing = models.PositiveIntegerField(_("missing"), default=0)
    exempt = models.PositiveIntegerField(_("exempt"), default=0)

    class Meta:
        verbose_name = _("weekly backup check")
        verbose_name_plural = _("weekly backup checks")
        ordering = ["-week_start"]

    def __str__(self):
        return str(_("Backups of the week of %(week)s") % {"week": f"{self.week_start:%Y-%m-%d}"})


@audited
class BackupCheckEntry(models.Model):
    """检查结果 — one person's outcome in a weekly check; open while the backup is still missing."""

    class Outcome(models.TextChoices):
        ON_TIME = "on_time", _("On time")
        LATE = "late", _("Late")
        MISSING = "missing", _("Missing")
        BUSINESS_TRIP = "business_trip", _("Skipped: business trip")
        ON_LEAVE = "on_leave", _("Skipped: on leave")

    class Closed(models.TextChoices):
        SUBMITTED = "submitted", _("Backup submitted")
        LEFT = "left", _("Left the department")
        LIMIT = "limit", _("Most overdue days reached")

    EXEMPT = (Outcome.BUSINESS_TRIP, Outcome.ON_LEAVE)

    backup_check = models.ForeignKey(BackupCheck, verbose_name=_("check"), on_delete=models.CASCADE, related_name="entries")
    staff = models.ForeignKey(Staff, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="backup_check_entries")
    week_start = models.DateField(_("week (Monday)"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    status_at_due = models.CharField(_("status on the due date"), max_length=20, choices=Staff.Status.choices)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    overdue_days = models.PositiveSmallIntegerField(_("overdue days"), default=0)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_reason = models.CharField(_("closed because"), max_length=20, choices=Closed.choices, blank=True)
    notified_at = models.DateTimeField(_("supervisor notified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("backup check entry")
        verbose_name_plural = _("backup check entries")
        ordering = ["-week_start", "staff__employee_no"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "week_start"], name="uniq_backup_entry_staff_week"),
        ]
        indexes = [
            # The Monday job re-checks weeks that still have someone missing: a small partial index.
            models.Index(fields=["week_start"], condition=Q(outcome="missing", closed_at__isnull=True), name="backup_entry_open_idx"),
            models.Index(fields=["backup_check", "outcome"], name="backup_entry_outcome_idx"),
        ]

    def __str__(self):
        return f"{self.staff.name} · {self.week_start:%Y-%m-%d} · {self.get_outcome_display()}"

    @property
    def is_open(self) -> bool:
        return self.outcome == self.Outcome.MISSING and self.closed_at is None


@audited
class BackupDeduction(models.Model):
    """备份扣分 — points taken from a person's appraisal for an overdue or incomplete weekly backup.

    One row per overdue day (``day_no`` 1, 2, …) and at most one for an incomplete backup
    (``day_no`` 0) per person and week: the unique constraint is what makes the Monday job and
    its re-runs deduct exactly once. ``occurred_on`` dates the fact for monthly scorecards.
    """

    class Kind(models.TextChoices):
        OVERDUE_DAY = "overdue_day", _("Backup overdue (per day)")
        INCOMPLETE = "incomplete", _("Backup incomplete")

    staff = models.ForeignKey(Staff, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="backup_deductions")
    week_start = models.DateField(_("week (Monday)"))
    kind = models.CharField(_("reason"), max_length=20, choices=Kind.choices)
    day_no = models.PositiveSmallIntegerField(_("overdue day"), default=0)
    occurred_on = models.DateField(_("counts on"))
    points = models.PositiveSmallIntegerField(_("points deducted"), validators=[MinValueValidator(1)])
    note = models.CharField(_("details"), max_length=300, blank=True)
    entry = models.ForeignKey(
        BackupCheckEntry, verbose_name=_("check entry"), on_delete=models.PROTECT, null=True, blank=True, related_name="deductions"
    )
    submission = models.ForeignKey(
        BackupSubmission, verbose_name=_("submission"), on_delete=models.PROTECT, null=True, blank=True, related_name="deductions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("backup deduction")
        verbose_name_plural = _("backup deductions")
        ordering = ["-occurred_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "week_start", "kind", "day_no"], name="uniq_backup_deduction"),
            models.CheckConstraint(
                condition=(Q(kind="overdue_day") & Q(day_no__gte=1)) | (Q(kind="incomplete") & Q(day_no=0)),
                name="backup_deduction_day_no",
            ),
            models.CheckConstraint(condition=Q(points__gte=1), name="backup_deduction_points_positive"),
        ]
        indexes = [models.Index(fields=["occurred_on", "staff"], name="backup_deduction_month_idx")]

    def __str__(self):
        return f"{self.staff.name} −{self.points} · {self.get_kind_display()}"


@audited
class BorrowRequest(models.Model):
    """借阅申请 — a request to download another person's archived backup.

    The requester's department manager approves; when the data belongs to another department, that
    department's manager must approve too. Only then, until ``expires_at``, may the requester download.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    number = models.CharField(_("number"), max_length=30, unique=True)
    requester = models.ForeignKey(Staff, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="borrow_requests")
    submission = models.ForeignKey(
        BackupSubmission, verbose_name=_("backup"), on_delete=models.PROTECT, related_name="borrow_requests"
    )
    reason = models.TextField(_("reason"))
    requester_department = models.ForeignKey(
        "org.Department", verbose_name=_("requester's department"), on_delete=models.PROTECT, related_name="+"
    )
    data_department = models.ForeignKey(
        "org.Department", verbose_name=_("department of the data"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    created_at = models.DateTimeField(_("requested at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("downloadable until"), null=True, blank=True)

    class Meta:
        verbose_name = _("backup borrowing request")
        verbose_name_plural = _("backup borrowing requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(expires_at__isnull=False), name="borrow_approved_has_expiry"
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def is_cross_department(self) -> bool:
        return self.requester_department_id != self.data_department_id

    @property
    def required_department_ids(self) -> list[int]:
        return sorted({self.requester_department_id, self.data_department_id})


@audited
class BorrowApproval(models.Model):
    """借阅审批 — one department manager's decision on a borrowing request (one per department)."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    request = models.ForeignKey(BorrowRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="approvals")
    department = models.ForeignKey("org.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("borrowing approval")
        verbose_name_plural = _("borrowing approvals")
        ordering = ["decided_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["request", "department"], name="uniq_borrow_approval_department")]

    def __str__(self):
        return f"{self.request.number} · {self.department} · {self.get_decision_display()}"


@audited
class BackupDownload(models.Model):
    """下载记录 — every download of a backup file: who, when, from where and on what grounds."""

    class Grounds(models.TextChoices):
        OWNER = "owner", _("Own backup")
        REVIEWER = "reviewer", _("Review by a supervisor")
        BORROWED = "borrowed", _("Approved borrowing")

    submission = models.ForeignKey(BackupSubmission, verbose_name=_("backup"), on_delete=models.PROTECT, related_name="downloads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("downloaded by"), on_delete=models.PROTECT, related_name="+")
    grounds = models.CharField(_("grounds"), max_length=20, choices=Grounds.choices)
    borrow_request = models.ForeignKey(
        BorrowRequest, verbose_name=_("borrowing request"), on_delete=models.PROTECT, null=True, blank=True, related_name="downloads"
    )
    at = models.DateTimeField(_("downloaded at"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("backup download")
        verbose_name_plural = _("backup downloads")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["submission", "-at"], name="backup_download_idx")]

    def __str__(self):
        return f"{self.submission} · {self.user}"


# Monthly scorecards and the daily feedback-form scores live in their own module (this one is for backups).
from .scorecard_models import (  # noqa: E402,F401
    Evaluation,
    FeedbackScore,
    Scorecard,
    ScorecardAdjustment,
    ScorecardConfig,
    ScorecardLog,
    ScorecardMonth,
)
