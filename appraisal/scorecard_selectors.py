"""Reads of the monthly scorecards: the figures computed in the database, the rows behind each
figure (drill-down), and who may see which scorecard.

Every figure is defined ONCE, as a condition (a ``Q``) on its source table. The month's aggregate
uses it as ``Count(..., filter=Q)`` grouped by technician, and the drill-down page lists
``Model.objects.filter(technician=…).filter(Q)`` — so the list always has exactly the rows counted.

The rules (where the issue and SPEC were silent, the choice is written here):

* **work orders counted** are originals (``supersedes`` empty: a correction of a signed order is a
  copy of the same job) and not rework orders (a rework redoes a problem already counted);
* **problems resolved** = his orders closed (reviewed) in the month, internal work (category D)
  excluded, + the problems resolved recorded on his visits done in the month;
* **timeliness** = of his orders that arrived in the month and whose ticket has an arrival clock,
  those whose clock stopped by its due time and never breached;
* **satisfaction** = of the callbacks done in the month on his work, those whose four ratings are
  all "satisfied" or better (≤ 2);
* **complaints** = valid or major complaint tickets registered in the month whose parent ticket has
  a (not cancelled) order of his — follow-up complaints opened by callbacks have the called-back
  ticket as parent, so they count too; the rate is over his orders closed in the month;
* **reworks** = rework orders (not cancelled) dispatched in the month for orders of his;
* **time on site** = orders completed in the month with an arrival, carried-in repairs excluded
  (their completion comes from the workshop, not the customer's premises);
* **backup deductions** count on the day they occurred; **feedback form scores** on the work day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db.models import (
    Avg,
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicedesk.org.models import Role, Staff
from servicedesk.org.roles import has_role
from servicedesk.org.selectors import staff_of
from tickets.models import Ticket, WorkOrder
from visits.models import Callback, Visit

from .models import BackupDeduction
from .scorecard_models import (
    Evaluation,
    FeedbackScore,
    Scorecard,
    ScorecardAdjustment,
    ScorecardConfig,
    ScorecardMonth,
)

W = WorkOrder.Status
SATISFIED_MAX = 2  # ratings 1 very satisfied, 2 satisfied (visits.models.Rating)
# Roles that read every scorecard of the department; a station head reads his station's.
SCORECARD_READERS = (Role.MANAGER, Role.GENERAL_MANAGER, Role.ADMIN)
SCORECARD_MANAGERS = (Role.MANAGER, Role.GENERAL_MANAGER, Role.ADMIN)


# --- months -------------------------------------------------------------------------------------


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def previous_month(month: date) -> date:
    return (month.replace(day=1) - timedelta(days=1)).replace(day=1)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """[start, end) of the month in the business time zone (Asia/Shanghai)."""
    tz = timezone.get_current_timezone()
    start = datetime(month.year, month.month, 1, tzinfo=tz)
    nxt = next_month(month)
    return start, datetime(nxt.year, nxt.month, 1, tzinfo=tz)


def parse_month(text: str) -> date | None:
    """'2026-09' → date(2026, 9, 1); anything else → None."""
    try:
        year, mon = (int(p) for p in str(text).split("-")[:2])
        return date(year, mon, 1)
    except (TypeError, ValueError):
        return None


# --- the figures' conditions (one definition each) ---------------------------------------------


def _in(field: str, month: date) -> Q:
    start, end = month_bounds(month)
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def _days_in(field: str, month: date) -> Q:
    return Q(**{f"{field}__gte": month, f"{field}__lt": next_month(month)})


_ORIGINAL = Q(supersedes__isnull=True, rework_of__isnull=True)


def closed_orders_q(month: date) -> Q:
    return Q(status=W.CLOSED) & _in("closed_at", month) & _ORIGINAL & ~Q(category=WorkOrder.Category.INTERNAL)


def arrivals_q(month: date) -> Q:
    """On a queryset from :func:`orders_with_arrival_clock`."""
    return _in("arrived_at", month) & _ORIGINAL & Q(arrival_clock__id__isnull=False)


ON_TIME = Q(
    arrival_clock__stopped_at__isnull=False,
    arrival_clock__due_at__isnull=False,
    arrival_clock__stopped_at__lte=F("arrival_clock__due_at"),
    arrival_clock__breached_at__isnull=True,
)


def on_site_q(month: date) -> Q:
    return _in("completed_at", month) & Q(arrived_at__isnull=False, supersedes__isnull=True, is_carry_in=False)


def over_limit_q(limit_minutes: int) -> Q:
    return Q(on_site_time__gt=timedelta(minutes=limit_minutes))


def visits_q(month: date) -> Q:
    return Q(status=Visit.Status.DONE) & _days_in("visit_date", month)


def callbacks_q(month: date) -> Q:
    return Q(status=Callback.Status.DONE) & _in("done_at", month)


SATISFIED = Q(
    rating_attitude__lte=SATISFIED_MAX, rating_skill__lte=SATISFIED_MAX,
    rating_arrival__lte=SATISFIED_MAX, rating_promise__lte=SATISFIED_MAX,
)


def complaints_q(month: date) -> Q:
    return (
        Q(kind="complaint", complaint_class__in=[Ticket.ComplaintClass.VALID, Ticket.ComplaintClass.MAJOR])
        & _in("registered_at", month)
    )


def reworks_q(month: date) -> Q:
    return Q(rework_of__isnull=False, supersedes__isnull=True) & ~Q(status=W.CANCELLED) & _in("dispatched_at", month)


def deductions_q(month: date) -> Q:
    return _days_in("occurred_on", month)


def feedback_q(month: date) -> Q:
    return Q(status=FeedbackScore.Status.SCORED) & _days_in("day", month)


# --- source querysets ---------------------------------------------------------------------------


def orders_with_arrival_clock() -> QuerySet[WorkOrder]:
    return WorkOrder.objects.annotate(
        arrival_clock=FilteredRelation(
            "ticket__clocks", condition=Q(ticket__clocks__target_code="arrival", ticket__clocks__cancelled=False)
        ),
        on_site_time=ExpressionWrapper(F("completed_at") - F("arrived_at"), output_field=DurationField()),
    )


def complaints_about(technicians) -> QuerySet[Ticket]:
    """Complaint tickets whose parent ticket has an order (not cancelled, original) of ``technicians``.

    Joins through the parent's orders: group by ``parent__work_orders__technician`` and count
    distinct tickets (one complaint may concern two technicians of the same ticket: both count it).
    """
    return Ticket.objects.filter(
        parent__work_orders__technician__in=technicians,
        parent__work_orders__supersedes__isnull=True,
        parent__work_orders__status__in=[s for s in W.values if s != W.CANCELLED],
    )


# --- the month's figures ----------------------------------------------------------------------


FIGURE_FIELDS = (
    "orders_closed", "visit_problems", "problems_resolved", "visits_done", "arrivals", "arrivals_on_time",
    "timeliness_rate", "callbacks", "callbacks_satisfied", "satisfaction_rate", "complaints", "complaint_rate",
    "reworks", "on_site_visits", "on_site_avg_minutes", "on_site_over_limit", "rating_attitude", "rating_skill",
    "rating_arrival", "rating_promise", "backup_points", "feedback_scored", "feedback_avg",
)

_TWO = Decimal("0.01")


def _rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(_TWO, ROUND_HALF_UP)


def _dec(value, places: str = "0.01") -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal(places), ROUND_HALF_UP)


def _minutes(value: timedelta | None) -> Decimal | None:
    if value is None:
        return None
    return _dec(value.total_seconds() / 60, "0.1")


def month_figures(month: date, technician_ids, *, on_site_limit_minutes: int) -> dict[int, dict]:
    """{technician id: {figure: value}} for ``technician_ids`` in ``month``.

    One grouped aggregate per source table (work orders ×2, visits, callbacks, complaints,
    deductions, feedback scores): seven queries whatever the number of technicians or rows.
    """
    ids = list(technician_ids)
    if not ids:
        return {}
    closed, arrivals, onsite = closed_orders_q(month), arrivals_q(month), on_site_q(month)
    orders = (
        orders_with_arrival_clock()
        .filter(technician_id__in=ids)
        .filter(closed | _in("arrived_at", month) | _in("completed_at", month))
        .values("technician_id")
        .annotate(
            orders_closed=Count("pk", filter=closed),
            arrivals=Count("pk", filter=arrivals),
            arrivals_on_time=Count("pk", filter=arrivals & ON_TIME),
            on_site_visits=Count("pk", filter=onsite),
            on_site_avg=Avg("on_site_time", filter=onsite),
            on_site_over_limit=Count("pk", filter=onsite & over_limit_q(on_site_limit_minutes)),
        )
        .order_by()
    )
    reworks = (
        WorkOrder.objects.filter(reworks_q(month), rework_of__technician_id__in=ids)
        .values("rework_of__technician_id").annotate(n=Count("pk")).order_by()
    )
    visits = (
        Visit.objects.filter(visits_q(month), technician_id__in=ids)
        .values("technician_id").annotate(n=Count("pk"), problems=Sum("problems_resolved")).order_by()
    )
    callbacks = (
        Callback.objects.filter(callbacks_q(month), technician_id__in=ids)
        .values("technician_id")
        .annotate(
            n=Count("pk"), satisfied=Count("pk", filter=SATISFIED), attitude=Avg("rating_attitude"),
            skill=Avg("rating_skill"), arrival=Avg("rating_arrival"), promise=Avg("rating_promise"),
        )
        .order_by()
    )
    complaints = (
        complaints_about(ids).filter(complaints_q(month))
        .values("parent__work_orders__technician_id").annotate(n=Count("pk", distinct=True)).order_by()
    )
    deductions = (
        BackupDeduction.objects.filter(deductions_q(month), staff_id__in=ids)
        .values("staff_id").annotate(points=Sum("points")).order_by()
    )
    feedback = (
        FeedbackScore.objects.filter(feedback_q(month), technician_id__in=ids)
        .values("technician_id").annotate(n=Count("pk"), avg=Avg("score")).order_by()
    )

    out = {pk: _empty() for pk in ids}
    for row in orders:
        f = out[row["technician_id"]]
        f.update(
            orders_closed=row["orders_closed"], arrivals=row["arrivals"], arrivals_on_time=row["arrivals_on_time"],
            on_site_visits=row["on_site_visits"], on_site_avg_minutes=_minutes(row["on_site_avg"]),
            on_site_over_limit=row["on_site_over_limit"],
        )
    for row in reworks:
        out[row["rework_of__technician_id"]]["reworks"] = row["n"]
    for row in visits:
        out[row["technician_id"]].update(visits_done=row["n"], visit_problems=row["problems"] or 0)
    for row in callbacks:
        out[row["technician_id"]].update(
            callbacks=row["n"], callbacks_satisfied=row["satisfied"], rating_attitude=_dec(row["attitude"]),
            rating_skill=_dec(row["skill"]), rating_arrival=_dec(row["arrival"]), rating_promise=_dec(row["promise"]),
        )
    for row in complaints:
        out[row["parent__work_orders__technician_id"]]["complaints"] = row["n"]
    for row in deductions:
        out[row["staff_id"]]["backup_points"] = row["points"] or 0
    for row in feedback:
        out[row["technician_id"]].update(feedback_scored=row["n"], feedback_avg=_dec(row["avg"]))
    for f in out.values():
        f["problems_resolved"] = f["orders_closed"] + f["visit_problems"]
        f["timeliness_rate"] = _rate(f["arrivals_on_time"], f["arrivals"])
        f["satisfaction_rate"] = _rate(f["callbacks_satisfied"], f["callbacks"])
        f["complaint_rate"] = _rate(f["complaints"], f["orders_closed"])
    return out


def _empty() -> dict:
    return {
        "orders_closed": 0, "visit_problems": 0, "problems_resolved": 0, "visits_done": 0, "arrivals": 0,
        "arrivals_on_time": 0, "timeliness_rate": None, "callbacks": 0, "callbacks_satisfied": 0,
        "satisfaction_rate": None, "complaints": 0, "complaint_rate": None, "reworks": 0, "on_site_visits": 0,
        "on_site_avg_minutes": None, "on_site_over_limit": 0, "rating_attitude": None, "rating_skill": None,
        "rating_arrival": None, "rating_promise": None, "backup_points": 0, "feedback_scored": 0, "feedback_avg": None,
    }


# --- who is appraised ---------------------------------------------------------------------------


def active_configs() -> list[ScorecardConfig]:
    """The active configs, the technician's made with SPEC defaults if missing (the first month just works)."""
    ScorecardConfig.objects.get_or_create(role=Role.TECHNICIAN)
    return list(ScorecardConfig.objects.filter(is_active=True).order_by("pk"))


