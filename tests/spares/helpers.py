"""Concurrency helpers: real threads, one database connection each, released together at a barrier."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

from django.db import connection
from rest_framework.test import APIClient

# PostgreSQL allows 100 connections and other test runs share the server: a pool of 40 threads
# (40 connections) works through any number of requests.
POOL = 40


def run_concurrently(calls: list[Callable[[], object]], *, pool: int = POOL) -> list[object]:
    """Run ``calls`` on up to ``pool`` threads that start together; results (or raised exceptions) in order."""
    size = max(1, min(pool, len(calls)))
    barrier = threading.Barrier(size)
    results: list[object] = [None] * len(calls)
    pending = list(enumerate(calls))
    lock = threading.Lock()

    def worker():
        try:
            barrier.wait()
            while True:
                with lock:
                    if not pending:
                        return
                    index, call = pending.pop(0)
                try:
                    results[index] = call()
                except BaseException as exc:  # recorded and asserted on by the test
                    results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(size)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a worker thread hung (deadlock?)"
    return results


_local = threading.local()


def client_for(user) -> APIClient:
    """One API client per thread and user: a client loads the middleware stack once (WhiteNoise
    scans every static file then), which would otherwise dominate the timings."""
    clients = getattr(_local, "clients", None)
    if clients is None:
        clients = _local.clients = {}
    key = (user.pk, id(user))
    if key not in clients:
        client = APIClient()
        client.force_authenticate(user)
        clients[key] = (user, client)  # holding the user keeps its id from being reused
    return clients[key][1]


def post_as(user, url: str, data=None, *, key: str | None = None):
    """A callable posting ``data`` as ``user`` through the thread's API client; returns (status, body)."""

    def call():
        client = client_for(user)
        headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
        response = client.post(url, data or {}, format="json", **headers)
        return response.status_code, response.json()

    return call


def outcome(results) -> Counter:
    """Status codes of (status, body) results; exceptions counted by class name."""
    counts: Counter = Counter()
    for result in results:
        if isinstance(result, BaseException):
            counts[type(result).__name__] += 1
        else:
            counts[result[0]] += 1
    return counts
