"""Every URL pattern of the project, read from the resolver, with what is needed to call it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver

# Parameters the walk fills in itself; any other parameter must be given by the matrix entry.
FORMAT_SUFFIX = re.compile(r"\\\.\(\?P<format>|<drf_format_suffix:format>")


@dataclass(frozen=True)
class Route:
    key: str            # the matrix key: "namespace:name", or the pattern itself when the route is unnamed
    pattern: str        # the full pattern, for messages
    callback: object
    params: tuple[str, ...]

    @property
    def is_admin(self) -> bool:
        return self.pattern.startswith("admin/")

    @property
    def drf_actions(self) -> dict:
        return dict(getattr(self.callback, "actions", None) or {})

    @property
    def view_class(self):
        return getattr(self.callback, "cls", None) or getattr(self.callback, "view_class", None)


def _walk(patterns, prefix="", namespace=None, params=()):
    for p in patterns:
        pattern = prefix + str(p.pattern)
        names = tuple(p.pattern.regex.groupindex) + params
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p.url_patterns, pattern, ns, names)
        elif isinstance(p, URLPattern):
            name = p.name
            key = f"{namespace}:{name}" if (namespace and name) else (name or pattern)
            yield Route(key=key, pattern=pattern, callback=p.callback, params=tuple(dict.fromkeys(names)))


def all_routes() -> list[Route]:
    """Each distinct (key, pattern) once; the ``.json``-style format-suffix twins are left out (same view)."""
    seen, out = set(), []
    for route in _walk(get_resolver().url_patterns):
        if FORMAT_SUFFIX.search(route.pattern):
            continue
        if (route.key, route.pattern) in seen:
            continue
        seen.add((route.key, route.pattern))
        out.append(route)
    return out


def admin_model_of(route: Route):
    """The model behind an admin route ``admin/<app>/<model>/…`` (None for the site's own pages)."""
    m = re.match(r"admin/(\w+)/(\w+)/", route.pattern)
    if not m:
        return None
    for model in admin.site._registry:
        if (model._meta.app_label, model._meta.model_name) == m.groups():
            return model
    return None