def appraised_staff(config: ScorecardConfig, *, exclude_ids=()) -> QuerySet[Staff]:
    """People holding the config's role, with an active user, who have not left."""
    return (
        Staff.objects.filter(user__groups__name=config.role, user__is_active=True)
        .exclude(status=Staff.Status.LEFT)
        .exclude(pk__in=list(exclude_ids))
        .select_related("station", "station__department")
        .distinct()
        .order_by("employee_no")
    )


# --- drill-down ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Drill:
    """A figure's rows: its label, how to fetch them and which figure fields they explain."""

    key: str
    label: str
    explains: tuple[str, ...]


DRILLS = {
    d.key: d
    for d in (
        Drill("orders_closed", _("Work orders closed"), ("orders_closed", "problems_resolved", "complaint_rate")),
        Drill("visits", _("Customer visits done"), ("visits_done", "visit_problems", "problems_resolved")),
        Drill("arrivals", _("Arrivals and their SLA"), ("arrivals", "arrivals_on_time", "timeliness_rate")),
        Drill("callbacks", _("Callbacks on his work"), ("callbacks", "callbacks_satisfied", "satisfaction_rate",
                                                         "rating_attitude", "rating_skill", "rating_arrival",
                                                         "rating_promise")),
        Drill("complaints", _("Valid complaints"), ("complaints", "complaint_rate")),
        Drill("reworks", _("Reworks of his orders"), ("reworks",)),
        Drill("on_site", _("Time on site"), ("on_site_visits", "on_site_avg_minutes", "on_site_over_limit")),
        Drill("backup", _("Backup deductions"), ("backup_points",)),
        Drill("feedback", _("Feedback form scores"), ("feedback_scored", "feedback_avg")),
    )
}
FIGURE_DRILL = {field: d.key for d in DRILLS.values() for field in d.explains}


