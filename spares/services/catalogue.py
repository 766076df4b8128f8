"""Writes of the catalogue and the stock locations."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from servicedesk.core.exceptions import DomainError

from .. import access
from ..models import Location, Part

PART_FIELDS = ("number", "name", "spec", "unit", "price", "low_stock_threshold", "is_active", "note")
LOCATION_FIELDS = ("code", "name", "kind", "station", "technician", "is_active")


def _check_part_values(values: dict) -> None:
    for field in ("price", "low_stock_threshold"):
        if field in values and values[field] is not None and Decimal(values[field]) < 0:
            raise DomainError(_("Must not be negative."), field=field)
    if "number" in values and not str(values["number"]).strip():
        raise DomainError(_("Enter the part number."), field="number")
    if "name" in values and not str(values["name"]).strip():
        raise DomainError(_("Enter the part name."), field="name")


@transaction.atomic
def create_part(*, actor, product_lines=None, **values) -> Part:
    """New catalogue entry (keepers only)."""
    access.ensure(access.can_maintain_catalogue(actor), _("Only warehouse keepers maintain the parts catalogue."))
    unknown = set(values) - set(PART_FIELDS)
    if unknown:
        raise TypeError(f"unknown part fields: {sorted(unknown)}")
    _check_part_values(values)
    if Part.objects.filter(number=values["number"]).exists():
        raise DomainError(_("A part with this number already exists."), field="number")
    try:
        with transaction.atomic():
            part = Part.objects.create(**values)
    except IntegrityError:
        raise DomainError(_("A part with this number already exists."), field="number") from None
    if product_lines is not None:
        part.product_lines.set(product_lines)
    return part


@transaction.atomic
def update_part(*, part: Part, actor, product_lines=None, **values) -> Part:
    """Change catalogue data; quantities never change here (they are the ledger's)."""
    access.ensure(access.can_maintain_catalogue(actor), _("Only warehouse keepers maintain the parts catalogue."))
    unknown = set(values) - set(PART_FIELDS)
    if unknown:
        raise TypeError(f"unknown part fields: {sorted(unknown)}")
    _check_part_values(values)
    part = Part.objects.select_for_update().get(pk=part.pk)
    if "number" in values and values["number"] != part.number and Part.objects.filter(number=values["number"]).exists():
        raise DomainError(_("A part with this number already exists."), field="number")
    for field, value in values.items():
        setattr(part, field, value)
    part.save()
    if product_lines is not None:
        part.product_lines.set(product_lines)
    return part


def _check_location(values: dict) -> None:
    kind = values.get("kind")
    station = values.get("station")
    technician = values.get("technician")
    if kind == Location.Kind.CENTRAL and (station or technician):
        raise DomainError(_("The central warehouse belongs to no station and no technician."), field="station")
    if kind == Location.Kind.STATION and (station is None or technician is not None):
        raise DomainError(_("Choose the station whose stock this is."), field="station")
    if kind == Location.Kind.VAN:
        if technician is None:
            raise DomainError(_("Choose the technician whose van this is."), field="technician")
        if station is None:
            values["station"] = technician.station
            if technician.station is None:
                raise DomainError(_("The technician has no home station."), field="technician")
    if kind == Location.Kind.OLD_PARTS and technician is not None:
        raise DomainError(_("An old-parts store belongs to no technician."), field="technician")


@transaction.atomic
def create_location(*, actor, **values) -> Location:
    """A new stock location (keepers only); at most one station stock, old-parts store and van each."""
    access.ensure(access.can_maintain_catalogue(actor), _("Only warehouse keepers create stock locations."))
    unknown = set(values) - set(LOCATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown location fields: {sorted(unknown)}")
    _check_location(values)
    if Location.objects.filter(code=values.get("code")).exists():
        raise DomainError(_("A location with this code already exists."), field="code")
    try:
        with transaction.atomic():
            return Location.objects.create(**values)
    except IntegrityError:
        raise DomainError(
            _("This station or technician already has a location of this kind."), field="kind"
        ) from None


@transaction.atomic
def update_location(*, location: Location, actor, name: str | None = None, is_active: bool | None = None) -> Location:
    """Rename or (de)activate a location; its kind and owner never change once stock may be in it."""
    access.ensure(access.can_maintain_catalogue(actor), _("Only warehouse keepers change stock locations."))
    location = Location.objects.select_for_update().get(pk=location.pk)
    if name is not None:
        if not name.strip():
            raise DomainError(_("Enter a name."), field="name")
        location.name = name
    if is_active is not None:
        location.is_active = is_active
    location.save()
    return location


def ensure_station_locations(station) -> tuple[Location, Location]:
    """The station's stock account and old-parts store, created if missing (idempotent)."""
    stock, _c = Location.objects.get_or_create(
        kind=Location.Kind.STATION,
        station=station,
        defaults={"code": f"{station.code}-STOCK", "name": _("%(station)s stock") % {"station": station.name}},
    )
    old, _c = Location.objects.get_or_create(
        kind=Location.Kind.OLD_PARTS,
        station=station,
        defaults={"code": f"{station.code}-OLD", "name": _("%(station)s old parts") % {"station": station.name}},
    )
    return stock, old


def ensure_van(technician) -> Location:
    """The technician's van location, created if missing (idempotent)."""
    van, _c = Location.objects.get_or_create(
        kind=Location.Kind.VAN,
        technician=technician,
        defaults={
            "code": f"VAN-{technician.employee_no}",
            "name": _("Van of %(name)s") % {"name": technician.name},
            "station": technician.station,
        },
    )
    return van
