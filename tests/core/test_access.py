"""Who may open which home: wrong role → 403, anonymous → login, a technician only his own customers."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

HOMES = ["tablet_home", "supervisor_home", "station_home", "manager_home", "finance_home", "finance_export"]


@pytest.mark.parametrize("name", HOMES + ["home"])
def test_anonymous_is_sent_to_the_login_page(client, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize(
    ("persona", "forbidden"),
    [
        ("technician", ["supervisor_home", "station_home", "manager_home", "finance_home", "finance_export"]),
        ("supervisor", ["tablet_home", "station_home", "manager_home", "finance_home"]),
        ("station_head", ["tablet_home", "supervisor_home", "manager_home", "finance_export"]),
        ("finance", ["tablet_home", "supervisor_home", "station_home", "manager_home"]),
        ("dispatcher", HOMES),
        ("manager", ["tablet_home", "supervisor_home", "station_home"]),
    ],
)
def test_wrong_role_gets_the_403_page(client, request, persona, forbidden):
    person = request.getfixturevalue(persona)
    client.force_login(person.user)
    for name in forbidden:
        response = client.get(reverse(name))
        assert response.status_code == 403, name
        assert "您无权打开此页面" in response.content.decode()


def test_manager_may_open_the_finance_list(client, manager):
    client.force_login(manager.user)
    assert client.get(reverse("finance_home")).status_code == 200


def test_technician_does_not_see_another_technicians_customers(client, technician, other_technician, tech_customer, other_tech_customer):
    client.force_login(technician.user)
    response = client.get(reverse("tablet_home"))
    page = response.content.decode()
    assert tech_customer.name in page
    assert other_tech_customer.name not in page and "SN-OTHER-0001" not in page and "HT-OTHER-01" not in page
    assert list(response.context["page"].object_list) == [tech_customer]

    client.force_login(other_technician.user)
    response = client.get(reverse("tablet_home"))
    assert list(response.context["page"].object_list) == [other_tech_customer]
    assert tech_customer.name not in response.content.decode()


def test_technician_does_not_see_unowned_customers_of_his_station(client, technician, unowned_customer):
    client.force_login(technician.user)
    assert unowned_customer.name not in client.get(reverse("tablet_home")).content.decode()


def test_station_head_sees_only_his_station(client, station_head, other_technician, other_tech_customer):
    client.force_login(station_head.user)
    page = client.get(reverse("station_home")).content.decode()
    assert other_technician.name not in page
