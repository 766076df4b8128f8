"""Every role signs in through the login page and lands on its own home, showing its real data."""

import pytest
from django.urls import reverse

from servicedesk.org.models import Role
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def _final_path(response):
    return response.redirect_chain[-1][0] if response.redirect_chain else response.request["PATH_INFO"]


def test_technician_lands_on_the_tablet_with_his_card_customers_units_and_contracts(
    sign_in, technician, air_conditioners, tech_customer
):
    technician.skills.add(air_conditioners)
    response = sign_in(technician)
    assert _final_path(response) == reverse("tablet_home")
    page = response.content.decode()
    assert technician.name in page and technician.employee_no in page
    assert technician.station.name in page and "空调" in page  # station and skill
    assert tech_customer.name in page and "重点客户" in page
    assert 'href="tel:021-58752345"' in page and 'href="tel:13916000001"' in page
    assert "SN-IN-0001" in page and "SN-OUT-0002" in page
    assert "保修期内" in page and "已过保修期" in page
    assert "HT-ACTIVE-01" in page
    assert "HT-EXPIRED-01" not in page  # only active contracts


def test_tablet_shows_latest_notifications_and_unread_count(sign_in, technician):
    from servicedesk.notifications.services import mark_read, notify

    notes = [
        notify(recipient=technician.user, key=f"k{i}", kind="test", title=f"派工通知 {i}", email=False) for i in range(7)
    ]
    mark_read(user=technician.user, ids=[notes[0].pk])
    page = sign_in(technician).content.decode()
    assert "派工通知 6" in page and "派工通知 2" in page
    assert "派工通知 1" not in page  # only the latest five
    assert '<span class="count"' in page and ">6</span>" in page
    assert f'href="{reverse("notifications:list")}"' in page


def test_supervisor_sees_station_technicians_with_counts_and_unowned_customers(
    sign_in, supervisor, technician, other_technician, tech_customer, other_tech_customer, unowned_customer
):
    response = sign_in(supervisor)
    assert _final_path(response) == reverse("supervisor_home")
    page = response.content.decode()
    assert technician.name in page
    assert other_technician.name not in page  # another station
    assert unowned_customer.name in page
    assert other_tech_customer.name not in page
    techs = response.context["data"].technicians
    (mine,) = techs
    assert (mine.customer_count, mine.unit_count, mine.key_customer_count) == (1, 2, 1)


def test_supervisor_without_station_sees_every_station(client, password, technician, other_technician):
    user = UserFactory(username="roaming_sup", roles=[Role.SUPERVISOR])
    StaffFactory(user=user, station=None)
    client.force_login(user)
    page = client.get(reverse("supervisor_home")).content.decode()
    assert technician.name in page and other_technician.name in page


def test_customer_of_a_technician_who_left_needs_attention(client, supervisor, technician, tech_customer):
    technician.status = "left"
    technician.save(update_fields=["status"])
    client.force_login(supervisor.user)
    response = client.get(reverse("supervisor_home"))
    assert tech_customer in list(response.context["page"].object_list)
    assert "已离职" in response.content.decode()


def test_station_head_sees_staff_by_status_customers_by_zone_and_expiring_contracts(
    sign_in, station_head, technician, tech_customer, other_tech_customer
):
    response = sign_in(station_head)
    assert _final_path(response) == reverse("station_home")
    page = response.content.decode()
    data = response.context["data"]
    assert [s.name for s in data.stations] == ["上海服务站"]
    working = next(members for value, _, members in data.staff_by_status if value == "working")
    assert {s.name for s in working} >= {station_head.name, technician.name}
    assert data.customer_total == 1
    urban = next(row for row in data.zone_kind_rows if row[0] == "市区")
    assert urban[2] == 1
    assert "HT-ACTIVE-01" in page  # ends in 20 days
    assert "HT-OTHER-01" not in page  # another station


