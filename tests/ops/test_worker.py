"""A real Celery worker, through real Redis, against the committed test database."""

import time

import pytest
from django.db import transaction

from servicedesk.core.models import JobHeartbeat
from servicedesk.core.tasks import heartbeat_task
from tests.fixtures.celery_worker import wait_until

pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _heartbeat_runs() -> int:
    row = JobHeartbeat.objects.filter(name="heartbeat").first()
    return row.runs if row else 0


def test_worker_runs_heartbeat_task_sent_with_delay(live_celery_worker):
    assert _heartbeat_runs() == 0

    heartbeat_task.delay()

    wait_until(lambda: _heartbeat_runs() == 1, timeout=30, message="the worker to record the heartbeat")
    row = JobHeartbeat.objects.get(name="heartbeat")
    assert row.last_started_at <= row.last_finished_at
    assert row.last_error == ""


class Rollback(Exception):
    pass


def test_delay_on_commit_sends_nothing_when_the_transaction_rolls_back(live_celery_worker):
    with pytest.raises(Rollback):
        with transaction.atomic():
            heartbeat_task.delay_on_commit()
            raise Rollback

    # The worker is idle and would run a queued task within a second; give it several.
    time.sleep(4)
    assert _heartbeat_runs() == 0

    # The same worker does run it once the transaction commits, so the silence above was no accident.
    with transaction.atomic():
        heartbeat_task.delay_on_commit()
        time.sleep(1.5)
        assert _heartbeat_runs() == 0, "sent before the commit"
    wait_until(lambda: _heartbeat_runs() == 1, timeout=30, message="the task sent on commit to run")


def test_heartbeat_task_twice_counts_two_runs(live_celery_worker):
    heartbeat_task.delay()
    heartbeat_task.delay()
    wait_until(lambda: _heartbeat_runs() == 2, timeout=30, message="two heartbeat runs")
    assert JobHeartbeat.objects.filter(name="heartbeat").count() == 1
