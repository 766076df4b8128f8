"""Fixtures of the Celery fault tests: a private Redis server (append-only, noeviction) per session,
emptied before each test, and a directory for the worker and beat logs."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from .harness import RedisServer, control_app, require_postgres_test_db


@pytest.fixture(scope="session")
def fault_redis(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("fault-redis"))
    server.start()
    try:
        yield server
    finally:
        server.kill()


@dataclass
class Broker:
    server: RedisServer
    url: str
    redis: object
    app: object


@pytest.fixture
def broker(fault_redis, transactional_db):
    require_postgres_test_db()
    if not fault_redis.ping():
        fault_redis.start()  # a test restarted it and failed before starting it again
    client = fault_redis.client()
    client.flushall()
    app = control_app(fault_redis.url())
    try:
        yield Broker(server=fault_redis, url=fault_redis.url(), redis=client, app=app)
    finally:
        app.close()


@pytest.fixture
def log_dir(tmp_path):
    path = tmp_path / "logs"
    path.mkdir()
    return path
