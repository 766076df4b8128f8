"""Who may read and write which stock — the one policy the API, the admin, exports and services use.

* Warehouse keepers (and administrators) keep every location's stock.
* A station head keeps his own station's accounts: its station stock, its old-parts store and the
  vans of its technicians; he reads the central warehouse (to request from it).
* A technician reads his van and his station's stock; he requests parts for his van and uses them
  on his work orders.
* Managers, the general manager, finance, dispatchers and supervisors read everything; managers
  (and a station head for his technicians' vans) approve requisitions and stock-takes.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from servicedesk.org.models import Role
from servicedesk.org.roles import has_role
from servicedesk.org.selectors import staff_of

from .exceptions import NotAllowed
from .models import Location

DEPARTMENT_READERS = (
    Role.MANAGER,
    Role.GENERAL_MANAGER,
    Role.ADMIN,
    Role.WAREHOUSE_KEEPER,
    Role.FINANCE,
    Role.DISPATCHER,
    Role.SUPERVISOR,
)
KEEPERS = (Role.WAREHOUSE_KEEPER, Role.ADMIN)
LEADERS = (Role.MANAGER, Role.GENERAL_MANAGER, Role.ADMIN)
REGISTRARS = (Role.DISPATCHER, Role.TECHNICIAN, Role.WAREHOUSE_KEEPER, Role.STATION_HEAD, *LEADERS)


def _is_keeper(user) -> bool:
    return user.is_superuser or has_role(user, *KEEPERS)


def _is_leader(user) -> bool:
    return user.is_superuser or has_role(user, *LEADERS)


def _my_station_id(user):
    me = staff_of(user)
    return me.station_id if me is not None else None


def _headed_station_id(user):
    """The station a station head runs (his home station), or None."""
    if not has_role(user, Role.STATION_HEAD):
        return None
    return _my_station_id(user)


def readable_location_filter(user) -> Q | None:
    """A Q over Location for what ``user`` may read; None means everything; Q(pk__in=[]) nothing."""
    if user.is_superuser or has_role(user, *DEPARTMENT_READERS):
        return None
    parts = Q(pk__in=[])
    station_id = _headed_station_id(user)
    if station_id is not None:
        parts |= Q(station_id=station_id) | Q(kind=Location.Kind.CENTRAL)
    if has_role(user, Role.TECHNICIAN):
        me = staff_of(user)
        if me is not None:
            parts |= Q(kind=Location.Kind.VAN, technician_id=me.pk)
            if me.station_id:
                parts |= Q(kind=Location.Kind.STATION, station_id=me.station_id)
    return parts


def readable_locations(user) -> QuerySet[Location]:
    qs = Location.objects.all()
    condition = readable_location_filter(user)
    return qs if condition is None else qs.filter(condition)


def writable_location_filter(user) -> Q | None:
    """Locations whose stock ``user`` keeps (receives into, issues from, counts)."""
    if _is_keeper(user):
        return None
    station_id = _headed_station_id(user)
    if station_id is not None:
        return Q(station_id=station_id)
    return Q(pk__in=[])


def writable_locations(user) -> QuerySet[Location]:
    qs = Location.objects.filter(is_active=True)
    condition = writable_location_filter(user)
    return qs if condition is None else qs.filter(condition)


def can_keep(user, location: Location) -> bool:
    if _is_keeper(user):
        return True
    station_id = _headed_station_id(user)
    return station_id is not None and location.station_id == station_id


def ensure_can_keep(user, *locations: Location, field: str = "location") -> None:
    for location in locations:
        if location is not None and not can_keep(user, location):
            raise NotAllowed(
                _("You do not keep the stock of %(location)s.") % {"location": location}, field=field
            )


def can_use_at(user, location: Location) -> bool:
    """Parts used on a work order: a technician from his own van; keepers from what they keep."""
    if can_keep(user, location):
        return True
    me = staff_of(user)
    return (
        has_role(user, Role.TECHNICIAN)
        and me is not None
        and location.kind == Location.Kind.VAN
        and location.technician_id == me.pk
    )


def can_request_for(user, location: Location) -> bool:
    """Whom a requisition may be for: a technician his van; a keeper what he keeps."""
    return can_use_at(user, location)


def can_approve_requisition(user, requisition) -> bool:
    """A leader: a manager, or the station head of the technician whose van receives the parts."""
    if _is_leader(user):
        return True
    station_id = _headed_station_id(user)
    to = requisition.to_location
    return station_id is not None and to.kind == Location.Kind.VAN and to.station_id == station_id


def can_issue_requisition(user, requisition) -> bool:
    return can_keep(user, requisition.from_location)


def can_cancel_requisition(user, requisition) -> bool:
    return requisition.requested_by_id == user.pk or can_approve_requisition(user, requisition) or can_keep(
        user, requisition.from_location
    )


def can_approve_stock_take(user, stock_take) -> bool:
    """Managers, or the head of the station whose stock was counted."""
    if _is_leader(user):
        return True
    station_id = _headed_station_id(user)
    return station_id is not None and stock_take.location.station_id == station_id


def can_register_out_of_stock(user) -> bool:
    return user.is_superuser or has_role(user, *REGISTRARS)


def can_reply_out_of_stock(user, registration) -> bool:
    if _is_keeper(user) or _is_leader(user):
        return True
    if registration.registered_by_id == user.pk:
        return True
    station_id = _headed_station_id(user)
    return station_id is not None and registration.station_id == station_id


def can_maintain_catalogue(user) -> bool:
    return _is_keeper(user)


def ensure(condition: bool, message, *, field: str | None = None) -> None:
    if not condition:
        raise NotAllowed(message, field=field)