def drill_rows(key: str, *, technician_id: int, month: date, on_site_limit_minutes: int = 120) -> QuerySet:
    """The rows behind a figure of one technician and month — the same condition as the aggregate."""
    if key == "orders_closed":
        return (WorkOrder.objects.filter(closed_orders_q(month), technician_id=technician_id)
                .select_related("customer").order_by("closed_at", "pk"))
    if key == "visits":
        return (Visit.objects.filter(visits_q(month), technician_id=technician_id)
                .select_related("customer").order_by("visit_date", "pk"))
    if key == "arrivals":
        return (orders_with_arrival_clock().filter(arrivals_q(month), technician_id=technician_id)
                .annotate(on_time=Case(When(ON_TIME, then=Value(1)), default=Value(0), output_field=IntegerField()),
                          clock_due_at=F("arrival_clock__due_at"), clock_stopped_at=F("arrival_clock__stopped_at"),
                          clock_breached_at=F("arrival_clock__breached_at"))
                .select_related("customer").order_by("arrived_at", "pk"))
    if key == "callbacks":
        return (Callback.objects.filter(callbacks_q(month), technician_id=technician_id)
                .annotate(satisfied=Case(When(SATISFIED, then=Value(1)), default=Value(0), output_field=IntegerField()))
                .select_related("customer", "work_order").order_by("done_at", "pk"))
    if key == "complaints":
        return (complaints_about([technician_id]).filter(complaints_q(month)).distinct()
                .select_related("customer", "parent").order_by("registered_at", "pk"))
    if key == "reworks":
        return (WorkOrder.objects.filter(reworks_q(month), rework_of__technician_id=technician_id)
                .select_related("customer", "rework_of").order_by("dispatched_at", "pk"))
    if key == "on_site":
        return (orders_with_arrival_clock().filter(on_site_q(month), technician_id=technician_id)
                .annotate(over=Case(When(over_limit_q(on_site_limit_minutes), then=Value(1)), default=Value(0),
                                    output_field=IntegerField()))
                .select_related("customer").order_by("completed_at", "pk"))
    if key == "backup":
        return BackupDeduction.objects.filter(deductions_q(month), staff_id=technician_id).order_by("occurred_on", "pk")
    if key == "feedback":
        return (FeedbackScore.objects.filter(feedback_q(month), technician_id=technician_id)
                .select_related("work_order", "scored_by").order_by("day", "pk"))
    raise KeyError(key)


