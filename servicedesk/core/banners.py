"""Warnings shown to administrators on every page until someone fixes their cause.

Each foundation app registers a provider: a function returning a list of (level, message) for the
current moment. The business calendar uses it for a coming year without official holiday data.
"""

from __future__ import annotations

from collections.abc import Callable

_providers: list[Callable[[], list[tuple[str, str]]]] = []


def register_banner(provider: Callable[[], list[tuple[str, str]]]) -> Callable[[], list[tuple[str, str]]]:
    _providers.append(provider)
    return provider


def banners_for(user) -> list[tuple[str, str]]:
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    from servicedesk.org.models import Role
    from servicedesk.org.roles import has_role

    # user_roles() is cached on the user for the request (and counts a superuser as admin).
    if not has_role(user, Role.ADMIN, Role.MANAGER):
        return []
    out: list[tuple[str, str]] = []
    for provider in _providers:
        out.extend(provider())
    return out
