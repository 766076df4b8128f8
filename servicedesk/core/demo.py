"""Demo data registry: each app seeds its own part from ``<app>/demo.py``.

``seed_demo`` runs the registered seeders in INSTALLED_APPS order (lower apps first), so the
foundation never imports the apps above it. Every seeder must be idempotent: running the command
twice leaves the same data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.module_loading import autodiscover_modules

DEMO_PASSWORD = "demo12345"


@dataclass
class DemoContext:
    """Shared between seeders: what lower apps created that higher ones build on."""

    objects: dict = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (username, role label, home)
    log: Callable[[str], None] = print


_seeders: list[tuple[str, Callable[[DemoContext], None]]] = []


def demo_seeder(func: Callable[[DemoContext], None]) -> Callable[[DemoContext], None]:
    _seeders.append((func.__module__, func))
    return func


def seeders() -> list[Callable[[DemoContext], None]]:
    from django.apps import apps

    autodiscover_modules("demo")
    order = {cfg.name: i for i, cfg in enumerate(apps.get_app_configs())}

    def rank(item):
        module = item[0]
        owner = max((name for name in order if module == name or module.startswith(name + ".")), key=len, default="")
        return order.get(owner, len(order))

    return [func for _, func in sorted(_seeders, key=rank)]
