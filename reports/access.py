"""Who may read the statistics and the dashboard, and for which stations — one place for pages, API and exports.

Managers, general managers, supervisors and administrators read the whole department (and any
station); a station head reads only the stations he heads (his own by default); anyone else gets a
403. A station outside what the user may read is a 404, so its existence is not confirmed.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from servicedesk.org.models import Role, Station
from servicedesk.org.roles import has_role

from .homes.selectors import stations_headed_by

DEPARTMENT_WIDE = (Role.MANAGER, Role.GENERAL_MANAGER, Role.SUPERVISOR, Role.ADMIN)


def department_wide(user) -> bool:
    return user.is_authenticated and (user.is_superuser or has_role(user, *DEPARTMENT_WIDE))


def statistics_stations(user) -> QuerySet[Station]:
    """The stations the user may choose on the statistics pages."""
    if department_wide(user):
        return Station.objects.order_by("code")
    if user.is_authenticated and has_role(user, Role.STATION_HEAD):
        return stations_headed_by(user)
    return Station.objects.none()


def statistics_station(user, raw) -> Station | None:
    """The station asked for (``raw`` = its id or empty), or None for the whole department.

    Raises PermissionDenied for a user who may read no statistics, Http404 for a station he may not read.
    """
    wide = department_wide(user)
    if not wide and not (user.is_authenticated and has_role(user, Role.STATION_HEAD)):
        raise PermissionDenied(_("The statistics are for managers, supervisors and station heads."))
    allowed = statistics_stations(user)
    if raw in (None, ""):
        if wide:
            return None
        station = allowed.first()
        if station is None:
            raise PermissionDenied(_("You head no service station."))
        return station
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        raise Http404(_("No such service station.")) from None
    station = allowed.filter(pk=pk).first()
    if station is None:
        raise Http404(_("No such service station."))
    return station
