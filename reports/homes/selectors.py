"""Reads behind the role home pages: each returns everything its page shows in a fixed number of queries.

Scoping is done here, once per page: a technician gets only the customers he owns, a station head
his station, a supervisor his station (or the department when he has none).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest

from servicedesk.notifications.models import Notification
from servicedesk.org.models import Role, Staff, Station, Zone
from servicedesk.org.selectors import staff_of
from tickets.models import Contact, Contract, Customer, Unit
# SPEC §2: the renewal notice period, configured once (settings.RENEWAL_NOTICE_MONTHS).
from visits.policy import RENEWAL_NOTICE_DAYS

_ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=12, decimal_places=2))


def _in_warranty_on(today: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}warranty_start__lte": today, f"{prefix}warranty_end__gte": today})


def _active_on(today: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}start_date__lte": today, f"{prefix}end_date__gte": today})


def expiring_window(today: date) -> tuple[date, date]:
    return today, today + timedelta(days=RENEWAL_NOTICE_DAYS)


def technicians() -> QuerySet[Staff]:
    """Staff whose user holds the technician role."""
    return Staff.objects.filter(user__groups__name=Role.TECHNICIAN).distinct()


# --- Technician (tablet) --------------------------------------------------------------------------


def technician_card(staff: Staff) -> Staff:
    """The technician's own staff record with station and skills loaded."""
    return Staff.objects.select_related("station", "user").prefetch_related("skills").get(pk=staff.pk)


def customers_of_technician(staff: Staff, *, today: date) -> QuerySet[Customer]:
    """The customers this technician owns — and only those — key customers first, with units and active contracts."""
    units = Unit.objects.select_related("product_line").annotate(
        covered_today=ExpressionWrapper(_in_warranty_on(today), output_field=BooleanField())
    ).order_by("warranty_end", "serial_number")
    _, renewal_from = expiring_window(today)
    active_contracts = (
        Contract.objects.filter(_active_on(today))
        .annotate(renewal_due=ExpressionWrapper(Q(end_date__lte=renewal_from), output_field=BooleanField()))
        .order_by("end_date", "number")
    )
    return (
        Customer.objects.filter(owner=staff)
        .select_related("station")
        .prefetch_related(
            Prefetch("units", queryset=units),
            Prefetch("contracts", queryset=active_contracts, to_attr="active_contracts"),
            Prefetch("contacts", queryset=Contact.objects.order_by("-is_primary", "name")),
        )
        .order_by("-is_key", "name", "pk")
    )


def latest_notifications(user, *, limit: int = 5) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")[:limit])


# --- Supervisor ---------------------------------------------------------------------------------


@dataclass
class SupervisorHome:
    station: Station | None
    technicians: list[Staff]
    unowned_customers: QuerySet[Customer]


def supervisor_home(user) -> SupervisorHome:
    """Technicians of the supervisor's station (or every station) with what they own, and customers nobody owns."""
    me = staff_of(user)
    station = me.station if me is not None and me.station_id else None
    techs = (
        technicians()
        .select_related("station")
        .annotate(
            customer_count=Count("owned_customers", distinct=True),
            unit_count=Count("owned_customers__units", distinct=True),
            key_customer_count=Count("owned_customers", filter=Q(owned_customers__is_key=True), distinct=True),
        )
        .order_by("station__code", "name", "pk")
    )
    # A customer whose technician has left is as unattended as one that never had one.
    unowned = (
        Customer.objects.filter(Q(owner__isnull=True) | Q(owner__status=Staff.Status.LEFT))
        .select_related("station", "owner")
        .annotate(unit_count=Count("units", distinct=True))
        .order_by("-is_key", "station__code", "name", "pk")
    )
    if station is not None:
        techs = techs.filter(station=station)
        unowned = unowned.filter(station=station)
    return SupervisorHome(station=station, technicians=list(techs), unowned_customers=unowned)


# --- Station head -------------------------------------------------------------------------------


def stations_headed_by(user) -> QuerySet[Station]:
    """The stations this user heads: those naming him as head, and his own home station."""
    me = staff_of(user)
    condition = Q(head=user)
    if me is not None and me.station_id:
        condition |= Q(pk=me.station_id)
    return Station.objects.filter(condition).order_by("code")


@dataclass
class StationHome:
    stations: list[Station]
    staff_by_status: list[tuple[str, str, list[Staff]]]
    zone_kind_rows: list[tuple[str, list[int], int]]
    kind_labels: list[str]
    kind_totals: list[int]
    customer_total: int
    expiring_contracts: QuerySet[Contract]
    window_end: date


