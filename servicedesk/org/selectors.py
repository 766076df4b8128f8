"""Reads of the organisation, scoped by who asks (one place for every API, admin and page)."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import ProductLine, Role, Staff, Station
from .roles import has_role

# Roles that see the whole department's people and stations.
_DEPARTMENT_WIDE = (Role.MANAGER, Role.GENERAL_MANAGER, Role.ADMIN, Role.DISPATCHER, Role.FINANCE, Role.SUPERVISOR)


def staff_of(user) -> Staff | None:
    if not user.is_authenticated:
        return None
    try:
        return user.staff
    except Staff.DoesNotExist:
        return None


def stations_visible_to(user) -> QuerySet[Station]:
    qs = Station.objects.select_related("department", "provincial_supervisor", "head")
    if user.is_superuser or has_role(user, *_DEPARTMENT_WIDE, Role.WAREHOUSE_KEEPER):
        return qs
    me = staff_of(user)
    if me is None or me.station_id is None:
        return qs.none()
    return qs.filter(pk=me.station_id)


def staff_visible_to(user) -> QuerySet[Staff]:
    """Department-wide roles see everyone; a station head his station; others themselves."""
    qs = Staff.objects.select_related("user", "station", "supervisor").prefetch_related("skills", "user__groups")
    if user.is_superuser or has_role(user, *_DEPARTMENT_WIDE, Role.WAREHOUSE_KEEPER):
        return qs
    me = staff_of(user)
    if me is None:
        return qs.none()
    if has_role(user, Role.STATION_HEAD) and me.station_id:
        return qs.filter(station_id=me.station_id)
    return qs.filter(pk=me.pk)


def product_lines() -> QuerySet[ProductLine]:
    return ProductLine.objects.filter(is_active=True)
