"""A technician signs in on the real login page in Chromium and sees his tablet home."""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from such a
# thread unless told it is safe (it is: the loop only drives the browser).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="system Chromium is not installed (apt-get install chromium)"),
]


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    from django.db import connections

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            # ORM calls a test makes while the loop runs get connections of their own (asgiref
            # keys them by context): close them here, in that context, or their sessions outlive
            # the run and stop the test database from being dropped at its end.
            connections.close_all()
            browser.close()


def test_technician_signs_in_on_a_tablet_and_sees_his_customers(
    live_server, technician, tech_customer, other_tech_customer, password, tmp_path, browser
):
    # ``browser`` comes last: rows are created before Playwright starts its event loop, so the ORM
    # uses the test's own connection (one made inside the loop would outlive the test).
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN", has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/tablet/")

    # Not signed in: sent to the Chinese login page.
    assert "/accounts/login/" in page.url
    assert page.locator("h1").inner_text() == "登录"
    page.fill("input[name=username]", technician.user.username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit].btn-primary")
    page.wait_for_url(f"{live_server.url}/tablet/")

    assert page.locator("#staff-name").inner_text().startswith(technician.name)
    customer_card = page.locator("article.customer").first
    assert tech_customer.name in customer_card.inner_text()
    assert customer_card.locator('a[href="tel:021-58752345"]').count() == 1
    assert other_tech_customer.name not in page.content()
    # Touch targets: the phone link is at least 44 px high.
    assert customer_card.locator("a.phone-link").first.bounding_box()["height"] >= 44

    screenshot = tmp_path / "tablet-home.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 10_000

    # The language switch in the account menu turns the page into English.
    page.click("details.account summary")
    page.click("button[name=language][value=en]")
    page.wait_for_load_state()
    assert page.locator("#customers-title").inner_text().startswith("My customers")
    context.close()
