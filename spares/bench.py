"""Benchmark figures of the stock ledger (``manage.py bench --only spares``).

1. ``spares.on_hand_page`` — the on-hand page of one location through the API (scoping, filter,
   pagination, serializer) vs the raw SQL floor (the same page and count), with its query count.
   ``--scale N`` seeds N × 100 parts × 60 locations (every part at every location) and N × 20,000
   moves; ``--scale 100`` is the issue's full size: 10,000 parts × 60 locations × 2,000,000 moves.
   Seeding uses PostgreSQL ``COPY`` with triggers and FK checks off for the load (the ledger it
   writes balances exactly: balances are the GROUP BY of the moves), inside the figure's transaction,
   which is rolled back afterwards. Run the full size with::

       DATABASE_URL=postgres://… python manage.py bench --only spares.on_hand_page --scale 100 --repeat 20

   On the 2-core development machine (shared with other test runs) the full-size seed takes about
   50 seconds (COPY of 2,000,000 moves and their indexes dominates), the whole command about a
   minute; measured there: 8.2 ms per page vs a 4.2 ms floor (2.0×), 3 queries per page at every scale.

2. ``spares.hot_issue`` — 8 worker threads, each with its own PostgreSQL connection, taking one
   unit at a time of one hot part from one location through :func:`spares.services.use_part` (the
   single conditional UPDATE the work-order app calls), vs the same 8 threads doing the bare SQL
   (conditional UPDATE + INSERT of the move, one transaction each). Every run ends with 8 attempts
   more than the stock, so "insufficient stock" is exercised; any other error is counted and shown.
   PostgreSQL only (SQLite has one writer); on SQLite it is skipped with the reason printed.
"""

from __future__ import annotations

import io
import random
import sys
import threading
import time
import uuid
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings

from servicedesk.core.bench import Workload, figure
from servicedesk.org.models import Role

from .exceptions import InsufficientStock
from .models import Location, Part, StockBalance, StockMove

LOCATIONS = 60
PARTS_PER_SCALE = 100
MOVES_PER_SCALE = 20_000
PAGE_SIZE = 25
WORKERS = 8
ISSUES_PER_WORKER = 60


def _bench_user(role: str):
    User = get_user_model()
    user = User.objects.create(username=f"bench-{uuid.uuid4().hex[:10]}", is_active=True)
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def _copy(table: str, columns: list[str], rows) -> None:
    """COPY rows (tuples) into ``table`` through the driver's COPY support."""
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if v is None else str(v) for v in row))
        buffer.write("\n")
    buffer.seek(0)
    raw = connection.cursor().cursor
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    if hasattr(raw, "copy_expert"):  # psycopg2
        raw.copy_expert(sql, buffer)
    else:  # psycopg 3
        with raw.copy(sql) as copy:
            copy.write(buffer.getvalue())


