"""Monthly scorecards (月度考核): their configuration, the month's status, the stored figures,
manager adjustments, self/peer evaluations and the manager's daily scores of feedback forms.

Imported by :mod:`appraisal.models` (Django finds the models there). Writes happen in
:mod:`appraisal.services.scorecards` and :mod:`appraisal.services.feedback` only.

A published month is **locked in the database too**: triggers refuse any insert, update or delete
of its scorecards, adjustments and evaluations, and refuse any change of the month row itself other
than the general manager's recorded reopening (status back to draft with who, when and why).
"""

from __future__ import annotations

from decimal import Decimal

import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicedesk.audit.tracking import audited
from servicedesk.org.models import Role

POINTS = {"max_digits": 7, "decimal_places": 2}

# SPEC §9 / §7 defaults (a manager edits them in the admin; this is the only place they are written).
DEFAULTS = {
    "problems_target": 45,
    "visits_target": 15,
    "timeliness_target": Decimal("90"),
    "satisfaction_target": Decimal("85"),
    "complaint_rate_limit": Decimal("3"),
    "on_site_limit_minutes": 120,
    "weight_problems": Decimal("25"),
    "weight_visits": Decimal("10"),
    "weight_timeliness": Decimal("20"),
    "weight_satisfaction": Decimal("20"),
    "weight_complaints": Decimal("10"),
    "weight_feedback": Decimal("15"),
    "weight_evaluation": Decimal("0"),
    "rework_points": Decimal("2"),
    "over_limit_points": Decimal("1"),
    "grade_a": Decimal("90"),
    "grade_b": Decimal("75"),
    "grade_c": Decimal("60"),
    "feedback_max_score": 10,
}

# The components whose weights make up the base score (their sum must be 100).
WEIGHT_FIELDS = (
    "weight_problems", "weight_visits", "weight_timeliness", "weight_satisfaction", "weight_complaints",
    "weight_feedback", "weight_evaluation",
)


def _pct(name):
    return models.DecimalField(name, max_digits=5, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(100)])


