"""Monthly scorecards: one function per transition of a month (draft → reviewed → published →
reopened by the general manager) and per change of a scorecard (adjustment, evaluation).

A published month is refused here with a clear message, and again by the database triggers of
:mod:`appraisal.scorecard_models` whoever sends the SQL.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Avg, F, Sum, Window
from django.db.models.functions import Rank
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.core.exceptions import DomainError, InvalidTransition
from servicedesk.notifications.services import notify_users
from servicedesk.org.models import Role, Staff
from servicedesk.org.roles import has_role

from .. import scoring
from ..exceptions import NotAllowed
from ..scorecard_models import (
    Evaluation,
    Scorecard,
    ScorecardAdjustment,
    ScorecardConfig,
    ScorecardLog,
    ScorecardMonth,
)
from ..scorecard_selectors import FIGURE_FIELDS, active_configs, appraised_staff, first_of_month, month_figures
from .common import page_url

MonthStatus = ScorecardMonth.Status
MAX_ADJUSTMENT = Decimal("100")


def _ensure_manager(actor) -> None:
    if not (actor.is_superuser or has_role(actor, Role.MANAGER, Role.GENERAL_MANAGER, Role.ADMIN)):
        raise NotAllowed(_("Only a manager can do this with scorecards."))


def _lock_month(month: ScorecardMonth) -> ScorecardMonth:
    return ScorecardMonth.objects.select_for_update().get(pk=month.pk)


def _move(month: ScorecardMonth, to: str) -> None:
    if to not in ScorecardMonth.ALLOWED_TRANSITIONS[month.status]:
        raise InvalidTransition(
            _("A %(from)s month cannot become %(to)s.") % {"from": month.get_status_display(), "to": MonthStatus(to).label},
            field="status",
        )
    month.status = to


def _ensure_open(month: ScorecardMonth) -> None:
    if month.status == MonthStatus.PUBLISHED:
        raise InvalidTransition(
            _("The scorecards of %(month)s are published and locked; only the general manager can reopen them.")
            % {"month": f"{month.month:%Y-%m}"},
            field="status", code="locked",
        )


def _log(month: ScorecardMonth, kind: str, actor, now, *, reason: str = "", technician_id=None, **data) -> ScorecardLog:
    return ScorecardLog.objects.create(month=month, kind=kind, actor=actor, at=now, reason=reason,
                                       technician_id=technician_id, data=data)


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason."), field="reason")
    if len(reason) > 2000:
        raise DomainError(_("Keep the reason under 2000 characters."), field="reason")
    return reason


def _figures_of(card: Scorecard) -> dict:
    return {name: getattr(card, name) for name in FIGURE_FIELDS}


def _apply_score(card: Scorecard) -> None:
    result = scoring.score(_figures_of(card), card.config, adjustments=card.adjustment_points,
                           evaluation_avg=card.evaluation_avg)
    card.components = [p.as_dict() for p in result.components] + [
        {"key": line["key"], "label": line["label"], "deduction": True, "count": line["count"], "per": line["per"],
         "points": line["points"]}
        for line in result.deduction_lines
    ]
    card.base_points = result.base
    card.deduction_points = result.deductions
    card.total = result.total
    card.grade = result.grade


SCORE_FIELDS = ["components", "base_points", "deduction_points", "adjustment_points", "total", "grade", "evaluation_avg"]


def rerank(month: ScorecardMonth) -> None:
    """Ranks within station and department (per role), ties sharing a rank: RANK() computed by the
    database in one query, only changed rows written back (PostgreSQL and the quick start's SQLite)."""
    ranked = (
        Scorecard.objects.filter(month=month)
        .annotate(
            rs=Window(Rank(), partition_by=[F("role"), F("station_id")], order_by=F("total").desc()),
            rd=Window(Rank(), partition_by=[F("role"), F("department_id")], order_by=F("total").desc()),
        )
        .only("id", "station_id", "rank_station", "rank_department")
    )
    changed = []
    for card in ranked:
        rs = card.rs if card.station_id is not None else None
        if (card.rank_station, card.rank_department) != (rs, card.rd):
            card.rank_station, card.rank_department = rs, card.rd
            changed.append(card)
    if changed:
        Scorecard.objects.bulk_update(changed, ["rank_station", "rank_department"], batch_size=500)


# --- the month ---------------------------------------------------------------------------------


def _month_row(month: date, actor, now) -> ScorecardMonth:
    month = first_of_month(month)
    row = ScorecardMonth.objects.select_for_update().filter(month=month).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            ScorecardMonth.objects.create(month=month, status=MonthStatus.DRAFT, drafted_at=now, drafted_by=actor)
    except IntegrityError:
        pass  # drafted at the same moment by someone else: take theirs
    return ScorecardMonth.objects.select_for_update().get(month=month)


@transaction.atomic
def draft_month(*, month: date, actor, now=None) -> ScorecardMonth:
    """(new) / DRAFT / REVIEWED → DRAFT: compute every appraised person's figures in the database and
    store them as the month's scorecards (a snapshot with the config used). Recomputing keeps the
    adjustments and evaluations already made. Refused once published."""
    now = now or timezone.now()
    _ensure_manager(actor)
    if first_of_month(month) > first_of_month(timezone.localdate(now)):
        raise DomainError(_("A month in the future cannot be appraised."), field="month")
    row = _month_row(month, actor, now)
    _ensure_open(row)
    was = row.status
    _move(row, MonthStatus.DRAFT)
    row.drafted_at, row.drafted_by = now, actor
    row.reviewed_at, row.reviewed_by = None, None
    row.save(update_fields=["status", "drafted_at", "drafted_by", "reviewed_at", "reviewed_by"])

    adjustments = dict(
        ScorecardAdjustment.objects.filter(scorecard__month=row).values("scorecard__technician_id")
        .annotate(s=Sum("points")).values_list("scorecard__technician_id", "s")
    )
    evaluations = dict(
        Evaluation.objects.filter(scorecard__month=row).values("scorecard__technician_id")
        .annotate(a=Avg("score")).values_list("scorecard__technician_id", "a")
    )
    cards, seen = [], set()
    for config in active_configs():
        snapshot = scoring.config_snapshot(config)
        people = list(appraised_staff(config, exclude_ids=seen))
        seen.update(p.pk for p in people)
        figures = month_figures(row.month, [p.pk for p in people], on_site_limit_minutes=config.on_site_limit_minutes)
        for person in people:
            evaluation = evaluations.get(person.pk)
            card = Scorecard(
                month=row, technician=person, station_id=person.station_id,
                department_id=person.station.department_id if person.station_id else None,
                role=config.role, config=snapshot, computed_at=now,
                adjustment_points=adjustments.get(person.pk) or Decimal(0),
                evaluation_avg=None if evaluation is None else Decimal(str(evaluation)).quantize(Decimal("0.01")),
                **figures[person.pk],
            )
            _apply_score(card)
            cards.append(card)
    update = list(FIGURE_FIELDS) + SCORE_FIELDS + ["station", "department", "role", "config", "computed_at"]
    Scorecard.objects.bulk_create(cards, update_conflicts=True, unique_fields=["month", "technician"], update_fields=update,
                                  batch_size=500)
    # People no longer appraised (left, role removed) lose a card nobody has touched yet.
    (Scorecard.objects.filter(month=row).exclude(technician_id__in=seen)
     .filter(adjustments__isnull=True, evaluations__isnull=True).delete())
    rerank(row)
    _log(row, ScorecardLog.Kind.DRAFTED if was == MonthStatus.DRAFT else ScorecardLog.Kind.RETURNED, actor, now,
         scorecards=len(cards))
    return row


@transaction.atomic
def review_month(*, month: ScorecardMonth, actor, now=None) -> ScorecardMonth:
    """DRAFT → REVIEWED: a manager checked the figures and adjustments; ready to publish."""
    now = now or timezone.now()
    _ensure_manager(actor)
    month = _lock_month(month)
    _ensure_open(month)
    if month.status != MonthStatus.DRAFT:
        raise InvalidTransition(_("Only a draft month can be reviewed."), field="status")
    _move(month, MonthStatus.REVIEWED)
    month.reviewed_at, month.reviewed_by = now, actor
    month.save(update_fields=["status", "reviewed_at", "reviewed_by"])
    _log(month, ScorecardLog.Kind.REVIEWED, actor, now)
    return month


@transaction.atomic
def publish_month(*, month: ScorecardMonth, actor, now=None) -> ScorecardMonth:
    """REVIEWED → PUBLISHED: the month is locked (service and database); each person is told after commit."""
    now = now or timezone.now()
    _ensure_manager(actor)
    month = _lock_month(month)
    _ensure_open(month)
    if month.status != MonthStatus.REVIEWED:
        raise InvalidTransition(_("Review the month before publishing it."), field="status")
    _move(month, MonthStatus.PUBLISHED)
    month.published_at, month.published_by = now, actor
    month.save(update_fields=["status", "published_at", "published_by"])
    _log(month, ScorecardLog.Kind.PUBLISHED, actor, now)
    label, month_pk, count = f"{month.month:%Y-%m}", month.pk, month.reopen_count

    def tell():
        users = [s.user for s in Staff.objects.filter(scorecards__month_id=month_pk).select_related("user")]
        notify_users(recipients=users, kind="scorecard_published",
                     title=_("Your scorecard of %(month)s is published") % {"month": label},
                     url=page_url("appraisal:my_scorecard", query=f"month={label}"),
                     key=f"scorecard:{month_pk}:published:{count}", email=False)

    transaction.on_commit(tell)
    return month


@transaction.atomic
def reopen_month(*, month: ScorecardMonth, actor, reason: str, now=None) -> ScorecardMonth:
    """PUBLISHED → DRAFT by the general manager only, with the reason recorded on the month and in its log."""
    now = now or timezone.now()
    if not (actor.is_superuser or has_role(actor, Role.GENERAL_MANAGER)):
        raise NotAllowed(_("Only the general manager can reopen a published month."))
    reason = _reason(reason)
    month = _lock_month(month)
    if month.status != MonthStatus.PUBLISHED:
        raise InvalidTransition(_("Only a published month is reopened."), field="status")
    _move(month, MonthStatus.DRAFT)
    month.reopened_at, month.reopened_by, month.reopen_reason = now, actor, reason
    month.reopen_count += 1
    month.reviewed_at = month.reviewed_by = None
    month.save(update_fields=["status", "reopened_at", "reopened_by", "reopen_reason", "reopen_count", "reviewed_at",
                              "reviewed_by"])
    _log(month, ScorecardLog.Kind.REOPENED, actor, now, reason=reason)
    return month


# --- one scorecard -------------------------------------------------------------------------------


def _lock_card(card: Scorecard) -> tuple[Scorecard, ScorecardMonth]:
    month = ScorecardMonth.objects.select_for_update().get(pk=card.month_id)  # month first: same order everywhere
    card = Scorecard.objects.select_for_update().select_related("technician").get(pk=card.pk)
    return card, month


@transaction.atomic
def adjust_scorecard(*, scorecard: Scorecard, points, reason: str, actor, now=None) -> ScorecardAdjustment:
    """A manager adds or takes points with a mandatory reason (recorded, audited); total, grade and ranks follow."""
    now = now or timezone.now()
    _ensure_manager(actor)
    reason = _reason(reason)
    try:
        points = Decimal(str(points)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        raise DomainError(_("Enter the points as a number, e.g. 2 or -3.5."), field="points") from None
    if points == 0 or abs(points) > MAX_ADJUSTMENT:
        raise DomainError(_("An adjustment is between −100 and 100 points and not zero."), field="points")
    card, month = _lock_card(scorecard)
    _ensure_open(month)
    if card.technician.user_id == actor.pk:
        raise NotAllowed(_("Nobody adjusts his own scorecard."))
    adjustment = ScorecardAdjustment.objects.create(scorecard=card, points=points, reason=reason, by=actor, at=now)
    card.adjustment_points = card.adjustments.aggregate(s=Sum("points"))["s"] or Decimal(0)
    _apply_score(card)
    card.save(update_fields=SCORE_FIELDS)
    rerank(month)
    _log(month, ScorecardLog.Kind.ADJUSTED, actor, now, reason=reason, technician_id=card.technician_id,
         points=str(points), total=str(card.total))
    return adjustment


@transaction.atomic
def record_evaluation(*, scorecard: Scorecard, evaluator: Staff, score, comment: str = "", actor, now=None) -> Evaluation:
    """自评 / 互评: the technician himself (self) or a colleague of his station (peer) gives 0–100, when
    the month's config switched that on; given again, it replaces the evaluator's earlier one."""
    now = now or timezone.now()
    card, month = _lock_card(scorecard)
    _ensure_open(month)
    if evaluator.user_id != actor.pk:
        raise NotAllowed(_("Evaluations are given in one's own name."))
    is_self = evaluator.pk == card.technician_id
    kind = Evaluation.Kind.SELF if is_self else Evaluation.Kind.PEER
    if is_self and not card.config.get("self_evaluation"):
        raise DomainError(_("Self evaluation is not part of this scorecard."), field="evaluator")
    if not is_self:
        if not card.config.get("peer_evaluation"):
            raise DomainError(_("Peer evaluation is not part of this scorecard."), field="evaluator")
        if evaluator.station_id is None or evaluator.station_id != card.station_id:
            raise NotAllowed(_("Peers are colleagues of the same service station."))
    try:
        value = int(score)
    except (TypeError, ValueError):
        raise DomainError(_("Give a score from 0 to 100."), field="score") from None
    if not 0 <= value <= 100:
        raise DomainError(_("Give a score from 0 to 100."), field="score")
    evaluation, _created = Evaluation.objects.update_or_create(
        scorecard=card, evaluator=evaluator,
        defaults={"kind": kind, "score": value, "comment": (comment or "").strip()[:2000], "at": now},
    )
    avg = card.evaluations.aggregate(a=Avg("score"))["a"]
    card.evaluation_avg = None if avg is None else Decimal(str(avg)).quantize(Decimal("0.01"))
    _apply_score(card)
    card.save(update_fields=SCORE_FIELDS)
    rerank(month)
    _log(month, ScorecardLog.Kind.EVALUATED, actor, now, technician_id=card.technician_id, evaluation=kind, score=value)
    return evaluation


@transaction.atomic
def save_config(*, config: ScorecardConfig, actor, **values) -> ScorecardConfig:
    """Change a role's targets, weights and thresholds (managers); validated like the admin form.
    Months already drafted keep the config they were computed with."""
    _ensure_manager(actor)
    config = ScorecardConfig.objects.select_for_update().get(pk=config.pk)
    for name, value in values.items():
        if name not in scoring.CONFIG_FIELDS and name != "is_active":
            raise DomainError(_("Unknown setting."), field=name)
        setattr(config, name, value)
    from django.core.exceptions import ValidationError

    try:
        config.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(messages[0], field=None if field == "__all__" else field) from None
    config.save()
    return config
