"""The clock sweep: every warning and breach exactly once, whoever sweeps and however often."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.utils import translation
from django.db import connection

from servicedesk.clocks.models import ClockFiring
from servicedesk.clocks.services import fire_due_clocks
from servicedesk.clocks.tasks import sweep_clocks_task
from servicedesk.notifications.models import Notification
from tickets import services
from tickets.models import SLAClock, TicketLog
from tests.factories import CustomerFactory
from tests.fixtures.celery_worker import _database_url, wait_until
from tests.tickets.helpers import at, register

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_warning_then_breach_each_once(dispatcher, technician, manager, station_a, django_capture_on_commit_callbacks):
    customer = CustomerFactory(station=station_a, zone="urban")
    ticket = register(dispatcher.user, customer, now=at(2026, 11, 23, 9, 0))
    services.dispatch_ticket(ticket=ticket, technician=technician, actor=dispatcher.user, now=at(2026, 11, 23, 9, 5))

    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        assert fire_due_clocks(now=at(2026, 11, 23, 14, 0)) == {"warning": 0, "breach": 0}
        assert fire_due_clocks(now=at(2026, 11, 23, 14, 50)) == {"warning": 1, "breach": 0}
        assert fire_due_clocks(now=at(2026, 11, 23, 14, 55)) == {"warning": 0, "breach": 0}
        assert fire_due_clocks(now=at(2026, 11, 23, 16, 1)) == {"warning": 0, "breach": 1}
        assert fire_due_clocks(now=at(2026, 11, 24, 9, 0)) == {"warning": 0, "breach": 0}

    arrival = SLAClock.objects.get(ticket=ticket, target_code="arrival")
    assert arrival.breached_at == at(2026, 11, 23, 16, 1) and arrival.next_fire_at is None
    warnings = Notification.objects.filter(kind="sla_warning")
    breaches = Notification.objects.filter(kind="sla_breach")
    assert [n.recipient for n in warnings] == [technician.user]
    assert {n.recipient for n in breaches} == {technician.user, manager.user}
    assert ticket.log.filter(kind=TicketLog.Kind.NOTE, text__contains="breached").count() == 1


@pytest.mark.django_db
def test_the_task_twice_fires_nothing_twice(dispatcher, station_a):
    for _ in range(3):
        register(dispatcher.user, CustomerFactory(station=station_a), now=at(2026, 1, 5, 9, 0))
    first = sweep_clocks_task()
    second = sweep_clocks_task()
    # Each ticket: first reply and arrival, both far past (breach only: their warnings came due
    # together with the breach and were folded into it).
    assert first["breach"] == 6 and second == {"warning": 0, "breach": 0}
    assert ClockFiring.objects.count() == 6


@pytest.mark.django_db
def test_a_paused_clock_never_fires(dispatcher, station_a):
    ticket = register(dispatcher.user, CustomerFactory(station=station_a), now=at(2026, 11, 23, 9, 0))
    services.hold_ticket(ticket=ticket, actor=dispatcher.user, reason="等客户回电", now=at(2026, 11, 23, 9, 1))
    assert fire_due_clocks(now=at(2026, 12, 31, 9, 0)) == {"warning": 0, "breach": 0}


@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_fire_each_event_once(dispatcher, station_a):
    for _ in range(40):
        register(dispatcher.user, CustomerFactory(station=station_a), now=at(2026, 1, 5, 9, 0))
    barrier = threading.Barrier(4)
    results, errors = [], []

    def sweep():
        try:
            barrier.wait()
            results.append(fire_due_clocks(now=at(2026, 6, 1, 9, 0), batch=7))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sum(r["breach"] for r in results) == 80
    assert ClockFiring.objects.count() == 80
    assert SLAClock.objects.filter(breached_at__isnull=True).count() == 0


SLOW_SWEEP = """
import sys, time, django
django.setup()
from servicedesk.clocks import services
model, handler = services._handlers["tickets.SLAClock"]
def slow(clock, kind):
    time.sleep(0.05)
    handler(clock, kind)
services._handlers["tickets.SLAClock"] = (model, slow)
print("sweeping", flush=True)
services.fire_due_clocks(batch=20)
print("done", flush=True)
"""


@pytest.mark.worker
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_sweep_killed_midway_loses_and_duplicates_nothing(dispatcher, technician, station_a, live_celery_worker):
    tickets = [register(dispatcher.user, CustomerFactory(station=station_a), now=at(2026, 1, 5, 9, 0)) for _ in range(60)]
    for t in tickets:
        services.dispatch_ticket(ticket=t, technician=technician, actor=dispatcher.user, now=at(2026, 1, 5, 9, 1))
    due = SLAClock.objects.filter(next_fire_at__isnull=False).count()
    assert due == 60  # the arrival clocks (first reply was met by dispatching)

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "servicedesk.settings", "SERVICEDESK_TESTING": "1",
           "DATABASE_URL": _database_url(connection.settings_dict)}
    proc = subprocess.Popen([sys.executable, "-c", SLOW_SWEEP], cwd=ROOT, env=env, stdout=subprocess.PIPE, start_new_session=True)
    assert proc.stdout.readline().strip() == b"sweeping"
    # Let it commit one or two batches of 20 (1 s each), then kill it in the middle of the next.
    wait_until(lambda: ClockFiring.objects.count() >= 20, timeout=30, message="a first committed batch")
    time.sleep(0.4)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    fired_before = ClockFiring.objects.count()
    assert 20 <= fired_before < 60, "the kill must land mid-sweep"

    sweep_clocks_task.delay()
    wait_until(lambda: ClockFiring.objects.count() == 60, timeout=60, message="the worker's sweep to finish the job")
    sweep_clocks_task.delay()
    time.sleep(3)
    assert ClockFiring.objects.count() == 60
    assert SLAClock.objects.filter(target_code="arrival", breached_at__isnull=True).count() == 0
    # One breach notification per clock and recipient (the technician; no manager exists here).
    wait_until(lambda: Notification.objects.filter(kind="sla_breach").count() == 60, timeout=30, message="notifications")
    assert Notification.objects.filter(kind="sla_breach").values("key").distinct().count() == 60
