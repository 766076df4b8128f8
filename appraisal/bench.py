"""Benchmark figure of the monthly scorecards (``manage.py bench --only appraisal``).

* ``appraisal.scorecards`` — every figure of every scorecard of a month (and its score) for 200
  technicians, among ``--scale`` work orders (default 100,000; the issue's size is
  ``--scale 1000000``) with an arrival clock each, half as many callbacks, visits, valid complaints,
  backup deductions and feedback scores, spread over ten months — against a floor of ONE raw SQL
  statement computing the same aggregates over the same rows (CTEs grouped by technician). Asserts
  the number of queries is constant (the same for 20 and 200 technicians) and prints it.

Seeding uses ``generate_series`` with the audit triggers switched off for the seeding transaction
only (``session_replication_role = replica``); the harness rolls everything back.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from servicedesk.core.bench import Skipped, Workload, figure

from . import scoring
from .scorecard_models import ScorecardConfig
from .scorecard_selectors import month_bounds, month_figures, next_month, previous_month

DEFAULT_ORDERS = 100_000
TECHNICIANS = 200
MONTHS = 10


def _seed(orders: int, month) -> list[int]:
    from django.contrib.auth.models import Group

    from tickets.bench import _actor_and_customer

    user, customer = _actor_and_customer()
    group, _ = Group.objects.get_or_create(name="technician")
    start, end = month_bounds(month)
    first = month_bounds(previous_month(month))[0] - timedelta(days=31 * (MONTHS - 2))
    span = end - first
    with connection.cursor() as cur:
        cur.execute("SET LOCAL session_replication_role = replica")  # no audit triggers while seeding
        cur.execute(
            """
            INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined)
            SELECT '!', false, 'bench-tech-' || g, '', '', '', false, true, now() FROM generate_series(1, %s) g
            """, [TECHNICIANS])
        cur.execute(
            """
            INSERT INTO auth_user_groups (user_id, group_id)
            SELECT id, %s FROM auth_user WHERE username LIKE 'bench-tech-%%'
            """, [group.pk])
        cur.execute(
            """
            INSERT INTO org_staff (user_id, employee_no, name, phone, station_id, zone, status)
            SELECT id, 'BT' || id, username, '', %s, 'urban', 'working' FROM auth_user WHERE username LIKE 'bench-tech-%%'
            RETURNING id
            """, [customer.station_id])
        techs = sorted(r[0] for r in cur.fetchall())
        cur.execute("CREATE TEMP TABLE bench_tech ON COMMIT DROP AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id "
                    "FROM org_staff WHERE id = ANY(%s)", [techs])
        # Tickets, one a slot across ten months, and their work orders (90 % closed, every 50th a rework).
        cur.execute(
            """
            INSERT INTO tickets_ticket (number, channel, kind, service_type, status, status_before_hold, customer_id,
                caller_name, caller_phone, address, description, fault_code, urgency, severity, zone, station_id,
                is_key_customer, needs_manufacturer, complaint_class, complaint_reason, warranty_decision,
                warranty_reason, registered_by_id, registered_at, resolution)
            SELECT 'BS-' || g, 'phone', 'service', 'repair', 'closed', '', %s, '王先生', '13812345678', '上海市', '空调',
                   '', 'normal', 'normal', 'urban', %s, false, false, '', '', '', '', %s,
                   %s + (g::bigint * %s / %s) * interval '1 second', ''
            FROM generate_series(1, %s) g
            """, [customer.pk, customer.station_id, user.pk, first, int(span.total_seconds()), orders, orders])
        cur.execute(
            """
            INSERT INTO tickets_workorder (number, status, category, category_reason, dispatched_at, dispatch_reasons,
                service_date, customer_id, dispatched_by_id, technician_id, ticket_id, cancel_reason, cause, customer_name,
                diag_check, diag_listen, diag_look, fault_reported, hold_reason, is_carry_in, labour_charge, labour_minutes,
                notes, payment_method, resolution, responsibility, review_comment, running_time, seal_chain, seal_digest,
                seal_previous, service_address, status_before_hold, total_charge, unit_label, version,
                arrived_at, completed_at, signed_at, closed_at)
            SELECT 'BW-' || t.id, CASE WHEN t.id %% 10 = 0 THEN 'completed' ELSE 'closed' END, 'A', '',
                   t.registered_at + interval '10 minutes', '[]', t.registered_at::date, t.customer_id, t.registered_by_id,
                   bt.id, t.id, '', '', '', '', '', '', '', '', false, 0, 60, '', '', '', '', '', '', '', '', '', '', '', 0,
                   '', 1,
                   t.registered_at + (t.id %% 7) * interval '1 hour',
                   t.registered_at + (t.id %% 7) * interval '1 hour' + (30 + t.id %% 150) * interval '1 minute',
                   NULL,
                   CASE WHEN t.id %% 10 = 0 THEN NULL
                        ELSE t.registered_at + (t.id %% 7) * interval '1 hour' + interval '1 day' END
            FROM tickets_ticket t JOIN bench_tech bt ON bt.k = t.id %% %s
            WHERE t.number LIKE 'BS-%%'
            """, [TECHNICIANS])
        cur.execute("UPDATE tickets_workorder SET rework_of_id = id - 1 WHERE number LIKE 'BW-%%' AND id %% 50 = 0", [])
        cur.execute(
            """
            INSERT INTO tickets_slaclock (ticket_id, target_code, kind, target, warn_ratio, started_at, running_since,
                elapsed, due_at, warn_at, stopped_at, breached_at, cancelled, next_fire_at)
            SELECT w.ticket_id, 'arrival', 'working', interval '6 hours', 0.8, w.dispatched_at, NULL, interval '0',
                   w.dispatched_at + interval '5 hours', w.dispatched_at + interval '4 hours', w.arrived_at,
                   CASE WHEN w.arrived_at > w.dispatched_at + interval '5 hours' THEN w.dispatched_at + interval '5 hours' END,
                   false, NULL
            FROM tickets_workorder w WHERE w.number LIKE 'BW-%%'
            """, [])
        cur.execute(
            """
            INSERT INTO visits_callback (kind, "offset", due_date, status, required_role, on_site_required, attempts, channel,
                answered_by, deposit_refund, comments, created_at, customer_id, ticket_id, work_order_id, technician_id,
                rating_attitude, rating_skill, rating_arrival, rating_promise, unit_working, done_at)
            SELECT 'repair', '1w', (w.closed_at + interval '7 days')::date, 'done', 'supervisor', false, 0, 'phone', '', '', '',
                   w.closed_at, w.customer_id, w.ticket_id, w.id, w.technician_id,
                   1 + w.id %% 2, 1 + w.id %% 3, 1 + w.id %% 2, 1 + (w.id / 7) %% 3, true, w.closed_at + interval '7 days'
            FROM tickets_workorder w WHERE w.number LIKE 'BW-%%' AND w.closed_at IS NOT NULL AND w.id %% 9 < 5
            """, [])
        cur.execute(
            """
            INSERT INTO tickets_ticket (number, channel, kind, service_type, status, status_before_hold, customer_id,
                caller_name, caller_phone, address, description, fault_code, urgency, severity, zone, station_id,
                is_key_customer, needs_manufacturer, complaint_class, complaint_reason, warranty_decision,
                warranty_reason, registered_by_id, registered_at, resolution, parent_id)
            SELECT 'BC-' || t.id, 'phone', 'complaint', '', 'closed', '', t.customer_id, '王先生', '13812345678', '上海市', '投诉',
                   '', 'normal', 'normal', 'urban', t.station_id, false, false,
                   CASE WHEN t.id %% 3 = 0 THEN 'invalid' ELSE 'valid' END, '', '', '', t.registered_by_id,
                   t.registered_at + interval '2 days', '', t.id
            FROM tickets_ticket t WHERE t.number LIKE 'BS-%%' AND t.id %% 100 = 0
            """, [])
        cur.execute(
            """
            INSERT INTO visits_visit (status, purpose, visit_date, problems_resolved, report, cancel_reason, created_at,
                created_by_id, customer_id, technician_id)
            SELECT 'done', 'routine', %s::date + d, d %% 4, '例行拜访', '', now(), %s, %s, bt.id
            FROM bench_tech bt CROSS JOIN generate_series(0, 299) d
            """, [first.date(), user.pk, customer.pk])
        cur.execute(
            """
            INSERT INTO appraisal_backupdeduction (staff_id, week_start, kind, day_no, occurred_on, points, note, created_at)
            SELECT bt.id, %s::date - 7 * w, 'overdue_day', 1, %s::date - 7 * w + 4, 5, '', now()
            FROM bench_tech bt CROSS JOIN generate_series(0, 5) w
            """, [next_month(month) - timedelta(days=7), next_month(month) - timedelta(days=7)])
        cur.execute(
            """
            INSERT INTO appraisal_feedbackscore (work_order_id, technician_id, day, status, due_at, escalation_level,
                completed_confirmed, score, max_score, comment, scored_by_id, scored_at, created_at)
            SELECT w.id, w.technician_id, (w.completed_at AT TIME ZONE 'Asia/Shanghai')::date, 'scored', w.completed_at, 0,
                   true, 1 + w.id %% 10, 10, '', %s, w.completed_at + interval '1 day', w.completed_at
            FROM tickets_workorder w WHERE w.number LIKE 'BW-%%' AND w.id %% 3 = 0
            """, [user.pk])
        cur.execute("SET LOCAL session_replication_role = origin")
        for table in ("tickets_ticket", "tickets_workorder", "tickets_slaclock", "visits_callback", "visits_visit",
                      "appraisal_backupdeduction", "appraisal_feedbackscore", "org_staff"):
            cur.execute(f"ANALYZE {table}")
    return techs


FLOOR_SQL = """
WITH wo AS (
    SELECT w.technician_id AS id,
           count(*) FILTER (WHERE w.status = 'closed' AND w.closed_at >= %(s)s AND w.closed_at < %(e)s
                              AND w.supersedes_id IS NULL AND w.rework_of_id IS NULL AND w.category <> 'D') AS closed,
           count(*) FILTER (WHERE w.arrived_at >= %(s)s AND w.arrived_at < %(e)s AND w.supersedes_id IS NULL
                              AND w.rework_of_id IS NULL AND k.id IS NOT NULL) AS arrivals,
           count(*) FILTER (WHERE w.arrived_at >= %(s)s AND w.arrived_at < %(e)s AND w.supersedes_id IS NULL
                              AND w.rework_of_id IS NULL AND k.id IS NOT NULL AND k.stopped_at IS NOT NULL
                              AND k.due_at IS NOT NULL AND k.stopped_at <= k.due_at AND k.breached_at IS NULL) AS on_time,
           count(*) FILTER (WHERE w.completed_at >= %(s)s AND w.completed_at < %(e)s AND w.arrived_at IS NOT NULL
                              AND w.supersedes_id IS NULL AND NOT w.is_carry_in) AS on_site,
           avg(w.completed_at - w.arrived_at) FILTER (WHERE w.completed_at >= %(s)s AND w.completed_at < %(e)s
                              AND w.arrived_at IS NOT NULL AND w.supersedes_id IS NULL AND NOT w.is_carry_in) AS on_site_avg,
           count(*) FILTER (WHERE w.completed_at >= %(s)s AND w.completed_at < %(e)s AND w.arrived_at IS NOT NULL
                              AND w.supersedes_id IS NULL AND NOT w.is_carry_in
                              AND w.completed_at - w.arrived_at > interval '120 minutes') AS over
    FROM tickets_workorder w
    LEFT JOIN tickets_slaclock k ON k.ticket_id = w.ticket_id AND k.target_code = 'arrival' AND NOT k.cancelled
    WHERE w.technician_id = ANY(%(ids)s)
      AND ((w.status = 'closed' AND w.closed_at >= %(s)s AND w.closed_at < %(e)s AND w.supersedes_id IS NULL
            AND w.rework_of_id IS NULL AND w.category <> 'D')
           OR (w.arrived_at >= %(s)s AND w.arrived_at < %(e)s) OR (w.completed_at >= %(s)s AND w.completed_at < %(e)s))
    GROUP BY 1),