@audited
class ScorecardConfig(models.Model):
    """考核方案 — targets, weights, deductions and grade thresholds of one role's monthly scorecard.

    Drafting a month copies the config into each scorecard, so later edits never rewrite a month.
    """

    role = models.CharField(_("role"), max_length=30, choices=Role.choices, unique=True, default=Role.TECHNICIAN)
    is_active = models.BooleanField(_("active"), default=True)
    problems_target = models.PositiveSmallIntegerField(_("problems resolved per month"), default=DEFAULTS["problems_target"])
    visits_target = models.PositiveSmallIntegerField(_("customer visits per month"), default=DEFAULTS["visits_target"])
    timeliness_target = models.DecimalField(
        _("timeliness target (%)"), max_digits=5, decimal_places=2, default=DEFAULTS["timeliness_target"],
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(100)],
    )
    satisfaction_target = models.DecimalField(
        _("satisfaction target (%)"), max_digits=5, decimal_places=2, default=DEFAULTS["satisfaction_target"],
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(100)],
    )
    complaint_rate_limit = models.DecimalField(
        _("complaint rate limit (%)"), max_digits=5, decimal_places=2, default=DEFAULTS["complaint_rate_limit"],
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(100)],
        help_text=_("Full points below this rate, none at twice the rate."),
    )
    on_site_limit_minutes = models.PositiveSmallIntegerField(
        _("time on site limit (minutes)"), default=DEFAULTS["on_site_limit_minutes"], validators=[MinValueValidator(1)]
    )
    weight_problems = models.DecimalField(_("weight: problems resolved"), default=DEFAULTS["weight_problems"], **POINTS)
    weight_visits = models.DecimalField(_("weight: customer visits"), default=DEFAULTS["weight_visits"], **POINTS)
    weight_timeliness = models.DecimalField(_("weight: timeliness"), default=DEFAULTS["weight_timeliness"], **POINTS)
    weight_satisfaction = models.DecimalField(_("weight: satisfaction"), default=DEFAULTS["weight_satisfaction"], **POINTS)
    weight_complaints = models.DecimalField(_("weight: complaint rate"), default=DEFAULTS["weight_complaints"], **POINTS)
    weight_feedback = models.DecimalField(_("weight: feedback form scores"), default=DEFAULTS["weight_feedback"], **POINTS)
    weight_evaluation = models.DecimalField(
        _("weight: self and peer evaluation"), default=DEFAULTS["weight_evaluation"], **POINTS,
        help_text=_("Used only when self or peer evaluation is switched on."),
    )
    rework_points = models.DecimalField(_("points deducted per rework"), default=DEFAULTS["rework_points"], **POINTS)
    over_limit_points = models.DecimalField(
        _("points deducted per visit over the time limit"), default=DEFAULTS["over_limit_points"], **POINTS
    )
    grade_a = models.DecimalField(_("grade A from"), default=DEFAULTS["grade_a"], **POINTS)
    grade_b = models.DecimalField(_("grade B from"), default=DEFAULTS["grade_b"], **POINTS)
    grade_c = models.DecimalField(_("grade C from"), default=DEFAULTS["grade_c"], **POINTS)
    feedback_max_score = models.PositiveSmallIntegerField(
        _("feedback form score scale (1 to …)"), default=DEFAULTS["feedback_max_score"],
        validators=[MinValueValidator(2), MaxValueValidator(100)],
    )
    self_evaluation = models.BooleanField(_("self evaluation"), default=False)
    peer_evaluation = models.BooleanField(_("peer evaluation"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("scorecard configuration")
        verbose_name_plural = _("scorecard configurations")
        ordering = ["role"]
        constraints = [
            models.CheckConstraint(
                condition=Q(grade_a__gt=models.F("grade_b")) & Q(grade_b__gt=models.F("grade_c")) & Q(grade_c__gte=0),
                name="scorecard_config_grades_descend",
            ),
            models.CheckConstraint(
                condition=Q(weight_problems__gte=0, weight_visits__gte=0, weight_timeliness__gte=0, weight_satisfaction__gte=0,
                            weight_complaints__gte=0, weight_feedback__gte=0, weight_evaluation__gte=0,
                            rework_points__gte=0, over_limit_points__gte=0),
                name="scorecard_config_points_not_negative",
            ),
        ]

    def __str__(self):
        return str(_("Scorecard of %(role)s") % {"role": self.get_role_display()})

    @property
    def evaluation_enabled(self) -> bool:
        return self.self_evaluation or self.peer_evaluation

    def weight_sum(self) -> Decimal:
        return sum((getattr(self, f) for f in WEIGHT_FIELDS if f != "weight_evaluation" or self.evaluation_enabled), Decimal(0))

    def clean(self):
        total = self.weight_sum()
        if total != 100:
            raise ValidationError({"weight_problems": _("The weights add up to %(total)s; they must add up to 100.") % {"total": total}})
        if not (self.grade_a > self.grade_b > self.grade_c >= 0):
            raise ValidationError({"grade_a": _("Grade thresholds must fall from A to C.")})


class MonthStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEWED = "reviewed", _("Reviewed")
    PUBLISHED = "published", _("Published")


# A published month: only the general manager's reopening (back to draft, recorded) may change it.
_MONTH_LOCK_CONDITION = (
    "OLD.status = 'published' AND NOT ("
    "NEW.status = 'draft' AND NEW.reopened_by_id IS NOT NULL AND NEW.reopen_reason <> '' "
    "AND NEW.reopened_at IS DISTINCT FROM OLD.reopened_at AND NEW.reopen_count = OLD.reopen_count + 1)"
)


@audited
class ScorecardMonth(models.Model):
    """考核月 — one month's appraisal: drafted (computed and stored), reviewed, published, then locked."""

    Status = MonthStatus

    ALLOWED_TRANSITIONS = {
        MonthStatus.DRAFT: {MonthStatus.DRAFT, MonthStatus.REVIEWED},
        MonthStatus.REVIEWED: {MonthStatus.DRAFT, MonthStatus.PUBLISHED},
        MonthStatus.PUBLISHED: {MonthStatus.DRAFT},  # the general manager's reopening only
    }

    month = models.DateField(_("month"), unique=True, help_text=_("The first day of the month."))
    status = models.CharField(_("status"), max_length=10, choices=MonthStatus.choices, default=MonthStatus.DRAFT)
    drafted_at = models.DateTimeField(_("computed at"))
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("computed by"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("published by"), on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    reopened_at = models.DateTimeField(_("last reopened at"), null=True, blank=True)
    reopened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("last reopened by"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    reopen_reason = models.TextField(_("why reopened"), blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)

    class Meta:
        verbose_name = _("scorecard month")
        verbose_name_plural = _("scorecard months")
        ordering = ["-month"]
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="scorecard_month_first_day"),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False, published_by__isnull=False),
                name="scorecard_month_published_has_who",
            ),
        ]
        triggers = [
            pgtrigger.Protect(name="scorecard_month_locked", operation=pgtrigger.Update,
                              condition=pgtrigger.Condition(_MONTH_LOCK_CONDITION)),
            pgtrigger.Protect(name="scorecard_month_published_not_deleted", operation=pgtrigger.Delete,
                              condition=pgtrigger.Condition("OLD.status = 'published'")),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m}"

    @property
    def is_locked(self) -> bool:
        return self.status == MonthStatus.PUBLISHED