# --- scorecards: who sees which -----------------------------------------------------------------


def _scorecards() -> QuerySet[Scorecard]:
    return Scorecard.objects.select_related("month", "technician", "station", "department")


def scorecards_visible_to(user) -> QuerySet[Scorecard]:
    """Managers, the general manager and admins: all; a station head: his station's; a supervisor: the
    people he supervises; everyone: his own — and only of published months unless he manages them."""
    if not user.is_authenticated:
        return Scorecard.objects.none()
    qs = _scorecards()
    if user.is_superuser or has_role(user, *SCORECARD_READERS):
        return qs
    me = staff_of(user)
    if me is None:
        return qs.none()
    condition = Q(technician=me, month__status=ScorecardMonth.Status.PUBLISHED)
    if has_role(user, Role.STATION_HEAD) and me.station_id:
        condition |= Q(station_id=me.station_id)
    if has_role(user, Role.SUPERVISOR):
        condition |= Q(technician__supervisor=me)
    return qs.filter(condition)


def can_manage_scorecards(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or has_role(user, *SCORECARD_MANAGERS)))


def team_scorecards(user, month: ScorecardMonth, *, station_id: int | None = None) -> QuerySet[Scorecard]:
    qs = scorecards_visible_to(user).filter(month=month)
    if station_id:
        qs = qs.filter(station_id=station_id)
    return qs.order_by("rank_department", "technician__employee_no")


