"""Shared test set-up. Tests run against the real PostgreSQL (DATABASE_URL) and Redis (REDIS_URL).

Fixtures live in plugin modules so each area can own its file without editing this one.
"""

pytest_plugins = [
    "tests.fixtures.personas",
    "tests.fixtures.celery_worker",
    "tests.fixtures.web",
]


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _tasks_run_in_process_unless_a_real_worker_is_used(request):
    """Tests about a service's effect run its queued tasks in-process (after commit, as in production).

    Tests about Celery itself — delivery, acknowledgement, the broker — ask for
    ``live_celery_worker`` and then every task goes through the real Redis broker to a real worker.
    """
    from servicedesk.celery import app

    live = "live_celery_worker" in request.fixturenames
    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = not live
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous
