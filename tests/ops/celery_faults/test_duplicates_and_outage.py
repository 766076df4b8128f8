"""(b) The same task message executed twice, and (d) workers down while 30 minutes of timers came due.

(b) Each periodic job's message is published twice with the same task id — what a redelivery or a
second beat produces — to a prefork worker with two processes, so both copies can run at the same
moment. Both runs succeed (the heartbeat counts 2); every effect exists once.

(d) No worker runs while clocks come due over 30 minutes (time arithmetic: deadlines spread over
the last 30 minutes instead of waiting), and beat keeps publishing a sweep a minute: 30 messages
pile up. A worker starts: everything due fires once, each after its moment; clocks not yet due do
not fire; the ones that come due 15 s later fire on the next sweep after that, not before.
"""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from servicedesk.clocks.models import ClockFiring
from servicedesk.clocks.services import new_clock
from servicedesk.org.models import Role, Staff
from tests.factories import CustomerFactory
from tests.fixtures.celery_worker import wait_until
from tests.tickets.helpers import at, register
from tickets.models import SLAClock

from . import data
from .harness import Worker, broker_is_empty, job_runs

pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# Production limits: these workers run the prefork pool, where the time limit is enforced.
PREFORK = {"CELERY_VISIBILITY_TIMEOUT": "3600", "CELERY_TASK_TIME_LIMIT": "900"}


def test_the_same_message_twice_has_its_effects_once(broker, log_dir, dispatcher, manager, station_a):
    # SLA sweep: 5 tickets with 12 clocks each (breach due, warning due, nothing due).
    tickets = [register(dispatcher.user, CustomerFactory(station=station_a), now=at(2026, 1, 5, 9, 0)) for _ in range(5)]
    now = timezone.now()
    data.sla_clocks(tickets, per_ticket=12, now=now)
    expected = data.expected_firings(now)
    # Reminders: 3 technicians × 10 customers.
    technicians = data.people("dtech", 3, station=station_a, role=Role.TECHNICIAN)
    visits = data.planned_visits(technicians, [CustomerFactory(station=station_a) for _ in range(10)], today=timezone.localdate(), creator=dispatcher.user)
    # Backup check: 20 people and their supervisor miss the National Day week.
    boss = data.people("dboss", 1, station=station_a, role=Role.SUPERVISOR)[0]
    data.people("dmiss", 20, station=station_a, supervisor=boss)

    jobs = [
        ("servicedesk.clocks.tasks.sweep_clocks_task", {}, "clock-sweep"),
        ("visits.tasks.run_daily_reminders_task", {}, "visits-daily-reminders"),
        ("appraisal.tasks.check_backups_task", {"now": data.local(2026, 10, 5, 10).isoformat()}, "appraisal-backup-check"),
    ]
    for task, kwargs, _job in jobs:
        task_id = str(uuid.uuid4())
        broker.app.send_task(task, kwargs=kwargs, task_id=task_id)
        broker.app.send_task(task, kwargs=kwargs, task_id=task_id)
    assert broker.redis.llen("default") == 6

    with Worker(broker.url, log_dir, pool="prefork", concurrency=2, env=PREFORK).start() as worker:
        for _task, _kwargs, job in jobs:
            wait_until(lambda job=job: job_runs(job) >= 2, timeout=180, message=f"both copies of {job}")
        wait_until(lambda: broker_is_empty(broker.redis), timeout=60, message="the broker to be empty")
        worker.stop()
        assert worker.log_text().count("succeeded in") >= 6

    assert {job: job_runs(job) for *_, job in jobs} == {job: 2 for *_, job in jobs}
    data.assert_sweep_exactly_once(expected, managers=1)
    data.assert_reminders_exactly_once(visits, {timezone.localdate()})
    # Everybody on the staff owes the backup: the 20, their supervisor, 3 technicians, dispatcher, manager.
    missing = list(Staff.objects.filter(user__is_active=True))
    assert len(missing) == 26
    data.assert_backup_check_exactly_once(missing, week=data.date(2026, 9, 28), days=5, points=5)


