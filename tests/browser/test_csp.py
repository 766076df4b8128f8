"""The Content-Security-Policy in a real browser: the key pages of every role, on the demo
department's data, load and work with 0 violations (no inline script, no unnonced style, nothing
from another origin). SECURITY.md, "Content-Security-Policy"."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.browser.csp import watch_csp  # noqa: E402
from tests.browser.test_login import CHROMIUM, browser  # noqa: E402,F401  (the fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="system Chromium is not installed (apt-get install chromium)"),
]


@pytest.fixture
def demo(db):
    from django.contrib.auth import get_user_model

    from servicedesk.core.demo import DEMO_PASSWORD
    from tickets.models import Ticket, WorkOrder

    call_command("seed_demo", verbosity=0)
    tech_order = WorkOrder.objects.filter(technician__user__username="tech01").order_by("pk").first()
    assert tech_order is not None
    return {
        "password": DEMO_PASSWORD,
        "tech_order": tech_order,
        "tech": tech_order.technician.user.username,
        "ticket": Ticket.objects.order_by("pk").first(),
        "admin_pk": get_user_model().objects.get(username="admin").pk,
    }


def _login(page, base, username, password):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("button[type=submit].btn-primary")
    assert "/accounts/login/" not in page.url, f"{username} could not log in"


def _visit(page, url, ready=None):
    response = page.goto(url)
    assert response.status == 200, (url, response.status)
    assert "default-src 'self'" in response.headers["content-security-policy"]
    if ready:
        page.wait_for_selector(ready, timeout=30_000)
    page.wait_for_load_state("networkidle")


def test_key_pages_of_every_role_have_no_csp_violations(live_server, demo, browser):
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    violations = watch_csp(context)
    page = context.new_page()

    # Anonymous: the login page.
    _visit(page, f"{base}/accounts/login/", "input[name=username]")

    # Technician: today's work and the order page of the tablet (its scripts run: drafts, photos).
    _login(page, base, demo["tech"], demo["password"])
    _visit(page, f"{base}/tablet/work/")
    _visit(page, f"{base}/tablet/orders/{demo['tech_order'].pk}/", "#steps")
    context.clear_cookies()

    # Dispatcher: the admin's ticket changelist (SLA countdown script), a ticket, the dispatch board.
    _login(page, base, "dispatcher", demo["password"])
    _visit(page, f"{base}/admin/tickets/ticket/", "#result_list")
    _visit(page, f"{base}/admin/tickets/ticket/{demo['ticket'].pk}/change/", "#content-main")
    _visit(page, f"{base}/admin/tickets/ticket/board/")
    context.clear_cookies()

    # Supervisor: the callbacks workbench and the quotas page (progress bars).
    _login(page, base, "supervisor", demo["password"])
    _visit(page, f"{base}/visits/callbacks/")
    _visit(page, f"{base}/visits/callbacks/quotas/", ".meter-fill")
    widths = page.eval_on_selector_all(".meter-fill", "els => els.map(e => e.style.width)")
    assert widths and all(w.endswith("%") for w in widths), widths  # set by page.js, not style=""
    context.clear_cookies()

    # Manager: the monthly statistics with the server's SVG charts, and the API docs.
    _login(page, base, "manager", demo["password"])
    _visit(page, f"{base}/reports/statistics/", "svg.chart")
    _visit(page, f"{base}/api/v1/docs/", ".swagger-ui .info")
    _visit(page, f"{base}/api/v1/redoc/", ".api-content")
    context.clear_cookies()

    # The admin's own pages as the administrator: the index and a change form with its widgets.
    _login(page, base, "admin", demo["password"])
    _visit(page, f"{base}/admin/", "#content-main")
    _visit(page, f"{base}/admin/auth/user/{demo['admin_pk']}/change/", "#content-main")
    context.close()
    # One block is the policy doing its job, not a fault of a page: Redoc's footer shows Redocly's
    # logo from their CDN, which img-src refuses (nothing is loaded from another origin).
    redoc_logo = "https://cdn.redoc.ly/"
    assert [v for v in violations if redoc_logo not in v] == []