def adjustments_of(scorecard: Scorecard) -> QuerySet[ScorecardAdjustment]:
    return scorecard.adjustments.select_related("by").order_by("at", "pk")


def evaluations_of(scorecard: Scorecard) -> QuerySet[Evaluation]:
    return scorecard.evaluations.select_related("evaluator").order_by("at", "pk")


def month_log(month: ScorecardMonth):
    return month.log.select_related("actor", "technician").order_by("at", "pk")


# --- feedback forms -----------------------------------------------------------------------------


def feedback_forms(*, day: date | None = None, status: str | None = None, assignee=None,
                   flagged_only: bool = False) -> QuerySet[FeedbackScore]:
    qs = FeedbackScore.objects.select_related(
        "work_order", "work_order__customer", "technician", "technician__station", "assignee", "scored_by"
    )
    if day is not None:
        qs = qs.filter(day=day)
    if status:
        qs = qs.filter(status=status)
    if assignee is not None:
        qs = qs.filter(assignee=assignee)
    if flagged_only:
        qs = qs.filter(flagged_at__isnull=False, status=FeedbackScore.Status.PENDING)
    return qs.order_by("-flagged_at", "day", "technician__employee_no", "pk")


def feedback_visible_to(user) -> QuerySet[FeedbackScore]:
    """Managers see every feedback form; a technician his own scores."""
    qs = feedback_forms()
    if user.is_superuser or has_role(user, *SCORECARD_MANAGERS):
        return qs
    me = staff_of(user)
    return qs.filter(technician=me) if me is not None else qs.none()


def other_managers(exclude_user_id: int | None) -> QuerySet:
    User = get_user_model()
    return (User.objects.filter(is_active=True, groups__name=Role.MANAGER)
            .exclude(pk=exclude_user_id or 0).distinct().order_by("pk"))


def general_managers() -> QuerySet:
    User = get_user_model()
    return User.objects.filter(is_active=True, groups__name=Role.GENERAL_MANAGER).distinct().order_by("pk")
