"""The supervisor's day on the pages: the workbench, one callback after the other with "save and next"."""

import pytest
from django.urls import reverse

from tests.workorders.conftest import service_item, ticket  # noqa: F401  (fixtures)
from visits.models import Callback

from .callback_fixtures import close_order, closed_order, order  # noqa: F401

pytestmark = pytest.mark.django_db

ANSWER = {
    "outcome": "answered", "channel": "phone", "answered_by": "王主任", "rating_attitude": "1", "rating_skill": "2",
    "rating_arrival": "1", "rating_promise": "1", "signed_on_site": "yes", "fees_charged": "120", "invoice_given": "yes",
    "unit_working": "yes", "comments": "满意", "next": "1",
}


def test_a_supervisor_works_through_the_day_with_save_and_next(client, supervisor, closed_order, today):
    due = list(Callback.objects.filter(due_date__lte=today, status="pending").order_by("due_date", "pk"))
    assert len(due) == 2  # 7 days and 1 month after a closure on 2026-09-23
    client.force_login(supervisor.user)

    page = client.get(reverse("visits:callbacks"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    # Wording is checked by the catalogue (zh-hans); here the structure: both callbacks, the way in.
    assert closed_order.customer.name in page and reverse("visits:callback_next") in page
    assert all(reverse("visits:callback", args=[c.pk]) in page for c in due)

    response = client.get(reverse("visits:callback_next"))
    assert response.url == reverse("visits:callback", args=[due[0].pk])
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert closed_order.number in page and f'href="tel:{closed_order.customer.phone}"' in page
    assert 'name="next"' in page and 'accesskey="n"' in page and "autofocus" in page and "callback.js" in page

    response = client.post(reverse("visits:callback", args=[due[0].pk]), ANSWER)
    assert response.status_code == 302 and response.url == reverse("visits:callback_next")
    assert client.get(response.url).url == reverse("visits:callback", args=[due[1].pk])

    response = client.post(reverse("visits:callback", args=[due[1].pk]), {**ANSWER, "rating_skill": "4"})
    assert client.get(response.url).url == reverse("visits:callbacks")
    done = Callback.objects.get(pk=due[1].pk)
    assert done.status == "done" and done.follow_up_ticket is not None
    page = client.get(reverse("visits:callback", args=[done.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert done.follow_up_ticket.number in page


def test_bad_ratings_are_shown_on_their_fields_and_nothing_is_saved(client, supervisor, closed_order, today):
    first = Callback.objects.filter(due_date__lte=today).order_by("due_date").first()
    client.force_login(supervisor.user)
    response = client.post(reverse("visits:callback", args=[first.pk]), {**ANSWER, "rating_skill": "", "answered_by": ""},
                           HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) >= {"rating_skill", "answered_by"}
    assert Callback.objects.get(pk=first.pk).status == "pending"


def test_a_second_recording_of_the_same_callback_is_refused_on_the_page(client, supervisor, closed_order, today):
    first = Callback.objects.filter(due_date__lte=today).order_by("due_date").first()
    client.force_login(supervisor.user)
    client.post(reverse("visits:callback", args=[first.pk]), ANSWER)
    response = client.post(reverse("visits:callback", args=[first.pk]), ANSWER)
    assert response.status_code in (400, 200)
    assert Callback.objects.get(pk=first.pk).attempt_log.count() == 1


def test_the_other_stations_technician_gets_a_404_and_the_own_one_reads(client, technician, other_technician, closed_order):
    callback = Callback.objects.filter(work_order=closed_order).first()
    client.force_login(other_technician.user)
    assert client.get(reverse("visits:callback", args=[callback.pk])).status_code == 404
    client.force_login(technician.user)
    response = client.get(reverse("visits:callback", args=[callback.pk]))
    assert response.status_code == 200 and response.context["can_record"] is False
    assert client.get(reverse("visits:callbacks")).status_code == 403


def test_the_homes_link_the_workbench(client, supervisor, manager):
    client.force_login(supervisor.user)
    assert reverse("visits:callbacks") in client.get(reverse("supervisor_home")).content.decode()
    client.force_login(manager.user)
    assert reverse("visits:callback_quotas") in client.get(reverse("manager_home")).content.decode()