def _seed_ledger(*, scale: int, actor) -> tuple[list[Location], int]:
    """Parts, 60 locations, moves, and balances that are exactly the sum of those moves."""
    rng = random.Random(20261122)
    n_parts, n_moves = PARTS_PER_SCALE * scale, MOVES_PER_SCALE * scale
    postgres = connection.vendor == "postgresql"
    if postgres:
        # The load is trusted and balanced by construction: skip per-row FK checks and the audit
        # triggers while loading (superuser only; without it the load is merely slower). SET LOCAL
        # in a released savepoint lasts until the figure's transaction ends.
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        except DatabaseError:
            pass
    tag = uuid.uuid4().hex[:6]
    Part.objects.bulk_create(
        [Part(number=f"B{tag}-{i:05d}", name=f"压测备件 {i}", unit="个", price=Decimal("10.00")) for i in range(n_parts)],
        batch_size=5000,
    )
    part_ids = list(Part.objects.filter(number__startswith=f"B{tag}-").values_list("pk", flat=True))
    Location.objects.bulk_create(
        [Location(code=f"B{tag}-C", name="压测中心仓库", kind=Location.Kind.CENTRAL)]
        + [Location(code=f"B{tag}-L{i:02d}", name=f"压测库位 {i:02d}", kind=Location.Kind.CENTRAL)
           for i in range(1, LOCATIONS)]
    )
    locations = list(Location.objects.filter(code__startswith=f"B{tag}-").order_by("code"))
    loc_ids = [loc.pk for loc in locations]

    # Every part is received into every location once (so each location lists every part), the
    # rest are transfers between random locations of at most what the sender surely holds.
    def moves():
        receipts = 0
        for p in part_ids:
            for loc in loc_ids:
                receipts += 1
                yield ("receipt", p, 1000, None, loc, f"RC-B{tag}", "bench", "", actor.pk, "2026-01-01 08:00:00+08")
                if receipts >= n_moves:
                    return
        for _ in range(n_moves - receipts):
            a, b = rng.sample(loc_ids, 2)
            yield ("transfer", rng.choice(part_ids), 1, a, b, f"TR-B{tag}", "bench", "", actor.pk,
                   "2026-02-01 08:00:00+08")

    columns = ["kind", "part_id", "qty", "from_location_id", "to_location_id", "reference", "document_type",
               "note", "actor_id", "posted_at"]
    if postgres:
        _copy("spares_stockmove", columns, moves())
    else:
        from django.utils.dateparse import parse_datetime

        StockMove.objects.bulk_create(
            [StockMove(kind=k, part_id=p, qty=q, from_location_id=f, to_location_id=t, reference=r, document_type=d,
                       note=n, actor_id=a, posted_at=parse_datetime(ts.replace("+08", "+08:00")))
             for k, p, q, f, t, r, d, n, a, ts in moves()],
            batch_size=5000,
        )
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO spares_stockbalance (part_id, location_id, qty, low_stock_alerted)
            SELECT part_id, location_id, SUM(qty), FALSE FROM (
                SELECT part_id, to_location_id AS location_id, qty FROM spares_stockmove
                 WHERE reference IN (%s, %s) AND to_location_id IS NOT NULL
                UNION ALL
                SELECT part_id, from_location_id, -qty FROM spares_stockmove
                 WHERE reference IN (%s, %s) AND from_location_id IS NOT NULL
            ) m GROUP BY part_id, location_id
            """,
            [f"RC-B{tag}", f"TR-B{tag}", f"RC-B{tag}", f"TR-B{tag}"],
        )
        if postgres:
            cursor.execute("SET LOCAL session_replication_role = origin")
            cursor.execute("ANALYZE spares_stockmove, spares_stockbalance, spares_part, spares_location")
    return locations, n_moves


@figure(
    "spares.on_hand_page",
    unit="ms",
    description="on-hand page of one location (API: scope, filter, page, serialize) vs raw SQL page + count",
)
def on_hand_page(*, scale: int) -> Workload:
    from rest_framework.test import APIClient

    started = time.perf_counter()
    user = _bench_user(Role.MANAGER)
    locations, n_moves = _seed_ledger(scale=scale, actor=user)
    seeded = time.perf_counter() - started
    target = locations[len(locations) // 2]
    # The bench talks to the API in-process, as the test client: let its host and plain HTTP through
    # production settings for the duration of the figure.
    overrides = override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False)
    overrides.enable()
    client = APIClient()
    client.force_authenticate(user)
    url = f"/api/v1/spares/stock/?location={target.pk}&page_size={PAGE_SIZE}"

    def ours():
        response = client.get(url)
        assert response.status_code == 200 and len(response.data["results"]) == PAGE_SIZE, response.status_code
        return response.content

    page_sql = (
        "SELECT b.id, b.part_id, p.number, p.name, p.unit, b.location_id, b.qty, p.low_stock_threshold "
        "FROM spares_stockbalance b JOIN spares_part p ON p.id = b.part_id "
        "WHERE b.location_id = %s ORDER BY p.number LIMIT %s"
    )

    def floor():
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM spares_stockbalance WHERE location_id = %s", [target.pk])
            cursor.fetchone()
            cursor.execute(page_sql, [target.pk, PAGE_SIZE])
            return cursor.fetchall()

    ours()  # the first request loads the middleware stack; not part of the page's cost
    with CaptureQueriesContext(connection) as queries:
        ours()
    n_parts = PARTS_PER_SCALE * scale
    return Workload(
        ours=ours,
        floor=floor,
        ops=1,
        teardown=overrides.disable,
        notes=(
            f"{n_parts:,} parts × {len(locations)} locations, {n_moves:,} moves (seeded in {seeded:.1f} s); "
            f"page of {PAGE_SIZE}; {len(queries.captured_queries)} queries per page"
        ),
    )


@figure(
    "spares.hot_issue",
    unit="ops/s",
    description=f"{WORKERS} threads (own connections) issuing one unit each from one hot part and location",
    atomic=False,
)
def hot_issue(*, scale: int) -> Workload:
    if connection.vendor != "postgresql":
        reason = "spares.hot_issue skipped: it needs PostgreSQL (set DATABASE_URL); SQLite has a single writer."
        print(reason, file=sys.stderr)
        return Workload(ours=lambda: None, floor=lambda: None, ops=0, notes=reason)

    from .services import use_part

    per_worker = ISSUES_PER_WORKER * scale
    total = WORKERS * per_worker
    tag = uuid.uuid4().hex[:6]
    User = get_user_model()
    user = User.objects.create(username=f"bench-{tag}", is_superuser=True, is_active=True)
    ours_part = Part.objects.create(number=f"HOT{tag}-A", name="压测热点备件 A", unit="个")
    floor_part = Part.objects.create(number=f"HOT{tag}-F", name="压测热点备件 F", unit="个")
    location = Location.objects.create(code=f"HOT{tag}", name="压测热点库位", kind=Location.Kind.CENTRAL)
    balances = {
        p.pk: StockBalance.objects.create(part=p, location=location, qty=0) for p in (ours_part, floor_part)
    }
    errors = {"insufficient": 0, "other": 0, "examples": []}
    errors_lock = threading.Lock()

    def restock(part):
        # Each run starts with WORKERS fewer units than attempts: the last ones are refused.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT qty FROM spares_stockbalance WHERE id = %s FOR UPDATE", [balances[part.pk].pk])
            missing = Decimal(total - WORKERS) - cursor.fetchone()[0]
            if missing > 0:
                cursor.execute("UPDATE spares_stockbalance SET qty = qty + %s WHERE id = %s",
                               [missing, balances[part.pk].pk])
                cursor.execute(
                    "INSERT INTO spares_stockmove (kind, part_id, qty, to_location_id, reference, document_type, "
                    "note, actor_id, posted_at) VALUES ('receipt', %s, %s, %s, %s, 'bench', '', %s, now())",
                    [part.pk, missing, location.pk, f"RC-{tag}", user.pk],
                )

    def run_threads(body):
        barrier = threading.Barrier(WORKERS)

        def worker(n):
            try:
                connection.ensure_connection()
                barrier.wait()
                body(n)
            finally:
                connection.close()

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(WORKERS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    def ours_body(n):
        for i in range(per_worker):
            try:
                use_part(part=ours_part, location=location, qty=1, reference=f"WO-{tag}-{n}-{i}", actor=user)
            except InsufficientStock:
                with errors_lock:
                    errors["insufficient"] += 1
            except Exception as exc:  # counted and shown: the figure says there were none
                with errors_lock:
                    errors["other"] += 1
                    errors["examples"].append(repr(exc)[:200])

    def floor_body(n):
        with connection.cursor() as cursor:
            for i in range(per_worker):
                with transaction.atomic():
                    cursor.execute(
                        "UPDATE spares_stockbalance SET qty = qty - 1 WHERE id = %s AND qty >= 1 RETURNING qty",
                        [balances[floor_part.pk].pk],
                    )
                    if cursor.fetchone() is None:
                        continue
                    cursor.execute(
                        "INSERT INTO spares_stockmove (kind, part_id, qty, from_location_id, reference, "
                        "document_type, note, actor_id, posted_at) VALUES ('use', %s, 1, %s, %s, 'bench', '', %s, now())",
                        [floor_part.pk, location.pk, f"WO-F{tag}-{n}-{i}", user.pk],
                    )

    workload = Workload(ours=lambda: None, floor=lambda: None, ops=total)

    def ours():
        restock(ours_part)
        run_threads(ours_body)
        workload.notes = (
            f"{WORKERS} threads × {per_worker} issues; errors: insufficient stock {errors['insufficient']}, "
            f"other {errors['other']}" + (f" ({errors['examples'][0]})" if errors["examples"] else "")
        )

    def floor():
        restock(floor_part)
        run_threads(floor_body)

    def teardown():
        import pgtrigger

        # Bench rows only: the append-only and no-delete guards are lifted for this cleanup alone.
        with pgtrigger.ignore(), transaction.atomic():
            StockMove.objects.filter(part__in=[ours_part, floor_part]).delete()
            StockBalance.objects.filter(location=location).delete()
            Part.objects.filter(pk__in=[ours_part.pk, floor_part.pk]).delete()
            location.delete()
            user.delete()

    workload.ours, workload.floor, workload.teardown = ours, floor, teardown
    workload.notes = f"{WORKERS} threads × {per_worker} issues"
    return workload
