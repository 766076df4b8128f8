"""The technician's tablet pages through the Django test client: every step, its errors shown next
to the field, the photo and signature only through the permission check, and query counts that do
not grow with the number of orders or lines."""

from __future__ import annotations

import base64
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from spares.models import StockMove
from tests.spares.conftest import on_hand
from tests.tickets.helpers import register
from tickets import services
from tickets import work_orders as wo
from tickets.models import ServiceItem, WorkOrder, WorkOrderPhoto, WorkOrderSignature

from .conftest import jpeg, new_id, png

pytestmark = pytest.mark.django_db


def step(order, action):
    return reverse("tablet:step", args=[order.pk, action])


def page(order):
    return reverse("tablet:order", args=[order.pk])


def data_url(raw: bytes, kind="image/png") -> str:
    return f"data:{kind};base64," + base64.b64encode(raw).decode()


def field_error(html: str, field_id: str) -> str:
    """The error text shown in the form row of the input ``field_id`` (empty when none)."""
    match = re.search(r'<div class="form-row has-error[^"]*">((?:(?!<div class="form-row).)*?id="' + re.escape(field_id) + r'".*?)</div>', html, re.S)
    if not match:
        return ""
    errors = re.findall(r'<li>(.*?)</li>', match.group(1), re.S)
    return " ".join(errors)


def reload(order) -> WorkOrder:
    return WorkOrder.objects.get(pk=order.pk)