rw AS (SELECT o.technician_id AS id, count(*) AS n FROM tickets_workorder r JOIN tickets_workorder o ON o.id = r.rework_of_id
       WHERE r.supersedes_id IS NULL AND r.status <> 'cancelled' AND r.dispatched_at >= %(s)s AND r.dispatched_at < %(e)s
         AND o.technician_id = ANY(%(ids)s) GROUP BY 1),
vi AS (SELECT technician_id AS id, count(*) AS n, sum(problems_resolved) AS p FROM visits_visit
       WHERE status = 'done' AND visit_date >= %(sd)s AND visit_date < %(ed)s AND technician_id = ANY(%(ids)s) GROUP BY 1),
cb AS (SELECT technician_id AS id, count(*) AS n,
              count(*) FILTER (WHERE rating_attitude <= 2 AND rating_skill <= 2 AND rating_arrival <= 2 AND rating_promise <= 2) AS ok,
              avg(rating_attitude) AS a, avg(rating_skill) AS sk, avg(rating_arrival) AS ar, avg(rating_promise) AS pr
       FROM visits_callback WHERE status = 'done' AND done_at >= %(s)s AND done_at < %(e)s AND technician_id = ANY(%(ids)s)
       GROUP BY 1),
co AS (SELECT w.technician_id AS id, count(DISTINCT t.id) AS n FROM tickets_ticket t
       JOIN tickets_workorder w ON w.ticket_id = t.parent_id AND w.supersedes_id IS NULL AND w.status <> 'cancelled'
       WHERE t.kind = 'complaint' AND t.complaint_class IN ('valid', 'major') AND t.registered_at >= %(s)s
         AND t.registered_at < %(e)s AND w.technician_id = ANY(%(ids)s) GROUP BY 1),
