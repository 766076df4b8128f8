"""The lean ticket list: the API page and the admin changelist at the level a dispatcher uses them —
same output as the serializer field by field, the same clock as the countdown, constant queries."""

import itertools
import json
from datetime import timedelta

import pytest
from django.contrib import admin
from django.db import connection
from django.utils import timezone

from tickets import selectors, services
from tickets.bench import full_table_counts
from tickets.models import SLAClock, Ticket
from tickets.serializers import TicketListSerializer
from tickets.views import nearest_clock
from tests.tickets.desk import admin_as, desk, many_tickets, register  # noqa: F401

pytestmark = pytest.mark.django_db

API = "/api/v1/tickets/"
CHANGELIST = "/admin/tickets/ticket/"


def test_the_list_rows_say_what_the_serializer_says_field_by_field(api_client_as, dispatcher, desk):
    user = dispatcher.user
    now = timezone.now()
    register(dispatcher, desk.customer, unit=desk.unit, now=now - timedelta(hours=3))  # breached
    register(dispatcher, desk.other_customer, appointment_at=now + timedelta(days=1))  # running, no unit
    replied = register(dispatcher, desk.customer, unit=desk.unit)
    services.reply_to_customer(ticket=replied, actor=user, text="已安排")  # first reply met
    held = register(dispatcher, desk.customer, kind="complaint", description="维修后又坏了")
    services.hold_ticket(ticket=held, actor=user, reason="等客户确认")  # paused
    consult = register(dispatcher, desk.customer, kind="consultation", description="咨询保养")
    services.reply_to_customer(ticket=consult, actor=user, text="明年一月", close=True)  # all stopped

    tickets = selectors.tickets_visible_to(user).order_by("-registered_at", "-pk")
    by_field = [TicketListSerializer(t, context={"now": now}).data for t in tickets]
    rows = list(selectors.ticket_list_rows(tickets))
    lean = TicketListSerializer(rows, many=True, context={"now": now}).data
    assert json.loads(json.dumps(lean)) == json.loads(json.dumps(by_field))
    assert {t["sla"]["state"] for t in lean} >= {"breached", "running", "paused", "met"}

    # And through the API, the same fields in the same order.
    page = api_client_as(dispatcher).get(API).json()["results"]
    assert [list(t) for t in page] == [list(t) for t in by_field]
    assert [t["number"] for t in page] == [t["number"] for t in by_field]


# One clock of each kind the countdown must rank (start 10:00, target 6 h, ``due`` deadlines).
def test_the_quick_starts_portable_rows_equal_the_sql_rows(dispatcher, desk):
    """SQLite (the quick start) has no arrays or LATERAL joins: the ORM path must give the same rows."""
    now = timezone.now()
    register(dispatcher, desk.customer, unit=desk.unit, now=now - timedelta(hours=3))
    register(dispatcher, desk.other_customer, appointment_at=now + timedelta(days=1))
    held = register(dispatcher, desk.customer, kind="complaint", description="维修后又坏了")
    services.hold_ticket(ticket=held, actor=dispatcher.user, reason="等客户确认")
    tickets = selectors.tickets_visible_to(dispatcher.user).order_by("-registered_at", "-pk")
    rows = selectors.ticket_list_rows(tickets)
    by_sql = list(rows)
    portable = list(rows._iterable_class(rows)._portable())
    lean_sql = TicketListSerializer(by_sql, many=True, context={"now": now}).data
    lean_portable = TicketListSerializer(portable, many=True, context={"now": now}).data
    assert json.loads(json.dumps(lean_portable)) == json.loads(json.dumps(lean_sql))


