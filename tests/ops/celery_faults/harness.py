"""Real processes for the Celery fault tests: a private Redis server, workers and beats to kill.

Nothing here is a stand-in: ``RedisServer`` is ``redis-server`` started with the production flags
(``--appendonly yes --maxmemory-policy noeviction``) on a free port in a temporary directory, and
``Worker`` / ``Beat`` are ``celery -A servicedesk worker|beat`` subprocesses against the test
database. Each gets its own process session so a kill takes the whole process group, as a
container runtime or systemd does.

A killed worker's message stays in Redis's ``unacked`` hash and is handed out again once it is
older than the broker's visibility timeout (production: ``CELERY_VISIBILITY_TIMEOUT``, 3600 s).
Fault workers run with ``VISIBILITY_TIMEOUT_S`` (3 s) so a round takes seconds, not an hour; the
solo pool they use enforces no task time limit, so the settings' "time limit below the visibility
timeout" rule is met with a 2 s limit that never fires.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection

from tests.fixtures.celery_worker import _log_tail
from tests.fixtures.celery_worker import worker_env as base_worker_env

ROOT = Path(__file__).resolve().parents[3]
VISIBILITY_TIMEOUT_S = 3
QUEUE = "default"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """One ``redis-server`` of our own, append-only, never evicting; restartable on the same data."""

    def __init__(self, directory: Path, port: int | None = None):
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed (apt-get install redis-server): the fault tests start their own")
        self.binary = binary
        self.dir = directory
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.proc: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        cmd = [
            self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.dir),
            "--appendonly", "yes", "--appendfsync", "everysec", "--maxmemory-policy", "noeviction",
            "--save", "", "--daemonize", "no", "--logfile", str(self.dir / "redis.log"),
        ]  # fmt: skip
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 20
        while not self.ping():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"redis-server on port {self.port} did not start:\n{_log_tail(self.dir / 'redis.log')}")
            time.sleep(0.05)

    def ping(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def client(self, db: int = 0):
        import redis

        return redis.Redis(port=self.port, db=db)

    def stop(self) -> None:
        """SIGTERM: Redis's own orderly shutdown (the append-only file is flushed), then wait."""
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)


def control_app(broker_url: str) -> Celery:
    """A Celery client for ``broker_url`` with the project's settings: publishes and pings only."""
    # Not the current app: shared tasks' .delay() in this process must keep using the project's app.
    app = Celery("servicedesk-fault-tests", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    # broker_url alone would lose to the CELERY_BROKER_URL environment variable scripts/test.sh sets.
    app.conf.broker_url = app.conf.broker_read_url = app.conf.broker_write_url = broker_url
    app.conf.broker_transport_options = {"visibility_timeout": VISIBILITY_TIMEOUT_S}
    app.conf.task_always_eager = False
    return app


def worker_env(broker_url: str, **extra: str) -> dict:
    """The suite's worker environment with the fault tests' short visibility timeout (``extra`` wins)."""
    return base_worker_env(broker_url, **{
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT_S),
        "CELERY_TASK_TIME_LIMIT": str(VISIBILITY_TIMEOUT_S - 1),
        **extra,
    })


class Worker:
    """``celery worker`` as a subprocess; ``kill()`` is SIGKILL to its whole process group."""

    def __init__(self, broker_url: str, log_dir: Path, *, pool: str = "solo", concurrency: int = 1, env: dict | None = None):
        self.broker_url = broker_url
        self.name = f"fault-{uuid.uuid4().hex[:8]}@{socket.gethostname()}"
        self.log = log_dir / f"{self.name.split('@')[0]}.log"
        self.pool, self.concurrency = pool, concurrency
        self.env = worker_env(broker_url, **(env or {}))
        self.proc: subprocess.Popen | None = None

    def start(self, *, wait: bool = False, app: Celery | None = None) -> Worker:
        cmd = [
            sys.executable, "-m", "celery", "-A", "servicedesk", "worker", f"--pool={self.pool}",
            f"--concurrency={self.concurrency}", "-Q", QUEUE, "-n", self.name,
            "--without-mingle", "--without-gossip", "-l", "INFO",
        ]  # fmt: skip
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        if wait:
            self.wait_ready(app or control_app(self.broker_url))
        return self

    def wait_ready(self, app: Celery, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while not app.control.ping(destination=[self.name], timeout=0.5):
            if self.proc.poll() is not None:
                pytest.fail(f"worker exited with {self.proc.returncode}:\n{_log_tail(self.log)}")
            if time.monotonic() > deadline:
                pytest.fail(f"worker did not answer ping within {timeout} s:\n{_log_tail(self.log)}")

    def pool_processes(self) -> list[int]:
        """The prefork pool's processes (the worker's children, from /proc)."""
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL to the worker and everything it started: no warm shutdown, no ack, no cleanup."""
        if self.alive():
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        """Warm shutdown (finish the running task), as ``docker stop`` does; SIGKILL after 60 s."""
        if not self.alive():
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.kill()

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()


class Beat:
    """``celery beat`` as a subprocess with its own schedule file; ``app`` names the Celery app module."""

    def __init__(self, broker_url: str, log_dir: Path, *, app: str = "servicedesk", env: dict | None = None):
        self.name = f"beat-{uuid.uuid4().hex[:8]}"
        self.log = log_dir / f"{self.name}.log"
        self.schedule = log_dir / f"{self.name}-schedule"
        self.app = app
        self.env = worker_env(broker_url, **(env or {}))
        self.proc: subprocess.Popen | None = None

    def start(self) -> Beat:
        cmd = [sys.executable, "-m", "celery", "-A", self.app, "beat", "-l", "INFO", "-s", str(self.schedule), "--max-interval", "1"]
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def sent(self) -> int:
        try:
            return self.log.read_text(errors="replace").count("Sending due task")
        except OSError:
            return 0


def poll(predicate, *, timeout: float, interval: float = 0.02):
    """Like ``wait_until`` but returns None on timeout (the caller decides what that means)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return None


def job_runs(job: str) -> int:
    """How many times a periodic job ran to the end (its heartbeat row's count)."""
    from servicedesk.core.models import JobHeartbeat

    row = JobHeartbeat.objects.filter(name=job).first()
    return row.runs if row else 0


def broker_is_empty(redis_client, queue: str = QUEUE) -> bool:
    """No message waiting and none handed out unacknowledged."""
    return redis_client.llen(queue) == 0 and redis_client.hlen("unacked") == 0


def require_postgres_test_db() -> None:
    if connection.vendor != "postgresql":
        pytest.fail("the Celery fault tests need PostgreSQL (a worker process must see the committed test database)")
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
