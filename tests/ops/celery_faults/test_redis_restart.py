"""(e) 1,000 queued tasks survive a Redis restart (append-only file on) and each takes effect once.

A Redis of this test's own — ``--appendonly yes --maxmemory-policy noeviction``, no RDB snapshots,
so only the append-only file can bring the queue back — gets 1,000 e-mail tasks (one per pending
notification) while no worker runs. Redis is restarted (SIGTERM: its orderly shutdown flushes the
file); the 1,000 messages are back. A worker (prefork, 2 processes) starts, and after about a third
of the mails Redis is restarted again under it: the worker reconnects and carries on. In the end
every notification is SENT, the mail directory holds exactly 1,000 messages (one per
notification), and the broker is empty.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest

from servicedesk.notifications.models import Notification
from tests.fixtures.celery_worker import wait_until

from . import data
from .harness import RedisServer, Worker, broker_is_empty, control_app

pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

TASKS = 1000


def _mails(directory) -> Counter:
    """Message-ID → how many times it was written, over every file the file backend wrote."""
    ids = Counter()
    for path in directory.glob("*"):
        for line in path.read_text(errors="replace").splitlines():
            if line.startswith("X-Notification: "):
                ids[line.split(": ", 1)[1]] += 1
    return ids


def _sent() -> int:
    return Notification.objects.filter(email_status=Notification.EmailStatus.SENT).count()


def test_a_thousand_queued_tasks_survive_redis_restarts_and_run_once(transactional_db, tmp_path, log_dir, station_a):
    redis = RedisServer(tmp_path / "redis")
    redis.start()
    app = control_app(redis.url())
    try:
        users = [s.user for s in data.people("mail", 50, station=station_a, email=True)]
        notes = Notification.objects.bulk_create(
            Notification(recipient=users[i % 50], key=f"fault-mail:{i}", kind="fault_test", title=f"Mail {i}",
                         body=f"X-Notification: {i}", email_status=Notification.EmailStatus.PENDING)
            for i in range(TASKS)
        )
        started = time.monotonic()
        for note in notes:
            app.send_task("servicedesk.notifications.tasks.send_notification_email_task", args=[note.pk])
        publish_s = time.monotonic() - started
        client = redis.client()
        assert client.llen("default") == TASKS
        assert client.config_get("appendonly") == {"appendonly": "yes"}
        assert client.config_get("maxmemory-policy") == {"maxmemory-policy": "noeviction"}

        redis.stop()
        redis.start()
        assert redis.client().llen("default") == TASKS, "the queue did not survive the restart"

        mail_dir = tmp_path / "mail"
        # A message the worker had reserved when Redis went away cannot be acknowledged or handed back then;
        # it stays in Redis's unacked set and comes back after the visibility timeout (an hour in
        # production, where notifications-retry also resends a mail left pending). 20 s here.
        env = {"EMAIL_URL": f"filemail:///{mail_dir}", "CELERY_VISIBILITY_TIMEOUT": "20", "CELERY_TASK_TIME_LIMIT": "10"}
        with Worker(redis.url(), log_dir, pool="prefork", concurrency=2, env=env).start() as worker:
            wait_until(lambda: _sent() >= TASKS // 3, timeout=180, message="a third of the mails")
            redis.stop()
            time.sleep(2)  # Redis is away for a moment; the worker retries its connection
            redis.start()
            restarted_at = _sent()
            assert restarted_at < TASKS, "the worker finished before the second restart: restart earlier"
            wait_until(lambda: _sent() == TASKS, timeout=300, message="all 1,000 mails after the restart")
            wait_until(lambda: broker_is_empty(redis.client()), timeout=180, message="the broker to be empty (restored copies of reserved messages run and are acknowledged)")
            worker.stop()
        run_s = time.monotonic() - started

        mails = _mails(mail_dir)
        assert len(mails) == TASKS and set(mails.values()) == {1}, "a mail went twice or not at all"
        assert set(Notification.objects.values_list("email_attempts", flat=True)) == {1}
        print(f"\nRedis restarts: {TASKS} tasks, published in {publish_s:.1f} s, sent {restarted_at} before the"
              f" second restart, all done in {run_s:.1f} s")
    finally:
        app.close()
        redis.kill()