def test_manager_sees_each_station_figures_and_contracts_due_for_renewal(
    sign_in, manager, technician, other_technician, tech_customer, other_tech_customer
):
    response = sign_in(manager)
    assert _final_path(response) == reverse("manager_home")
    data = response.context["data"]
    rows = {row.station.code: row for row in data.rows}
    sha = rows["SHA"]
    assert (sha.customers, sha.key_customers, sha.units, sha.units_in_warranty, sha.active_contracts) == (1, 1, 2, 1, 1)
    assert str(sha.annual_fee) == "12000.00"
    assert rows["SZB"].customers == 1 and rows["SZB"].staff_total == 1
    assert data.totals.customers == 2 and data.totals.units == 3
    page = response.content.decode()
    assert "上海服务站" in page and "苏州服务站" in page
    assert "HT-ACTIVE-01" in page and "HT-OTHER-01" not in page  # only the one expiring within a month


def test_general_manager_lands_on_the_manager_home(sign_in, general_manager):
    assert _final_path(sign_in(general_manager)) == reverse("manager_home")


def test_finance_sees_contract_fees_with_outstanding_amounts_and_totals(sign_in, finance, tech_customer, other_tech_customer):
    response = sign_in(finance)
    assert _final_path(response) == reverse("finance_home")
    page = response.content.decode()
    assert "HT-ACTIVE-01" in page and "HT-OTHER-01" in page and "HT-EXPIRED-01" in page
    totals = response.context["totals"]
    assert totals["count"] == 3
    assert str(totals["annual_fee"]) == "26000.00"
    assert str(totals["outstanding_total"]) == "13000.00"  # 7000 + 6000 + 0


def test_finance_filters_by_fee_status_and_station(client, finance, station_b, tech_customer, other_tech_customer):
    client.force_login(finance.user)
    response = client.get(reverse("finance_home"), {"fee_status": "unpaid"})
    assert [c.number for c in response.context["page"].object_list] == ["HT-OTHER-01"]
    response = client.get(reverse("finance_home"), {"station": station_b.pk})
    assert [c.number for c in response.context["page"].object_list] == ["HT-OTHER-01"]
    response = client.get(reverse("finance_home"), {"fee_status": "nonsense"})
    assert response.context["form"].errors["fee_status"]
    assert response.context["totals"]["count"] == 3  # a bad filter filters nothing


@pytest.mark.parametrize("role", [Role.DISPATCHER, Role.WAREHOUSE_KEEPER, Role.ADMIN])
def test_admin_site_roles_land_on_the_admin(client, sign_in, role, station_a):
    user = UserFactory(username=f"u_{role}", roles=[role])
    StaffFactory(user=user, station=station_a)
    response = sign_in(user, follow=False)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home"))["Location"] == reverse("admin:index")


def test_superuser_without_roles_lands_on_the_admin(client):
    user = UserFactory(username="root_user")
    user.is_superuser = user.is_staff = True
    user.save()
    client.force_login(user)
    assert client.get(reverse("home"))["Location"] == reverse("admin:index")


def test_a_role_priority_decides_between_several_roles(client, station_a):
    user = UserFactory(username="head_and_tech", roles=[Role.TECHNICIAN, Role.STATION_HEAD])
    StaffFactory(user=user, station=station_a)
    client.force_login(user)
    assert client.get(reverse("home"))["Location"] == reverse("station_home")


def test_user_without_role_is_told_to_ask_the_administrator(client):
    user = UserFactory(username="nobody")
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "尚未分配角色" in response.content.decode()


def test_technician_without_staff_record_gets_an_explanation(client):
    user = UserFactory(username="tech_no_staff", roles=[Role.TECHNICIAN])
    client.force_login(user)
    response = client.get(reverse("tablet_home"))
    assert response.status_code == 200
    assert "员工档案" in response.content.decode()


def test_header_shows_name_roles_and_navigation(client, station_head):
    client.force_login(station_head.user)
    page = client.get(reverse("station_home")).content.decode()
    assert station_head.name in page and "站长" in page
    assert f'href="{reverse("station_home")}" class="active"' in page
    assert f'action="{reverse("logout")}"' in page and f'action="{reverse("set_language")}"' in page


def test_logout_is_a_post_and_returns_to_the_login_page(client, technician):
    client.force_login(technician.user)
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert client.get(reverse("tablet_home"))["Location"].startswith(reverse("login"))


def test_password_change_pages(client, technician, password):
    client.force_login(technician.user)
    assert client.get(reverse("password_change")).status_code == 200
    response = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "Xq7-brand-new-pw", "new_password2": "Xq7-brand-new-pw"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("password_change_done")
    assert "密码已修改" in response.content.decode()
