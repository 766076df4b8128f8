"""The lean ticket changelist (tickets/admin_changelist.py) as the dispatcher uses it: the same rows,
countdown, links, sidebar and action picker as Django's own rendering, any sort order and page,
a constant number of queries for 50 or 200 rows, and Django's rows where the lean ones do not apply."""

import re
from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.templatetags.admin_list import items_for_result
from django.db import connection
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import timezone, translation

from tickets import admin_changelist, selectors, services
from tickets.bench import _seed_tickets, full_table_counts
from tickets.models import SLAClock, Ticket
from tickets.views import CountdownCells, clock_view, sla_badge
from tests.factories import CustomerFactory
from tests.tickets.desk import admin_as, desk, many_tickets, register  # noqa: F401

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/tickets/ticket/"


def squeeze(html: str) -> str:
    """Markup without the template's indentation, for comparing with what Python writes."""
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", str(html))).strip()


def numbers_in(page: str) -> list[str]:
    return re.findall(r'<th class="field-number"><a href="[^"]*">([^<]+)</a></th>', page)


@pytest.fixture
def frozen_now(monkeypatch):
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now)
    return now


@pytest.fixture
def tickets_in_every_state(dispatcher, desk, station_a):
    """A ticket for each countdown state, a key customer, a working-time clock and a name to escape."""
    now = timezone.now()
    register(dispatcher, desk.customer, kind="consultation")  # ok
    register(dispatcher, desk.customer, kind="consultation", now=now - timedelta(minutes=13))  # warning
    register(dispatcher, desk.customer, unit=desk.unit, now=now - timedelta(hours=2))  # breached
    paused = register(dispatcher, desk.customer, kind="consultation")
    services.hold_ticket(ticket=paused, actor=dispatcher.user, reason="等客户回电")
    met = register(dispatcher, desk.customer, kind="complaint")
    services.give_plan(ticket=met, actor=dispatcher.user, text="明天上门")
    closed = register(dispatcher, desk.customer, kind="consultation")
    services.reply_to_customer(ticket=closed, actor=dispatcher.user, text="已答复", close=True)
    working = register(dispatcher, desk.other_customer)
    SLAClock.objects.filter(ticket=working).update(kind="working")
    evil = CustomerFactory(name='<script>alert("x")</script> & 公司', station=station_a)
    register(dispatcher, evil, kind="consultation")
    no_clock = register(dispatcher, desk.customer, kind="consultation")
    SLAClock.objects.filter(ticket=no_clock).delete()


def test_the_rows_are_the_rows_django_would_write(admin_as, dispatcher, tickets_in_every_state, frozen_now):
    client = admin_as(dispatcher)
    response = client.get(CHANGELIST, {"channel__exact": "phone"})
    assert response.status_code == 200
    cl = response.context["cl"]
    assert cl.lean
    page = response.content.decode()
    assert "&lt;script&gt;" in page and "<script>alert" not in page
    assert set(re.findall(r'data-sla-state="(\w+)"', page)) >= {"ok", "warning", "breached", "paused", "met"}
    assert "_changelist_filters=channel__exact%3Dphone" in page  # the change links keep the filter

    with translation.override("zh-hans"):
        lean = cl.rows()
        tickets = list(cl.model_admin.get_queryset(response.wsgi_request).order_by("-registered_at", "-pk"))
        by_django = ["<tr>" + "".join(items_for_result(cl, t, None)) + "</tr>" for t in tickets]
    assert lean == by_django
    for row in lean:
        assert row in page


def test_the_countdown_cell_is_the_ticket_pages_badge_for_every_clock(dispatcher, tickets_in_every_state):
    later = timezone.now() + timedelta(minutes=3)
    cells = CountdownCells(later)
    clocks = list(SLAClock.objects.all())
    assert {c.kind for c in clocks} == {"calendar", "working"}
    for clock in clocks:
        assert cells(clock) == sla_badge(clock_view(clock, later)), clock
    # And from the one-query rows the list reads.
    by_pk = {c.pk: c for c in clocks}
    for row in selectors.ticket_list_rows(Ticket.objects.order_by("-registered_at", "-pk")):
        if row["clock"] is not None:
            assert cells(row["clock"]) == sla_badge(clock_view(by_pk[row["clock"].pk], later))
    assert cells(None) == "—"


