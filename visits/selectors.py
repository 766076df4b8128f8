"""Reads of visits, plans, progress and renewals — scoped by who asks, in one place for API, admin, pages and exports.

Who sees what:

* visits and plans: managers, the general manager, supervisors and admins the whole department; a
  station head his station's technicians; a technician only his own.
* renewal tasks: the desk (dispatchers), managers, the general manager, supervisors, finance and
  admins the whole department; a station head his station's customers; a technician the renewals
  assigned to him or of customers he owns.
* callbacks: supervisors, managers, the general manager and admins the whole department; a station
  head his station's customers; a technician (read only) the callbacks on his own work; nobody else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from servicedesk.calendar import get_calendar
from servicedesk.org.models import Role, Staff, Station
from servicedesk.org.roles import has_role, user_roles
from servicedesk.org.selectors import staff_of
from tickets.models import Customer
from tickets.selectors import customers_visible_to

from . import policy
from .models import Callback, CallbackAttempt, CallbackPlan, Reminder, RenewalTask, Visit, VisitPlan, VisitPolicy

_VISITS_DEPARTMENT_WIDE = (Role.MANAGER, Role.GENERAL_MANAGER, Role.SUPERVISOR, Role.ADMIN)
_RENEWALS_DEPARTMENT_WIDE = (
    Role.DISPATCHER, Role.MANAGER, Role.GENERAL_MANAGER, Role.SUPERVISOR, Role.FINANCE, Role.ADMIN,
)


def _scoped(user, qs: QuerySet, *, wide_roles, station_q, own_q) -> QuerySet:
    if user is None or not user.is_authenticated:
        return qs.none()
    if user.is_superuser or has_role(user, *wide_roles):
        return qs
    me = staff_of(user)
    if me is None:
        return qs.none()
    condition = Q(pk__in=[])
    if has_role(user, Role.STATION_HEAD) and me.station_id:
        condition |= station_q(me.station_id)
    if has_role(user, Role.TECHNICIAN):
        condition |= own_q(me)
    return qs.filter(condition)


def visits_visible_to(user) -> QuerySet[Visit]:
    qs = Visit.objects.select_related("technician", "technician__station", "customer")
    return _scoped(
        user, qs, wide_roles=_VISITS_DEPARTMENT_WIDE,
        station_q=lambda station_id: Q(technician__station_id=station_id),
        own_q=lambda me: Q(technician=me),
    )


def plans_visible_to(user) -> QuerySet[VisitPlan]:
    qs = VisitPlan.objects.select_related("technician", "technician__station", "updated_by")
    return _scoped(
        user, qs, wide_roles=_VISITS_DEPARTMENT_WIDE,
        station_q=lambda station_id: Q(technician__station_id=station_id),
        own_q=lambda me: Q(technician=me),
    )


def renewals_visible_to(user) -> QuerySet[RenewalTask]:
    qs = RenewalTask.objects.select_related(
        "contract", "contract__customer", "contract__customer__station", "contract__customer__owner", "assignee",
        "new_contract",
    )
    return _scoped(
        user, qs, wide_roles=_RENEWALS_DEPARTMENT_WIDE,
        station_q=lambda station_id: Q(contract__customer__station_id=station_id),
        own_q=lambda me: Q(assignee=me) | Q(contract__customer__owner=me),
    )


def technicians_visible_to(user) -> QuerySet[Staff]:
    """Technicians whose visits ``user`` may see (those who have not left), by station and name."""
    qs = (
        Staff.objects.filter(user__groups__name=Role.TECHNICIAN)
        .exclude(status=Staff.Status.LEFT)
        .select_related("station", "user")
        .order_by("station__code", "name", "pk")
        .distinct()
    )
    return _scoped(
        user, qs, wide_roles=_VISITS_DEPARTMENT_WIDE,
        station_q=lambda station_id: Q(station_id=station_id),
        own_q=lambda me: Q(pk=me.pk),
    )


def customers_for_visits(technician: Staff) -> QuerySet[Customer]:
    """The customers a technician may visit: his own (the tickets selector's definition), key customers first."""
    return customers_visible_to(technician.user).order_by("-is_key", "name", "pk")


def stations_for_progress(user) -> QuerySet[Station]:
    """Stations offered as a filter on the progress page: those with technicians the user sees."""
    return Station.objects.filter(pk__in=technicians_visible_to(user).values("station_id")).order_by("code")


# --- progress -----------------------------------------------------------------------------------

ON_TRACK, BEHIND, MET = "on_track", "behind", "met"


@dataclass
class Progress:
    """One technician's month: targets, what is done, what a steady pace would have reached by now."""

    technician: Staff
    month: date
    visits_target: int
    problems_target: int
    from_plan: bool
    visits_done: int = 0
    problems_resolved: int = 0
    planned_open: int = 0
    overdue: int = 0
    expected_visits: int = 0
    expected_problems: int = 0

    @staticmethod
    def _percent(done: int, target: int) -> int:
        if target <= 0:
            return 100
        return round(100 * done / target)

    @property
    def visits_percent(self) -> int:
        return self._percent(self.visits_done, self.visits_target)

    @property
    def problems_percent(self) -> int:
        return self._percent(self.problems_resolved, self.problems_target)

    @property
    def visits_bar(self) -> int:
        return min(self.visits_percent, 100)

    @property
    def problems_bar(self) -> int:
        return min(self.problems_percent, 100)

    @property
    def visits_expected_bar(self) -> int:
        return self._percent(self.expected_visits, self.visits_target) if self.visits_target else 0

    @property
    def problems_expected_bar(self) -> int:
        return self._percent(self.expected_problems, self.problems_target) if self.problems_target else 0

    @property
    def visits_behind(self) -> bool:
        return self.visits_done < self.expected_visits

    @property
    def problems_behind(self) -> bool:
        return self.problems_resolved < self.expected_problems

    @property
    def visits_left(self) -> int:
        return max(self.visits_target - self.visits_done, 0)

    @property
    def problems_left(self) -> int:
        return max(self.problems_target - self.problems_resolved, 0)

    @property
    def status(self) -> str:
        if self.visits_done >= self.visits_target and self.problems_resolved >= self.problems_target:
            return MET
        if self.visits_behind or self.problems_behind:
            return BEHIND
        return ON_TRACK


def progress_for_month(*, month: date, technicians, today: date) -> list[Progress]:
    """Progress of each of ``technicians`` in ``month`` — three queries whatever their number.

    Targets come from the technician's plan for the month, or the policy's defaults if none was made.
    Done visits count in the month they took place; planned ones in the month they are planned for.
    """
    month = policy.month_start(month)
    end = policy.month_end(month)
    techs = list(technicians)
    ids = [t.pk for t in techs]
    plans = {p.technician_id: p for p in VisitPlan.objects.filter(month=month, technician_id__in=ids)}
    done = Q(status=Visit.Status.DONE, visit_date__gte=month, visit_date__lte=end)
    planned = Q(status=Visit.Status.PLANNED, planned_for__gte=month, planned_for__lte=end)
    counts = {
        row["technician_id"]: row
        for row in Visit.objects.filter(technician_id__in=ids)
        .filter(done | planned)
        .values("technician_id")
        .annotate(
            done=Count("pk", filter=done),
            problems=Coalesce(Sum("problems_resolved", filter=done), 0),
            planned=Count("pk", filter=planned),
            overdue=Count("pk", filter=planned & Q(planned_for__lt=today)),
        )
    }
    defaults = None
    if any(t.pk not in plans for t in techs):
        defaults = VisitPolicy.objects.filter(pk=1).first() or VisitPolicy()
    calendar = get_calendar()
    share = policy.working_share_elapsed(month, today, calendar.is_working_day)
    out = []
    for tech in techs:
        plan = plans.get(tech.pk)
        source = plan or defaults
        row = counts.get(tech.pk, {})
        item = Progress(
            technician=tech, month=month, visits_target=source.visits_target, problems_target=source.problems_target,
            from_plan=plan is not None, visits_done=row.get("done", 0), problems_resolved=row.get("problems", 0),
            planned_open=row.get("planned", 0), overdue=row.get("overdue", 0),
        )
        item.expected_visits = policy.expected_by_now(item.visits_target, share)
        item.expected_problems = policy.expected_by_now(item.problems_target, share)
        out.append(item)
    return out


def progress_totals(rows: list[Progress]) -> dict[str, int]:
    return {
        "visits_target": sum(r.visits_target for r in rows),
        "visits_done": sum(r.visits_done for r in rows),
        "problems_target": sum(r.problems_target for r in rows),
        "problems_resolved": sum(r.problems_resolved for r in rows),
        "planned_open": sum(r.planned_open for r in rows),
        "overdue": sum(r.overdue for r in rows),
        "behind": sum(1 for r in rows if r.status == BEHIND),
    }


# --- the technician's own month -----------------------------------------------------------------


def visits_of_month(technician: Staff, month: date) -> QuerySet[Visit]:
    """The technician's done visits of ``month``, newest first."""
    month = policy.month_start(month)
    return (
        Visit.objects.filter(technician=technician, status=Visit.Status.DONE, visit_date__gte=month,
                             visit_date__lte=policy.month_end(month))
        .select_related("customer")
        .order_by("-visit_date", "-pk")
    )


def open_planned_visits(technician: Staff) -> QuerySet[Visit]:
    """Planned visits not yet recorded, overdue first, then by day."""
    return (
        Visit.objects.filter(technician=technician, status=Visit.Status.PLANNED)
        .select_related("customer")
        .order_by("planned_for", "pk")
    )


# --- renewals -----------------------------------------------------------------------------------


def open_renewals(user, *, today: date) -> QuerySet[RenewalTask]:
    """Open renewal tasks ``user`` sees whose notice is due by ``today``, expiring soonest first."""
    return renewals_visible_to(user).filter(status=RenewalTask.Status.OPEN, due_date__lte=today).order_by(
        "contract__end_date", "pk"
    )


def managers() -> QuerySet:
    """Active users holding the manager role."""
    return get_user_model().objects.filter(groups__name=Role.MANAGER, is_active=True).distinct().order_by("pk")


def reminders_of(item_type: str, item_id: int, *, limit: int = 30) -> list[Reminder]:
    """The latest reminders sent about one item, newest first."""
    return list(
        Reminder.objects.filter(item_type=item_type, item_id=item_id).select_related("recipient").order_by("-day", "pk")[:limit]
    )


# --- callbacks ----------------------------------------------------------------------------------

_CALLBACKS_DEPARTMENT_WIDE = (Role.MANAGER, Role.GENERAL_MANAGER, Role.SUPERVISOR, Role.ADMIN)


def callbacks_visible_to(user) -> QuerySet[Callback]:
    qs = Callback.objects.select_related(
        "customer", "customer__station", "technician", "work_order", "ticket", "assignee", "done_by", "follow_up_ticket",
    )
    return _scoped(
        user, qs, wide_roles=_CALLBACKS_DEPARTMENT_WIDE,
        station_q=lambda station_id: Q(customer__station_id=station_id),
        own_q=lambda me: Q(technician=me),
    )


def callback_attempts_visible_to(user) -> QuerySet[CallbackAttempt]:
    return CallbackAttempt.objects.filter(callback__in=callbacks_visible_to(user).values("pk")).select_related("by")


def callback_plans() -> QuerySet[CallbackPlan]:
    return CallbackPlan.objects.select_related("product_line", "updated_by").order_by("-is_active", "product_line__code", "category", "pk")


def _pool_q(user) -> Q:
    """The unassigned callbacks ``user``'s roles make: supervisors those of their station's customers
    (a supervisor without a station: every station), managers the manager's, the GM the GM's and the manager's."""
    roles = user_roles(user)
    R = Callback.RequiredRole
    q = Q(pk__in=[])
    if Role.SUPERVISOR in roles:
        me = staff_of(user)
        station_id = me.station_id if me is not None else None
        q |= Q(required_role=R.SUPERVISOR) & (Q(customer__station_id=station_id) if station_id else Q())
    if Role.MANAGER in roles:
        q |= Q(required_role=R.MANAGER)
    if Role.GENERAL_MANAGER in roles:
        q |= Q(required_role__in=[R.MANAGER, R.GENERAL_MANAGER])
    return Q(assignee__isnull=True) & q


def workbench_callbacks(user, *, today: date) -> QuerySet[Callback]:
    """Today's and overdue callbacks for ``user``: his own and his pool's, not waiting for a retry day;
    oldest due first, key customers first within a day."""
    if user is None or not user.is_authenticated:
        return Callback.objects.none()
    return (
        Callback.objects.filter(status=Callback.Status.PENDING, due_date__lte=today)
        .filter(Q(next_attempt_on__isnull=True) | Q(next_attempt_on__lte=today))
        .filter(Q(assignee=user) | _pool_q(user))
        .select_related("customer", "technician", "work_order", "ticket", "assignee")
        .order_by("due_date", "-customer__is_key", "pk")
    )


def callback_chain(callback: Callback) -> list[Callback]:
    """The callbacks this one follows up (oldest first) and itself, with their follow-up tickets."""
    rows = [callback]
    parent_id, seen = callback.parent_id, {callback.pk}
    while parent_id and parent_id not in seen:
        parent = Callback.objects.select_related("follow_up_ticket", "done_by").filter(pk=parent_id).first()
        if parent is None:
            break
        rows.append(parent)
        seen.add(parent.pk)
        parent_id = parent.parent_id
    return list(reversed(rows))