de AS (SELECT staff_id AS id, sum(points) AS p FROM appraisal_backupdeduction
       WHERE occurred_on >= %(sd)s AND occurred_on < %(ed)s AND staff_id = ANY(%(ids)s) GROUP BY 1),
fb AS (SELECT technician_id AS id, count(*) AS n, avg(score) AS a FROM appraisal_feedbackscore
       WHERE status = 'scored' AND day >= %(sd)s AND day < %(ed)s AND technician_id = ANY(%(ids)s) GROUP BY 1)
SELECT s.id, wo.closed, wo.arrivals, wo.on_time, wo.on_site, wo.on_site_avg, wo.over, rw.n, vi.n, vi.p, cb.n, cb.ok, cb.a,
       cb.sk, cb.ar, cb.pr, co.n, de.p, fb.n, fb.a
FROM unnest(%(ids)s) AS s(id)
LEFT JOIN wo ON wo.id = s.id LEFT JOIN rw ON rw.id = s.id LEFT JOIN vi ON vi.id = s.id LEFT JOIN cb ON cb.id = s.id
LEFT JOIN co ON co.id = s.id LEFT JOIN de ON de.id = s.id LEFT JOIN fb ON fb.id = s.id
"""


@figure("appraisal.scorecards", unit="ms",
        description="all scorecards of a month (figures + score) for 200 technicians among --scale work orders")
def scorecards_figure(*, scale: int) -> Workload:
    if connection.vendor != "postgresql":
        raise Skipped("needs PostgreSQL (set DATABASE_URL)")
    orders = scale if scale > 1 else DEFAULT_ORDERS
    month = previous_month(timezone.localdate().replace(day=1))
    techs = _seed(orders, month)
    config = ScorecardConfig.objects.get_or_create(role="technician")[0]
    snapshot = scoring.config_snapshot(config)
    start, end = month_bounds(month)
    params = {"s": start, "e": end, "sd": month, "ed": next_month(month), "ids": techs}

    def ours():
        figures = month_figures(month, techs, on_site_limit_minutes=config.on_site_limit_minutes)
        return [scoring.score(f, snapshot) for f in figures.values()]

    def floor():
        with connection.cursor() as cur:
            cur.execute(FLOOR_SQL, params)
            return cur.fetchall()

    counts = {}
    for n in (20, TECHNICIANS):
        with CaptureQueriesContext(connection) as captured:
            month_figures(month, techs[:n], on_site_limit_minutes=120)
        counts[n] = len(captured.captured_queries)
    assert len(set(counts.values())) == 1, counts
    # Same numbers both ways (a few technicians checked in full).
    with connection.cursor() as cur:
        cur.execute(FLOOR_SQL, params)
        raw = {row[0]: row for row in cur.fetchall()}
    mine = month_figures(month, techs, on_site_limit_minutes=120)
    for pk in techs[:5]:
        row, f = raw[pk], mine[pk]
        assert (row[1] or 0, row[2] or 0, row[3] or 0, row[10] or 0, row[11] or 0, row[16] or 0, row[17] or 0) == (
            f["orders_closed"], f["arrivals"], f["arrivals_on_time"], f["callbacks"], f["callbacks_satisfied"],
            f["complaints"], f["backup_points"]), (row, f)
    in_month = sum(f["orders_closed"] for f in mine.values())
    return Workload(
        ours=ours, floor=floor, ops=1,
        notes=f"{orders:,} work orders, {TECHNICIANS} technicians, {in_month:,} closed in {month:%Y-%m}; "
        f"{counts[TECHNICIANS]} queries (same for 20 or 200 people); floor: one raw SQL statement, same aggregates",
    )