def test_any_sort_order_and_page_comes_back_in_the_order_asked(admin_as, dispatcher, desk, many_tickets, monkeypatch):
    made = many_tickets(7)
    monkeypatch.setattr(admin.site._registry[Ticket], "list_per_page", 3)
    client = admin_as(dispatcher)
    newest_first = [t.number for t in reversed(made)]
    assert numbers_in(client.get(CHANGELIST).content.decode()) == newest_first[:3]
    assert numbers_in(client.get(CHANGELIST, {"p": 2}).content.decode()) == newest_first[3:6]
    # Sorted by number, ascending then descending (the column the dispatcher clicks).
    by_number = sorted(t.number for t in made)
    assert numbers_in(client.get(CHANGELIST, {"o": "1"}).content.decode()) == by_number[:3]
    assert numbers_in(client.get(CHANGELIST, {"o": "-1"}).content.decode()) == by_number[::-1][:3]


def test_the_changelist_runs_the_same_queries_for_50_or_200_rows(admin_as, dispatcher, django_assert_max_num_queries, monkeypatch):
    _seed_tickets(250)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tickets_ticket")
    client = admin_as(dispatcher)
    client.get(CHANGELIST)
    counts = []
    for size in (50, 200):
        monkeypatch.setattr(admin.site._registry[Ticket], "list_per_page", size)
        with django_assert_max_num_queries(10) as captured:
            page = client.get(CHANGELIST).content.decode()
        assert page.count('class="action-select"') == size and page.count('data-sla-state="ok"') == size
        queries = [q["sql"] for q in captured.captured_queries]
        assert not full_table_counts(queries), queries
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_checked_rows_reach_the_action(admin_as, dispatcher, desk):
    ticket = register(dispatcher, desk.customer, unit=desk.unit)
    client = admin_as(dispatcher)
    page = client.get(CHANGELIST).content.decode()
    checkbox = re.search(r'<input type="checkbox" name="_selected_action" value="(\d+)" class="action-select"', page)
    assert checkbox and int(checkbox.group(1)) == ticket.pk
    assert '<select name="action" required>' in page and 'value="reply_tickets"' in page
    assert '<input type="hidden" name="select_across" value="0" class="select-across">' in page
    chosen = client.post(CHANGELIST, {"action": "reply_tickets", "_selected_action": [checkbox.group(1)], "index": "0"})
    assert chosen.status_code == 200 and chosen.context["op"].name == "reply"


def test_the_sidebar_and_the_action_picker_are_djangos_own_markup(admin_as, dispatcher, station_head):
    for person in (dispatcher, station_head):
        response = admin_as(person).get(CHANGELIST)
        context, request = response.context, response.wsgi_request
        with translation.override("zh-hans"):
            django_sidebar = render_to_string("admin/nav_sidebar.html", {"available_apps": context["available_apps"]}, request)
            ours = admin_changelist.nav_sidebar(context["available_apps"], request.path)
            assert squeeze(ours) == squeeze(django_sidebar)
            assert 'aria-current="page"' in ours and "current-model" in ours

            form = ActionForm(auto_id=None)
            form.fields["action"].choices = [("", "---------"), ("reply_tickets", "回复客户"), ("x&y", '<b>"引号"</b>')]
            django_fields = Template(
                "{% for field in f %}{% if field.label %}<label>{{ field.label }} {{ field }}</label>{% else %}{{ field }}{% endif %}{% endfor %}"
            ).render(Context({"f": form}))
            assert squeeze(admin_changelist.action_fields(form)) == squeeze(django_fields)
    assert squeeze(admin_changelist.nav_sidebar([], "/admin/")).endswith("</p></nav>")


def test_a_popup_gets_djangos_own_rows(admin_as, dispatcher, desk):
    ticket = register(dispatcher, desk.customer, unit=desk.unit)
    response = admin_as(dispatcher).get(CHANGELIST, {"_popup": "1", "_to_field": "id"})
    assert response.status_code == 200 and not response.context["cl"].lean
    assert f'data-popup-opener="{ticket.pk}"' in response.content.decode()
