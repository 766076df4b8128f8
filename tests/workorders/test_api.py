"""The work-order API as the tablet and the desk use it: every step, isolation, bad input, the seal."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.tickets.helpers import register
from tickets import services
from tickets.models import WorkOrder, WorkOrderSignature

from .conftest import jpeg, new_id, png

pytestmark = pytest.mark.django_db
URL = "/api/v1/work-orders/"


def post(client, order, action, data=None, **kw):
    return client.post(f"{URL}{order.pk}/{action}/", data or {}, format=kw.pop("format", "json"), **kw)


def test_a_technician_carries_an_order_to_signature_through_the_api(order, technician, supervisor, service_item, stocked_van,
                                                                    thermostat, api_client_as):
    tech = api_client_as(technician)
    assert post(tech, order, "accept").json()["status"] == "accepted"
    when = (timezone.now() + timedelta(hours=2)).isoformat()
    assert post(tech, order, "confirm-appointment", {"appointment_at": when, "note": "客户下午在家"}).status_code == 200
    assert post(tech, order, "arrive", {"device_time": timezone.now().isoformat()}).json()["arrived_at"]
    r = post(tech, order, "report", {"diag_listen": "异响", "cause": "风扇老化", "resolution": "更换风扇", "responsibility": "use", "labour_minutes": 40})
    assert r.status_code == 200, r.json()
    r = post(tech, order, "items", {"service_item": service_item.pk})
    assert r.status_code == 201 and r.json()["items"][0]["checklist"] == service_item.checklist
    item_id = r.json()["items"][0]["id"]
    r = post(tech, order, f"items/{item_id}/checklist", {"steps_done": [True, True, True, True], "acceptance_ok": True})
    assert r.json()["items"][0]["checklist_done"] == [True] * 4
    r = post(tech, order, "parts", {"part": thermostat.pk, "location": stocked_van.pk, "qty": "1"}, HTTP_IDEMPOTENCY_KEY="p-1")
    r2 = post(tech, order, "parts", {"part": thermostat.pk, "location": stocked_van.pk, "qty": "1"}, HTTP_IDEMPOTENCY_KEY="p-1")
    assert r.status_code == r2.status_code == 201 and len(r2.json()["parts"]) == 1
    r = tech.post(f"{URL}{order.pk}/photos/", {"image": _upload(jpeg()), "caption": "故障"}, format="multipart")
    assert r.status_code == 201, r.json()
    photo_url = r.json()["photos"][0]["url"]
    assert r.json()["quote"] == "165.00"
    assert post(tech, order, "start").status_code == 400  # the price is not agreed yet
    assert post(tech, order, "confirm-price", {"amount": "165.00", "payment_method": "cash"}).status_code == 200
    assert post(tech, order, "start").json()["status"] == "in_progress"
    assert post(tech, order, "complete").json()["status"] == "completed"
    sig = {"image": "data:image/png;base64," + base64.b64encode(png()).decode(), "printed_name": "王主任", "client_id": new_id(),
           "device_signed_at": timezone.now().isoformat()}
    for _ in range(5):
        r = post(tech, order, "sign", sig)
        assert r.status_code == 200, r.json()
    body = r.json()
    assert body["status"] == "signed" and body["seal_seq"] and body["signature"]["printed_name"] == "王主任"
    assert WorkOrderSignature.objects.filter(order=order).count() == 1
    image = tech.get(body["signature"]["url"])
    assert image.status_code == 200 and image["Content-Type"] == "image/png" and image["X-Content-Type-Options"] == "nosniff"
    photo = tech.get(photo_url)
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert post(tech, order, "report", {"notes": "签字后改"}).status_code == 409
    assert post(tech, order, "review").status_code == 400  # a technician does not review
    r = post(api_client_as(supervisor), order, "review", {"comment": "合格"})
    assert r.json()["status"] == "closed"
    v = api_client_as(supervisor).get(f"{URL}verify/").json()
    assert v == {"checked": 1, "intact": True, "problems": []}
    assert tech.get(f"{URL}{order.pk}/verify/").json()["intact"] is True


def _upload(data, name="photo.jpg", content_type="image/jpeg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


def test_another_technicians_order_photos_and_signature_are_invisible(order, technician, other_technician, service_item, api_client_as):
    from .test_lifecycle import fill_and_complete, walk_to_site

    walk_to_site(order, technician)
    from tickets import work_orders as wo

    photo = wo.add_photo(order=order, actor=technician.user, data=jpeg())
    fill_and_complete(order, technician, service_item)
    wo.sign_order(order=order, actor=technician.user, image=png(), printed_name="王主任", client_id=new_id())
    other = api_client_as(other_technician)
    for url in (f"{URL}{order.pk}/", f"{URL}{order.pk}/photos/{photo.pk}/image/", f"{URL}{order.pk}/signature/image/",
                f"{URL}{order.pk}/verify/"):
        r = other.get(url)
        assert r.status_code == 404, url
        assert "王主任" not in r.content.decode("utf-8", "replace")
    assert post(other, order, "review").status_code == 404
    assert other.get(URL).json()["count"] == 0
    assert order.photos.get().image.url.startswith("/media/")  # the storage URL exists, but nothing serves it:
    from django.test import Client

    assert Client().get(order.photos.get().image.url).status_code == 404


def test_finance_reads_work_orders_but_cannot_change_them(order, finance, api_client_as):
    client = api_client_as(finance)
    assert client.get(f"{URL}{order.pk}/").status_code == 200
    assert post(client, order, "accept").status_code == 403
    assert post(client, order, "cancel", {"reason": "x"}).status_code == 403


def test_bad_input_names_the_field_and_saves_nothing(order, technician, stocked_van, thermostat, api_client_as):
    tech = api_client_as(technician)
    r = post(tech, order, "confirm-appointment", {"appointment_at": "tomorrow"})
    assert r.status_code == 400 and "appointment_at" in r.json()["errors"]
    r = post(tech, order, "arrive")
    assert r.status_code == 409 and "status" in r.json()["errors"]
    post(tech, order, "accept")
    post(tech, order, "confirm-appointment", {"appointment_at": (timezone.now() + timedelta(hours=1)).isoformat()})
    post(tech, order, "arrive")
    r = post(tech, order, "parts", {"part": thermostat.pk, "location": stocked_van.pk, "qty": "99"})
    assert r.status_code in (400, 409) and r.json()["errors"]
    r = post(tech, order, "parts", {"part": thermostat.pk, "location": stocked_van.pk, "qty": "-1"})
    assert r.status_code == 400 and "qty" in r.json()["errors"]
    r = tech.post(f"{URL}{order.pk}/photos/", {"image": _upload(b"<html><script>alert(1)</script>", "x.jpg")}, format="multipart")
    assert r.status_code == 400 and "image" in r.json()["errors"]
    r = post(tech, order, "sign", {"image": "not-base64!!", "printed_name": "王", "client_id": "x"})
    assert r.status_code == 400 and "image" in r.json()["errors"]
    r = post(tech, order, "report", {"responsibility": "aliens"})
    assert r.status_code == 400 and "responsibility" in r.json()["errors"]
    fresh = WorkOrder.objects.get(pk=order.pk)
    assert fresh.parts.count() == 0 and fresh.photos.count() == 0 and fresh.responsibility == ""


def test_the_list_runs_a_constant_number_of_queries(dispatcher, tech_customer, technician, api_client_as,
                                                    django_assert_max_num_queries):
    for i in range(12):
        ticket = register(dispatcher.user, tech_customer, description=f"故障 {i}")
        services.dispatch_ticket(ticket=ticket, technician=technician, actor=dispatcher.user)
    client = api_client_as(dispatcher)
    client.get(URL)  # warm the per-user caches (roles)
    with django_assert_max_num_queries(4):
        r = client.get(URL + "?page_size=5")
    assert len(r.json()["results"]) == 5
    with django_assert_max_num_queries(4):
        r = client.get(URL + "?page_size=100")
    assert len(r.json()["results"]) == 12


def test_the_detail_runs_a_constant_number_of_queries(order, technician, service_item, api_client_as, django_assert_max_num_queries):
    from tickets import work_orders as wo

    from .test_lifecycle import walk_to_site

    walk_to_site(order, technician)
    for _ in range(5):
        wo.add_service_item(order=order, actor=technician.user, service_item=service_item)
    client = api_client_as(technician)
    client.get(f"{URL}{order.pk}/")
    with django_assert_max_num_queries(12):
        r = client.get(f"{URL}{order.pk}/")
    assert len(r.json()["items"]) == 5