@pytest.fixture
def english(client, settings):
    """Messages are compared in English (the zh-hans catalogue is filled in separately)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def tech_client(english, technician):
    english.force_login(technician.user)
    return english


def test_the_order_walks_from_acceptance_to_the_signed_view(tech_client, order, technician, service_item, stocked_van, thermostat):
    c = tech_client
    work = c.get(reverse("tablet:my_work"))
    assert work.status_code == 200
    html = work.content.decode()
    assert order.customer.name in html and page(order) in html
    assert 'href="tel:13812345678"' in html

    assert c.post(step(order, "accept")).status_code == 302
    assert reload(order).status == "accepted"

    # The appointment is required, and not in the past: the error sits next to the input.
    refused = c.post(step(order, "confirm"), {"appointment_at": ""})
    assert refused.status_code == 400
    assert "Enter the time agreed with the customer." in field_error(refused.content.decode(), "confirm-appointment_at")
    past = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    refused = c.post(step(order, "confirm"), {"appointment_at": past})
    assert "The appointment cannot be in the past." in field_error(refused.content.decode(), "confirm-appointment_at")
    soon = (timezone.localtime() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = c.post(step(order, "confirm"), {"appointment_at": soon, "note": "王主任接的电话"})
    assert response.status_code == 302 and response["Location"].startswith(page(order))
    assert reload(order).status == "confirmed"

    assert c.post(step(order, "arrive"), {"device_time": timezone.now().isoformat()}).status_code == 302
    assert reload(order).arrived_at is not None

    # The report: a wrong labour figure is refused next to its field, and nothing is saved.
    refused = c.post(step(order, "report"), {"diag_listen": "外机异响", "labour_minutes": "一小时"})
    assert refused.status_code == 400
    assert "Enter whole minutes." in field_error(refused.content.decode(), "report-labour_minutes")
    assert "外机异响" in refused.content.decode()  # what was typed is still in the form
    assert reload(order).diag_listen == ""
    report = {
        "diag_listen": "外机异响", "diag_look": "风扇叶片变形", "diag_check": "电容正常", "running_time": "3200 小时",
        "opened_before": "no", "cause": "风扇叶片老化变形", "responsibility": "use", "resolution": "更换风扇叶片并清洗",
        "notes": "", "labour_minutes": "50", "labour_charge": "",
    }
    assert c.post(step(order, "report"), report).status_code == 302
    saved = reload(order)
    assert saved.cause == "风扇叶片老化变形" and saved.opened_before is False and saved.labour_minutes == 50

    # A service item of the price list, its checklist and acceptance check.
    refused = c.post(step(order, "item_add"), {"service_item": "", "qty": "1"})
    assert "Choose an item of the current price list." in field_error(refused.content.decode(), "item_add-service_item")
    assert c.post(step(order, "item_add"), {"service_item": service_item.pk, "qty": "1"}).status_code == 302
    item = reload(order).items.get()
    response = c.post(step(order, "item_tick"), {"line": item.pk, "step_0": "on", "step_1": "on", "step_2": "on", "step_3": "on", "acceptance_ok": "yes"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.checklist_done == [True, True, True, True] and item.acceptance_ok is True

    # A part from the van, through the ledger; more than the van holds is refused, nothing taken.
    refused = c.post(step(order, "part_add"), {"part": thermostat.pk, "qty": "99", "idempotency_key": new_id()})
    assert refused.status_code == 400
    assert on_hand(thermostat, stocked_van) == Decimal("4")
    key = new_id()
    assert c.post(step(order, "part_add"), {"part": thermostat.pk, "qty": "1", "idempotency_key": key}).status_code == 302
    # The same tap sent twice (a retry): one part, one move.
    assert c.post(step(order, "part_add"), {"part": thermostat.pk, "qty": "1", "idempotency_key": key}).status_code == 302
    assert on_hand(thermostat, stocked_van) == Decimal("3")
    assert StockMove.objects.filter(kind="use", document_type="work_order", document_id=order.pk).count() == 1

    # An old part taken back: an unknown number is named next to its field.
    refused = c.post(step(order, "old_part_add"), {"part_number": "NO-SUCH", "qty": "1"})
    assert "No part with this number in the catalogue." in field_error(refused.content.decode(), "old_part_add-part_number")
    assert c.post(step(order, "old_part_add"), {"part_number": thermostat.number, "qty": "1", "note": "触点烧蚀"}).status_code == 302
    assert reload(order).old_parts.count() == 1

    # Photos: a file that is not an image is refused; a JPEG (file or the queued data URL) is kept once.
    from django.core.files.uploadedfile import SimpleUploadedFile

    refused = c.post(step(order, "photo"), {"image": SimpleUploadedFile("x.jpg", b"<html>not an image</html>", "image/jpeg")})
    assert refused.status_code == 400 and "The file is not a readable image." in refused.content.decode()
    assert c.post(step(order, "photo"), {"image": SimpleUploadedFile("a.jpg", jpeg(), "image/jpeg"), "caption": "外机"}).status_code == 302
    assert c.post(step(order, "photo"), {"image_data": data_url(jpeg(colour=(10, 200, 10)), "image/jpeg")}).status_code == 302
    assert WorkOrderPhoto.objects.filter(order=order).count() == 2

    # Work cannot start before the customer agreed to the price; the error is at the price field.
    refused = c.post(step(order, "start"))
    assert refused.status_code == 400
    assert "Confirm the price with the customer before starting the work." in refused.content.decode()
    refused = c.post(step(order, "price"), {"amount": "100", "payment_method": "cash"})
    assert "the customer must agree to at least that" in field_error(refused.content.decode(), "price-amount")
    assert c.post(step(order, "price"), {"amount": "165.00", "payment_method": "cash"}).status_code == 302
    assert c.post(step(order, "start")).status_code == 302
    assert c.post(step(order, "complete")).status_code == 302
    assert reload(order).status == "completed"

    # The signature page shows what the signature means; an empty pad is refused.
    sign_url = reverse("tablet:sign", args=[order.pk])
    response = c.get(sign_url)
    assert response.status_code == 200 and wo.SIGNATURE_MEANING in response.content.decode()
    refused = c.post(sign_url, {"image": data_url(png(ink=False)), "printed_name": "王主任", "client_id": new_id()})
    assert refused.status_code == 400 and "The signature pad is empty." in refused.content.decode()
    assert not WorkOrderSignature.objects.filter(order=order).exists()
    refused = c.post(sign_url, {"image": data_url(png()), "printed_name": "", "client_id": new_id()})
    assert "Write the customer&#x27;s name under the signature." in field_error(refused.content.decode(), "id_printed_name")

    submission = {"image": data_url(png()), "printed_name": "王主任", "client_id": new_id(),
                  "device_signed_at": "2026-01-05T10:00:00+08:00"}
    response = c.post(sign_url, submission)
    assert response.status_code == 302 and response["Location"] == reverse("tablet:signed", args=[order.pk])
    # The same submission again (a tablet that was offline): stored once.
    assert c.post(sign_url, submission).status_code == 302
    assert WorkOrderSignature.objects.filter(order=order).count() == 1
    signed = reload(order)
    assert signed.status == "signed" and signed.seal_digest

    # The order page of a signed order is the read-only signed view.
    assert c.get(page(order))["Location"] == reverse("tablet:signed", args=[order.pk])
    view = c.get(reverse("tablet:signed", args=[order.pk])).content.decode()
    assert signed.seal_digest in view and f'id="seal-seq">{signed.seal_seq}<' in view
    assert "王主任" in view and "风扇叶片老化变形" in view and thermostat.name in view
    assert "<form" not in view.split('<main id="main"')[1]  # nothing to submit any more

    image = c.get(reverse("tablet:signature_image", args=[order.pk]))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert image["X-Content-Type-Options"] == "nosniff" and image.content == png()
    photo = WorkOrderPhoto.objects.filter(order=order).first()
    response = c.get(reverse("tablet:photo", args=[order.pk, photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"

    # Nothing on a signed order moves through the tablet any more.
    refused = c.post(step(order, "report"), report)
    assert refused.status_code == 302 and refused["Location"] == reverse("tablet:signed", args=[order.pk])
    assert wo.verify_seals() == []


def test_hold_and_resume_and_the_reason_is_required(tech_client, order):
    c = tech_client
    c.post(step(order, "accept"))
    refused = c.post(step(order, "hold"), {"reason": "  "})
    assert refused.status_code == 400
    assert "Say what the order is waiting for." in field_error(refused.content.decode(), "hold-reason")
    assert c.post(step(order, "hold"), {"reason": "客户出差，下周再约"}).status_code == 302
    assert reload(order).status == "on_hold"
    page_html = c.get(page(order)).content.decode()
    assert "客户出差，下周再约" in page_html and step(order, "resume") in page_html
    assert c.post(step(order, "resume")).status_code == 302
    assert reload(order).status == "accepted"


def test_an_illegal_step_is_refused_with_the_transition_message(tech_client, order):
    response = tech_client.post(step(order, "complete"))
    assert response.status_code == 400
    assert reload(order).status == "dispatched"
    assert 'class="errorlist field-error"' in response.content.decode()
    assert tech_client.post(step(order, "no_such_step")).status_code == 404


def test_the_page_offers_only_the_next_steps(tech_client, order):
    html = tech_client.get(page(order)).content.decode()
    assert step(order, "accept") in html and step(order, "arrive") not in html and step(order, "complete") not in html
    tech_client.post(step(order, "accept"))
    html = tech_client.get(page(order)).content.decode()
    assert step(order, "accept") not in html and step(order, "confirm") in html and 'type="datetime-local"' in html


def test_price_list_offers_the_units_product_line_and_the_general_items(tech_client, order, service_item):
    from tests.factories import ProductLineFactory

    general = ServiceItem.objects.create(code="GEN-01", name="上门检测", price=Decimal("50.00"))
    other_line = ServiceItem.objects.create(code="TAP-01", name="水龙头维修", price=Decimal("30.00"))
    other_line.product_lines.add(ProductLineFactory(code="TAP", name="水暖"))
    ServiceItem.objects.create(code="OLD-01", name="停用项目", price=Decimal("1.00"), is_active=False)
    user = order.technician.user
    wo.accept_order(order=order, actor=user)
    wo.confirm_appointment(order=order, actor=user, appointment_at=timezone.now() + timedelta(hours=1))
    wo.record_arrival(order=order, actor=user)
    html = tech_client.get(page(order)).content.decode()
    options = re.findall(r'<option value="(\d+)"', html.split('id="item_add-service_item"')[1].split("</select>")[0])
    assert sorted(int(o) for o in options) == sorted([service_item.pk, general.pk])


# --- another technician sees nothing ------------------------------------------------------------


def test_another_technicians_order_photo_and_signature_are_404(client, order, technician, other_technician, service_item):
    user = technician.user
    wo.accept_order(order=order, actor=user)
    wo.confirm_appointment(order=order, actor=user, appointment_at=timezone.now() + timedelta(hours=1))
    wo.record_arrival(order=order, actor=user)
    photo = wo.add_photo(order=order, actor=user, data=jpeg())
    wo.save_report(order=order, actor=user, cause="老化", resolution="更换")
    wo.start_work(order=order, actor=user)
    wo.complete_order(order=order, actor=user)
    wo.sign_order(order=order, actor=user, image=png(), printed_name="王主任", client_id=new_id())

    client.force_login(other_technician.user)
    urls = [
        page(order),
        reverse("tablet:sign", args=[order.pk]),
        reverse("tablet:signed", args=[order.pk]),
        reverse("tablet:photo", args=[order.pk, photo.pk]),
        reverse("tablet:signature_image", args=[order.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(step(order, "accept")).status_code == 404
    assert client.post(reverse("tablet:sign", args=[order.pk]), {"printed_name": "x"}).status_code == 404
    assert order.customer.name not in client.get(reverse("tablet:my_work")).content.decode()

    # His own order id with the first technician's photo id: still 404 (the photo is checked with its order).
    other_ticket = register(order.ticket.registered_by, order.customer)
    others = services.dispatch_ticket(ticket=other_ticket, technician=other_technician, actor=order.dispatched_by)
    assert client.get(reverse("tablet:photo", args=[others.pk, photo.pk])).status_code == 404
    assert client.get(page(others)).status_code == 200


def test_a_supervisor_reads_the_order_but_cannot_act_on_it(english, order, supervisor):
    client = english
    client.force_login(supervisor.user)
    html = client.get(page(order)).content.decode()
    assert order.number in html and step(order, "accept") not in html
    refused = client.post(step(order, "accept"))
    assert refused.status_code == 400 and "Only the technician of this work order can do this." in refused.content.decode()


def test_photos_are_not_under_a_public_media_url(tech_client, order, technician, settings):
    user = technician.user
    wo.accept_order(order=order, actor=user)
    wo.confirm_appointment(order=order, actor=user, appointment_at=timezone.now() + timedelta(hours=1))
    wo.record_arrival(order=order, actor=user)
    photo = wo.add_photo(order=order, actor=user, data=jpeg())
    html = tech_client.get(page(order)).content.decode()
    assert settings.MEDIA_URL not in html
    assert tech_client.get(settings.MEDIA_URL + photo.image.name).status_code == 404


# --- query counts -------------------------------------------------------------------------------


def _dispatch(n, dispatcher, technician, customer):
    orders = []
    for _ in range(n):
        ticket = register(dispatcher.user, customer, unit=customer.units.get(serial_number="SN-OUT-0002"))
        orders.append(services.dispatch_ticket(ticket=ticket, technician=technician, actor=dispatcher.user))
    return orders


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


def test_my_work_today_runs_a_constant_number_of_queries(tech_client, order, dispatcher, technician, tech_customer,
                                                          django_assert_max_num_queries):
    url = reverse("tablet:my_work")
    one = _queries(tech_client, url)
    more = _dispatch(5, dispatcher, technician, tech_customer)
    wo.accept_order(order=more[0], actor=technician.user)
    # (a minute ahead, so the appointment stays today whatever the time the test runs)
    wo.confirm_appointment(order=more[0], actor=technician.user, appointment_at=timezone.now() + timedelta(minutes=1))
    WorkOrder.objects.filter(pk=more[1].pk).update(service_date=timezone.localdate() - timedelta(days=2))  # overdue
    with django_assert_max_num_queries(one):
        response = tech_client.get(url)
    html = response.content.decode()
    assert html.count('class="card wo-card') == 6
    assert "sd-sla sd-sla--" in html  # the SLA countdown, from the ticket's clocks


def test_order_page_runs_a_constant_number_of_queries(tech_client, order, technician, service_item, stocked_van,
                                                       thermostat, compressor, django_assert_max_num_queries):
    user = technician.user
    wo.accept_order(order=order, actor=user)
    wo.confirm_appointment(order=order, actor=user, appointment_at=timezone.now() + timedelta(hours=1))
    wo.record_arrival(order=order, actor=user)
    wo.add_service_item(order=order, actor=user, service_item=service_item)
    wo.add_part(order=order, actor=user, part=thermostat, location=stocked_van, qty=1)
    wo.add_old_part(order=order, actor=user, part=thermostat, qty=1)
    wo.add_photo(order=order, actor=user, data=jpeg())
    one = _queries(tech_client, page(order))

    extra = ServiceItem.objects.create(code="GEN-02", name="除尘", price=Decimal("20.00"), checklist=["a", "b"])
    for i in range(4):
        wo.add_service_item(order=order, actor=user, service_item=extra if i % 2 else service_item)
        wo.add_part(order=order, actor=user, part=thermostat if i % 2 else compressor, location=stocked_van, qty=Decimal("0.5"))
        wo.add_old_part(order=order, actor=user, part=compressor, qty=1)
        wo.add_photo(order=order, actor=user, data=jpeg(colour=(i * 40, 10, 10)))
    with django_assert_max_num_queries(one):
        html = tech_client.get(page(order)).content.decode()
    assert html.count('class="line-card') >= 15
    assert one <= 30
