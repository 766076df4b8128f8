"""The ticket search (API ``?search=`` and the admin's search box): what it finds, that both find
the same, that it never widens a caller's scope, and that every comparison it makes can use the
trigram index built for it (migration ``tickets/0008``) — the load run's slowest list (BENCHMARKS.md)."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tests.factories import CustomerFactory
from tests.tickets.desk import admin_as, desk, register  # noqa: F401
from tickets import selectors, services
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

API = "/api/v1/tickets/"
CHANGELIST = "/admin/tickets/ticket/"


@pytest.fixture
def calls(dispatcher, desk):
    """Three calls: the hospital's (unit AC2611000001), the park's (AC2611000002) and a consultation."""
    return {
        "hospital": register(dispatcher, desk.customer, unit=desk.unit, caller_phone="139-1234-5678"),
        "park": register(dispatcher, desk.other_customer, unit=desk.other_unit, caller_phone="021-62345678"),
        "consult": register(dispatcher, desk.customer, kind="consultation", caller_phone="13812345678"),
    }


def test_the_search_finds_a_ticket_by_each_of_its_four_fields_in_the_api_and_the_admin(
    api_client_as, admin_as, dispatcher, calls
):
    api, admin = api_client_as(dispatcher), admin_as(dispatcher)
    numbers = {t.number for t in calls.values()}

    def found(text):
        listed = {row["number"] for row in api.get(API, {"search": text}).json()["results"]}
        page = admin.get(CHANGELIST, {"q": text}).content.decode()
        assert listed == {n for n in numbers if n in page}, f"API and admin differ for {text!r}"
        return {name for name, t in calls.items() if t.number in listed}

    assert found(calls["park"].number) == {"park"}
    assert found(calls["park"].number.lower()) == {"park"}  # case does not matter
    assert found("苏州工业园区") == {"park"}  # customer's name, a part of it
    assert found("AC2611000001") == {"hospital"}  # unit serial
    assert found("ac26110000") == {"hospital", "park"}
    # The phone as the caller says it: digits compared, whatever spaces and dashes either side has.
    assert found("021 6234 5678") == {"park"}
    assert found("(021) 6234-5678") == {"park"}
    assert found("13912345678") == {"hospital"}
    assert found("1391234") == {"hospital"}
    assert found("12345678") == {"hospital", "consult"}
    # Every term must match (spaces and commas, full-width too, separate terms; quotes keep a phrase).
    assert found("浦东 AC2611000001") == {"hospital"}
    assert found("浦东，苏州") == set()
    assert found('"人民医院"') == {"hospital", "consult"}
    assert found("没有这个客户") == set()
    assert found("") == {"hospital", "park", "consult"}


def test_a_term_naming_many_customers_is_matched_by_a_sub_select_with_the_same_answer(
    api_client_as, dispatcher, desk, calls, monkeypatch
):
    api = api_client_as(dispatcher)
    CustomerFactory(name="浦东新区第二人民医院", station=desk.customer.station)
    before = {row["number"] for row in api.get(API, {"search": "人民医院"}).json()["results"]}
    monkeypatch.setattr(selectors, "SEARCH_ID_LIMIT", 1)
    with CaptureQueriesContext(connection) as captured:
        after = {row["number"] for row in api.get(API, {"search": "人民医院"}).json()["results"]}
    assert after == before == {calls["hospital"].number, calls["consult"].number}
    page = next(q["sql"] for q in captured.captured_queries if "tickets_ticket" in q["sql"] and "ARRAY" in q["sql"])
    assert "tickets_customer" in page.split("FROM", 2)[2]  # the customers' sub-select is in the page query


def test_the_search_never_widens_what_a_technician_sees(api_client_as, dispatcher, technician, desk, calls):
    # The technician sees the tickets he has an order for: the hospital's, not the consultation.
    services.dispatch_ticket(ticket=calls["hospital"], technician=technician, actor=dispatcher.user)
    api = api_client_as(technician)

    def found(text):
        return [row["number"] for row in api.get(API, {"search": text}).json()["results"]]

    assert found("浦东") == [calls["hospital"].number]
    for text in ("苏州工业园区", "AC2611000002", "021 6234 5678", calls["park"].number, calls["consult"].number):
        assert found(text) == [], text


def test_a_searched_list_runs_a_constant_number_of_queries(
    api_client_as, dispatcher, desk, calls, django_assert_max_num_queries
):
    api = api_client_as(dispatcher)
    api.get(API, {"search": "浦东"})
    for more in (1, 30):
        for _ in range(more):
            register(dispatcher, desk.customer, unit=desk.unit)
        # session, user, groups, two permission reads; per term the customers' and the units' ids;
        # the page. Two terms add two lookups.
        with django_assert_max_num_queries(8):
            assert len(api.get(API, {"search": "浦东", "page_size": 50}).json()["results"]) >= more
        with django_assert_max_num_queries(10):
            assert api.get(API, {"search": "浦东 AC2611000001"}).status_code == 200


def _plan(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)  # captured SQL has its values in (params None)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("T-2026-0000", "ticket_number_trgm"),
        ("021 6234 5678", "ticket_phone_digits_trgm"),
        ("工业园区", "customer_name_trgm"),
        ("AC26110", "unit_serial_trgm"),
    ],
)
def test_every_comparison_of_the_search_can_use_its_trigram_index(calls, text, index):
    if connection.vendor != "postgresql":
        pytest.skip("the trigram indexes are PostgreSQL's (the SQLite quick start compares every row)")
    # A test table is tiny, so the planner would rather read it whole or walk the newest-first
    # index: forbid both, and the plan shows whether the trigram index matches the expression the
    # search compares (a drift between the query and the migration fails here).
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
        with CaptureQueriesContext(connection) as lookups:
            tickets = selectors.search_tickets(Ticket.objects.all(), text).order_by("-registered_at", "-pk")
        plans = [_plan(q["sql"]) for q in lookups.captured_queries]
        plans.append(_plan(*tickets.values("pk").query.sql_with_params()))
    assert any(index in plan for plan in plans), "\n\n".join(plans)