def station_home(user, *, today: date) -> StationHome:
    stations = list(stations_headed_by(user))
    station_ids = [s.pk for s in stations]

    staff = list(
        Staff.objects.filter(station_id__in=station_ids)
        .select_related("station", "user")
        .prefetch_related("user__groups")
        .order_by("name", "pk")
    )
    by_status: list[tuple[str, str, list[Staff]]] = []
    for value, label in Staff.Status.choices:
        members = [s for s in staff if s.status == value]
        by_status.append((value, label, members))

    counts = {
        (row["zone"], row["kind"]): row["n"]
        for row in Customer.objects.filter(station_id__in=station_ids).values("zone", "kind").annotate(n=Count("pk"))
    }
    kinds = Customer.Kind.choices
    zone_rows = []
    for zone_value, zone_label in Zone.choices:
        cells = [counts.get((zone_value, kind_value), 0) for kind_value, _ in kinds]
        zone_rows.append((zone_label, cells, sum(cells)))
    kind_totals = [sum(row[1][i] for row in zone_rows) for i in range(len(kinds))]

    start, end = expiring_window(today)
    expiring = (
        Contract.objects.filter(customer__station_id__in=station_ids, end_date__gte=start, end_date__lte=end)
        .select_related("customer", "customer__owner", "customer__station")
        .annotate(unit_count=Count("units", distinct=True))
        .order_by("end_date", "number")
    )
    return StationHome(
        stations=stations,
        staff_by_status=by_status,
        zone_kind_rows=zone_rows,
        kind_labels=[label for _, label in kinds],
        kind_totals=kind_totals,
        customer_total=sum(kind_totals),
        expiring_contracts=expiring,
        window_end=end,
    )


# --- Manager ------------------------------------------------------------------------------------


@dataclass
class StationOverview:
    station: Station
    staff_counts: dict[str, int] = field(default_factory=dict)
    staff_total: int = 0
    customers: int = 0
    key_customers: int = 0
    units: int = 0
    units_in_warranty: int = 0
    active_contracts: int = 0
    annual_fee: Decimal = Decimal("0.00")

    @property
    def staff_by_status(self) -> list[int]:
        return [self.staff_counts.get(value, 0) for value, _ in Staff.Status.choices]


@dataclass
class ManagerHome:
    rows: list[StationOverview]
    totals: StationOverview
    status_labels: list[str]
    expiring_contracts: QuerySet[Contract]
    window_end: date


def manager_home(*, today: date) -> ManagerHome:
    """Per-station figures for the whole department, each figure one grouped query (not one per station)."""
    stations = list(Station.objects.filter(is_active=True).select_related("department").order_by("code"))
    rows = {s.pk: StationOverview(station=s) for s in stations}

    for row in Staff.objects.filter(station__in=stations).values("station_id", "status").annotate(n=Count("pk")):
        overview = rows[row["station_id"]]
        overview.staff_counts[row["status"]] = row["n"]
        overview.staff_total += row["n"]

    for row in (
        Customer.objects.filter(station__in=stations)
        .values("station_id")
        .annotate(n=Count("pk"), key=Count("pk", filter=Q(is_key=True)))
    ):
        rows[row["station_id"]].customers = row["n"]
        rows[row["station_id"]].key_customers = row["key"]

    for row in (
        Unit.objects.filter(customer__station__in=stations)
        .values("customer__station_id")
        .annotate(n=Count("pk"), covered=Count("pk", filter=_in_warranty_on(today)))
    ):
        rows[row["customer__station_id"]].units = row["n"]
        rows[row["customer__station_id"]].units_in_warranty = row["covered"]

    for row in (
        Contract.objects.filter(_active_on(today), customer__station__in=stations)
        .values("customer__station_id")
        .annotate(n=Count("pk"), fee=Sum("annual_fee"))
    ):
        rows[row["customer__station_id"]].active_contracts = row["n"]
        rows[row["customer__station_id"]].annual_fee = row["fee"] or Decimal("0.00")

    totals = StationOverview(station=None)  # type: ignore[arg-type]
    for overview in rows.values():
        for value, n in overview.staff_counts.items():
            totals.staff_counts[value] = totals.staff_counts.get(value, 0) + n
        totals.staff_total += overview.staff_total
        totals.customers += overview.customers
        totals.key_customers += overview.key_customers
        totals.units += overview.units
        totals.units_in_warranty += overview.units_in_warranty
        totals.active_contracts += overview.active_contracts
        totals.annual_fee += overview.annual_fee

    start, end = expiring_window(today)
    expiring = (
        Contract.objects.filter(end_date__gte=start, end_date__lte=end)
        .select_related("customer", "customer__station", "customer__owner")
        .order_by("end_date", "number")
    )
    return ManagerHome(
        rows=[rows[s.pk] for s in stations],
        totals=totals,
        status_labels=[label for _, label in Staff.Status.choices],
        expiring_contracts=expiring,
        window_end=end,
    )


# --- Finance ------------------------------------------------------------------------------------


def contract_fees(*, fee_status: str = "", station: Station | None = None) -> QuerySet[Contract]:
    """Contracts with their fee figures; ``outstanding`` is what is still to be collected (never negative)."""
    qs = Contract.objects.select_related("customer", "customer__station").annotate(
        outstanding=Greatest(F("annual_fee") - F("fee_paid"), _ZERO)
    )
    if fee_status:
        qs = qs.filter(fee_status=fee_status)
    if station is not None:
        qs = qs.filter(customer__station=station)
    return qs.order_by("customer__station__code", "customer__name", "number", "pk")


def contract_fee_totals(contracts: QuerySet[Contract]) -> dict[str, Decimal | int]:
    totals = contracts.order_by().aggregate(
        count=Count("pk"),
        annual_fee=Coalesce(Sum("annual_fee"), _ZERO),
        fee_paid=Coalesce(Sum("fee_paid"), _ZERO),
        outstanding_total=Coalesce(Sum("outstanding"), _ZERO),
    )
    return totals
