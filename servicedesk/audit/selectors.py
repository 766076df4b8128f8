"""Reads of the audit trail: an object's history with who, when and what changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import connection
from pghistory.models import Events


@dataclass
class HistoryEntry:
    at: datetime
    label: str
    user: object | None
    source: str
    changes: list[tuple[str, object, object]]


def history_of(obj, *, limit: int = 200) -> list[HistoryEntry]:
    """Events recorded for ``obj``, newest first. Empty on SQLite, where no triggers run."""
    if connection.vendor != "postgresql":
        return []
    events = list(Events.objects.tracks(obj).order_by("-pgh_created_at", "-pgh_id")[:limit])
    user_ids = {int(e.pgh_context["user"]) for e in events if e.pgh_context and e.pgh_context.get("user")}
    users = get_user_model().objects.in_bulk(user_ids)
    out = []
    for e in events:
        ctx = e.pgh_context or {}
        user = users.get(int(ctx["user"])) if ctx.get("user") else None
        source = ctx.get("url") or (f"task {ctx['task']}" if ctx.get("task") else ctx.get("command", ""))
        if e.pgh_diff:
            changes = [(field, old_new[0], old_new[1]) for field, old_new in sorted(e.pgh_diff.items())]
        else:
            changes = [(field, None, value) for field, value in sorted((e.pgh_data or {}).items())]
        out.append(HistoryEntry(at=e.pgh_created_at, label=e.pgh_label, user=user, source=source, changes=changes))
    return out
