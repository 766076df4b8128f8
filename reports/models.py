"""Finance marks and reports, export jobs and the stations' work reports.

Signed work orders are frozen by database triggers, so nothing finance records about them lives on
the order: a reconciliation mark is a row of its own. Fee reports and work reports keep their whole
history as event rows (who, when, what was said) next to the current state.
"""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicedesk.audit.tracking import audited

MONEY = {"max_digits": 14, "decimal_places": 2}


@audited
class BillingMark(models.Model):
    """对账标记 — finance's reconciliation mark on one billable work order: paid or not, who, when, why."""

    class Status(models.TextChoices):
        PAID = "paid", _("Payment received")
        UNPAID = "unpaid", _("Payment outstanding")

    order = models.OneToOneField(
        "tickets.WorkOrder", verbose_name=_("work order"), on_delete=models.PROTECT, related_name="billing_mark"
    )
    status = models.CharField(_("reconciliation"), max_length=10, choices=Status.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("marked by"), on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(_("marked at"))

    class Meta:
        verbose_name = _("reconciliation mark")
        verbose_name_plural = _("reconciliation marks")
        ordering = ["-marked_at", "-pk"]

    def __str__(self):
        return f"{self.order_id} {self.status}"


@audited
class FeeReport(models.Model):
    """月度收费报表 — the month's charges by category and payment method, prepared by finance and
    approved (or returned) by the manager. ``figures`` is the snapshot the manager approves."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned for changes")

    ALLOWED_TRANSITIONS = {
        "draft": {"submitted"},
        "submitted": {"approved", "returned"},
        "returned": {"draft", "submitted"},
        "approved": set(),
    }

    month = models.DateField(_("month"), unique=True, help_text=_("The first day of the month."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    figures = models.JSONField(_("figures"), default=dict)
    version = models.PositiveIntegerField(_("version"), default=1)
    note = models.TextField(_("note"), blank=True)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("prepared by"), on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField(_("prepared at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("monthly fee report")
        verbose_name_plural = _("monthly fee reports")
        ordering = ["-month"]

    def __str__(self):
        return f"{self.month:%Y-%m}"


class FeeReportStep(models.Model):
    """One step of a fee report (prepared, submitted, approved, returned) — append-only history."""

    report = models.ForeignKey(FeeReport, verbose_name=_("fee report"), on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("kind"), max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))
    comment = models.TextField(_("comment"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    figures = models.JSONField(_("figures"), default=dict, blank=True)

    class Meta:
        verbose_name = _("fee report step")
        verbose_name_plural = _("fee report steps")
        ordering = ["at", "pk"]
        # The steps are the report's approval history: the database keeps them as written.
        triggers = [pgtrigger.Protect(name="feereportstep_append_only", operation=pgtrigger.Update | pgtrigger.Delete)]


def export_path(instance, filename):
    # A random name outside any public URL: the file leaves only through the download view.
    return f"exports/{instance.token}.xlsx"


class ExportJob(models.Model):
    """A long export built in the background: pending → running → done / failed, with progress."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=40)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    rows_total = models.PositiveIntegerField(_("rows to write"), default=0)
    token = models.CharField(_("file token"), max_length=64, unique=True)
    file = models.FileField(_("file"), upload_to=export_path, max_length=200, blank=True)
    filename = models.CharField(_("file name"), max_length=150, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True, db_index=True)
    file_deleted_at = models.DateTimeField(_("file deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="exportjob_progress_max_100"),
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk}"


@audited
class WorkReport(models.Model):
    """服务周报 / 月报 — a station's weekly or monthly report: figures drafted from the data, narrative by
    the station head, approved by the manager, answered (批复) by the provincial supervisor."""

    class Period(models.TextChoices):
        WEEKLY = "weekly", _("Weekly report")
        MONTHLY = "monthly", _("Monthly report")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for approval")
        RETURNED = "returned", _("Returned for changes")
        APPROVED = "approved", _("Approved")
        REPLIED = "replied", _("Replied by the provincial supervisor")

    ALLOWED_TRANSITIONS = {
        "draft": {"submitted"},
        "returned": {"submitted"},
        "submitted": {"approved", "returned"},
        "approved": {"replied"},
        "replied": set(),
    }
    EDITABLE = ("draft", "returned")
    NARRATIVE_FIELDS = ("summary", "problems", "plans")

    station = models.ForeignKey("org.Station", verbose_name=_("service station"), on_delete=models.PROTECT, related_name="work_reports")
    period = models.CharField(_("period"), max_length=10, choices=Period.choices)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    due_at = models.DateTimeField(_("due at"), db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    figures = models.JSONField(_("figures"), default=dict)
    cases = models.JSONField(_("notable cases"), default=list, blank=True)
    summary = models.TextField(_("work summary"), blank=True)
    problems = models.TextField(_("problems and causes"), blank=True)
    plans = models.TextField(_("plans for the next period"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=0, help_text=_("How many times it was submitted."))
    drafted_at = models.DateTimeField(_("drafted at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reply = models.TextField(_("reply (批复)"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("replied by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("work report")
        verbose_name_plural = _("work reports")
        ordering = ["-period_start", "station__code", "period"]
        constraints = [
            models.UniqueConstraint(fields=["station", "period", "period_start"], name="uniq_work_report_period"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="work_report_period_order"),
        ]

    def __str__(self):
        return f"{self.station_id} {self.period} {self.period_start}"


class WorkReportStep(models.Model):
    """One step or comment on a work report (drafted, edited, submitted, returned, approved, replied).

    A submission stores the whole report as it was sent (``snapshot``): the versions history."""

    report = models.ForeignKey(WorkReport, verbose_name=_("work report"), on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("kind"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("at"))
    comment = models.TextField(_("comment"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)
    snapshot = models.JSONField(_("snapshot"), default=dict, blank=True)

    class Meta:
        verbose_name = _("work report step")
        verbose_name_plural = _("work report steps")
        ordering = ["at", "pk"]
        # The steps are the report's versions and comments: the database keeps them as written.
        triggers = [pgtrigger.Protect(name="workreportstep_append_only", operation=pgtrigger.Update | pgtrigger.Delete)]


class MonthlyFigure(models.Model):
    """The trend figures of one closed month and station, kept so the 12-month trends need not
    re-count a year of rows on every report (see :mod:`reports.monthly_figures` for the rule).

    Derived data, rebuilt by one service (idempotent); never edited by hand. A row with no station
    holds the month's tickets that have none.
    """

    month = models.DateField(_("month"))  # the first day
    station = models.ForeignKey("org.Station", verbose_name=_("service station"), on_delete=models.CASCADE,
                                null=True, blank=True, related_name="+")
    tickets = models.PositiveIntegerField(_("tickets registered"), default=0)
    arrival_met = models.PositiveIntegerField(_("arrivals on time"), default=0)
    arrival_breached = models.PositiveIntegerField(_("arrivals late"), default=0)
    revenue = models.DecimalField(_("revenue"), max_digits=16, decimal_places=2, default=0)
    satisfied_answers = models.PositiveIntegerField(_("satisfied callback answers"), default=0)
    answers = models.PositiveIntegerField(_("callback answers"), default=0)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("monthly figure")
        verbose_name_plural = _("monthly figures")
        constraints = [
            models.UniqueConstraint(fields=["month", "station"], condition=Q(station__isnull=False),
                                    name="monthlyfigure_one_per_month_station"),
            models.UniqueConstraint(fields=["month"], condition=Q(station__isnull=True),
                                    name="monthlyfigure_one_per_month_without_station"),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.station_id or '-'}"
