"""The permission matrix: every URL of the project × every role (and anonymous) → allowed or denied.

The expectations are declared once, in :mod:`tests.security.permission_matrix`; this module walks the
URL resolver, so a new URL without an entry fails ``test_every_url_has_an_entry_in_the_matrix``.
"""

from __future__ import annotations

import json
import os

import pytest

from tests.security import permission_matrix as pm
from tests.security.probe import ALLOW, DENY, ERROR, MISSING, PK_PARAMS, call, classify, client_for, url_for
from tests.security.routes import Route, admin_model_of, all_routes

ROUTES = all_routes()
CALLERS = (*pm.ROLES, pm.ANON)


def _methods(route: Route) -> list[str]:
    entry = pm.entry_for(route)
    if entry is not None and entry.methods:
        return list(entry.methods)
    if route.is_admin:
        return ["GET"]
    actions = route.drf_actions
    if actions:
        return [m.upper() for m in ("get", "post", "patch", "delete") if m in actions]
    return ["GET"]


def _model(route: Route):
    entry = pm.entry_for(route)
    if entry is not None and entry.model:
        from django.apps import apps

        return apps.get_model(entry.model)
    if pm.key_of(route) in pm.MODELS:
        from django.apps import apps

        return apps.get_model(pm.MODELS[pm.key_of(route)])
    if route.is_admin:
        return admin_model_of(route)
    cls = route.view_class
    if cls is not None:
        qs = getattr(cls, "queryset", None)
        if qs is not None:
            return qs.model
        serializer = getattr(cls, "serializer_class", None)
        meta = getattr(serializer, "Meta", None)
        if meta is not None and getattr(meta, "model", None):
            return meta.model
    return None


def _post_only(route: Route, world, clients, pk, extra) -> bool:
    """A page view that answers GET with 405 (``require_POST``) is probed with POST."""
    if route.drf_actions or route.is_admin or route.pattern.startswith("api/"):
        return False
    return call(clients["admin"], "GET", url_for(route, pk, extra), json_body=False).status_code == 405


def observe(route: Route, world, clients) -> dict[str, dict[str, str]]:
    """{method: {caller: cell}}: a cell is allow/deny, or for object routes the scope over the samples."""
    has_pk = any(p in PK_PARAMS for p in route.params)
    samples = (None,)
    if has_pk:
        model = _model(route)
        assert model is not None, f"{route.key}: an object route needs ``model=`` in the matrix entry"
        samples = world.samples(model)
    entry = pm.entry_for(route)
    extra = entry.params if entry is not None else None
    json_body = route.pattern.startswith("api/")
    out: dict[str, dict[str, str]] = {}
    methods = _methods(route)
    if methods == ["GET"] and _post_only(route, world, clients, next((p for p in samples if p), None), extra):
        methods = ["POST"]
    for method in methods:
        row = {}
        for caller in CALLERS:
            seen: dict = {}
            outcomes = []
            for pk in samples:
                if has_pk and pk is None:
                    outcomes.append(MISSING)
                    continue
                if pk not in seen:  # department-wide rows: the same object stands for all three
                    url = url_for(route, pk, extra)
                    response = call(clients[caller], method, url, json_body=json_body)
                    cell = classify(response, url)
                    if cell == ERROR and entry is not None and response.status_code in entry.unavailable:
                        cell = ALLOW  # e.g. /health/ answers 503 while no Celery worker runs: by design
                    seen[pk] = f"ERROR {response.status_code}" if cell == ERROR else cell
                outcomes.append(seen[pk])
            row[caller] = pm.scope_of(outcomes) if has_pk else outcomes[0]
        out[method] = row
    return out


@pytest.fixture
def clients(demo_world):
    """Fresh signed-in clients for each URL: a POST to the logout or language view must not carry over."""
    return {caller: client_for(demo_world.users.get(caller)) for caller in CALLERS}


