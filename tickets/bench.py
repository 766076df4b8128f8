"""Benchmark figures of the dispatcher's desk (``manage.py bench --only tickets``).

* ``tickets.register`` — registering a ticket with its clocks through the service, per second,
  against a floor of inserting the bare ticket row with the ORM.
* ``tickets.sweep_find_due`` — the sweep's search for due clocks among ``scale`` open clocks with
  1 % due, against the same search in raw SQL; the notes give the query plan (an index scan).
* ``tickets.sweep_fire`` — firing those due clocks (claim row, ticket log, notification queued)
  per second, against a floor of one raw UPDATE marking them breached.

Seeding uses ``generate_series`` in PostgreSQL (the audit triggers are switched off for the
seeding transaction only), so ``--scale 1000000`` takes well under a minute.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from servicedesk.clocks.services import fire_due_clocks
from servicedesk.core.bench import Skipped, Workload, figure
from servicedesk.org.models import Station
from tickets import services
from tickets.models import Customer, SLAClock, Ticket

DEFAULT_CLOCKS = 100_000


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


def _seed_clocks(total: int, due_share: float = 0.01) -> int:
    """``total`` open clocks on total/2 tickets; ``due_share`` of them already due. Returns the due count."""
    user, customer = _actor_and_customer()
    tickets = max(1, total // 2)
    due = int(total * due_share)
    with connection.cursor() as cur:
        cur.execute("SET LOCAL session_replication_role = replica")  # no audit triggers while seeding
        cur.execute(
            """
            INSERT INTO tickets_ticket (number, channel, kind, service_type, status, status_before_hold, customer_id,
                caller_name, caller_phone, address, description, fault_code, urgency, severity, zone, station_id,
                is_key_customer, needs_manufacturer, complaint_class, complaint_reason, warranty_decision,
                warranty_reason, registered_by_id, registered_at, resolution)
            SELECT 'BENCH-' || g, 'phone', 'service', 'repair', 'new', '', %s, '王先生', '13812345678', '上海市', '空调',
                   '', 'normal', 'normal', 'urban', %s, false, false, '', '', '', '', %s, now() - interval '1 hour', ''
            FROM generate_series(1, %s) g
            """,
            [customer.pk, customer.station_id, user.pk, tickets],
        )
        cur.execute(
            """
            INSERT INTO tickets_slaclock (ticket_id, target_code, kind, target, warn_ratio, started_at, running_since,
                elapsed, due_at, warn_at, cancelled, next_fire_at)
            SELECT t.id, c.code, 'calendar', interval '6 hours', 0.8, now() - interval '1 hour', now() - interval '1 hour',
                   interval '0', now() + interval '5 hours', now() + interval '4 hours', false,
                   now() + interval '4 hours'
            FROM tickets_ticket t CROSS JOIN (VALUES ('first_reply'), ('arrival')) AS c(code)
            WHERE t.number LIKE 'BENCH-%%'
            """
        )
        # The due share: deadlines already passed.
        cur.execute(
            """
            UPDATE tickets_slaclock SET due_at = now() - interval '1 minute', warn_at = now() - interval '10 minutes',
                   next_fire_at = now() - interval '10 minutes'
            WHERE id IN (SELECT id FROM tickets_slaclock ORDER BY id LIMIT %s)
            """,
            [due],
        )
        cur.execute("SET LOCAL session_replication_role = origin")
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


DEFAULT_TICKETS = 20_000

PAGE_SQL = """
SELECT t.id, t.number, t.channel, t.kind, t.service_type, t.status, t.caller_name, t.caller_phone, t.address,
       t.description, t.urgency, t.severity, t.zone, t.is_key_customer, t.registered_at,
       c.id, c.name, c.phone, s.id, s.name
FROM tickets_ticket t JOIN tickets_customer c ON c.id = t.customer_id JOIN org_station s ON s.id = t.station_id
ORDER BY t.registered_at DESC, t.id DESC LIMIT 25
"""
CLOCKS_SQL = "SELECT id, ticket_id, target_code, due_at, warn_at, stopped_at FROM tickets_slaclock WHERE ticket_id = ANY(%s)"


@figure("tickets.list_api", unit="ms", description="ticket list API, newest 25 of --scale tickets (2 clocks each), as a dispatcher")
def list_api_figure(*, scale: int) -> Workload:
    from django.contrib.auth.models import Group
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    _need_postgres()
    total = scale if scale > 1 else DEFAULT_TICKETS
    _seed_clocks(total * 2, due_share=0.0)
    user, _ = _actor_and_customer()
    user.groups.add(Group.objects.get(name="dispatcher"))
    from django.conf import settings

    host = next((h for h in settings.ALLOWED_HOSTS if h and not h.startswith(".") and h != "*"), "localhost")
    client = APIClient(HTTP_HOST=host, **{"wsgi.url_scheme": "https"})
    client.force_authenticate(user)

    def ours():
        response = client.get("/api/v1/tickets/?page_size=25")
        assert response.status_code == 200, response.content[:300]

    def floor():
        with connection.cursor() as cur:
            cur.execute(PAGE_SQL)
            ids = [row[0] for row in cur.fetchall()]
            cur.execute(CLOCKS_SQL, [ids])
            cur.fetchall()

    ours()
    with CaptureQueriesContext(conn) as queries:
        ours()
    return Workload(ours=ours, floor=floor, ops=1,
                    notes=f"{Ticket.objects.count():,} tickets; {len(queries)} queries per page; floor: the page and its clocks in 2 raw SQL queries")


# The technician's tablet pages (their own module; registered when this one is discovered).
from . import tablet_bench  # noqa: E402,F401
