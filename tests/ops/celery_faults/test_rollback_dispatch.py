"""(f) A task dispatched inside a transaction that rolls back: nothing is sent.

Two halves. A source check: every ``.delay`` / ``.apply_async`` / ``send_task`` in the application's
code sits inside a ``transaction.on_commit(...)`` call (or is ``delay_on_commit``), so nothing can be
published for work that may still roll back. And the real paths, with the real worker and broker:
a notification and an SLA sweep done inside a transaction that rolls back publish nothing (counted
with Celery's own ``before_task_publish`` signal) and leave nothing; the same committed do publish,
and the worker sends the e-mails.
"""

from __future__ import annotations

import ast
import time
from pathlib import Path

import pytest
from celery.signals import before_task_publish
from django.db import transaction
from django.utils import timezone

from servicedesk.clocks.models import ClockFiring
from servicedesk.clocks.services import fire_due_clocks
from servicedesk.notifications.models import Notification
from servicedesk.notifications.services import notify
from tests.factories import CustomerFactory
from tests.fixtures.celery_worker import wait_until
from tests.tickets.helpers import at, register

ROOT = Path(__file__).resolve().parents[3]
APP_DIRS = ["servicedesk", "tickets", "spares", "visits", "appraisal", "reports"]
DISPATCH = {"delay", "apply_async", "send_task"}


def bare_dispatches(source: str) -> list[tuple[int, str]]:
    """(line, name) of each ``.delay`` / ``.apply_async`` / ``.send_task`` not inside an ``on_commit(...)`` call."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in DISPATCH:
            up, deferred = parents.get(node), False
            while up is not None and not deferred:
                func = getattr(up, "func", None)
                name = getattr(func, "attr", None) or getattr(func, "id", None)
                deferred = isinstance(up, ast.Call) and name == "on_commit"
                up = parents.get(up)
            if not deferred:
                found.append((node.lineno, node.attr))
    return found


def test_every_dispatch_in_the_code_waits_for_the_commit():
    found = []
    for top in APP_DIRS:
        for path in sorted((ROOT / top).rglob("*.py")):
            if "migrations" not in path.parts:
                found += [f"{path.relative_to(ROOT)}:{line} .{name}" for line, name in bare_dispatches(path.read_text())]
    assert found == []


def test_the_source_check_tells_a_bare_dispatch_from_a_deferred_one():
    source = (
        "def f(job):\n"
        "    task.delay(1)\n"
        "    transaction.on_commit(lambda: task.delay(2))\n"
        "    transaction.on_commit(partial(task.apply_async, (3,)))\n"
        "    task.delay_on_commit(4)\n"
        "    app.send_task('x')\n"
    )
    assert bare_dispatches(source) == [(2, "delay"), (6, "send_task")]


class Rollback(Exception):
    pass


@pytest.fixture
def published():
    names: list[str] = []

    def record(sender=None, **kwargs):
        names.append(sender)

    before_task_publish.connect(record, weak=False)
    try:
        yield names
    finally:
        before_task_publish.disconnect(record)


@pytest.mark.worker
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_sends_nothing_and_a_committed_one_does(live_celery_worker, published, dispatcher, manager, station_a):
    email_task = "servicedesk.notifications.tasks.send_notification_email_task"

    # A notification (its e-mail is a task) recorded in a transaction that rolls back.
    with pytest.raises(Rollback), transaction.atomic():
        notify(recipient=manager.user, kind="fault_test", title="rolled back", key="fault:rollback")
        raise Rollback
    # An SLA sweep (firings, notifications, their e-mail tasks) inside a transaction that rolls back.
    for _ in range(3):
        register(dispatcher.user, CustomerFactory(station=station_a), now=at(2026, 1, 5, 9, 0))
    with pytest.raises(Rollback), transaction.atomic():
        fired = fire_due_clocks(now=timezone.now())
        assert fired["breach"] == 6
        raise Rollback
    assert published == []
    assert not Notification.objects.exists() and not ClockFiring.objects.exists()

    # The same, committed: the tasks are published after the commit, and the worker sends the mails.
    with transaction.atomic():
        notify(recipient=manager.user, kind="fault_test", title="committed", key="fault:commit")
        assert published == [], "published before the commit"
    fire_due_clocks(now=timezone.now())
    notes = Notification.objects.exclude(email_status=Notification.EmailStatus.NO_ADDRESS)
    assert published and set(published) == {email_task} and len(published) == notes.count()
    wait_until(
        lambda: not notes.exclude(email_status=Notification.EmailStatus.SENT).exists(),
        timeout=60, message="the worker to send the committed notifications' e-mails",
    )
    time.sleep(0.5)
    assert Notification.objects.filter(key="fault:rollback").count() == 0
