"""Customer visits (客户拜访), their monthly plans, contract renewals (续约), the reminder log and
callbacks (回访): their plans, the callbacks themselves with their questionnaire, and the attempts.
"""

from __future__ import annotations

import pgtrigger

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


# --- callbacks (回访) ----------------------------------------------------------------------------

# A rating of the callback questionnaire (SPEC §7): 1 very satisfied … 4 dissatisfied.
RATING_MIN, RATING_MAX = 1, 4
DISSATISFIED = RATING_MAX
RATING_FIELDS = ("rating_attitude", "rating_skill", "rating_arrival", "rating_promise")
COMMENTS_MAX_LENGTH = 2000


class Rating(models.IntegerChoices):
    VERY_SATISFIED = 1, _("Very satisfied")
    SATISFIED = 2, _("Satisfied")
    FAIR = 3, _("Fair")
    DISSATISFIED = 4, _("Dissatisfied")


@audited
class CallbackPlan(models.Model):
    """回访计划 — when the callbacks of a closed repair work order are due (offsets after closure).

    The most specific active plan wins: one naming the product line and the category beats one naming
    only one of them, which beats the default (both empty). Offsets are ``"7d"`` (days) or ``"3m"``
    (calendar months). Changing a plan does not rewrite callbacks already made.
    """

    name = models.CharField(_("name"), max_length=100)
    product_line = models.ForeignKey(
        "org.ProductLine", verbose_name=_("product line"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="callback_plans", help_text=_("Empty: every product line."),
    )
    category = models.CharField(
        _("work-order category"), max_length=1, blank=True, help_text=_("Empty: every category (internal work D is never called back)."),
    )
    offsets = models.JSONField(
        _("callbacks after closure"), default=list,
        help_text=_("E.g. 7d, 1m, 3m, 6m, 12m: days (d) or calendar months (m) after the work order was closed."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("callback plan")
        verbose_name_plural = _("callback plans")
        ordering = ["product_line__code", "category", "pk"]
        constraints = [
            # Two active plans for the same scope would make "the most specific wins" a coin toss.
            models.UniqueConstraint(
                fields=["product_line", "category"], condition=Q(is_active=True, product_line__isnull=False),
                name="uniq_active_callback_plan_line",
            ),
            models.UniqueConstraint(
                fields=["category"], condition=Q(is_active=True, product_line__isnull=True),
                name="uniq_active_callback_plan_all_lines",
            ),
            models.CheckConstraint(condition=Q(category__in=["", "A", "B", "C"]), name="callback_plan_category_valid"),
        ]

    def __str__(self):
        return self.name


@audited
class CallbackQuota(models.Model):
    """回访考核指标 — the monthly callback quotas of SPEC §7 (one row, edited by a manager)."""

    coverage_percent = models.PositiveSmallIntegerField(
        _("customers called back (percent of active customers)"), default=30, validators=[MaxValueValidator(100)]
    )
    on_site_percent = models.PositiveSmallIntegerField(
        _("customers called back on site (percent of active customers)"), default=5, validators=[MaxValueValidator(100)]
    )
    per_technician = models.PositiveSmallIntegerField(_("callbacks on each technician's work"), default=1)
    manager_spot_checks = models.PositiveSmallIntegerField(_("callbacks made by each manager"), default=3)
    general_manager_complaints = models.PositiveSmallIntegerField(_("complaint callbacks made by the general manager"), default=1)
    supervisor_customers_per_technician = models.PositiveSmallIntegerField(
        _("customers of each technician spot-checked by supervisors"), default=10
    )
    done_by_day = models.PositiveSmallIntegerField(
        _("last month's callbacks finished by day"), default=10, validators=[MaxValueValidator(28)]
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("callback quotas")
        verbose_name_plural = _("callback quotas")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="callback_quota_single_row"),
            models.CheckConstraint(
                condition=Q(coverage_percent__lte=100, on_site_percent__lte=100, done_by_day__gte=1, done_by_day__lte=28),
                name="callback_quota_in_range",
            ),
        ]

    def __str__(self):
        return str(_("Callback quotas"))


@audited
class Callback(models.Model):
    """回访 — one call (or visit) to a customer after a repair, a complaint or a follow-up, with its questionnaire.

    Repair callbacks are planned when a work order closes (one per plan offset); a complaint callback
    when a complaint closes; a follow-up callback when the ticket opened by a dissatisfied answer
    closes; spot checks (抽查) are picked by a supervisor or manager. Unassigned callbacks belong to
    the pool of the role they need: the supervisors of the customer's station, or the managers.
    """

    class Kind(models.TextChoices):
        REPAIR = "repair", _("After a repair")
        COMPLAINT = "complaint", _("After a complaint")
        FOLLOW_UP = "follow_up", _("After a follow-up")
        SPOT_CHECK = "spot_check", _("Spot check")

    class Status(models.TextChoices):
        PENDING = "pending", _("To call")
        DONE = "done", _("Done")
        REFUSED = "refused", _("Refused by the customer")
        UNREACHABLE = "unreachable", _("Unreachable")

    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone")
        ON_SITE = "on_site", _("On site")

    class RequiredRole(models.TextChoices):
        SUPERVISOR = "supervisor", _("Supervisor")
        MANAGER = "manager", _("Manager")
        GENERAL_MANAGER = "general_manager", _("General manager")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    work_order = models.ForeignKey(
        "tickets.WorkOrder", verbose_name=_("work order"), on_delete=models.PROTECT, null=True, blank=True, related_name="callbacks"
    )
    ticket = models.ForeignKey("tickets.Ticket", verbose_name=_("ticket"), on_delete=models.PROTECT, related_name="callbacks")
    customer = models.ForeignKey("tickets.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="callbacks")
    technician = models.ForeignKey(
        "org.Staff", verbose_name=_("technician (whose work)"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="callbacks",
    )
    plan = models.ForeignKey(
        CallbackPlan, verbose_name=_("callback plan"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    offset = models.CharField(_("after closure"), max_length=10, blank=True)
    due_date = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned to"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="callbacks_assigned", help_text=_("Empty: the pool of the station's supervisors (or the managers)."),
    )
    required_role = models.CharField(
        _("made by"), max_length=20, choices=RequiredRole.choices, default=RequiredRole.SUPERVISOR
    )
    on_site_required = models.BooleanField(_("on site"), default=False)
    attempts = models.PositiveSmallIntegerField(_("unanswered attempts"), default=0)
    next_attempt_on = models.DateField(_("try again on"), null=True, blank=True)

    # The questionnaire (SPEC §7).
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, blank=True)
    answered_by = models.CharField(_("answered by"), max_length=50, blank=True)
    rating_attitude = models.PositiveSmallIntegerField(_("service attitude"), choices=Rating.choices, null=True, blank=True)
    rating_skill = models.PositiveSmallIntegerField(_("technical skill"), choices=Rating.choices, null=True, blank=True)
    rating_arrival = models.PositiveSmallIntegerField(_("arrival time"), choices=Rating.choices, null=True, blank=True)
    rating_promise = models.PositiveSmallIntegerField(_("keeping promises"), choices=Rating.choices, null=True, blank=True)
    signed_on_site = models.BooleanField(_("signed the service form on site"), null=True, blank=True)
    fees_charged = models.DecimalField(_("fees charged (CNY)"), max_digits=12, decimal_places=2, null=True, blank=True)
    deposit_refund = models.CharField(_("deposit and refund"), max_length=200, blank=True)
    invoice_given = models.BooleanField(_("invoice given"), null=True, blank=True)
    unit_working = models.BooleanField(_("unit working now"), null=True, blank=True)
    comments = models.TextField(_("comments"), max_length=COMMENTS_MAX_LENGTH, blank=True)

    done_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("finished by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="callbacks_done",
    )
    follow_up_ticket = models.ForeignKey(
        "tickets.Ticket", verbose_name=_("follow-up ticket"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="opened_by_callbacks",
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("follows up"), on_delete=models.PROTECT, null=True, blank=True, related_name="follow_ups"
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    ALLOWED_TRANSITIONS = {
        Status.PENDING: {Status.DONE, Status.REFUSED, Status.UNREACHABLE},
        Status.DONE: set(),
        Status.REFUSED: set(),
        Status.UNREACHABLE: set(),
    }

    class Meta:
        verbose_name = _("callback")
        verbose_name_plural = _("callbacks")
        ordering = ["due_date", "pk"]
        constraints = [
            # Planning is idempotent: a work order gets each offset of its plan once, a closed
            # complaint or follow-up ticket one callback, an order one open spot check at a time.
            models.UniqueConstraint(
                fields=["work_order", "kind", "offset"], condition=Q(kind="repair"), name="uniq_callback_per_order_offset"
            ),
            models.UniqueConstraint(
                fields=["ticket", "kind"], condition=Q(kind__in=["complaint", "follow_up"]), name="uniq_callback_per_closed_ticket"
            ),
            models.UniqueConstraint(
                fields=["work_order"], condition=Q(kind="spot_check", status="pending"), name="uniq_open_spot_check_per_order"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["complaint", "follow_up"]) | Q(work_order__isnull=False), name="callback_repair_has_order"
            ),
            models.CheckConstraint(
                condition=Q(status="pending", done_at__isnull=True) | (~Q(status="pending") & Q(done_at__isnull=False)),
                name="callback_done_at_matches_status",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(
                    rating_attitude__isnull=False, rating_skill__isnull=False, rating_arrival__isnull=False,
                    rating_promise__isnull=False, unit_working__isnull=False,
                ) & ~Q(channel=""),
                name="callback_done_has_questionnaire",
            ),
            models.CheckConstraint(
                condition=(
                    (Q(rating_attitude__isnull=True) | Q(rating_attitude__gte=RATING_MIN, rating_attitude__lte=RATING_MAX))
                    & (Q(rating_skill__isnull=True) | Q(rating_skill__gte=RATING_MIN, rating_skill__lte=RATING_MAX))
                    & (Q(rating_arrival__isnull=True) | Q(rating_arrival__gte=RATING_MIN, rating_arrival__lte=RATING_MAX))
                    & (Q(rating_promise__isnull=True) | Q(rating_promise__gte=RATING_MIN, rating_promise__lte=RATING_MAX))
                ),
                name="callback_ratings_in_range",
            ),
            models.CheckConstraint(condition=Q(fees_charged__isnull=True) | Q(fees_charged__gte=0), name="callback_fees_not_negative"),
        ]
        indexes = [
            models.Index(fields=["due_date"], name="callback_pending_due_idx", condition=Q(status="pending")),
            models.Index(fields=["done_at"], name="callback_done_at_idx"),
            models.Index(fields=["technician", "done_at"], name="callback_tech_done_idx"),
        ]

    def __str__(self):
        return str(_("Callback %(kind)s · %(customer)s · %(date)s") % {
            "kind": self.get_kind_display(), "customer": self.customer, "date": self.due_date.isoformat(),
        })

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def dissatisfied(self) -> bool:
        """Any rating "dissatisfied" or the unit still faulty: a follow-up ticket is needed."""
        return self.unit_working is False or any(getattr(self, f) == DISSATISFIED for f in RATING_FIELDS)


class CallbackAttempt(models.Model):
    """One try at a callback: answered, unreachable or refused, by whom and when — append-only."""

    class Outcome(models.TextChoices):
        ANSWERED = "answered", _("Answered")
        UNREACHABLE = "unreachable", _("No answer / unreachable")
        REFUSED = "refused", _("Refused to answer")

    callback = models.ForeignKey(Callback, verbose_name=_("callback"), on_delete=models.PROTECT, related_name="attempt_log")
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("callback attempt")
        verbose_name_plural = _("callback attempts")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["callback", "at"], name="cbattempt_callback_idx")]
        triggers = [pgtrigger.Protect(name="cbattempt_append_only", operation=pgtrigger.Update | pgtrigger.Delete)]

    def __str__(self):
        return f"{self.callback_id} {self.outcome} {self.at:%Y-%m-%d %H:%M}"
