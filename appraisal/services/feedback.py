"""The manager's daily scoring of feedback forms (反馈单评分, SPEC seed 001: 每天早上收取上一天的工作反馈记录,
并对客户是否完成进行确认,或者重新分配,并给予打分).

* :func:`collect_feedback_forms` — every work order completed on a day becomes one form to confirm,
  assigned to the manager of the technician's department (one row per order: collecting twice adds nothing);
* :func:`score_feedback` — the manager confirms whether the work was completed and gives a score;
* :func:`escalate_feedback_forms` — forms still unconfirmed a day later are flagged and handed to
  another manager, and a day after that to the general manager (each step once: the due time moves on).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.core.exceptions import DomainError, InvalidTransition
from servicedesk.notifications.services import notify
from servicedesk.org.models import Role
from servicedesk.org.roles import has_role
from tickets.models import WorkOrder

from ..exceptions import NotAllowed
from ..scorecard_models import FeedbackScore, ScorecardConfig, ScorecardMonth
from ..scorecard_selectors import first_of_month, general_managers, other_managers
from .common import page_url

W = WorkOrder.Status
FORM_STATUSES = (W.COMPLETED, W.SIGNED, W.CLOSED)
MAX_ESCALATIONS = 2  # another manager, then the general manager
COLLECT_DAYS_BACK = 3  # a worker that was down over a weekend still collects every day


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime(day.year, day.month, day.day, tzinfo=tz)
    return start, start + timedelta(days=1)


def _due_for(day: date) -> datetime:
    """A form of ``day`` is due by the end of the next day (the morning after, plus the day)."""
    return _day_bounds(day)[1] + timedelta(days=1)


def _max_score() -> int:
    config = ScorecardConfig.objects.filter(role=Role.TECHNICIAN).only("feedback_max_score").first()
    return config.feedback_max_score if config else 10


@transaction.atomic
def collect_feedback_forms(*, day: date, now=None) -> int:
    """Orders completed on ``day`` (completed, signed or closed; corrections excluded) → pending forms for
    the department manager (any manager when the department has none). Returns how many were new."""
    now = now or timezone.now()
    start, end = _day_bounds(day)
    orders = (
        WorkOrder.objects.filter(completed_at__gte=start, completed_at__lt=end, status__in=FORM_STATUSES,
                                 supersedes__isnull=True, feedback_score__isnull=True)
        .values("pk", "technician_id", "technician__user_id", manager_id=F("technician__station__department__manager_id"))
    )
    fallback = other_managers(None).values_list("pk", flat=True).first()
    max_score = _max_score()
    rows = []
    for o in orders:
        assignee = o["manager_id"] if o["manager_id"] and o["manager_id"] != o["technician__user_id"] else fallback
        rows.append(FeedbackScore(work_order_id=o["pk"], technician_id=o["technician_id"], day=day, assignee_id=assignee,
                                  due_at=_due_for(day), max_score=max_score, created_at=now))
    created = FeedbackScore.objects.bulk_create(rows, ignore_conflicts=True)
    return len(created)


def _ensure_scorer(actor) -> None:
    if not (actor.is_superuser or has_role(actor, Role.MANAGER, Role.GENERAL_MANAGER)):
        raise NotAllowed(_("Only a manager confirms and scores feedback forms."))


@transaction.atomic
def score_feedback(*, form: FeedbackScore, score, completed: bool = True, comment: str = "", actor,
                   now=None) -> FeedbackScore:
    """PENDING → SCORED (or a new score while the month is not published): the work confirmed as
    completed (or not) and a score from 1 to the scale's maximum."""
    now = now or timezone.now()
    _ensure_scorer(actor)
    form = FeedbackScore.objects.select_for_update().select_related("technician").get(pk=form.pk)
    if form.technician.user_id == actor.pk:
        raise NotAllowed(_("Nobody scores his own feedback form."))
    if ScorecardMonth.objects.filter(month=first_of_month(form.day), status=ScorecardMonth.Status.PUBLISHED).exists():
        raise InvalidTransition(_("The scorecards of that month are published; the score can no longer change."),
                                field="status", code="locked")
    try:
        value = int(score)
    except (TypeError, ValueError):
        raise DomainError(_("Give a score from 1 to %(max)s.") % {"max": form.max_score}, field="score") from None
    if not 1 <= value <= form.max_score:
        raise DomainError(_("Give a score from 1 to %(max)s.") % {"max": form.max_score}, field="score")
    if completed is None:
        raise DomainError(_("Say whether the work was completed."), field="completed")
    form.status = FeedbackScore.Status.SCORED
    form.score = value
    form.completed_confirmed = bool(completed)
    form.comment = (comment or "").strip()[:2000]
    form.scored_by, form.scored_at = actor, now
    form.save(update_fields=["status", "score", "completed_confirmed", "comment", "scored_by", "scored_at"])
    if not form.completed_confirmed:
        user = form.technician.user
        order_pk = form.work_order_id
        transaction.on_commit(lambda: notify(
            recipient=user, kind="feedback_not_completed",
            title=_("Your work order %(number)s was not confirmed as completed") % {"number": form.work_order.number},
            body=form.comment, url="/tablet/", key=f"feedback:{order_pk}:not_completed", email=False,
        ))
    return form


def escalate_feedback_forms(*, now=None, batch: int = 500) -> int:
    """Pending forms past their due time: flagged, then handed to another manager (level 1) or the
    general manager (level 2), each told once. Idempotent: a handed-on form is due a day later."""
    now = now or timezone.now()
    handed = 0
    ids = list(
        FeedbackScore.objects.filter(status=FeedbackScore.Status.PENDING, due_at__lte=now,
                                     escalation_level__lt=MAX_ESCALATIONS)
        .order_by("due_at", "pk").values_list("pk", flat=True)[:batch]
    )
    for pk in ids:
        with transaction.atomic():
            form = (FeedbackScore.objects.select_for_update(skip_locked=True)
                    .filter(pk=pk, status=FeedbackScore.Status.PENDING, due_at__lte=now,
                            escalation_level__lt=MAX_ESCALATIONS)
                    .select_related("work_order", "technician").first())
            if form is None:
                continue  # scored meanwhile, or another sweep has it
            level = form.escalation_level + 1
            to = None
            if level == 1:
                to = other_managers(form.assignee_id).exclude(pk=form.technician.user_id).first()
            if to is None:
                to = general_managers().exclude(pk=form.technician.user_id).first()
                level = MAX_ESCALATIONS
            form.escalation_level = level
            form.flagged_at = form.flagged_at or now
            form.due_at = now + timedelta(days=1)
            if to is not None:
                form.assignee = to
            form.save(update_fields=["escalation_level", "flagged_at", "due_at", "assignee"])
            if to is not None:
                notify(recipient=to, kind="feedback_escalated",
                       title=_("Feedback form %(number)s of %(day)s is waiting for your score")
                       % {"number": form.work_order.number, "day": form.day.isoformat()},
                       url=page_url("appraisal:feedback_forms", query=f"day={form.day.isoformat()}"),
                       key=f"feedback:{form.pk}:escalated:{level}", email=False)
            handed += 1
    return handed


def run_feedback_forms(*, now=None) -> dict:
    """The beat job: collect the last days' forms (idempotent), then flag and hand on late ones."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    collected = sum(collect_feedback_forms(day=today - timedelta(days=n), now=now) for n in range(1, COLLECT_DAYS_BACK + 1))
    return {"collected": collected, "escalated": escalate_feedback_forms(now=now)}
