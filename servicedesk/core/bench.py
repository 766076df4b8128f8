"""Benchmark figures: each one measures an operation of ours against a "floor" doing the same work
the simplest possible way, both in the same process and run, so the ratio says what our machinery
costs on top of the unavoidable work — and survives a change of machine better than raw numbers.

An app declares figures in its own ``bench.py`` (discovered like ``admin.py``)::

    from servicedesk.core.bench import Workload, figure

    @figure("calendar.add_working_time", unit="ops/s", description="deadline computations")
    def add_working_time(*, scale: int) -> Workload:
        cases = make_cases(seed=42)
        return Workload(
            ours=lambda: [add_working_time(s, d) for s, d in cases],
            floor=lambda: [s + d for s, d in cases],
            ops=len(cases),
        )

``python manage.py bench [--scale N] [--only NAME]`` runs them. ``scale`` is for figures that seed
data (N tickets…); a figure that does not need it ignores it. By default a figure runs inside a
transaction that is rolled back afterwards, so seeding never leaves rows behind; a figure that must
see commits (on_commit hooks, several connections) registers with ``atomic=False`` and cleans up in
``Workload.teardown``.
"""

from __future__ import annotations

import fnmatch
import gc
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.module_loading import autodiscover_modules

UNITS = ("ops/s", "ms")


class Skipped(Exception):
    """Raised by a figure function that cannot run here (e.g. it needs PostgreSQL); says why."""


@dataclass
class Workload:
    """What a figure function returns: two callables doing the same ``ops`` operations each."""

    ours: Callable[[], object]
    floor: Callable[[], object]
    ops: int = 1
    notes: str = ""
    teardown: Callable[[], None] | None = None


@dataclass(frozen=True)
class Figure:
    name: str
    func: Callable[..., Workload]
    unit: str
    description: str
    atomic: bool


@dataclass
class Result:
    figure: Figure
    ops: int
    ours_seconds: float  # best time of one call of ``ours``
    floor_seconds: float
    notes: str = ""
    runs: int = 0
    extra: dict = field(default_factory=dict)

    def value(self, seconds: float) -> float:
        """ops/s, or milliseconds per operation, for ``seconds`` per batch."""
        if self.figure.unit == "ops/s":
            return self.ops / seconds if seconds > 0 else float("inf")
        return seconds * 1000 / self.ops

    @property
    def ours(self) -> float:
        return self.value(self.ours_seconds)

    @property
    def floor(self) -> float:
        return self.value(self.floor_seconds)

    @property
    def ratio(self) -> float:
        """Our time per operation ÷ the floor's: 1.0 = as fast as the floor, 40 = forty times slower."""
        return self.ours_seconds / self.floor_seconds if self.floor_seconds > 0 else float("inf")

    def as_dict(self) -> dict:
        return {
            "figure": self.figure.name,
            "unit": self.figure.unit,
            "ours": self.ours,
            "floor": self.floor,
            "ratio_ours_time_over_floor_time": self.ratio,
            "ops_per_run": self.ops,
            "runs": self.runs,
            "notes": self.notes,
        }


_registry: dict[str, Figure] = {}


def figure(name: str, *, unit: str = "ops/s", description: str = "", atomic: bool = True):
    """Register ``func(*, scale) -> Workload`` as the figure ``name`` ("<app>.<what>")."""
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}, not {unit!r}")

    def decorate(func):
        existing = _registry.get(name)
        if existing is not None and existing.func.__qualname__ != func.__qualname__:
            raise ValueError(f"benchmark figure {name!r} is registered twice")
        _registry[name] = Figure(name=name, func=func, unit=unit, description=description, atomic=atomic)
        return func

    return decorate


def autodiscover() -> None:
    """Import ``bench`` from every installed app so its figures register."""
    autodiscover_modules("bench")


def all_figures() -> list[Figure]:
    return sorted(_registry.values(), key=lambda f: f.name)


def select(patterns: Iterable[str] | None) -> list[Figure]:
    """Figures whose name equals a pattern, starts with "<pattern>." (an app) or matches it as a glob."""
    patterns = list(patterns or [])
    if not patterns:
        return all_figures()
    return [
        f
        for f in all_figures()
        if any(f.name == p or f.name.startswith(p + ".") or fnmatch.fnmatchcase(f.name, p) for p in patterns)
    ]


def _time_once(func: Callable[[], object]) -> float:
    # Like timeit: no garbage collection during the measured run, so a collection triggered by
    # the other side's garbage does not land on this side's clock.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        started = time.perf_counter()
        func()
        return time.perf_counter() - started
    finally:
        if gc_was_enabled:
            gc.enable()


def measure(workload: Workload, *, repeat: int = 5, warmup: int = 1) -> tuple[float, float]:
    """Best-of-``repeat`` seconds for ``ours`` and ``floor``, interleaved so drift hits both alike."""
    for _ in range(warmup):
        workload.ours()
        workload.floor()
    ours, floor = [], []
    for _ in range(repeat):
        ours.append(_time_once(workload.ours))
        floor.append(_time_once(workload.floor))
    return min(ours), min(floor)


def run_figure(fig: Figure, *, scale: int = 1, repeat: int = 5, warmup: int = 1) -> Result:
    def run() -> Result:
        workload = fig.func(scale=scale)
        try:
            ours, floor = measure(workload, repeat=repeat, warmup=warmup)
        finally:
            if workload.teardown is not None:
                workload.teardown()
        return Result(figure=fig, ops=workload.ops, ours_seconds=ours, floor_seconds=floor,
                      notes=workload.notes, runs=repeat)

    if not fig.atomic:
        return run()
    with transaction.atomic():
        result = run()
        transaction.set_rollback(True)  # leave the database as we found it
    return result
