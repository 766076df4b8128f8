"""Printable pages: receipt (VOID once returned), repair tag, goods register, daily reports — and who sees them."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tickets import carry_in as ci

from .carry_helpers import repaired_and_ready, take_in

pytestmark = pytest.mark.django_db


def get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def test_receipt_tag_and_register_for_the_people_of_the_order(client, order, technician, supervisor, station_head, manager):
    carry = take_in(order, technician)
    receipt = reverse("workorders:carry_in_receipt", args=[carry.pk])
    tag = reverse("workorders:carry_in_tag", args=[carry.pk])
    register = reverse("workorders:goods_register")
    for person in (technician, supervisor, station_head, manager):
        for url in (receipt, tag, register):
            response = get(client, person.user, url)
            assert response.status_code == 200, (person.user.username, url)
        assert carry.number in get(client, person.user, register).content.decode()
    page = get(client, technician.user, receipt).content.decode()
    assert carry.goods in page and "void-stamp" not in page


def test_other_technicians_and_other_stations_get_404(client, order, technician, other_technician, station_b):
    from servicedesk.org.models import Role
    from tests.factories import StaffFactory, UserFactory

    carry = take_in(order, technician)
    head_b = StaffFactory(user=UserFactory(username="head_b", roles=[Role.STATION_HEAD]), station=station_b, name="head_b")
    for user in (other_technician.user, head_b.user):
        for name in ("workorders:carry_in_receipt", "workorders:carry_in_tag"):
            assert get(client, user, reverse(name, args=[carry.pk])).status_code == 404
        assert carry.number not in get(client, user, reverse("workorders:goods_register")).content.decode()


def test_anonymous_is_sent_to_login(client, order, technician):
    carry = take_in(order, technician)
    response = client.get(reverse("workorders:carry_in_receipt", args=[carry.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_receipt_is_stamped_void_once_the_unit_is_returned(client, order, technician, supervisor):
    carry = repaired_and_ready(order, technician, supervisor)
    ci.hand_back(carry_in=carry, actor=technician.user)
    page = get(client, technician.user, reverse("workorders:carry_in_receipt", args=[carry.pk])).content.decode()
    assert "void-stamp" in page


def test_the_register_filters_by_date_and_station(client, order, technician, supervisor, station_a, station_b):
    carry = take_in(order, technician)
    url = reverse("workorders:goods_register")
    today = timezone.localdate()
    assert carry.number in get(client, supervisor.user, url, date_from=today.isoformat(), station=station_a.pk).content.decode()
    past = (today.replace(year=today.year - 1)).isoformat()
    assert carry.number not in get(client, supervisor.user, url, date_from=past, date_to=past).content.decode()


def test_daily_report_pages_and_excel(client, order, technician, other_technician, supervisor, station_a):
    url = reverse("workorders:technician_daily")
    assert get(client, technician.user, url).status_code == 200
    # Another technician's report: 404, not 403.
    assert get(client, other_technician.user, url, technician=technician.pk).status_code == 404
    assert get(client, supervisor.user, url, technician=technician.pk).status_code == 200
    response = get(client, supervisor.user, url, technician=technician.pk, format="xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    load_workbook(io.BytesIO(response.content))

    url = reverse("workorders:supervisor_daily")
    assert get(client, technician.user, url).status_code == 404
    response = get(client, supervisor.user, url, station=station_a.pk)
    assert response.status_code == 200 and technician.name in response.content.decode()
    book = load_workbook(io.BytesIO(get(client, supervisor.user, url, station=station_a.pk, format="xlsx").content))
    assert any(row[0] == technician.name for row in book.active.iter_rows(values_only=True))
    assert get(client, supervisor.user, url, day="not-a-day").status_code == 404
