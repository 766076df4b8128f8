"""A person's backup state for one week, as the compliance page and its Excel export show it.

When the week has been checked, the check's verdict stands; before that (this week, or last week
before Monday 10:00) the state is read live from the submissions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from .models import BackupCheckEntry
from .weeks import overdue_days

Outcome = BackupCheckEntry.Outcome

_CSS = {
    Outcome.ON_TIME: "tag-ok",
    Outcome.LATE: "tag-warn",
    Outcome.MISSING: "tag-bad",
    Outcome.BUSINESS_TRIP: "tag-info",
    Outcome.ON_LEAVE: "tag-info",
}


@dataclass(frozen=True)
class RowState:
    key: str
    label: str
    css: str
    overdue_days: int = 0
    checked: bool = False


def row_state(row, *, due: datetime | None, now: datetime) -> RowState:
    """``row`` is a Staff from :func:`appraisal.selectors.compliance_rows`."""
    entries = getattr(row, "week_entries", None) or []
    if entries:
        entry = entries[0]
        return RowState(entry.outcome, str(Outcome(entry.outcome).label), _CSS[entry.outcome], entry.overdue_days, True)
    if due is None:
        return RowState("not_due", _("No backup due (no working day)"), "tag-info")
    first = getattr(row, "first_submitted_at", None)
    if first is not None:
        if first <= due:
            return RowState(Outcome.ON_TIME, str(Outcome.ON_TIME.label), _CSS[Outcome.ON_TIME])
        return RowState(Outcome.LATE, str(Outcome.LATE.label), _CSS[Outcome.LATE], overdue_days(due, first))
    if now <= due:
        return RowState("pending", _("Not submitted yet"), "tag-info")
    return RowState(Outcome.MISSING, str(Outcome.MISSING.label), _CSS[Outcome.MISSING], overdue_days(due, now))


def summarise(states: list[RowState]) -> dict[str, int]:
    counts = {"total": len(states), "on_time": 0, "late": 0, "missing": 0, "exempt": 0, "pending": 0}
    for state in states:
        if state.key in (Outcome.BUSINESS_TRIP, Outcome.ON_LEAVE):
            counts["exempt"] += 1
        elif state.key in counts:
            counts[state.key] += 1
    return counts
