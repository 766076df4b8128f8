"""The stored trend figures of closed months (:class:`reports.models.MonthlyFigure`): one service.

The rule, so that the 12-month trends cost one small query instead of a year of rows:

* only **closed** months are stored (a month before the current one); the current month, and the
  month a report is opened for, are always counted live from the records;
* a month is computed **on demand** the first time a trend needs it, and **every night** (beat
  entry ``reports-monthly-figures``) the last :data:`NIGHTLY_MONTHS` closed months are recomputed.
  A late change that lands in a closed month — a clock stopped or breached after the month ended,
  a correction signed later, a callback answered late, an order signed offline and synced after
  the month ended — therefore shows in the trends by the next morning; the month's own report
  shows it at once. After a correction to an older month, call :func:`refresh_monthly_figures`
  for that month (it is idempotent).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from ..models import MonthlyFigure
from ..selectors import local_bounds, month_end, month_start

NIGHTLY_MONTHS = 12  # every closed month a trend of the current or the last month shows


def closed_months(*, now: datetime, count: int = NIGHTLY_MONTHS) -> list[date]:
    from ..statistics import trend_months

    last = (month_start(timezone.localdate(now)) - timedelta(days=1)).replace(day=1)
    return trend_months(last, count)


@transaction.atomic
def refresh_monthly_figures(*, months: Iterable[date], now: datetime | None = None) -> list[MonthlyFigure]:
    """(Re)compute the stored figures of ``months`` (any day of each; months not yet closed are skipped).

    Idempotent: the months' rows are replaced. A station-less row is written for every month, zeros
    included, so that a month without any record still counts as computed. Concurrent refreshes of
    the same month keep one set of rows (the unique constraints; the later insert is skipped)."""
    from ..statistics import TREND_FIELDS, ZERO, live_trend_figures

    now = now or timezone.now()
    current = month_start(timezone.localdate(now))
    wanted = sorted({month_start(m) for m in months if month_start(m) < current})
    if not wanted:
        return []
    start, _x = local_bounds(wanted[0], wanted[0])
    _y, end = local_bounds(wanted[-1], month_end(wanted[-1]))
    live = live_trend_figures(start, end, now)
    rows = []
    for m in wanted:
        per_station = {station: f for (month, station), f in live.items() if month == m}
        per_station.setdefault(None, dict.fromkeys(TREND_FIELDS, 0) | {"revenue": ZERO})
        rows.extend(MonthlyFigure(month=m, station_id=station, computed_at=now, **f) for station, f in per_station.items())
    MonthlyFigure.objects.filter(month__in=wanted).delete()
    MonthlyFigure.objects.bulk_create(rows, ignore_conflicts=True)
    return rows


def refresh_recent_monthly_figures(*, now: datetime | None = None) -> int:
    """Nightly: recompute the last :data:`NIGHTLY_MONTHS` closed months; returns the rows written."""
    now = now or timezone.now()
    return len(refresh_monthly_figures(months=closed_months(now=now), now=now))