def test_every_url_has_an_entry_in_the_matrix():
    missing = [f"{r.key}  ({r.pattern})" for r in ROUTES if pm.entry_for(r) is None]
    assert not missing, "URLs with no entry in tests/security/permission_matrix.py:\n" + "\n".join(missing)


def test_the_matrix_names_no_url_that_does_not_exist():
    keys = {pm.key_of(r) for r in ROUTES}
    stale = sorted(set(pm.MATRIX) - keys)
    assert not stale, f"entries for URLs that no longer exist: {stale}"


DUMP = os.environ.get("PERMISSION_MATRIX_DUMP")


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: pm.key_of(r))
def test_route_answers_every_role_as_the_matrix_says(route, demo_world, clients, db):
    observed = observe(route, demo_world, clients)
    if DUMP:
        with open(DUMP, "a") as fh:
            fh.write(json.dumps({"key": pm.key_of(route), "pattern": route.pattern, "observed": observed}) + "\n")
    errors = [f"{m} as {c}: {cell}" for m, row in observed.items() for c, cell in row.items() if "ERROR" in cell]
    assert not errors, f"{route.pattern}: server errors: {errors}"
    entry = pm.entry_for(route)
    assert entry is not None, f"{route.key}: no entry in the matrix"
    expected = {m: entry.expected(m) for m in observed}
    wrong = [
        f"{m} as {c}: expected {expected[m][c]}, got {cell}"
        for m, row in observed.items()
        for c, cell in row.items()
        if expected[m][c] != cell
    ]
    assert not wrong, f"{route.pattern}:\n" + "\n".join(wrong)


# --- lists show exactly what the detail pages allow ------------------------------------------------

_DETAIL_KEYS = {r.key for r in ROUTES}
LIST_ROUTES = [
    r for r in ROUTES
    if r.key.endswith("-list") and "get" in r.drf_actions and r.key[: -len("-list")] + "-detail" in _DETAIL_KEYS
]


def _list_ids(client, url: str) -> set | None:
    """Every id the list shows (all pages), or None when the caller may not read the list at all."""
    ids: set = set()
    while url:
        response = client.get(url)
        if response.status_code != 200:
            return None
        body = response.json()
        rows = body.get("results", body) if isinstance(body, dict) else body
        ids |= {row.get("id") for row in rows if isinstance(row, dict)}
        url = body.get("next") if isinstance(body, dict) else None
    return ids


@pytest.mark.parametrize("route", LIST_ROUTES, ids=lambda r: r.key)
def test_list_shows_each_caller_the_objects_its_detail_route_allows(route, demo_world, clients, db):
    """A list is scoped like its detail route: of the three samples, the list holds exactly those the
    matrix lets the caller open (``ALL`` → all three, ``STATION`` → SH01's two, ``OWN`` → his own)."""
    detail_key = route.key[: -len("-list")] + "-detail"
    detail = next(r for r in ROUTES if r.key == detail_key)
    entry = pm.MATRIX.get(detail_key)
    assert entry is not None and "GET" in entry.cells, f"{detail_key}: no GET row in the matrix"
    model = _model(detail)
    samples = demo_world.samples(model)
    base = url_for(route) + "?page_size=200"
    wrong = []
    for caller in CALLERS:
        expected = entry.cells["GET"][caller]
        if expected not in (pm.ALL, pm.STATION, pm.OWN, pm.DENY):
            continue  # a sample is missing or the scope is unusual: the detail test judges it
        ids = _list_ids(clients[caller], base)
        if ids is None:
            continue  # the list itself is denied: the route test judges that cell
        seen = [pm.ALLOW if pk in ids else pm.DENY for pk in samples]
        if pm.scope_of(seen) != expected:
            wrong.append(f"{caller}: the list shows {pm.scope_of(seen)}, the detail allows {expected}")
    assert not wrong, f"{route.pattern}:\n" + "\n".join(wrong)