# Rows hanging off a month (directly or through a scorecard) cannot change while it is published.
def _locked_with_month(name: str, month_sql: str) -> pgtrigger.Trigger:
    return pgtrigger.Trigger(
        name=name,
        when=pgtrigger.Before,
        operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
        func=f"""
DECLARE
    row_month bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN
        row_month := (SELECT {month_sql.replace('ROW.', 'OLD.')});
    ELSE
        row_month := (SELECT {month_sql.replace('ROW.', 'NEW.')});
    END IF;
    IF EXISTS (SELECT 1 FROM appraisal_scorecardmonth WHERE id = row_month AND status = 'published') THEN
        RAISE EXCEPTION 'scorecard month % is published: its scorecards are locked', row_month
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'UPDATE' THEN
        row_month := (SELECT {month_sql.replace('ROW.', 'OLD.')});
        IF EXISTS (SELECT 1 FROM appraisal_scorecardmonth WHERE id = row_month AND status = 'published') THEN
            RAISE EXCEPTION 'scorecard month % is published: its scorecards are locked', row_month
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
""",
    )


class Grade(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"


@audited
class Scorecard(models.Model):
    """月度考核表 — one person's figures of a month, as computed when the month was drafted, with
    the config used, the points of each component, adjustments, total, grade and ranks."""

    Grade = Grade

    month = models.ForeignKey(ScorecardMonth, verbose_name=_("month"), on_delete=models.CASCADE, related_name="scorecards")
    technician = models.ForeignKey("org.Staff", verbose_name=_("technician"), on_delete=models.PROTECT, related_name="scorecards")
    station = models.ForeignKey("org.Station", verbose_name=_("service station"), on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    department = models.ForeignKey("org.Department", verbose_name=_("department"), on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    config = models.JSONField(_("targets and weights used"), default=dict)

    # The figures (each drills down to its rows: appraisal.scorecard_selectors.FIGURES).
    orders_closed = models.PositiveIntegerField(_("work orders closed"), default=0)
    visit_problems = models.PositiveIntegerField(_("problems resolved on visits"), default=0)
    problems_resolved = models.PositiveIntegerField(_("problems resolved"), default=0)
    visits_done = models.PositiveIntegerField(_("customer visits"), default=0)
    arrivals = models.PositiveIntegerField(_("arrivals measured"), default=0)
    arrivals_on_time = models.PositiveIntegerField(_("arrivals within the SLA"), default=0)
    timeliness_rate = models.DecimalField(_("timeliness rate (%)"), max_digits=6, decimal_places=2, null=True, blank=True)
    callbacks = models.PositiveIntegerField(_("callbacks done"), default=0)
    callbacks_satisfied = models.PositiveIntegerField(_("satisfied callbacks"), default=0)
    satisfaction_rate = models.DecimalField(_("satisfaction rate (%)"), max_digits=6, decimal_places=2, null=True, blank=True)
    complaints = models.PositiveIntegerField(_("valid complaints"), default=0)
    complaint_rate = models.DecimalField(_("complaint rate (%)"), max_digits=7, decimal_places=2, null=True, blank=True)
    reworks = models.PositiveIntegerField(_("reworks"), default=0)
    on_site_visits = models.PositiveIntegerField(_("visits timed on site"), default=0)
    on_site_avg_minutes = models.DecimalField(_("average time on site (minutes)"), max_digits=9, decimal_places=1, null=True,
                                              blank=True)
    on_site_over_limit = models.PositiveIntegerField(_("visits over the time limit"), default=0)
    rating_attitude = models.DecimalField(_("average rating: attitude"), max_digits=4, decimal_places=2, null=True, blank=True)
    rating_skill = models.DecimalField(_("average rating: skill"), max_digits=4, decimal_places=2, null=True, blank=True)
    rating_arrival = models.DecimalField(_("average rating: arrival time"), max_digits=4, decimal_places=2, null=True, blank=True)
    rating_promise = models.DecimalField(_("average rating: keeping promises"), max_digits=4, decimal_places=2, null=True,
                                         blank=True)
    backup_points = models.PositiveIntegerField(_("backup deductions (points)"), default=0)
    feedback_scored = models.PositiveIntegerField(_("feedback forms scored"), default=0)
    feedback_avg = models.DecimalField(_("average feedback form score"), max_digits=5, decimal_places=2, null=True, blank=True)
    evaluation_avg = models.DecimalField(_("average self/peer evaluation"), max_digits=5, decimal_places=2, null=True, blank=True)

    # The score.
    components = models.JSONField(_("points per component"), default=list)
    base_points = models.DecimalField(_("weighted points"), default=0, **POINTS)
    deduction_points = models.DecimalField(_("deductions"), default=0, **POINTS)
    adjustment_points = models.DecimalField(_("manager adjustments"), default=0, **POINTS)
    total = models.DecimalField(_("total"), default=0, **POINTS)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices, blank=True)
    rank_station = models.PositiveIntegerField(_("rank in station"), null=True, blank=True)
    rank_department = models.PositiveIntegerField(_("rank in department"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        ordering = ["month", "rank_department", "technician__employee_no"]
        constraints = [models.UniqueConstraint(fields=["month", "technician"], name="uniq_scorecard_month_technician")]
        indexes = [models.Index(fields=["technician", "month"], name="scorecard_tech_month_idx")]
        triggers = [_locked_with_month("scorecard_locked_when_published", "ROW.month_id")]

    def __str__(self):
        return f"{self.technician} · {self.month}"


_VIA_SCORECARD = "month_id FROM appraisal_scorecard WHERE id = ROW.scorecard_id"


@audited
class ScorecardAdjustment(models.Model):
    """考核调整 — a manager's change of a scorecard's points, with the reason (append-only)."""

    scorecard = models.ForeignKey(Scorecard, verbose_name=_("scorecard"), on_delete=models.CASCADE, related_name="adjustments")
    points = models.DecimalField(_("points (+/−)"), **POINTS)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("scorecard adjustment")
        verbose_name_plural = _("scorecard adjustments")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="scorecard_adjustment_has_reason"),
            models.CheckConstraint(condition=~Q(points=0), name="scorecard_adjustment_not_zero"),
        ]
        triggers = [
            _locked_with_month("scorecard_adjustment_locked", _VIA_SCORECARD),
            pgtrigger.Protect(name="scorecard_adjustment_append_only", operation=pgtrigger.Update),
        ]

    def __str__(self):
        return f"{self.scorecard} {self.points:+}"


@audited
class Evaluation(models.Model):
    """自评 / 互评 — a self or peer evaluation of a scorecard (0–100), when the config asks for them."""

    class Kind(models.TextChoices):
        SELF = "self", _("Self evaluation")
        PEER = "peer", _("Peer evaluation")

    scorecard = models.ForeignKey(Scorecard, verbose_name=_("scorecard"), on_delete=models.CASCADE, related_name="evaluations")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    evaluator = models.ForeignKey("org.Staff", verbose_name=_("evaluator"), on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score (0–100)"), validators=[MaxValueValidator(100)])
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "evaluator"], name="uniq_evaluation_per_evaluator"),
            models.CheckConstraint(condition=Q(score__lte=100), name="evaluation_score_range"),
        ]
        triggers = [_locked_with_month("evaluation_locked", _VIA_SCORECARD)]

    def __str__(self):
        return f"{self.scorecard} {self.kind} {self.score}"


