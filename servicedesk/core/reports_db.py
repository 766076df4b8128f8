"""Report reads on a PostgreSQL read replica (OPERATIONS.md, "Scale-out").

When ``REPORTS_DATABASE_URL`` is set, settings add a second database alias, ``reports``, and the
views wrapped in :func:`read_from_reports_database` (the monthly statistics, its drill-down lists
and Excel file, the manager's dashboard) send every ORM read made while they run to it. Writes
always go to ``default`` (the primary), and ``migrate`` never touches the replica (it gets the
schema by replication). Without the variable there is no ``reports`` alias and nothing changes.

A replica lags the primary by a moment: only pages where a figure a few seconds old is fine use it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.db import connections

ALIAS = "reports"

_reading_reports: ContextVar[bool] = ContextVar("reading_reports", default=False)


def replica_configured() -> bool:
    return ALIAS in connections.settings


@contextmanager
def reports_database() -> Iterator[None]:
    """ORM reads inside go to the reports replica, when one is configured."""
    token = _reading_reports.set(True)
    try:
        yield
    finally:
        _reading_reports.reset(token)


def read_from_reports_database(view: Callable) -> Callable:
    @wraps(view)
    def wrapped(*args, **kwargs):
        with reports_database():
            return view(*args, **kwargs)

    return wrapped


class ReportsReplicaRouter:
    """DATABASE_ROUTERS entry: reads inside :func:`reports_database` → ``reports``; all else default."""

    def db_for_read(self, model, **hints):
        if _reading_reports.get() and replica_configured():
            return ALIAS
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != ALIAS
