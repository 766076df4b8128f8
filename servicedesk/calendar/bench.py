"""Benchmark figures of the business calendar (run by ``manage.py bench --only calendar``)."""

from __future__ import annotations

import math
import random
from datetime import date, datetime, timedelta

from servicedesk.core.bench import Workload, figure

from . import add_working_time, working_time_between
from .engine import CALENDAR_TZ, OFFICIAL_HOLIDAYS

SEED = 20261122
CASES = 20_000

# Long official holidays the inputs lean on, so deadlines routinely span a Golden Week.
_HOLIDAY_STARTS = sorted(d for d in OFFICIAL_HOLIDAYS if d.year in (2025, 2026))


def _start(rng: random.Random) -> datetime:
    if rng.random() < 0.3:
        # A few days before (or inside) an official holiday.
        base = rng.choice(_HOLIDAY_STARTS) - timedelta(days=rng.randint(0, 4))
    else:
        base = date(2025, 1, 1) + timedelta(days=rng.randrange(730))  # through 2026, some spill into 2027
    moment = datetime(base.year, base.month, base.day, tzinfo=CALENDAR_TZ)
    return moment + timedelta(minutes=rng.randrange(24 * 60), seconds=rng.randrange(60))


def _duration(rng: random.Random) -> timedelta:
    # Log-uniform from 1 minute to 3 weeks of working time (15 min reply … 3 working days … weeks).
    minutes = math.exp(rng.uniform(0, math.log(3 * 5 * 8 * 60)))
    return timedelta(minutes=round(minutes))


def deadline_cases(n: int = CASES, seed: int = SEED) -> list[tuple[datetime, timedelta]]:
    rng = random.Random(seed)
    return [(_start(rng), _duration(rng)) for _ in range(n)]


def interval_cases(n: int = CASES, seed: int = SEED) -> list[tuple[datetime, datetime]]:
    rng = random.Random(seed + 1)
    out = []
    for _ in range(n):
        start = _start(rng)
        span = timedelta(minutes=round(math.exp(rng.uniform(0, math.log(6 * 7 * 24 * 60)))))  # up to 6 weeks
        out.append((start, start + span))
    return out


@figure(
    "calendar.add_working_time",
    unit="ops/s",
    description="deadline computations: add_working_time(start, duration) over holidays, nights, weekends",
)
def add_working_time_figure(*, scale: int) -> Workload:
    cases = deadline_cases()

    def ours():
        for start, duration in cases:
            add_working_time(start, duration)

    def floor():
        for start, duration in cases:
            start + duration  # noqa: B018  (the work a calendar-blind deadline would do)

    return Workload(ours=ours, floor=floor, ops=len(cases),
                    notes="floor: datetime + timedelta; 1 min–3 weeks, 30% around statutory holidays")


@figure(
    "calendar.working_time_between",
    unit="ops/s",
    description="elapsed working time: working_time_between(start, end) over spans up to 6 weeks",
)
def working_time_between_figure(*, scale: int) -> Workload:
    cases = interval_cases()

    def ours():
        for start, end in cases:
            working_time_between(start, end)

    def floor():
        for start, end in cases:
            end - start  # noqa: B018

    return Workload(ours=ours, floor=floor, ops=len(cases),
                    notes="floor: end - start; spans 1 min–6 weeks, 30% around statutory holidays")
