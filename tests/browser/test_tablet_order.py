"""A technician carries one work order on a tablet-sized Chromium, at 1024×768 and at 768×1024:
acceptance, appointment, arrival, the diagnosis (once while the network is down), a service item,
a part from his van, a 12-megapixel photo downscaled in the browser, the price, completion and the
customer's signature drawn on the pad; then the supervisor reviews it and the ledger and the seal
are checked. Screenshots go to /tmp/tablet-shots/."""

import io
import os
from decimal import Decimal
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.browser.csp import watch_csp  # noqa: E402
from tests.browser.test_login import CHROMIUM, browser  # noqa: E402,F401  (the fixture)
from tests.spares.conftest import on_hand  # noqa: E402
from tests.workorders.conftest import (  # noqa: E402,F401  (fixtures)
    _books_equal_the_ledger_after_each_test,
    central,
    compressor,
    make_part,
    order,
    put_stock,
    service_item,
    stocked_van,
    thermostat,
    ticket,
    van_a,
)

SHOTS = Path("/tmp/tablet-shots")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="system Chromium is not installed (apt-get install chromium)"),
]


def big_jpeg(path: Path) -> int:
    """A 12-megapixel camera-like JPEG (noise keeps it large, as a real photo is)."""
    from PIL import Image

    noise = Image.effect_noise((4000, 3000), 60).convert("RGB")
    gradient = Image.linear_gradient("L").resize((4000, 3000)).convert("RGB")
    Image.blend(noise, gradient, 0.5).save(path, "JPEG", quality=92)
    return path.stat().st_size


def tall_enough(page, selector, minimum=44):
    box = page.locator(selector).first.bounding_box()
    assert box and box["height"] >= minimum, (selector, box)


def post_and_wait(page, selector):
    with page.expect_navigation():
        page.click(selector)


