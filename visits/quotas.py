"""The monthly callback quotas of SPEC §7 (回访考核): report data, computed in the database.

A fixed number of queries whatever the size of the department (policy, customers, technicians,
managers, general managers, last month's totals, last month's late callbacks by person):

* **active customers** — customers with a work order closed in the 12 months up to the end of the
  month, or a service contract running during the month;
* **coverage** — active customers with a callback *done* (answered) in the month, ≥ 30 % of them;
* **on site** — active customers with a done callback made on site in the month, ≥ 5 % of them;
* **every technician** — ≥ 1 done callback on his work in the month;
* **supervisors' spot checks** — per technician, ≥ 10 distinct customers of his work called back by a
  supervisor in the month (fewer if he served fewer customers in the last 12 months);
* **each manager** — ≥ 3 callbacks done by him in the month (spot checks of the supervisors' work);
* **the general manager** — ≥ 1 complaint callback done by him in the month;
* **on time** — the callbacks due in the previous month are all finished (done, refused or given up
  as unreachable) by the 10th of this month.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.org.models import Role, Staff
from tickets.models import Contract, Customer, WorkOrder

from . import policy
from .models import Callback, CallbackQuota


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _percent(done: int, target: int) -> int:
    return 100 if target <= 0 else round(100 * done / target)


@dataclass
class Meter:
    """One quota: what counts, how far along, whether it is met."""

    key: str
    label: str
    definition: str
    done: int
    target: int
    unit: str = ""

    @property
    def percent(self) -> int:
        return _percent(self.done, self.target)

    @property
    def bar(self) -> int:
        return min(self.percent, 100)

    @property
    def met(self) -> bool:
        return self.done >= self.target


@dataclass
class PersonRow:
    name: str
    station: str
    done: int
    target: int

    @property
    def behind(self) -> bool:
        return self.done < self.target

    @property
    def bar(self) -> int:
        return min(_percent(self.done, self.target), 100)


@dataclass
class Quotas:
    month: date
    quota: CallbackQuota
    active_customers: int
    meters: list[Meter] = field(default_factory=list)
    technicians: list[dict] = field(default_factory=list)
    managers: list[PersonRow] = field(default_factory=list)
    general_managers: list[PersonRow] = field(default_factory=list)
    previous_month: date | None = None
    deadline: date | None = None
    deadline_passed: bool = False
    late: list[dict] = field(default_factory=list)

    @property
    def behind_count(self) -> int:
        return sum(1 for m in self.meters if not m.met)


def _percent_target(active: int, percent: int) -> int:
    # "At least 30 %": the smallest whole number of customers that reaches the share.
    return -(-active * percent // 100)


def callback_quotas(*, month: date, today: date) -> Quotas:
    month = policy.month_start(month)
    next_month = policy.add_months(month, 1)
    start, end = _start_of(month), _start_of(next_month)
    quota = CallbackQuota.objects.filter(pk=1).first() or CallbackQuota()
    done_in_month = Q(status=Callback.Status.DONE, done_at__gte=start, done_at__lt=end)

    # 1. Active customers, and how many of them were called back (on site) this month.
    done_here = Callback.objects.filter(done_in_month, customer=OuterRef("pk"))
    totals = (
        Customer.objects.annotate(
            closed_recently=Exists(WorkOrder.objects.filter(
                customer=OuterRef("pk"), status=WorkOrder.Status.CLOSED,
                closed_at__gte=_start_of(policy.add_months(next_month, -12)), closed_at__lt=end,
            )),
            under_contract=Exists(Contract.objects.filter(
                customer=OuterRef("pk"), start_date__lte=policy.month_end(month), end_date__gte=month,
            )),
            called=Exists(done_here),
            called_on_site=Exists(done_here.filter(channel=Callback.Channel.ON_SITE)),
        )
        .filter(Q(closed_recently=True) | Q(under_contract=True))
        .aggregate(
            active=Count("pk"), covered=Count("pk", filter=Q(called=True)), on_site=Count("pk", filter=Q(called_on_site=True)),
        )
    )
    active = totals["active"]
    result = Quotas(month=month, quota=quota, active_customers=active)

    # 2. Technicians: callbacks on their work, customers spot-checked by supervisors, customers served.
    def count_of(qs, column="pk"):
        return Coalesce(
            Subquery(qs.order_by().values("technician").annotate(n=Count(column, distinct=True)).values("n")[:1],
                     output_field=IntegerField()),
            Value(0),
        )

    on_work = Callback.objects.filter(done_in_month, technician=OuterRef("pk"))
    technicians = (
        Staff.objects.filter(user__groups__name=Role.TECHNICIAN, user__is_active=True)
        .exclude(status=Staff.Status.LEFT)
        .select_related("station")
        .annotate(
            done_on_work=count_of(on_work),
            supervised=count_of(on_work.filter(done_by__groups__name=Role.SUPERVISOR), "customer"),
            served=count_of(
                WorkOrder.objects.filter(
                    technician=OuterRef("pk"), status=WorkOrder.Status.CLOSED,
                    closed_at__gte=_start_of(policy.add_months(next_month, -12)), closed_at__lt=end,
                ),
                "customer",
            ),
        )
        .order_by("station__code", "name", "pk")
        .distinct()
    )
    for tech in technicians:
        spot_target = min(quota.supervisor_customers_per_technician, tech.served)
        result.technicians.append({
            "technician": tech,
            "callbacks": PersonRow(tech.name, tech.station.name if tech.station_id else "", tech.done_on_work, quota.per_technician),
            "spot_checks": PersonRow(tech.name, tech.station.name if tech.station_id else "", tech.supervised, spot_target),
        })

    # 3./4. Callbacks done by each manager, complaint callbacks done by each general manager.
    User = get_user_model()

    def people(role: str, extra: Q) -> list[PersonRow]:
        users = (
            User.objects.filter(groups__name=role, is_active=True)
            .annotate(n=Count("callbacks_done", filter=Q(callbacks_done__status=Callback.Status.DONE,
                                                           callbacks_done__done_at__gte=start,
                                                           callbacks_done__done_at__lt=end) & extra, distinct=True))
            .select_related("staff__station")
            .order_by("pk")
        )
        target = quota.manager_spot_checks if role == Role.MANAGER else quota.general_manager_complaints
        out = []
        for user in users:
            staff = getattr(user, "staff", None)
            name = staff.name if staff else (user.get_full_name() or user.get_username())
            out.append(PersonRow(name, staff.station.name if staff and staff.station_id else "", user.n, target))
        return out

    result.managers = people(Role.MANAGER, Q())
    result.general_managers = people(Role.GENERAL_MANAGER, Q(callbacks_done__kind=Callback.Kind.COMPLAINT))

    # 5./6. Last month's callbacks finished by the deadline; the late ones by person or pool.
    previous = policy.add_months(month, -1)
    deadline = month.replace(day=quota.done_by_day)
    cutoff = _start_of(deadline + timedelta(days=1))
    due_last_month = Callback.objects.filter(due_date__gte=previous, due_date__lt=month)
    finished_in_time = ~Q(status=Callback.Status.PENDING) & Q(done_at__lt=cutoff)
    last = due_last_month.aggregate(total=Count("pk"), in_time=Count("pk", filter=finished_in_time))
    result.previous_month, result.deadline = previous, deadline
    result.deadline_passed = today > deadline
    result.late = list(
        due_last_month.exclude(finished_in_time)
        .values("assignee__username", "assignee__staff__name", "customer__station__name", "required_role")
        .annotate(n=Count("pk"))
        .order_by("-n", "customer__station__name")
    )

    for row in result.late:
        row["role_label"] = Callback.RequiredRole(row["required_role"]).label
    techs = result.technicians
    result.meters = [
        Meter("coverage", _("Customers called back"),
              _("Active customers with an answered callback this month, of %(n)d active customers (at least %(p)d %%).")
              % {"n": active, "p": quota.coverage_percent},
              totals["covered"], _percent_target(active, quota.coverage_percent)),
        Meter("on_site", _("Called back on site"),
              _("Active customers with an answered on-site callback this month (at least %(p)d %% of active customers).")
              % {"p": quota.on_site_percent},
              totals["on_site"], _percent_target(active, quota.on_site_percent)),
        Meter("technicians", _("Technicians with a callback on their work"),
              _("Technicians with at least %(n)d answered callback(s) on their work this month.") % {"n": quota.per_technician},
              sum(1 for t in techs if not t["callbacks"].behind), len(techs)),
        Meter("supervisor", _("Supervisors' spot checks"),
              _("Technicians whose customers were called back by a supervisor this month: %(n)d customers each "
                "(fewer when a technician served fewer in the last 12 months).") % {"n": quota.supervisor_customers_per_technician},
              sum(1 for t in techs if not t["spot_checks"].behind), len(techs)),
        Meter("managers", _("Managers' spot checks"),
              _("Managers who made at least %(n)d answered callbacks this month.") % {"n": quota.manager_spot_checks},
              sum(1 for m in result.managers if not m.behind), len(result.managers)),
        Meter("general_manager", _("General manager's complaint callbacks"),
              _("General managers who made at least %(n)d answered complaint callback(s) this month.")
              % {"n": quota.general_manager_complaints},
              sum(1 for m in result.general_managers if not m.behind), len(result.general_managers)),
        Meter("on_time", _("Last month's callbacks finished on time"),
              _("Callbacks due in %(month)s finished (answered, refused or unreachable) by %(date)s.")
              % {"month": previous.strftime("%Y-%m"), "date": deadline.isoformat()},
              last["in_time"], last["total"]),
    ]
    return result
