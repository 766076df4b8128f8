"""Customer visits (客户拜访), their monthly plans, contract renewals (续约) and the reminder log.

Callbacks (回访) join this app later; they plug into the same reminders (:mod:`visits.reminders`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from servicedesk.audit.tracking import audited

# A visit report is a few sentences (简短拜访报告), not a document.
REPORT_MAX_LENGTH = 1000
MAX_PROBLEMS_PER_VISIT = 99
MAX_MONTHLY_TARGET = 999


@audited
class VisitPolicy(models.Model):
    """拜访考核标准 — the default monthly targets a new visit plan starts with (one row, edited by a manager)."""

    visits_target = models.PositiveSmallIntegerField(
        _("visits per month"), default=15, validators=[MaxValueValidator(MAX_MONTHLY_TARGET)]
    )
    problems_target = models.PositiveSmallIntegerField(
        _("resolved problems per month"), default=45, validators=[MaxValueValidator(MAX_MONTHLY_TARGET)]
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("visit targets")
        verbose_name_plural = _("visit targets")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="visit_policy_single_row"),
            models.CheckConstraint(
                condition=Q(visits_target__lte=MAX_MONTHLY_TARGET, problems_target__lte=MAX_MONTHLY_TARGET),
                name="visit_policy_targets_in_range",
            ),
        ]

    def __str__(self):
        return str(_("%(visits)s visits and %(problems)s resolved problems a month") % {
            "visits": self.visits_target, "problems": self.problems_target,
        })


@audited
class VisitPlan(models.Model):
    """拜访计划 — one technician's targets for one month; made from the policy, then adjustable.

    Changing the policy later does not rewrite plans already made.
    """

    technician = models.ForeignKey(
        "org.Staff", verbose_name=_("technician"), on_delete=models.PROTECT, related_name="visit_plans"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    visits_target = models.PositiveSmallIntegerField(
        _("visits target"), validators=[MaxValueValidator(MAX_MONTHLY_TARGET)]
    )
    problems_target = models.PositiveSmallIntegerField(
        _("resolved problems target"), validators=[MaxValueValidator(MAX_MONTHLY_TARGET)]
    )
    note = models.CharField(_("note"), max_length=200, blank=True, help_text=_("Why the targets differ from the default."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("visit plan")
        verbose_name_plural = _("visit plans")
        ordering = ["-month", "technician__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["technician", "month"], name="uniq_visit_plan_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="visit_plan_month_is_first_day"),
            models.CheckConstraint(
                condition=Q(visits_target__lte=MAX_MONTHLY_TARGET, problems_target__lte=MAX_MONTHLY_TARGET),
                name="visit_plan_targets_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.technician} {self.month:%Y-%m}"


@audited
class Visit(models.Model):
    """客户拜访 — a routine visit of a technician to a customer: planned, then recorded with a short report."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    class Purpose(models.TextChoices):
        ROUTINE = "routine", _("Routine visit")
        MAINTENANCE = "maintenance", _("Maintenance check")
        RENEWAL = "renewal", _("Contract renewal")
        TRAINING = "training", _("User training")
        FEEDBACK = "feedback", _("Collecting feedback")
        OTHER = "other", _("Other")

    technician = models.ForeignKey("org.Staff", verbose_name=_("technician"), on_delete=models.PROTECT, related_name="visits")
    customer = models.ForeignKey("tickets.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="visits")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices, default=Purpose.ROUTINE)
    planned_for = models.DateField(_("planned for"), null=True, blank=True)
    visit_date = models.DateField(_("visit date"), null=True, blank=True)
    problems_resolved = models.PositiveSmallIntegerField(
        _("problems resolved"), default=0, validators=[MaxValueValidator(MAX_PROBLEMS_PER_VISIT)]
    )
    report = models.TextField(_("visit report"), max_length=REPORT_MAX_LENGTH, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("recorded or cancelled at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded or cancelled by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )

    # Which status may follow which; services refuse anything else (InvalidTransition).
    ALLOWED_TRANSITIONS = {
        Status.PLANNED: {Status.DONE, Status.CANCELLED},
        Status.DONE: set(),
        Status.CANCELLED: set(),
    }

    class Meta:
        verbose_name = _("customer visit")
        verbose_name_plural = _("customer visits")
        ordering = ["-visit_date", "-planned_for", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(status="planned") | Q(planned_for__isnull=False), name="visit_planned_has_date"),
            models.CheckConstraint(
                condition=~Q(status="done") | (Q(visit_date__isnull=False) & ~Q(report="")), name="visit_done_has_date_and_report"
            ),
            models.CheckConstraint(condition=Q(problems_resolved__lte=MAX_PROBLEMS_PER_VISIT), name="visit_problems_in_range"),
            # A double-tapped "save" or a replayed API call cannot count one visit twice.
            models.UniqueConstraint(
                fields=["technician", "customer", "visit_date"], condition=Q(status="done"), name="uniq_visit_done_per_day"
            ),
            models.UniqueConstraint(
                fields=["technician", "customer", "planned_for"], condition=Q(status="planned"), name="uniq_visit_planned_per_day"
            ),
        ]
        indexes = [
            models.Index(fields=["technician", "visit_date"], name="visit_tech_date_idx"),
            models.Index(fields=["planned_for"], name="visit_planned_idx", condition=Q(status="planned")),
        ]

    def __str__(self):
        day = self.visit_date or self.planned_for
        return f"{self.customer} {day:%Y-%m-%d}" if day else str(self.customer)

    @property
    def day(self):
        """The day that counts: when it happened, or when it is planned."""
        return self.visit_date or self.planned_for


@audited
class RenewalTask(models.Model):
    """续约任务 — renewing one service contract: opened when its 保养到期通知 is due, for the owning technician."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("renewal task", "Open")
        DONE = "done", _("Renewed")
        LOST = "lost", _("Not renewed")

    contract = models.OneToOneField(
        "tickets.Contract", verbose_name=_("contract"), on_delete=models.PROTECT, related_name="renewal_task"
    )
    assignee = models.ForeignKey(
        "org.Staff", verbose_name=_("owning technician"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="renewal_tasks",
    )
    due_date = models.DateField(_("notice due on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    notice_given_on = models.DateField(
        _("notice given on"), null=True, blank=True, help_text=_("When the customer received the contract expiry notice (保养到期通知书).")
    )
    outcome = models.TextField(_("outcome"), blank=True)
    new_contract = models.OneToOneField(
        "tickets.Contract", verbose_name=_("new contract"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="renews",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("closed by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    ALLOWED_TRANSITIONS = {
        Status.OPEN: {Status.DONE, Status.LOST},
        Status.DONE: set(),
        Status.LOST: set(),
    }

    class Meta:
        verbose_name = _("renewal task")
        verbose_name_plural = _("renewal tasks")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(status="done") | Q(new_contract__isnull=False), name="renewal_done_has_new_contract"),
            models.CheckConstraint(condition=~Q(status="lost") | ~Q(outcome=""), name="renewal_lost_has_outcome"),
            models.CheckConstraint(condition=~Q(new_contract=F("contract")), name="renewal_new_contract_differs"),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True) | (~Q(status="open") & Q(closed_at__isnull=False)),
                name="renewal_closed_at_matches_status",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"], name="renewal_status_due_idx")]

    def __str__(self):
        return str(_("Renewal of %(contract)s") % {"contract": self.contract})

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Reminder(models.Model):
    """提醒 — one reminder of one item to one person on one day; inserting the row is the claim.

    ``item_type`` names the reminder source (``visit``, ``renewal``; callbacks will add theirs), so
    the unique key makes a second run of the daily job — or two at once — remind nobody twice.
    """

    class Kind(models.TextChoices):
        DUE = "due", _("Due")
        OVERDUE = "overdue", _("Overdue")

    item_type = models.CharField(_("item type"), max_length=30)
    item_id = models.BigIntegerField(_("item"))
    day = models.DateField(_("day"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="visit_reminders"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    notification = models.ForeignKey(
        "notifications.Notification", verbose_name=_("notification"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-day", "item_type", "item_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item_type", "item_id", "day", "recipient"], name="uniq_reminder_per_item_day_person"),
        ]
        indexes = [
            models.Index(fields=["item_type", "item_id", "kind"], name="reminder_item_idx"),
            models.Index(fields=["day", "item_type"], name="reminder_day_idx"),
        ]

    def __str__(self):
        return f"{self.item_type}#{self.item_id} {self.day:%Y-%m-%d} → {self.recipient_id}"