@pytest.mark.parametrize("size", [(1024, 768), (768, 1024)], ids=["landscape", "portrait"])
def test_technician_walks_an_order_to_the_signature_on_a_tablet(
    size, live_server, technician, supervisor, password, order, service_item, stocked_van, thermostat, tmp_path, browser
):
    from tickets import work_orders as wo
    from tickets.models import WorkOrder, WorkOrderPhoto
    from spares.models import StockMove

    width, height = size
    tag = f"{width}x{height}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    before = on_hand(thermostat, stocked_van)
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN", has_touch=True)
    csp_violations = watch_csp(context)  # the whole walk, signature pad included, under the CSP
    page = context.new_page()
    base = live_server.url

    page.goto(f"{base}/tablet/")
    page.fill("input[name=username]", technician.user.username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit].btn-primary")
    page.wait_for_url(f"{base}/tablet/")

    # From the tablet home to today's work, to the order.
    post_and_wait(page, "#my-work-link")
    card = page.locator(f'article.wo-card[data-order="{order.pk}"]')
    assert order.customer.name in card.inner_text()
    tall_enough(page, f'article.wo-card[data-order="{order.pk}"] a.phone-link')
    assert card.locator(".sd-sla").count() == 1
    post_and_wait(page, f'article.wo-card[data-order="{order.pk}"] a.btn-primary')
    order_url = f"{base}/tablet/orders/{order.pk}/"
    assert page.url.startswith(order_url)

    tall_enough(page, "#steps button[type=submit]")
    post_and_wait(page, "#steps form[action$='/accept/'] button")
    from django.utils import timezone

    soon = timezone.localtime() + timezone.timedelta(minutes=30)
    page.fill("#confirm-appointment_at", soon.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#confirm-note", "王主任接的电话")
    post_and_wait(page, "#steps form[action$='/confirm/'] button")
    post_and_wait(page, "#steps form[action$='/arrive/'] button")
    assert WorkOrder.objects.get(pk=order.pk).status == "arrived"

    # The diagnosis while the network is down: kept on the tablet, sent when it is back.
    context.set_offline(True)
    page.fill("#report-diag_listen", "外机异响，客户说制冷差")
    page.fill("#report-diag_look", "风扇叶片变形")
    page.fill("#report-diag_check", "电容正常，压力偏低")
    page.fill("#report-running_time", "3200 小时")
    page.select_option("#report-opened_before", "no")
    page.fill("#report-cause", "风扇叶片老化变形")
    page.select_option("#report-responsibility", "use")
    page.fill("#report-resolution", "更换温控器并清洗")
    page.fill("#report-labour_minutes", "50")
    page.click("#report button[type=submit]")
    banner = page.locator("#offline-banner")
    banner.wait_for(state="visible")
    assert page.evaluate("JSON.parse(localStorage.getItem('sd-tablet-queue')).length") == 1
    assert page.evaluate(f"JSON.parse(localStorage.getItem('sd-draft:report-{order.pk}')).fields.cause") == "风扇叶片老化变形"
    assert WorkOrder.objects.get(pk=order.pk).cause == ""
    with page.expect_navigation():
        context.set_offline(False)  # `online` fires: the queue is sent, then the page reloads
    assert WorkOrder.objects.get(pk=order.pk).cause == "风扇叶片老化变形"
    assert page.evaluate("JSON.parse(localStorage.getItem('sd-tablet-queue') || '[]').length") == 0

    # A service item of the price list and a part from the van.
    page.select_option("#item_add-service_item", str(service_item.pk))
    post_and_wait(page, "#items form[action$='/item_add/'] button")
    page.select_option("#part_add-part", str(thermostat.pk))
    post_and_wait(page, "#part-add button[type=submit]")
    assert on_hand(thermostat, stocked_van) == before - 1

    # A 12-megapixel photo, downscaled in the browser before it leaves the tablet.
    photo = tmp_path / "camera.jpg"
    original = big_jpeg(photo)
    assert original > 2 * 1024 * 1024
    page.set_input_files("#photo-image", str(photo))
    page.wait_for_selector("form[data-photo][data-photo-ready]")
    post_and_wait(page, "form[data-photo] button[type=submit]")
    stored = WorkOrderPhoto.objects.get(order=order)
    assert stored.size < 500 * 1024 and max(stored.width, stored.height) <= 1600, (stored.size, stored.width, stored.height)
    # The thumbnail is loading="lazy": bring it into view, then wait for it (a busy machine lost the race).
    thumb = f"#photos img[src$='/photos/{stored.pk}/']"
    page.locator(thumb).scroll_into_view_if_needed()
    page.wait_for_function("s => { const i = document.querySelector(s); return i && i.complete && i.naturalWidth > 0; }",
                           arg=thumb, timeout=15_000)

    # The price (the total is filled in), then the work.
    assert page.input_value("#price-amount") == "165.00"
    page.select_option("#price-payment_method", "cash")
    post_and_wait(page, "#price form button[type=submit]")
    page.screenshot(path=str(SHOTS / f"order-{tag}.png"), full_page=True)
    post_and_wait(page, "#steps form[action$='/start/'] button")
    post_and_wait(page, "#steps form[action$='/complete/'] button")
    assert WorkOrder.objects.get(pk=order.pk).status == "completed"

    # The customer signs with a finger (here: the mouse) and prints his name.
    post_and_wait(page, "#go-sign")
    assert "本人确认上述服务已完成" in page.locator("#meaning").inner_text()
    pad = page.locator("#signature-pad").bounding_box()
    assert pad["height"] >= 200
    x0, y0 = pad["x"] + 30, pad["y"] + pad["height"] / 2
    page.mouse.move(x0, y0)
    page.mouse.down()
    for i in range(1, 25):
        page.mouse.move(x0 + i * 12, y0 + (30 if i % 2 else -30), steps=2)
    page.mouse.up()
    page.fill("#id_printed_name", "王主任")
    assert page.evaluate(f"JSON.parse(localStorage.getItem('sd-draft:sign-{order.pk}')).fields.image").startswith("data:image/png")
    page.screenshot(path=str(SHOTS / f"sign-{tag}.png"), full_page=True)
    tall_enough(page, "#sign-submit")
    post_and_wait(page, "#sign-submit")
    assert page.url == f"{base}/tablet/orders/{order.pk}/signed/"
    signed = WorkOrder.objects.get(pk=order.pk)
    assert signed.status == "signed" and page.locator("#seal-digest").inner_text() == signed.seal_digest
    assert page.locator("img.signature-image").evaluate("img => img.complete && img.naturalWidth > 0")
    page.screenshot(path=str(SHOTS / f"signed-{tag}.png"), full_page=True)

    # The supervisor reviews; the ledger and the seal hold.
    wo.review_order(order=signed, actor=supervisor.user, comment="报告完整")
    closed = WorkOrder.objects.get(pk=order.pk)
    assert closed.status == "closed" and len(closed.seal_digest) == 64
    assert on_hand(thermostat, stocked_van) == before - Decimal("1")
    assert StockMove.objects.filter(kind="use", part=thermostat, from_location=stocked_van, document_id=order.pk).count() == 1
    assert wo.verify_seals() == []
    context.close()
    assert csp_violations == []
