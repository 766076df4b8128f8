"""Benchmark figure of the monthly statistics (``manage.py bench --only reports.monthly_statistics``).

``reports.monthly_statistics`` — the department's statistics of last month
(:func:`reports.statistics.monthly_statistics`, every section including the 12-month trends) among
``--scale`` work orders (default 100,000; the issue's figure is ``--scale 1000000``) spread over the
24 months before today, with the closed months' trend figures stored (:mod:`reports.services.monthly_figures`,
as the nightly refresh leaves them; the time to store them is in the notes), against a floor of ONE raw SQL statement making one aggregate pass over the
month's rows of each table (tickets, arrival clocks, callbacks, completed and billed work orders,
part moves) with the same breakdowns (GROUPING SETS), rows fetched.

Seeding (generate_series, the audit triggers switched off for the seeding transaction only), per
work order: its service ticket (1 in 20 tickets is a complaint, 1 in 20 a consultation, which get
no order), an arrival clock, and for 3 in 10 orders an answered callback and for 1 in 5 a part
used from the station's stock. Everything is rolled back after the figure (``VACUUM ANALYZE``
between big runs, as for the tickets figures).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from servicedesk.core.bench import Skipped, Workload, figure

DEFAULT_ORDERS = 100_000
SPAN_DAYS = 730
STATIONS = 4
TECHS_PER_STATION = 5
CUSTOMERS = 400
PARTS = 40


def _timed(call) -> float:
    import time

    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def _need_postgres():
    if connection.vendor != "postgresql":
        raise Skipped("needs PostgreSQL (set DATABASE_URL)")


def _org():
    from django.contrib.auth import get_user_model

    from servicedesk.org.models import Department, ProductLine, Staff, Station
    from spares.models import Location, Part

    User = get_user_model()
    actor, _ = User.objects.get_or_create(username="bench-stats")
    dept, _ = Department.objects.get_or_create(code="BENCH", defaults={"name": "bench"})
    stations, techs, locations = [], [], []
    for i in range(STATIONS):
        station, _ = Station.objects.get_or_create(code=f"BST{i}", defaults={"name": f"基准站{i}", "department": dept, "province": "上海市"})
        stations.append(station)
        loc, _ = Location.objects.get_or_create(code=f"BST{i}-STOCK", defaults={"name": f"基准站{i}库", "kind": "station", "station": station})
        locations.append(loc)
        for j in range(TECHS_PER_STATION):
            user, _ = User.objects.get_or_create(username=f"bench-stats-t{i}-{j}")
            staff, _ = Staff.objects.get_or_create(user=user, defaults={"employee_no": f"BST{i}-{j}", "name": f"技师{i}-{j}", "station": station})
            techs.append(staff)
    lines = [ProductLine.objects.get_or_create(code=f"BPL{k}", defaults={"name": f"基准产品线{k}"})[0] for k in range(3)]
    parts = [Part.objects.get_or_create(number=f"BP-{k:03d}", defaults={"name": f"基准配件{k}", "price": 10 + k})[0] for k in range(PARTS)]
    return actor, stations, techs, locations, lines, parts


def seed(orders: int) -> None:
    """``orders`` work orders with their tickets, clocks, callbacks and part moves (see the module doc)."""
    actor, stations, techs, locations, lines, parts = _org()
    station_ids = [s.pk for s in stations]
    tech_ids = [t.pk for t in techs]
    loc_ids = [loc.pk for loc in locations]
    line_ids = [pl.pk for pl in lines]
    part_ids = [p.pk for p in parts]
    tickets = orders * 10 // 9  # 1 in 10 tickets is a complaint or a consultation
    step = SPAN_DAYS * 86400.0 / tickets
    with connection.cursor() as cur:
        cur.execute("SET LOCAL session_replication_role = replica")  # no audit or frozen-row triggers while seeding
        cur.execute(
            """
            INSERT INTO tickets_customer (name, kind, phone, address, building_room, zone, distance_km, station_id, is_key, notes, created_at)
            SELECT '基准客户' || g, 'enterprise', '021-6000' || lpad(g::text, 4, '0'), '上海市', '',
                   (ARRAY['urban','suburban','remote'])[1 + g %% 3], 5, (%s::bigint[])[1 + g %% %s], false, '', now()
            FROM generate_series(1, %s) g
            """,
            [station_ids, len(station_ids), CUSTOMERS],
        )
        cur.execute(
            """
            INSERT INTO tickets_unit (customer_id, product_line_id, model, serial_number, purchase_date, purchase_place,
                                      warranty_start, warranty_end)
            SELECT c.id, (%s::bigint[])[1 + c.id %% 3], 'M1', 'BSN-' || c.id, current_date - 900, '', current_date - 900, current_date - 500
            FROM tickets_customer c WHERE c.name LIKE '基准客户%%'
            """,
            [line_ids],
        )
        cur.execute(
            """
            CREATE TEMP TABLE bench_cust ON COMMIT DROP AS
            SELECT row_number() OVER (ORDER BY c.id) AS n, c.id, c.station_id, c.zone, u.id AS unit_id
            FROM tickets_customer c JOIN tickets_unit u ON u.customer_id = c.id WHERE c.name LIKE '基准客户%%'
            """,
            [],
        )
        cur.execute(
            """
            INSERT INTO tickets_ticket (number, channel, kind, service_type, status, status_before_hold, customer_id, unit_id,
                caller_name, caller_phone, address, description, fault_code, urgency, severity, zone, station_id,
                is_key_customer, needs_manufacturer, complaint_class, complaint_reason, warranty_decision,
                warranty_reason, registered_by_id, registered_at, resolution)
            SELECT 'BS-' || g,
                   (ARRAY['phone','visit','letter','online','phone','phone'])[1 + g %% 6],
                   CASE WHEN g %% 20 = 0 THEN 'complaint' WHEN g %% 20 = 10 THEN 'consultation' ELSE 'service' END,
                   CASE WHEN g %% 20 IN (0, 10) THEN '' ELSE 'repair' END, 'closed', '', c.id, c.unit_id,
                   '王先生', '13812345678', '上海市', '空调', '', 'normal', 'normal', c.zone, c.station_id, false, false,
                   CASE WHEN g %% 20 = 0 THEN (ARRAY['valid','invalid','major',''])[1 + (g / 20) %% 4] ELSE '' END,
                   '', '', '', %s, now() - (g * %s) * interval '1 second', ''
            FROM generate_series(1, %s) g JOIN bench_cust c ON c.n = 1 + g %% %s
            """,
            [actor.pk, step, tickets, CUSTOMERS],
        )
        cur.execute(
            """
            INSERT INTO tickets_workorder (number, ticket_id, customer_id, technician_id, status, status_before_hold, hold_reason,
                category, category_reason, dispatched_at, dispatched_by_id, dispatch_reasons, service_date, completed_at,
                signed_at, closed_at, fault_reported, diag_listen, diag_look, diag_check, running_time, cause, responsibility,
                resolution, notes, labour_minutes, labour_charge, total_charge, payment_method, customer_name, service_address,
                unit_label, is_carry_in, version, seal_seq, seal_digest, seal_previous, seal_chain, review_comment, cancel_reason)
            SELECT 'BWO-' || t.id, t.id, t.customer_id, (%s::bigint[])[1 + (t.id %% %s)], 'closed', '', '',
                   (ARRAY['A','B','C','A'])[1 + t.id %% 4], '', t.registered_at + interval '1 hour', %s, '[]',
                   (t.registered_at + interval '1 hour')::date, t.registered_at + interval '3 hours',
                   t.registered_at + interval '3 hours 10 minutes', t.registered_at + interval '1 day', '', '', '', '', '', '',
                   (ARRAY['product','installation','use','environment','other',''])[1 + t.id %% 6], '', '', 30, 0,
                   CASE WHEN t.id %% 4 IN (0, 3) THEN 100 + t.id %% 200 ELSE 0 END,
                   CASE WHEN t.id %% 4 IN (0, 3) THEN (ARRAY['cash','monthly','invoice'])[1 + t.id %% 3] ELSE '' END,
                   '', '', '', false, 1, 900000000 + t.id, '', '', '', '', ''
            FROM tickets_ticket t WHERE t.number LIKE 'BS-%%' AND t.kind = 'service'
            """,
            [tech_ids, len(tech_ids), actor.pk],
        )
        cur.execute(
            """
            INSERT INTO tickets_slaclock (ticket_id, target_code, kind, target, warn_ratio, started_at, running_since, elapsed,
                due_at, warn_at, stopped_at, breached_at, cancelled, next_fire_at)
            SELECT t.id, 'arrival', 'calendar', interval '6 hours', 0.8, t.registered_at, t.registered_at, interval '0',
                   t.registered_at + interval '6 hours', t.registered_at + interval '288 minutes',
                   t.registered_at + CASE WHEN t.id %% 12 = 0 THEN interval '8 hours' ELSE interval '2 hours' END,
                   CASE WHEN t.id %% 12 = 0 THEN t.registered_at + interval '6 hours' END, false, NULL
            FROM tickets_ticket t WHERE t.number LIKE 'BS-%%' AND t.kind = 'service'
            """,
            [],
        )
        cur.execute(
            """
            INSERT INTO visits_callback (kind, work_order_id, ticket_id, customer_id, technician_id, "offset", due_date, status,
                required_role, on_site_required, attempts, channel, answered_by, rating_attitude, rating_skill, rating_arrival,
                rating_promise, unit_working, deposit_refund, comments, done_at, created_at)
            SELECT 'repair', o.id, o.ticket_id, o.customer_id, o.technician_id, '7d', (o.closed_at + interval '7 days')::date,
                   'done', 'supervisor', false, 0, 'phone', '王主任', 1 + o.id %% 2, 1 + o.id %% 3, 1 + (o.id / 3) %% 2,
                   CASE WHEN o.id %% 50 = 0 THEN 4 ELSE 2 END, true, '',
                   CASE WHEN o.id %% 50 = 0 THEN '不满意' ELSE '' END, o.closed_at + interval '7 days', now()
            FROM tickets_workorder o WHERE o.number LIKE 'BWO-%%' AND o.id %% 10 < 3
            """,
            [],
        )
        cur.execute(
            """
            INSERT INTO spares_stockmove (kind, part_id, qty, from_location_id, reference, document_type, document_id, note,
                                          actor_id, posted_at)
            SELECT 'use', (%s::bigint[])[1 + o.id %% %s], 1 + o.id %% 2,
                   (%s::bigint[])[1 + (array_position(%s::bigint[], t.station_id) - 1)], o.number, 'work_order', o.id, '',
                   %s, o.completed_at
            FROM tickets_workorder o JOIN tickets_ticket t ON t.id = o.ticket_id
            WHERE o.number LIKE 'BWO-%%' AND o.id %% 5 = 0
            """,
            [part_ids, len(part_ids), loc_ids, station_ids, actor.pk],
        )
        cur.execute("SET LOCAL session_replication_role = origin")
        for table in ("tickets_ticket", "tickets_workorder", "tickets_slaclock", "visits_callback", "spares_stockmove", "tickets_customer"):
            cur.execute(f"ANALYZE {table}")


# One statement, one aggregate pass over the month's rows of each table, the same breakdowns.
FLOOR_SQL = """
WITH t AS (
    SELECT channel, kind, zone, u.product_line_id, complaint_class, station_id
    FROM tickets_ticket tk LEFT JOIN tickets_unit u ON u.id = tk.unit_id
    WHERE tk.registered_at >= %(start)s AND tk.registered_at < %(end)s
), k AS (
    SELECT c.target_code, tk.station_id,
           (c.stopped_at IS NOT NULL AND c.breached_at IS NULL AND NOT (c.due_at IS NOT NULL AND c.stopped_at > c.due_at)) AS met,
           (c.stopped_at IS NOT NULL AND (c.breached_at IS NOT NULL OR c.stopped_at > c.due_at))
             OR (c.stopped_at IS NULL AND (c.breached_at IS NOT NULL OR c.due_at <= %(now)s)) AS breached
    FROM tickets_slaclock c JOIN tickets_ticket tk ON tk.id = c.ticket_id
    WHERE tk.registered_at >= %(start)s AND tk.registered_at < %(end)s AND NOT c.cancelled
), cb AS (
    SELECT cb.technician_id, tk.station_id, cb.rating_attitude, cb.rating_skill, cb.rating_arrival, cb.rating_promise
    FROM visits_callback cb JOIN tickets_ticket tk ON tk.id = cb.ticket_id
    WHERE cb.status = 'done' AND cb.done_at >= %(start)s AND cb.done_at < %(end)s
), wo AS (
    SELECT o.technician_id, tk.station_id, o.responsibility, o.category, o.payment_method, o.total_charge,
           (o.completed_at >= %(start)s AND o.completed_at < %(end)s) AS completed,
           (o.signed_at >= %(start)s AND o.signed_at < %(end)s AND o.total_charge > 0 AND o.status IN ('signed', 'closed')) AS billed
    FROM tickets_workorder o JOIN tickets_ticket tk ON tk.id = o.ticket_id
    WHERE (o.completed_at >= %(start)s AND o.completed_at < %(end)s) OR (o.signed_at >= %(start)s AND o.signed_at < %(end)s)
), mv AS (
    SELECT m.part_id, m.qty * p.price AS value, m.qty
    FROM spares_stockmove m JOIN spares_part p ON p.id = m.part_id
    WHERE m.kind = 'use' AND m.posted_at >= %(start)s AND m.posted_at < %(end)s
)
SELECT 't', channel, kind, zone, product_line_id::text, count(*), NULL::numeric FROM t
    GROUP BY GROUPING SETS ((channel), (kind), (zone), (product_line_id), (complaint_class), (station_id))
