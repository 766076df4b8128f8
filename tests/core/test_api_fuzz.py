"""API fuzzing: schemathesis generates requests from our own OpenAPI schema and sends them, in-process,
to Django's WSGI application on the real PostgreSQL test database, signed in (token) as each role.

What must hold for every generated request (issue 9, item 2):

- never a server error (``not_a_server_error``);
- the status code is one the schema documents for that operation (``status_code_conformance``);
- the content type and the body are the documented ones (``content_type_conformance``,
  ``response_schema_conformance``) — error bodies included (core.openapi documents them);
- a body or path made invalid is refused with a 4xx (``negative_data_rejection``, see
  ``invalid_body_or_path_rejected`` for why query-only negations are not held to it);
- every 400 names the field at fault (``bad_input_names_the_field``).

Data: ``seed_demo`` (a believable department: 2 stations, 16 people, 43 tickets, 17 work orders in
every state, stock documents, callbacks, visits, backups …), committed — the tests are
transactional, so every request commits and its on_commit work (notifications, eager tasks) runs,
as in production; pytest-django empties the tables afterwards. Path ids are replaced, three times
out of four, by ids that exist (listed through the API as the administrator, the manager and a
technician), so detail endpoints and actions reach real objects — including ones the role may not see.

Budget (deterministic: ``derandomize=True``, no example database, no shrinking), about 5 minutes
on a shared 2-core machine:

- deep — dispatcher, technician (tech01) and manager: every operation, ``DEEP_EXAMPLES`` positive
  and ``DEEP_NEGATIVE`` negative examples;
- shallow — supervisor, warehouse keeper, station head, general manager, finance and the
  administrator (a superuser): every operation, ``SHALLOW_EXAMPLES`` positive example.

``FUZZ_EXAMPLES=6,3`` (positive,negative for every role) makes a deeper local run,
``FUZZ_ROLES=manager,finance`` narrows it, ``FUZZ_REPORT_DIR=dir`` writes each role's failures there.
DRF has no throttling configured; django-axes locks the token sign-in after 5 failures (a 429,
documented), which the fuzzing meets and accepts.

A failure lists every failing operation with the check, the status, what was sent and received.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
import schemathesis
from django.core.management import call_command
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = [pytest.mark.slow]

DEEP_ROLES = ("dispatcher", "technician", "manager")
SHALLOW_ROLES = ("supervisor", "warehouse_keeper", "station_head", "general_manager", "finance", "admin")
# Each role → the seed_demo login that holds it (admin is also the superuser).
LOGIN_OF = {
    "dispatcher": "dispatcher",
    "technician": "tech01",
    "manager": "manager",
    "supervisor": "supervisor",
    "warehouse_keeper": "warehouse",
    "station_head": "stationhead",
    "general_manager": "gm",
    "finance": "finance",
    "admin": "admin",
}
DEEP_EXAMPLES, DEEP_NEGATIVE = 2, 1
SHALLOW_EXAMPLES, SHALLOW_NEGATIVE = 1, 0
if os.environ.get("FUZZ_EXAMPLES"):  # "positive,negative" for every role: a deeper (or quicker) local run
    _EXAMPLES = tuple(map(int, os.environ["FUZZ_EXAMPLES"].split(",")))
    DEEP_EXAMPLES, DEEP_NEGATIVE = SHALLOW_EXAMPLES, SHALLOW_NEGATIVE = _EXAMPLES

POSITIVE_CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@schemathesis.check
def invalid_body_or_path_rejected(ctx, response, case):
    """``negative_data_rejection`` for a case whose body or path was made invalid.

    A case made invalid only in its query string is not held to it: an optional filter left empty
    (``?status=``) or a value the list cannot use is ignored, as DRF and django-filter do for the
    HTML forms that send every field; such lists still must not fail (5xx) and must answer in the
    documented shape. ``page_size`` is the exception: a non-number is a 400 naming it.
    """
    meta = case.meta
    if meta is None:
        return None
    negated = {location.name.lower() for location, info in meta.components.items() if not info.mode.is_positive}
    if negated & {"body", "path"}:
        return negative_data_rejection(ctx, response, case)
    return None


NEGATIVE_CHECKS = POSITIVE_CHECKS + [invalid_body_or_path_rejected]


@schemathesis.check
def bad_input_names_the_field(ctx, response, case):
    """House rule: a 400 carries ``{"detail", "code", "errors": {field: [messages]}}`` with at least one field."""
    if response.status_code != 400:
        return None
    try:
        body = json.loads(response.content)
    except ValueError as exc:
        raise AssertionError(f"400 without a JSON body: {response.content[:200]!r}") from exc
    errors = body.get("errors") if isinstance(body, dict) else None
    if not isinstance(errors, dict) or not errors:
        raise AssertionError(f"400 whose body names no field: {body!r}")
    for name, messages in errors.items():
        if not name or not messages or not all(isinstance(m, str) and m.strip() for m in messages):
            raise AssertionError(f"400 with an empty message for {name!r}: {body!r}")
    return None


@dataclass
class Outcome:
    examples: int = 0
    statuses: Counter = field(default_factory=Counter)
    failures: dict = field(default_factory=dict)  # (operation, mode, check, status) → what was sent and received
    unsatisfiable: int = 0
    seconds: Counter = field(default_factory=Counter)


@pytest.fixture(scope="module")
def api_schema(django_db_setup, django_db_blocker):
    """The schema as served at /api/v1/schema/, loaded by schemathesis against the WSGI application."""
    from django.core.wsgi import get_wsgi_application

    with django_db_blocker.unblock():
        return schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())


@pytest.fixture
def seeded(transactional_db, settings, tmp_path):
    """seed_demo, committed (the test is transactional: every request commits, on_commit work runs,
    and pytest-django empties the tables afterwards). Returns a token per login."""
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", verbosity=0)
    return {
        user.username: Token.objects.get_or_create(user=user)[0].key
        for user in get_user_model().objects.filter(username__in=LOGIN_OF.values())
    }


def _collection_ids(client_get, path: str) -> list:
    """The ids a list endpoint shows (first 200)."""
    response = client_get(path, {"page_size": 200})
    if response.status_code != 200:
        return []
    body = response.json()
    rows = body.get("results", body) if isinstance(body, dict) else body
    if not isinstance(rows, list):
        return []
    return sorted({row["id"] for row in rows if isinstance(row, dict) and isinstance(row.get("id"), int)})


@pytest.fixture
def id_pools(api_schema, seeded):
    """Path template → the ids that exist for its ``{id}``, gathered through the list endpoints as the
    administrator, the manager and the technician (so each role is also sent ids it may not see)."""
    from rest_framework.test import APIClient

    schema, tokens = api_schema, seeded
    pools: dict[str, list] = {}
    clients = []
    for login in ("admin", "manager", "tech01"):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {tokens[login]}")
        clients.append(client)
    for result in schema.get_all_operations():
        operation = result.ok()
        path = operation.path
        if "{id}" not in path or path in pools:
            continue
        collection = path.split("{id}")[0]
        ids = set()
        for client in clients:
            ids.update(_collection_ids(client.get, collection))
        pools[path] = sorted(ids)
    sub = _sub_object_ids()
    print(f"\nid pools: {sum(bool(v) for v in pools.values())} of {len(pools)} id paths with real ids "
          f"({sum(len(v) for v in pools.values())} ids); {', '.join(f'{k} {len(v)}' for k, v in sub.items())}")
    return pools, sub


def _sub_object_ids() -> dict[str, list]:
    from tickets.models import WorkOrderItem, WorkOrderOldPart, WorkOrderPart, WorkOrderPhoto

    return {
        "item_id": sorted(WorkOrderItem.objects.values_list("pk", flat=True)),
        "line_id": sorted(
            set(WorkOrderPart.objects.values_list("pk", flat=True)) | set(WorkOrderOldPart.objects.values_list("pk", flat=True))
        ),
        "photo_id": sorted(WorkOrderPhoto.objects.values_list("pk", flat=True)),
    }


def _fuzz_operation(operation, *, token, pools, sub, mode, max_examples, outcome: Outcome) -> None:
    checks = POSITIVE_CHECKS if mode == GenerationMode.POSITIVE else NEGATIVE_CHECKS
    id_pool = pools.get(operation.path, [])

    @given(case=operation.as_strategy(generation_mode=mode), pick=st.integers(0, 10_000), real=st.integers(0, 3))
    @settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case, pick, real):
        # Three times out of four, an id that exists (when the generated one is a valid int).
        if real and case.path_parameters:
            for name, value in list(case.path_parameters.items()):
                pool = id_pool if name == "id" else sub.get(name, [])
                if pool and isinstance(value, int) and not isinstance(value, bool):
                    case.path_parameters[name] = pool[pick % len(pool)]
        headers = {"Authorization": f"Token {token}"}
        response = case.call(headers=headers)
        outcome.examples += 1
        outcome.statuses[response.status_code] += 1
        try:
            case.validate_response(response, checks=checks, additional_checks=[bad_input_names_the_field], headers=headers)
        except (AssertionError, FailureGroup) as exc:
            failures = exc.exceptions if isinstance(exc, FailureGroup) else [exc]
            for failure in failures:
                title = getattr(failure, "title", type(failure).__name__)
                key = (f"{operation.method.upper()} {operation.path}", mode.value, title, response.status_code)
                if key not in outcome.failures:
                    where = getattr(failure, "instance_path", None)  # a response schema violation: where in the body
                    outcome.failures[key] = (
                        (f"at {list(where)}: {getattr(failure, '_raw_message', '')}\n" if where is not None else "")
                        + f"{getattr(failure, 'message', failure)}"[:600]
                        + f"\n  sent: {case.method} {case.formatted_path} query={case.query!r:.200} body={case.body!r:.300}"
                        + f"\n  got: {response.content[:300]!r}"
                    )

    started = time.monotonic()
    try:
        run()
    except Unsatisfiable:
        # Nothing in this operation can be made invalid (no parameters, no body): no negative case.
        outcome.unsatisfiable += 1
    outcome.seconds[f"{operation.method.upper()} {operation.path} {mode.value}"] += time.monotonic() - started


def _fuzz_role(schema, tokens, id_pools, login, *, positive, negative) -> Outcome:
    pools, sub = id_pools
    outcome = Outcome()
    operations = [result.ok() for result in schema.get_all_operations()]
    started = time.monotonic()
    for operation in operations:
        _fuzz_operation(operation, token=tokens[login], pools=pools, sub=sub, mode=GenerationMode.POSITIVE,
                        max_examples=positive, outcome=outcome)
        if negative:
            _fuzz_operation(operation, token=tokens[login], pools=pools, sub=sub, mode=GenerationMode.NEGATIVE,
                            max_examples=negative, outcome=outcome)
    elapsed = time.monotonic() - started
    print(
        f"\nfuzz {login}: {len(operations)} operations, {outcome.examples} requests in {elapsed:.0f} s, "
        f"statuses {dict(sorted(outcome.statuses.items()))}, {len(outcome.failures)} distinct failures, "
        f"{outcome.unsatisfiable} operations with nothing to negate; slowest: "
        + ", ".join(f"{name} {sec:.1f}s" for name, sec in outcome.seconds.most_common(8))
    )
    return outcome


def _report(login, outcome: Outcome) -> str:
    lines = [f"{len(outcome.failures)} distinct failures as {login}:"]
    for (op, mode, title, status), text in sorted(outcome.failures.items()):
        lines.append(f"\n### {op} [{mode}] → {status}: {title}\n{text}")
    report = "\n".join(lines)
    if os.environ.get("FUZZ_REPORT_DIR"):
        with open(os.path.join(os.environ["FUZZ_REPORT_DIR"], f"{login}.txt"), "w") as out:
            out.write(report)
    return report


@pytest.mark.django_db(transaction=True)
def test_every_operation_fuzzed_as_every_role(subtests, api_schema, seeded, id_pools):
    """One seeded database for all nine roles (seeding is the slow part); one subtest per role."""
    only = {r for r in os.environ.get("FUZZ_ROLES", "").split(",") if r}  # to narrow a local run
    plan = [(role, DEEP_EXAMPLES, DEEP_NEGATIVE) for role in DEEP_ROLES]
    plan += [(role, SHALLOW_EXAMPLES, SHALLOW_NEGATIVE) for role in SHALLOW_ROLES]
    total = 0
    for role, positive, negative in plan:
        if only and role not in only:
            continue
        login = LOGIN_OF[role]
        with subtests.test(role=role):
            outcome = _fuzz_role(api_schema, seeded, id_pools, login, positive=positive, negative=negative)
            total += outcome.examples
            assert not outcome.failures, _report(login, outcome)
    assert total > 0


def test_every_role_is_fuzzed():
    from servicedesk.org.models import Role

    assert sorted(DEEP_ROLES + SHALLOW_ROLES) == sorted(r.value for r in Role) == sorted(LOGIN_OF)
