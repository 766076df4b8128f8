"""(a) A worker SIGKILLed in the middle of a periodic job, 20 times; then a fresh worker finishes.

One message is published, as beat would. Each round waits until the job has *committed* part of its
work (polling the database: a new batch of firings, reminders, entries or notifications appears),
then sends SIGKILL. Odd rounds kill at once (right after a commit, while its after-commit work
runs), even rounds up to 150 ms later (inside the next batch). Of the 20 kills per job:

* 14 kill the pool process running the task (as the OOM killer would). The worker sees the process
  lost and, with ``task_reject_on_worker_lost``, puts the unacknowledged message back at once; a
  new pool process carries on.
* 6 kill the whole worker, every process of it (a crashed host or container). The message stays in
  Redis's unacked set and is handed out again after the visibility timeout, to the next worker
  started (3 s here, see harness.py; 3600 s in production).

After the 20th kill a fresh worker finishes the job; then every warning, breach, reminder,
deduction and notification exists exactly once, the broker is empty, and the job's heartbeat
counts one successful run.
"""

from __future__ import annotations

import os
import signal
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from appraisal.models import BackupCheckEntry, BackupDeduction
from servicedesk.clocks.models import ClockFiring
from servicedesk.notifications.models import Notification
from servicedesk.org.models import Role, Staff
from tests.factories import CustomerFactory
from tests.fixtures.celery_worker import _log_tail, wait_until
from tests.tickets.helpers import at, register
from visits.models import Reminder

from . import data
from .harness import VISIBILITY_TIMEOUT_S, Worker, broker_is_empty, job_runs, poll

pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

KILLS = 20
# People without a backup in the Monday check: enough work that the 20th kill still lands mid-job on
# a quiet machine (150 ran out at kill 12 on an idle CI run).
MISSING = 600
CHILD_KILLS = 14  # of the 20: the pool process; the other 6 kill the whole worker
# Production limits for the prefork pool (it enforces the time limit); a lost pool process is
# declared lost after 1 s instead of 10 (we keep no results to wait for).
PREFORK = {"CELERY_VISIBILITY_TIMEOUT": "3600", "CELERY_TASK_TIME_LIMIT": "900", "CELERY_WORKER_LOST_WAIT": "1"}


def _jitter(n: int) -> None:
    if n % 2 == 0:
        time.sleep(0.15 * ((n * 7) % 11) / 10)  # 0–150 ms later: somewhere inside the next batch


def kill_rounds(broker, log_dir, *, task: str, kwargs: dict, job: str, progress, env: dict | None = None) -> dict:
    """Publish ``task`` once; SIGKILL it mid-job ``KILLS`` times; let a fresh worker finish. Returns figures."""
    env = env or {}
    started = time.monotonic()
    broker.app.send_task(task, kwargs=kwargs)
    assert broker.redis.llen("default") == 1, f"published elsewhere: {broker.redis.keys('*')}"
    marks, n, workers = [], 0, []

    def killed(worker: Worker, moved) -> None:
        assert moved, f"kill {n}: the job made no progress in 120 s:\n{_log_tail(worker.log)}"
        assert job_runs(job) == 0, f"the job finished before kill {n}: give it more work"
        marks.append(progress())

    try:
        # 1. The pool process running the task is SIGKILLed (the OOM killer's way): the worker sees it
        #    lost, rejects the message back to the queue (reject_on_worker_lost) and a new pool process
        #    takes it up at once. Production limits: the prefork pool enforces the time limit.
        worker = Worker(broker.url, log_dir, pool="prefork", concurrency=1, env={**env, **PREFORK}).start()
        workers.append(worker)
        for n in range(1, CHILD_KILLS + 1):
            before = progress()
            moved = poll(lambda: progress() > before, timeout=120)
            children = worker.pool_processes()
            _jitter(n)
            for pid in children:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass  # replaced meanwhile; the assertions below still hold the round to account
            killed(worker, moved)
        child_s = time.monotonic() - started

        # 2. The whole worker is SIGKILLed (a crashed host or container): the message stays unacknowledged
        #    in Redis and is handed out again after the visibility timeout, to the next worker started.
        for n in range(CHILD_KILLS + 1, KILLS + 1):
            before = progress()
            if n > CHILD_KILLS + 1:
                time.sleep(VISIBILITY_TIMEOUT_S + 0.3)  # visibility timeout + an alive worker starting ≥ it
                worker = Worker(broker.url, log_dir, env=env).start()
                workers.append(worker)
            moved = poll(lambda: progress() > before, timeout=120)
            _jitter(n)
            worker.kill()
            killed(worker, moved)
    finally:
        for w in workers:
            w.kill()
    assert marks == sorted(marks) and marks[0] < marks[-1]

    finish = time.monotonic()
    time.sleep(VISIBILITY_TIMEOUT_S + 0.3)
    with Worker(broker.url, log_dir, env=env).start() as last:
        wait_until(lambda: job_runs(job) >= 1, timeout=240, message=f"a fresh worker to finish {task}")
        wait_until(lambda: broker_is_empty(broker.redis), timeout=30, message="the broker to be empty")
        last.stop()
    assert job_runs(job) == 1, "the finished job ran again"
    figures = {
        "task": task, "pool_process_kills": CHILD_KILLS, "worker_kills": KILLS - CHILD_KILLS, "progress_at_kills": marks,
        "child_phase_s": round(child_s, 1), "finish_s": round(time.monotonic() - finish, 1),
        "total_s": round(time.monotonic() - started, 1),
    }
    print(f"\n{figures}")
    return figures


