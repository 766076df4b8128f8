"""Audit context outside requests (Celery tasks, management commands)."""

import contextlib

import pghistory
from django.db import connection


def audit_context(**metadata):
    """Tag every write inside the block with ``metadata`` (e.g. ``task="sweep"``, ``user=5``)."""
    if connection.vendor != "postgresql":
        return contextlib.nullcontext()
    return pghistory.context(**metadata)
