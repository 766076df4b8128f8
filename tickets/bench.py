"""Benchmark figures of the dispatcher's desk (``manage.py bench --only tickets``).

* ``tickets.register`` — registering a ticket with its clocks through the service, per second,
  against a floor of inserting the bare ticket row with the ORM.
* ``tickets.sweep_find_due`` — the sweep's search for due clocks among ``--scale`` open clocks
  (default 1,000,000) with 1 % due, against the same search in raw SQL; the notes give the query
  plan (an index scan).
* ``tickets.sweep_fire`` — firing those due clocks (claim row, ticket log, notification queued)
  per second, against a floor of one raw UPDATE marking them breached.
* ``tickets.list_api`` / ``tickets.admin_changelist`` — the ticket list page of the API (25 rows)
  and of the admin (50 rows) as a dispatcher, among ``--scale`` tickets (default 200,000, each
  with two clocks and a log row), against a floor of one raw SQL query fetching the same page
  with the clock its countdown shows, rows turned into dicts. Both assert their query count
  (constant in the page size; no full COUNT on the changelist) and print it.
* ``tickets.search_api`` — the same API list searched for one ticket's number among those
  tickets (the rare-term case: the search walked every ticket before migration ``tickets/0008``),
  against the same page in one raw query whose WHERE uses the trigram index.

Seeding uses ``generate_series`` in PostgreSQL (the audit triggers are switched off for the
seeding transaction only): 200,000 tickets take a few seconds, 1,000,000 clocks well under a
minute. Every figure rolls its rows back, which leaves dead rows behind: ``VACUUM ANALYZE`` the
tickets tables now and then between runs, or the planner's estimates slow both sides.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from servicedesk.clocks.services import fire_due_clocks
from servicedesk.core.bench import Skipped, Workload, figure
from servicedesk.org.models import Station
from tickets import services
from tickets.models import Customer, SLAClock, Ticket
from tickets.selectors import NEAREST_CLOCK_ORDER

DEFAULT_CLOCKS = 1_000_000


def _need_postgres():
    if connection.vendor != "postgresql":
        raise Skipped("needs PostgreSQL (set DATABASE_URL)")


def _actor_and_customer():
    from django.contrib.auth import get_user_model

    from servicedesk.org.models import Department

    user, _ = get_user_model().objects.get_or_create(username="bench-dispatcher")
    dept, _ = Department.objects.get_or_create(code="BENCH", defaults={"name": "bench"})
    station, _ = Station.objects.get_or_create(code="BENCH", defaults={"name": "bench", "department": dept, "province": "上海市"})
    customer, _ = Customer.objects.get_or_create(
        name="基准客户", defaults={"kind": "enterprise", "phone": "021-60000000", "address": "上海市", "zone": "urban", "station": station}
    )
    return user, customer


@figure("tickets.register", unit="ops/s", description="register a service request with its SLA clocks (one process)")
def register_figure(*, scale: int) -> Workload:
    user, customer = _actor_and_customer()
    n = 200

    def ours():
        for _ in range(n):
            services.register_ticket(
                actor=user, customer=customer, channel="phone", kind="service", service_type="repair",
                caller_name="王先生", caller_phone="13812345678", description="空调不制冷",
            )

    runs = iter(range(10**6))

    def floor():
        now = timezone.now()
        run = next(runs)
        for i in range(n):
            Ticket.objects.create(
                number=f"B{run}-{i}", channel="phone", kind="service", service_type="repair", customer=customer,
                caller_name="王先生", caller_phone="13812345678", address="上海市", description="空调不制冷",
                zone="urban", station_id=customer.station_id, registered_by=user, registered_at=now,
            )

    return Workload(ours=ours, floor=floor, ops=n, notes="floor: one ORM INSERT of the ticket row; ours adds number, warranty, log and clocks")


def _seed_tickets(total: int, *, met_every: int = 0) -> None:
    """``total`` tickets, one a second back from now, each with a log row and two open clocks
    (first reply and arrival, due in 5 hours); with ``met_every`` = n, every n-th ticket's first
    reply is already met, so a list shows more than one clock state."""
    user, customer = _actor_and_customer()
    with connection.cursor() as cur:
        cur.execute("SET LOCAL session_replication_role = replica")  # no audit triggers while seeding
        cur.execute(
            """
            INSERT INTO tickets_ticket (number, channel, kind, service_type, status, status_before_hold, customer_id,
                caller_name, caller_phone, address, description, fault_code, urgency, severity, zone, station_id,
                is_key_customer, needs_manufacturer, complaint_class, complaint_reason, warranty_decision,
                warranty_reason, registered_by_id, registered_at, resolution)
            SELECT 'BENCH-' || g, 'phone', 'service', 'repair', 'new', '', %s, '王先生', '13812345678', '上海市', '空调',
                   '', 'normal', 'normal', 'urban', %s, false, false, '', '', '', '', %s,
                   now() - interval '1 hour' - g * interval '1 second', ''
            FROM generate_series(1, %s) g
            """,
            [customer.pk, customer.station_id, user.pk, total],
        )
        cur.execute(
            """
            INSERT INTO tickets_ticketlog (ticket_id, kind, at, by_id, text)
            SELECT t.id, 'registered', t.registered_at, t.registered_by_id, ''
            FROM tickets_ticket t WHERE t.number LIKE 'BENCH-%%'
            """
        )
        cur.execute(
            """
            INSERT INTO tickets_slaclock (ticket_id, target_code, kind, target, warn_ratio, started_at, running_since,
                elapsed, due_at, warn_at, stopped_at, cancelled, next_fire_at)
            SELECT t.id, c.code, 'calendar', interval '6 hours', 0.8, now() - interval '1 hour',
                   CASE WHEN met THEN NULL ELSE now() - interval '1 hour' END, interval '0',
                   now() + interval '5 hours', now() + interval '4 hours',
                   CASE WHEN met THEN now() - interval '30 minutes' END, false,
                   CASE WHEN met THEN NULL ELSE now() + interval '4 hours' END
            FROM tickets_ticket t CROSS JOIN (VALUES ('first_reply'), ('arrival')) AS c(code)
                 CROSS JOIN LATERAL (SELECT c.code = 'first_reply' AND %s > 0 AND t.id %% %s = 0) AS m(met)
            WHERE t.number LIKE 'BENCH-%%'
            """,
            [met_every, max(met_every, 1)],
        )
        cur.execute("SET LOCAL session_replication_role = origin")
        cur.execute("ANALYZE tickets_ticket")
        cur.execute("ANALYZE tickets_ticketlog")
        cur.execute("ANALYZE tickets_slaclock")


def _seed_clocks(total: int, due_share: float = 0.01) -> int:
    """``total`` clocks on total/2 tickets; ``due_share`` of them already due. Returns the due count."""
    _seed_tickets(max(1, total // 2))
    due = int(total * due_share)
    with connection.cursor() as cur:
        # The due share: deadlines already passed.
        cur.execute(
            """
            UPDATE tickets_slaclock SET due_at = now() - interval '1 minute', warn_at = now() - interval '10 minutes',
                   next_fire_at = now() - interval '10 minutes'
            WHERE id IN (SELECT id FROM tickets_slaclock ORDER BY id LIMIT %s)
            """,
            [due],
        )
        cur.execute("ANALYZE tickets_slaclock")
    return due


FIND_SQL = "SELECT id FROM tickets_slaclock WHERE next_fire_at <= %s ORDER BY next_fire_at LIMIT 500 FOR UPDATE SKIP LOCKED"


@figure("tickets.sweep_find_due", unit="ms", description="find due clocks among --scale open clocks (1 % due), per batch of 500")
def sweep_find_figure(*, scale: int) -> Workload:
    _need_postgres()
    total = scale if scale > 1 else DEFAULT_CLOCKS
    _seed_clocks(total)
    now = timezone.now()

    def ours():
        list(SLAClock.objects.select_for_update(skip_locked=True).filter(next_fire_at__lte=now).order_by("next_fire_at")[:500])

    def floor():
        with connection.cursor() as cur:
            cur.execute(FIND_SQL, [now])
            cur.fetchall()

    with connection.cursor() as cur:
        cur.execute("EXPLAIN " + FIND_SQL, [now])
        plan = " / ".join(row[0].strip() for row in cur.fetchall() if "Scan" in row[0])
    return Workload(ours=ours, floor=floor, ops=1, notes=f"{total:,} clocks; plan: {plan}")


@figure("tickets.sweep_fire", unit="ops/s", description="fire due clocks (1 % of --scale): claim, log, queue notifications")
def sweep_fire_figure(*, scale: int) -> Workload:
    _need_postgres()
    total = scale if scale > 1 else DEFAULT_CLOCKS
    due = _seed_clocks(total)
    now = timezone.now() + timedelta(seconds=1)

    def ours():
        with transaction.atomic():
            fired = fire_due_clocks(now=now)
            assert fired["breach"] == due, fired
            transaction.set_rollback(True)  # the next run fires the same clocks again

    def floor():
        with transaction.atomic():
            with connection.cursor() as cur:
                cur.execute(
                    "UPDATE tickets_slaclock SET breached_at = %s, next_fire_at = NULL WHERE next_fire_at <= %s", [now, now]
                )
            transaction.set_rollback(True)

    return Workload(ours=ours, floor=floor, ops=due, notes=f"{due:,} due of {total:,}; floor: one raw UPDATE of the due rows")


DEFAULT_TICKETS = 200_000

# The floor of a list page: the same page (its columns, and the columns of the clock its countdown
# shows, picked by the same rule) in ONE raw query, rows turned into dicts.
_NEAREST_CLOCK = f"""
LEFT JOIN LATERAL (
    SELECT k.id, k.target_code, k.kind, k.target, k.elapsed, k.running_since, k.due_at, k.warn_at, k.stopped_at,
           k.breached_at, k.cancelled
    FROM tickets_slaclock k WHERE k.ticket_id = t.id ORDER BY {NEAREST_CLOCK_ORDER} LIMIT 1
) k ON true
"""
_CLOCK_COLUMNS = ["clock_id", "target_code", "clock_kind", "target", "elapsed", "running_since", "due_at", "warn_at",
                  "stopped_at", "breached_at", "cancelled"]
API_PAGE_SQL = f"""
SELECT t.id, t.number, t.channel, t.kind, t.service_type, t.status, t.customer_id, c.name, t.unit_id, u.serial_number,
       t.caller_name, t.caller_phone, t.zone, t.station_id, s.name, t.is_key_customer, t.urgency, t.severity,
       t.registered_at, t.appointment_at, t.complaint_class, t.warranty_decision, k.*