def test_workers_down_for_30_minutes_of_timers_then_all_fire_once_and_none_early(broker, log_dir, dispatcher, manager, station_a):
    now = timezone.now()
    tickets = [register(dispatcher.user, CustomerFactory(station=station_a), now=now - timedelta(minutes=31)) for _ in range(6)]
    # The tickets' own clocks (first reply, arrival: working time) are left to the sweep as they are.
    clocks = []
    for i in range(60):
        ticket = tickets[i % 6]
        # Breaches due 0–29.5 min ago, one every 30 s (target 10 min, started that much earlier).
        clocks.append(new_clock(SLAClock, target_code=f"gone-{i:02d}", kind="calendar", target=timedelta(minutes=10),
                                now=now - timedelta(minutes=10) - timedelta(seconds=30 * i), ticket=ticket))
        # Warnings due in the last 15 minutes, breaches still 15–30 min ahead: warning only.
        clocks.append(new_clock(SLAClock, target_code=f"warn-{i:02d}", kind="calendar", target=timedelta(minutes=150),
                                now=now - timedelta(minutes=120) - timedelta(seconds=15 * (i + 1)), ticket=ticket))
        # Nothing due for another 5–35 minutes.
        clocks.append(new_clock(SLAClock, target_code=f"later-{i:02d}", kind="calendar", target=timedelta(minutes=50),
                                now=now - timedelta(minutes=5) + timedelta(seconds=30 * i), ticket=ticket))
    # Five that come due 20 s from now: not fired by the catch-up, fired by the first sweep after.
    soon = [new_clock(SLAClock, target_code=f"soon-{i}", kind="calendar", target=timedelta(seconds=20 + i), now=now, warn_ratio=1.0, ticket=tickets[i])
            for i in range(5)]
    SLAClock.objects.bulk_create(clocks + soon)
    expected_now = data.expected_firings(now)
    assert sum(1 for _, kind in expected_now if kind == "breach") >= 60 and sum(1 for _, k in expected_now if k == "warning") >= 60

    # Beat ran on; the workers did not: one sweep message a minute for 30 minutes.
    for _ in range(30):
        broker.app.send_task("servicedesk.clocks.tasks.sweep_clocks_task")
    assert broker.redis.llen("default") == 30

    with Worker(broker.url, log_dir, pool="prefork", concurrency=2, env=PREFORK).start() as worker:
        wait_until(lambda: job_runs("clock-sweep") >= 30, timeout=240, message="the 30 piled-up sweeps")
        caught_up = timezone.now()
        soon_ids = [c.pk for c in soon]
        fired_soon = ClockFiring.objects.filter(clock_model="tickets.SLAClock", clock_id__in=soon_ids)
        if caught_up < min(c.due_at for c in soon):
            assert not fired_soon.exists(), "a clock fired before it was due"
        # The next sweeps (beat, once a minute) after they come due.
        time.sleep(max(0.0, (max(c.due_at for c in soon) - timezone.now()).total_seconds()) + 0.5)
        broker.app.send_task("servicedesk.clocks.tasks.sweep_clocks_task")
        broker.app.send_task("servicedesk.clocks.tasks.sweep_clocks_task")
        wait_until(lambda: job_runs("clock-sweep") >= 32, timeout=60, message="the sweeps after the short clocks came due")
        wait_until(lambda: broker_is_empty(broker.redis), timeout=30, message="the broker to be empty")
        worker.stop()

    end = timezone.now()
    expected = data.expected_firings(end)
    # Everything due by the end fired once — the 30-minute backlog and the 5 short clocks — none early
    # (checked against each clock's stored moment), and the "later" clocks not at all.
    figures = data.assert_sweep_exactly_once(expected, managers=1)
    assert {(c.pk, "breach") for c in soon} <= expected
    later = SLAClock.objects.filter(target_code__startswith="later-")
    assert not ClockFiring.objects.filter(clock_model="tickets.SLAClock", clock_id__in=later.values("pk")).exists()
    print(f"\noutage: {figures}, sweeps run {job_runs('clock-sweep')}")