UNION ALL
SELECT 'k', target_code, station_id::text, NULL, NULL, count(*) FILTER (WHERE met), count(*) FILTER (WHERE breached) FROM k
    GROUP BY GROUPING SETS ((target_code), (station_id))
UNION ALL
SELECT 'cb', technician_id::text, station_id::text, NULL, NULL, count(*),
       sum((rating_attitude <= 2)::int + (rating_skill <= 2)::int + (rating_arrival <= 2)::int + (rating_promise <= 2)::int)
    FROM cb GROUP BY GROUPING SETS ((technician_id), (station_id), (rating_attitude), (rating_skill), (rating_arrival), (rating_promise))
UNION ALL
SELECT 'wo', technician_id::text, station_id::text, category, payment_method, count(*) FILTER (WHERE completed),
       sum(total_charge) FILTER (WHERE billed)
    FROM wo GROUP BY GROUPING SETS ((technician_id), (station_id), (category), (payment_method), (responsibility))
UNION ALL
SELECT 'mv', part_id::text, NULL, NULL, NULL, count(*), sum(value) FROM mv GROUP BY part_id
"""


@figure("reports.monthly_statistics", unit="ms",
        description="the department's monthly statistics (all sections, 12-month trends) among --scale work orders over 24 months",
        atomic=True)
def monthly_statistics_figure(*, scale: int) -> Workload:
    from .selectors import local_bounds, month_end
    from .statistics import monthly_statistics, trend_months

    _need_postgres()
    orders = scale if scale and scale > 1 else DEFAULT_ORDERS
    seed(orders)
    today = timezone.localdate()
    month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    start, end = local_bounds(month, month_end(month))
    now = timezone.now()

    def ours():
        return monthly_statistics(month=month, now=now)

    def floor():
        with connection.cursor() as cur:
            cur.execute(FLOOR_SQL, {"start": start, "end": end, "now": now})
            return cur.fetchall()

    # The stored trend figures of the closed months, as the nightly beat entry (and the on-demand fill
    # of a month first shown) leave them: every closed month of the seeded span, timed for the notes.
    from .services.monthly_figures import refresh_monthly_figures

    seeded_months = []
    m = (today - timedelta(days=SPAN_DAYS + 31)).replace(day=1)
    while m < month:
        seeded_months.append(m)
        m = (m + timedelta(days=32)).replace(day=1)
    refresh = _timed(lambda: refresh_monthly_figures(months=seeded_months, now=now))
    nightly = _timed(lambda: refresh_monthly_figures(months=trend_months(month), now=now))
    with CaptureQueriesContext(connection) as captured:
        report = ours()
    queries = len(captured.captured_queries)
    with CaptureQueriesContext(connection) as captured:
        monthly_statistics(month=month - timedelta(days=200), now=now)
    assert len(captured.captured_queries) == queries, (queries, len(captured.captured_queries))
    # The month's sections alone (without the 12 months of trends), best of 5, for the notes.
    best = min(_timed(lambda: monthly_statistics(month=month, now=now, trends=False)) for _i in range(5))
    floor_best = min(_timed(floor) for _i in range(5))
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM tickets_workorder WHERE number LIKE 'BWO-%%'", [])
        seeded = cur.fetchone()[0]
    return Workload(
        ours=ours, floor=floor, ops=1,
        notes=(f"{seeded:,} work orders; month {month:%Y-%m}: {report['tickets']['total']:,} tickets, "
               f"{report['revenue']['orders']:,} billed orders, {report['satisfaction']['callbacks']:,} callbacks; "
               f"{queries} queries (same for another month); without the 12-month trends {best * 1000:.0f} ms "
               f"= {best / floor_best:.1f}× the floor; closed months' trend figures stored beforehand "
               f"({len(seeded_months)} months in {refresh:.1f} s; the nightly refresh of 12 months {nightly:.1f} s); "
               f"floor: 1 raw statement, one grouped pass per table over the month"),
    )