def test_sla_sweep_killed_20_times_fires_everything_once(broker, log_dir, dispatcher, manager, station_a):
    tickets = [register(dispatcher.user, CustomerFactory(station=station_a), now=at(2026, 1, 5, 9, 0)) for _ in range(10)]
    now = timezone.now()
    data.sla_clocks(tickets, per_ticket=60, now=now)
    expected = data.expected_firings(now)
    assert len(expected) == 10 * 2 + 10 * 40  # registered clocks' breaches + 200 breaches + 200 warnings

    figures = kill_rounds(
        broker, log_dir, task="servicedesk.clocks.tasks.sweep_clocks_task", kwargs={}, job="clock-sweep",
        progress=lambda: ClockFiring.objects.count(), env={"CLOCK_SWEEP_BATCH": "10"},
    )
    effects = data.assert_sweep_exactly_once(expected, managers=1)
    assert effects["firings"] == 420
    print(f"effects: {effects}")


def test_daily_reminders_killed_20_times_remind_everyone_once(broker, log_dir, dispatcher, station_a):
    technicians = data.people("ftech", 8, station=station_a, role=Role.TECHNICIAN)
    customers = [CustomerFactory(station=station_a) for _ in range(60)]
    today = timezone.localdate()
    visits = data.planned_visits(technicians, customers, today=today, creator=dispatcher.user)
    assert len(visits) == 480

    figures = kill_rounds(
        broker, log_dir, task="visits.tasks.run_daily_reminders_task", kwargs={}, job="visits-daily-reminders",
        progress=lambda: Reminder.objects.count(),
    )
    # The job's day is its Shanghai date when it ran; normally one day (see data.assert_reminders_exactly_once).
    days = set(Reminder.objects.values_list("day", flat=True).distinct())
    assert days <= {today, today + timedelta(days=1)}
    print(f"effects: {data.assert_reminders_exactly_once(visits, days)}")


def test_monday_backup_check_killed_20_times_deducts_and_tells_once(broker, log_dir, manager, station_a):
    boss = data.people("fboss", 1, station=station_a, role=Role.SUPERVISOR)[0]
    data.people("fmiss", MISSING, station=station_a, supervisor=boss)
    week = data.date(2026, 9, 28)  # the National Day week: due Wednesday 30 September 18:00

    def progress():
        return BackupCheckEntry.objects.count() + BackupDeduction.objects.count() + Notification.objects.filter(kind="backup_missing").count()

    figures = kill_rounds(
        broker, log_dir, task="appraisal.tasks.check_backups_task",
        kwargs={"now": data.local(2026, 10, 5, 10).isoformat()}, job="appraisal-backup-check", progress=progress,
    )
    missing = list(Staff.objects.filter(user__is_active=True))
    assert len(missing) == MISSING + 2  # the missing people, their supervisor and the manager
    print(f"effects: {data.assert_backup_check_exactly_once(missing, week=week, days=5, points=5)}")