FROM tickets_ticket t JOIN tickets_customer c ON c.id = t.customer_id JOIN org_station s ON s.id = t.station_id
     LEFT JOIN tickets_unit u ON u.id = t.unit_id {_NEAREST_CLOCK}
ORDER BY t.registered_at DESC, t.id DESC LIMIT %s
"""
API_COLUMNS = [
    "id", "number", "channel", "kind", "service_type", "status", "customer", "customer_name", "unit", "unit_serial",
    "caller_name", "caller_phone", "zone", "station", "station_name", "is_key_customer", "urgency", "severity",
    "registered_at", "appointment_at", "complaint_class", "warranty_decision", *_CLOCK_COLUMNS,
]
_head, _order = API_PAGE_SQL.rsplit("ORDER BY", 1)
SEARCH_PAGE_SQL = f"{_head}WHERE UPPER(t.number::text) LIKE UPPER(%s)\nORDER BY{_order}"
ADMIN_PAGE_SQL = f"""
SELECT t.id, t.number, t.customer_id, c.name, t.kind, t.status, t.zone, t.is_key_customer, t.registered_at, k.*
FROM tickets_ticket t JOIN tickets_customer c ON c.id = t.customer_id {_NEAREST_CLOCK}
ORDER BY t.registered_at DESC, t.id DESC LIMIT %s
"""
ADMIN_COLUMNS = ["id", "number", "customer", "customer_name", "kind", "status", "zone", "is_key_customer", "registered_at",
                 *_CLOCK_COLUMNS]


def _raw_page(sql: str, columns: list[str], rows: int) -> Callable[[], list[dict]]:
    def floor():
        with connection.cursor() as cur:
            cur.execute(sql, [rows])
            return [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]

    return floor


def _dispatcher():
    from django.contrib.auth.models import Group

    user, _ = _actor_and_customer()
    user.groups.add(Group.objects.get(name="dispatcher"))
    if not user.is_staff:  # dispatchers work in the admin (servicedesk/org/roles.py)
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return user


def _host() -> str:
    from django.conf import settings

    return next((h for h in settings.ALLOWED_HOSTS if h and not h.startswith(".") and h != "*"), "localhost")


def _queries(call) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        call()
    return [q["sql"] for q in captured.captured_queries]


def full_table_counts(queries: list[str]) -> list[str]:
    """Queries counting tickets without a bound: COUNT over tickets_ticket with no LIMIT inside."""
    return [q for q in queries if "COUNT(" in q.upper() and "tickets_ticket" in q and "LIMIT" not in q.upper()]


def _seeded_api_client(scale: int):
    """``scale`` tickets (default 200,000) seeded, and an API client signed in as a dispatcher."""
    from rest_framework.test import APIClient

    _need_postgres()
    total = scale if scale > 1 else DEFAULT_TICKETS
    _seed_tickets(total, met_every=3)
    client = APIClient(HTTP_HOST=_host(), **{"wsgi.url_scheme": "https"})
    client.force_authenticate(_dispatcher())
    return total, client


@figure("tickets.list_api", unit="ms", description="ticket list API, newest 25 of --scale tickets (2 clocks, 1 log row each), as a dispatcher")
def list_api_figure(*, scale: int) -> Workload:
    total, client = _seeded_api_client(scale)

    def get(page_size: int):
        response = client.get(f"/api/v1/tickets/?page_size={page_size}")
        assert response.status_code == 200, response.content[:300]
        assert len(response.json()["results"]) == min(page_size, total)

    get(25)
    counts = {size: len(_queries(lambda size=size: get(size))) for size in (25, 200)}
    assert len(set(counts.values())) == 1 and counts[25] <= 6, counts
    return Workload(
        ours=lambda: get(25), floor=_raw_page(API_PAGE_SQL, API_COLUMNS, 26), ops=1,
        notes=f"{total:,} tickets; {counts[25]} queries per page of 25 or 200; "
        "floor: the page with its nearest clock in 1 raw query, rows to dicts",
    )


@figure("tickets.search_api", unit="ms",
        description="ticket list API searched for one ticket's number among --scale tickets, as a dispatcher")
def search_api_figure(*, scale: int) -> Workload:
    total, client = _seeded_api_client(scale)
    number = f"BENCH-{total // 2 + 7}"  # an old ticket: the newest-first walk would read half the table
    expected = Ticket.objects.filter(number__icontains=number).count()

    def get():
        response = client.get("/api/v1/tickets/", {"search": number})
        assert response.status_code == 200, response.content[:300]
        assert len(response.json()["results"]) == expected

    def floor():
        with connection.cursor() as cur:
            cur.execute(SEARCH_PAGE_SQL, [f"%{number}%", 26])
            return [dict(zip(API_COLUMNS, row, strict=True)) for row in cur.fetchall()]

    get()
    queries = _queries(get)
    return Workload(
        ours=get, floor=floor, ops=1,
        notes=f"{total:,} tickets, {expected} found; {len(queries)} queries (the term's customers and units "
        "looked up first); floor: the page in 1 raw query using the number's trigram index",
    )


@figure("tickets.admin_changelist", unit="ms",
        description="admin ticket changelist, newest 50 of --scale tickets (2 clocks, 1 log row each), as a dispatcher")
def admin_changelist_figure(*, scale: int) -> Workload:
    from django.contrib import admin
    from django.test import Client
    from django.urls import reverse

    _need_postgres()
    total = scale if scale > 1 else DEFAULT_TICKETS
    _seed_tickets(total, met_every=3)
    client = Client(HTTP_HOST=_host())
    client.force_login(_dispatcher())
    url = reverse("admin:tickets_ticket_changelist")
    ticket_admin = admin.site._registry[Ticket]
    per_page = ticket_admin.list_per_page

    def get():
        response = client.get(url, secure=True)
        assert response.status_code == 200, response.content[:300]

    get()
    queries = {}
    try:
        for size in (per_page, 200):
            ticket_admin.list_per_page = size
            queries[size] = _queries(get)
    finally:
        ticket_admin.list_per_page = per_page
    counts = {size: len(q) for size, q in queries.items()}
    assert len(set(counts.values())) == 1 and counts[per_page] <= 10, counts
    counted = full_table_counts(queries[per_page])
    assert not counted, counted
    return Workload(
        ours=get, floor=_raw_page(ADMIN_PAGE_SQL, ADMIN_COLUMNS, per_page), ops=1,
        notes=f"{total:,} tickets; {counts[per_page]} queries per page of {per_page} or 200, no full COUNT; "
        "floor: the page with its nearest clock in 1 raw query, rows to dicts",
    )


# The technician's tablet pages (their own module; registered when this one is discovered).
from . import tablet_bench  # noqa: E402,F401