def _clock(kind: str, code: str, base):
    running = dict(running_since=base, due_at=base + timedelta(hours=6), warn_at=base + timedelta(hours=5))
    stopped = dict(running_since=None, stopped_at=base + timedelta(hours=2), due_at=base + timedelta(hours=6))
    return {
        "running": running,
        "running_sooner": {**running, "due_at": base + timedelta(hours=1)},
        "running_no_deadline": dict(running_since=base, due_at=None),
        "paused": dict(running_since=None, elapsed=timedelta(hours=1)),
        "paused_less_left": dict(running_since=None, elapsed=timedelta(hours=5)),
        "met": stopped,
        "met_later": {**stopped, "stopped_at": base + timedelta(hours=3)},
        "missed": {**stopped, "stopped_at": base + timedelta(hours=7)},
        "missed_breached": {**stopped, "breached_at": base + timedelta(hours=1)},
        "cancelled": dict(running_since=None, cancelled=True, stopped_at=base),
    }[kind] | dict(target_code=code, kind="calendar", target=timedelta(hours=6), started_at=base)


def test_the_clock_picked_in_sql_is_the_countdown_clock(dispatcher, desk):
    ticket = register(dispatcher, desk.customer, unit=desk.unit)
    base = timezone.now() - timedelta(hours=1)
    kinds = [
        "running", "running_sooner", "running_no_deadline", "paused", "paused_less_left", "met", "met_later", "missed",
        "missed_breached", "cancelled",
    ]
    combos = [c for n in (1, 2, 3) for c in itertools.combinations(kinds, n)]
    for combo in combos:
        SLAClock.objects.filter(ticket=ticket).delete()
        for i, kind in enumerate(combo):
            SLAClock.objects.create(ticket=ticket, **_clock(kind, f"t{i}", base))
        expected = nearest_clock(SLAClock.objects.filter(ticket=ticket))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT k.id FROM tickets_slaclock k WHERE k.ticket_id = %s ORDER BY {selectors.NEAREST_CLOCK_ORDER} LIMIT 1",
                [ticket.pk],
            )
            picked = cursor.fetchone()[0]
        assert picked == expected.pk, combo


def test_the_api_list_runs_one_query_for_the_page_whatever_its_size(api_client_as, dispatcher, many_tickets, django_assert_max_num_queries):
    many_tickets(30)
    api = api_client_as(dispatcher)
    api.get(API)  # roles and permissions are cached on the user from here on
    counts = []
    for size in (2, 30):
        with django_assert_max_num_queries(6) as captured:
            body = api.get(API, {"page_size": size}).json()
        assert len(body["results"]) == size
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], counts


def test_the_api_list_pages_back_and_forth_and_filters(api_client_as, dispatcher, desk, many_tickets):
    tickets = many_tickets(5)
    api = api_client_as(dispatcher)
    first = api.get(API, {"page_size": 2}).json()
    second = api.get(first["next"]).json()
    back = api.get(second["previous"]).json()
    assert [t["number"] for t in back["results"]] == [t["number"] for t in first["results"]] == [
        tickets[4].number, tickets[3].number,
    ]
    other = register(dispatcher, desk.other_customer, caller_phone="021-62345678")
    assert [t["number"] for t in api.get(API, {"station": desk.other_customer.station_id}).json()["results"]] == [other.number]
    assert [t["number"] for t in api.get(API, {"search": "62345678"}).json()["results"]] == [other.number]
    bad = api.get(API, {"status": "nonsense"})
    assert bad.status_code == 400 and "status" in bad.json()["errors"]


def test_the_changelist_runs_constant_queries_whatever_the_page_size_and_never_counts_the_table(
    admin_as, dispatcher, many_tickets, django_assert_max_num_queries, monkeypatch
):
    many_tickets(12)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tickets_ticket")
    client = admin_as(dispatcher)
    client.get(CHANGELIST)
    ticket_admin = admin.site._registry[Ticket]
    counts = []
    for size in (3, 12):
        monkeypatch.setattr(ticket_admin, "list_per_page", size)
        with django_assert_max_num_queries(10) as captured:
            page = client.get(CHANGELIST)
        assert page.status_code == 200
        assert page.content.decode().count('class="action-select"') == size
        queries = [q["sql"] for q in captured.captured_queries]
        assert not full_table_counts(queries), queries
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
