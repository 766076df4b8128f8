"""The people and the sample objects the permission matrix is checked with.

People are the demo department's users (``seed_demo``): one per role, the station-bound ones at
station SH01; tech01 is "the technician", tech02 his colleague at SH01, tech05 works at SZ01.

For every model a detail page shows, three sample objects: *mine* (the technician's own, at SH01),
*colleague's* (another technician's, still SH01) and *foreign* (station SZ01). A role's scope on a
detail route is read off which of the three it may open (see ``permission_matrix``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldError

from servicedesk.org.models import Staff, Station

ROLE_USERS = {
    "dispatcher": "dispatcher",
    "technician": "tech01",
    "supervisor": "supervisor",
    "warehouse_keeper": "warehouse",
    "station_head": "stationhead",
    "manager": "manager",
    "general_manager": "gm",
    "finance": "finance",
    "admin": "admin",
}

# How a model's rows reach a technician (Staff) and a station: the first lookup that exists wins.
TECHNICIAN_PATHS = [
    "technician", "work_order__technician", "order__technician", "staff", "owner", "work_orders__technician",
    "ticket__work_orders__technician", "customer__owner", "customer__work_orders__technician", "scorecard__staff", "submission__staff",
    "requested_by__staff", "user__staff", "requester__staff", "created_by__staff", "recipient__staff",
]
STATION_PATHS = [
    "station", "ticket__station", "work_order__ticket__station", "order__ticket__station", "location__station",
    "customer__station", "staff__station", "technician__station", "unit__customer__station",
    "from_location__station", "to_location__station", "scorecard__staff__station", "submission__staff__station",
    "requested_by__staff__station", "user__staff__station", "created_by__staff__station",
    "recipient__staff__station",
]


@dataclass
class World:
    users: dict
    tech: Staff
    colleague: Staff
    foreign_tech: Staff
    station_a: Station
    station_b: Station
    extra: dict = field(default_factory=dict)

    def samples(self, model):
        """(mine, colleague's, foreign) pks of ``model``; None where the data has no such row."""
        override = self.extra.get(model._meta.label_lower)
        if override:
            return override
        qs = model._default_manager.all()
        mine = colleague = foreign = None
        # Rows that reach the technician by any path are "mine": never a colleague's or a foreign sample.
        his = set()
        for path in TECHNICIAN_PATHS:
            try:
                his |= set(qs.filter(**{path: self.tech}).values_list("pk", flat=True))
            except (FieldError, ValueError):
                continue
        qs_not_his = qs.exclude(pk__in=his)
        for path in TECHNICIAN_PATHS:
            try:
                mine = mine or qs.filter(**{path: self.tech}).values_list("pk", flat=True).first()
                colleague = colleague or qs_not_his.filter(**{path: self.colleague}).values_list("pk", flat=True).first()
                foreign = foreign or qs_not_his.filter(**{path: self.foreign_tech}).values_list("pk", flat=True).first()
            except (FieldError, ValueError):
                continue
            if mine and colleague and foreign:
                break
        for path in STATION_PATHS:
            try:
                if mine is None:
                    mine = qs.filter(**{path: self.station_a}).values_list("pk", flat=True).first()
                if colleague is None:
                    colleague = qs_not_his.filter(**{path: self.station_a}).exclude(pk=mine).values_list("pk", flat=True).first()
                if foreign is None:
                    foreign = qs_not_his.filter(**{path: self.station_b}).values_list("pk", flat=True).first()
            except (FieldError, ValueError):
                continue
            break
        if mine is None and colleague is None and foreign is None:
            # Department-wide rows (policies, the catalogue): any row will do for all three.
            pk = qs.values_list("pk", flat=True).first()
            return (pk, pk, pk)
        return (mine, colleague, foreign)


def build_world() -> World:
    User = get_user_model()
    users = {role: User.objects.get(username=name) for role, name in ROLE_USERS.items()}
    world = World(
        users=users,
        tech=Staff.objects.get(user__username="tech01"),
        colleague=Staff.objects.get(user__username="tech02"),
        foreign_tech=Staff.objects.get(user__username="tech05"),
        station_a=Station.objects.get(code="SH01"),
        station_b=Station.objects.get(code="SZ01"),
    )
    _add_what_the_demo_lacks(world)
    return world


def _add_what_the_demo_lacks(world: World) -> None:
    """Rows the demo does not make, built through the services users call: a month of scorecards,
    monthly work reports of both stations, a fee report, exports and notifications of three people."""
    from django.utils import timezone

    from appraisal.services.scorecards import draft_month
    from reports.services.exports import start_export
    from reports.services.finance import prepare_fee_report
    from reports.services.work_reports import draft_work_report
    from servicedesk.notifications.services import notify

    today = timezone.localdate()
    month = today.replace(day=1)
    draft_month(month=month, actor=world.users["manager"])
    for station in (world.station_a, world.station_b):
        draft_work_report(station=station, period="monthly", start=month, actor=world.users["station_head"])
    prepare_fee_report(month=month, actor=world.users["finance"])
    for n, staff in enumerate((world.tech, world.colleague, world.foreign_tech)):
        notify(recipient=staff.user, kind="matrix", title="权限矩阵", key=f"matrix-{n}", email=False)
        start_export(kind="list", params={"list": "tickets"}, actor=staff.user)
