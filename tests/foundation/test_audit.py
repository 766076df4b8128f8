import pytest
from django.db import connection
from pghistory.models import Events

from servicedesk.audit.context import audit_context
from tickets.models import Customer
from tests.factories import CustomerFactory


@pytest.mark.django_db
def test_queryset_update_and_raw_sql_leave_history(manager):
    customer = CustomerFactory(name="原名")
    with audit_context(user=manager.user.pk):
        Customer.objects.filter(pk=customer.pk).update(name="新名")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE tickets_customer SET phone = %s WHERE id = %s", ["021-99990000", customer.pk])
    events = list(Events.objects.tracks(customer).order_by("pgh_created_at", "pgh_id"))
    assert [e.pgh_label for e in events] == ["insert", "update", "update"]
    assert events[1].pgh_diff["name"] == ["原名", "新名"]
    assert int(events[1].pgh_context["user"]) == manager.user.pk
    assert events[2].pgh_diff["phone"][1] == "021-99990000"


@pytest.mark.django_db
def test_admin_history_shows_who_changed_what(client, station_a):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", "root@example.cn", "pw-123456789")
    client.force_login(admin)
    customer = CustomerFactory(name="杭州客户", station=station_a)
    response = client.post(
        f"/admin/tickets/customer/{customer.pk}/change/",
        {
            "name": "杭州西湖客户",
            "kind": customer.kind,
            "phone": customer.phone,
            "address": customer.address,
            "zone": customer.zone,
            "distance_km": "5",
            "station": station_a.pk,
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
            "units-TOTAL_FORMS": "0",
            "units-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    history = client.get(f"/admin/tickets/customer/{customer.pk}/history/").content.decode()
    assert "杭州西湖客户" in history and "杭州客户" in history
    assert "root" in history


@pytest.mark.django_db
def test_role_changes_are_audited(technician):
    from django.contrib.auth.models import Group

    from servicedesk.audit.models import UserRoleEvent

    technician.user.groups.add(Group.objects.get(name="manager"))
    assert UserRoleEvent.objects.filter(user_id=technician.user.pk, pgh_label="insert").count() >= 2
