"""Reads of carry-in repairs, factory returns, compensations and the daily reports' scope — scoped by
who asks, in one place for the pages, the API and the admin.

Who sees a carry-in repair (its receipt, repair tag, register lines): supervisors, managers, the
general manager and administrators; the desk, station head and warehouse keeper of the order's
station; the technician of the order. Anyone else gets nothing (a 404 on the pages and the API).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from servicedesk.org.models import Role, Staff, Station
from servicedesk.org.roles import has_role
from servicedesk.org.selectors import staff_of

from .models import CarryIn, Compensation, FactoryReturn, GoodsRegisterEntry

DEPARTMENT_WIDE = (Role.SUPERVISOR, Role.MANAGER, Role.GENERAL_MANAGER, Role.ADMIN)
STATION_STAFF = (Role.STATION_HEAD, Role.DISPATCHER, Role.WAREHOUSE_KEEPER)
# Who reads the daily reports of other people (a technician reads only his own).
REPORT_READERS = (Role.SUPERVISOR, Role.STATION_HEAD, Role.MANAGER, Role.GENERAL_MANAGER, Role.ADMIN)


def _order_scope(user, prefix: str) -> Q | None:
    """None: everything; otherwise the condition on ``<prefix>order``."""
    if user.is_superuser or has_role(user, *DEPARTMENT_WIDE):
        return None
    me = staff_of(user)
    if me is None:
        return Q(pk__in=[])
    condition = Q(**{f"{prefix}order__technician": me})
    if me.station_id and has_role(user, *STATION_STAFF):
        condition |= Q(**{f"{prefix}order__ticket__station_id": me.station_id})
    return condition


def carry_ins_visible_to(user) -> QuerySet[CarryIn]:
    qs = CarryIn.objects.select_related(
        "order__ticket__station", "order__customer", "order__technician", "taken_by", "inspected_by"
    )
    condition = _order_scope(user, "")
    return qs if condition is None else qs.filter(condition)


def register_visible_to(user) -> QuerySet[GoodsRegisterEntry]:
    qs = GoodsRegisterEntry.objects.select_related(
        "carry_in__order__ticket__station", "carry_in__order__customer", "by"
    )
    condition = _order_scope(user, "carry_in__")
    return qs if condition is None else qs.filter(condition)


def factory_returns_visible_to(user) -> QuerySet[FactoryReturn]:
    qs = FactoryReturn.objects.select_related("carry_in__order__ticket", "requested_by", "decided_by")
    condition = _order_scope(user, "carry_in__")
    return qs if condition is None else qs.filter(condition)


def compensations_visible_to(user) -> QuerySet[Compensation]:
    """Compensations: as the orders, plus finance (who pays them)."""
    qs = Compensation.objects.select_related("order__customer", "requested_by", "decided_by")
    if has_role(user, Role.FINANCE):
        return qs
    condition = _order_scope(user, "")
    return qs if condition is None else qs.filter(condition)


def report_technicians_visible_to(user) -> QuerySet[Staff]:
    """Whose technician's daily report ``user`` may read."""
    qs = Staff.objects.filter(user__groups__name=Role.TECHNICIAN).select_related("station").order_by("name", "pk")
    if user.is_superuser or has_role(user, Role.SUPERVISOR, Role.MANAGER, Role.GENERAL_MANAGER, Role.ADMIN):
        return qs
    me = staff_of(user)
    if me is None:
        return qs.none()
    condition = Q(pk=me.pk)
    if me.station_id and has_role(user, Role.STATION_HEAD):
        condition |= Q(station_id=me.station_id)
    return qs.filter(condition)


def report_stations_visible_to(user) -> QuerySet[Station]:
    """Which stations' supervisor's daily report ``user`` may read."""
    qs = Station.objects.order_by("code")
    if user.is_superuser or has_role(user, Role.SUPERVISOR, Role.MANAGER, Role.GENERAL_MANAGER, Role.ADMIN):
        return qs
    me = staff_of(user)
    if me is not None and me.station_id and has_role(user, Role.STATION_HEAD):
        return qs.filter(pk=me.station_id)
    return qs.none()