class ScorecardLog(models.Model):
    """考核记录 — every step of a month (drafted, reviewed, published, reopened, adjusted): who, when, why."""

    class Kind(models.TextChoices):
        DRAFTED = "drafted", _("Computed")
        REVIEWED = "reviewed", _("Reviewed")
        PUBLISHED = "published", _("Published")
        REOPENED = "reopened", _("Reopened by the general manager")
        RETURNED = "returned", _("Returned to draft")
        ADJUSTED = "adjusted", _("Adjusted")
        EVALUATED = "evaluated", _("Evaluated")

    month = models.ForeignKey(ScorecardMonth, verbose_name=_("month"), on_delete=models.PROTECT, related_name="log")
    technician = models.ForeignKey("org.Staff", verbose_name=_("technician"), on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    at = models.DateTimeField(_("at"))
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("scorecard event")
        verbose_name_plural = _("scorecard events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["month", "at"], name="scorecard_log_month_idx")]
        triggers = [pgtrigger.Protect(name="scorecard_log_append_only", operation=pgtrigger.Update | pgtrigger.Delete)]

    def __str__(self):
        return f"{self.month} {self.kind}"


@audited
class FeedbackScore(models.Model):
    """反馈单评分 — the manager's morning confirmation and score of a technician's feedback form
    (a work order completed the day before); unconfirmed after a day it is flagged and handed on
    to another manager, then to the general manager."""

    class Status(models.TextChoices):
        PENDING = "pending", _("To confirm")
        SCORED = "scored", _("Confirmed and scored")

    work_order = models.OneToOneField("tickets.WorkOrder", verbose_name=_("work order"), on_delete=models.PROTECT,
                                      related_name="feedback_score")
    technician = models.ForeignKey("org.Staff", verbose_name=_("technician"), on_delete=models.PROTECT,
                                   related_name="feedback_scores")
    day = models.DateField(_("work day"), help_text=_("The day the work was completed."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("to be confirmed by"), on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="feedback_to_score")
    due_at = models.DateTimeField(_("confirm by"))
    escalation_level = models.PositiveSmallIntegerField(_("times handed on"), default=0)
    flagged_at = models.DateTimeField(_("flagged at"), null=True, blank=True)
    completed_confirmed = models.BooleanField(_("work confirmed as completed"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    max_score = models.PositiveSmallIntegerField(_("out of"), default=DEFAULTS["feedback_max_score"])
    comment = models.TextField(_("comment"), blank=True)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("scored by"), on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="+")
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)
    created_at = models.DateTimeField(_("collected at"))

    class Meta:
        verbose_name = _("feedback form score")
        verbose_name_plural = _("feedback form scores")
        ordering = ["-day", "technician__employee_no", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending", score__isnull=True, scored_at__isnull=True)
                | Q(status="scored", score__isnull=False, scored_at__isnull=False, scored_by__isnull=False,
                    completed_confirmed__isnull=False),
                name="feedback_scored_has_score",
            ),
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=models.F("max_score")),
                                   name="feedback_score_in_range"),
        ]
        indexes = [
            models.Index(fields=["technician", "day"], name="feedback_tech_day_idx"),
            models.Index(fields=["due_at"], name="feedback_pending_due_idx", condition=Q(status="pending")),
            models.Index(fields=["day", "status"], name="feedback_day_idx"),
        ]

    def __str__(self):
        return f"{self.work_order_id} · {self.day}"

    @property
    def is_flagged(self) -> bool:
        return self.flagged_at is not None and self.status == self.Status.PENDING
