import pytest
from django.contrib.auth.models import Group

from servicedesk.org.models import Role
from servicedesk.org.roles import ROLE_PERMISSIONS
from tests.factories import StaffFactory, UserFactory


@pytest.mark.django_db
def test_a_fresh_database_has_every_role_group_with_its_permissions():
    names = set(Group.objects.values_list("name", flat=True))
    assert {r.value for r in Role} <= names
    dispatcher = Group.objects.get(name=Role.DISPATCHER)
    perms = {f"{p.content_type.app_label}.{p.codename}" for p in dispatcher.permissions.select_related("content_type")}
    assert "tickets.add_customer" in perms
    assert "tickets.delete_customer" not in perms
    # Every declared permission that exists in this schema is granted.
    for role, declared in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        from django.contrib.auth.models import Permission

        existing = {
            f"{a}.{c}" for a, c in Permission.objects.values_list("content_type__app_label", "codename")
        }
        assert set(declared) & existing <= granted, role


@pytest.mark.django_db
def test_me_endpoint_returns_roles_and_staff_profile(api_client_as, technician):
    response = api_client_as(technician).get("/api/v1/me/")
    assert response.status_code == 200
    body = response.json()
    assert body["roles"] == ["technician"]
    assert body["staff"]["station_name"] == technician.station.name


@pytest.mark.django_db
def test_anonymous_api_request_is_refused_with_the_error_format(client):
    response = client.get("/api/v1/staff/")
    assert response.status_code in (401, 403)
    body = response.json()
    assert set(body) == {"detail", "code", "errors"}


@pytest.mark.django_db
def test_a_technician_sees_only_himself_in_the_staff_list(api_client_as, technician, other_technician):
    response = api_client_as(technician).get("/api/v1/staff/")
    assert [row["username"] for row in response.json()["results"]] == [technician.user.username]


@pytest.mark.django_db
def test_a_station_head_sees_his_station_only(api_client_as, station_head, technician, other_technician):
    names = {row["username"] for row in api_client_as(station_head).get("/api/v1/staff/").json()["results"]}
    assert technician.user.username in names and station_head.user.username in names
    assert other_technician.user.username not in names


@pytest.mark.django_db
def test_staff_list_query_count_does_not_grow_with_rows(api_client_as, manager, station_a, django_assert_max_num_queries):
    for i in range(60):
        StaffFactory(user=UserFactory(username=f"bulk{i}", roles=[Role.TECHNICIAN]), station=station_a)
    client = api_client_as(manager)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/staff/?page_size=100")
    assert response.status_code == 200
    assert response.json()["count"] == 61


@pytest.mark.django_db
def test_staff_filters_by_role_and_status(api_client_as, manager, technician, dispatcher):
    rows = api_client_as(manager).get("/api/v1/staff/?role=technician&status=working").json()["results"]
    assert [r["username"] for r in rows] == [technician.user.username]


@pytest.mark.django_db
def test_bad_filter_value_names_the_field(api_client_as, manager):
    response = api_client_as(manager).get("/api/v1/staff/?status=dancing")
    assert response.status_code == 400
    assert "status" in response.json()["errors"]


@pytest.mark.django_db
def test_token_sign_in_then_token_auth(client, technician, password):
    response = client.post("/api/v1/auth/token/", {"username": technician.user.username, "password": password})
    assert response.status_code == 200, response.content
    token = response.json()["token"]
    me = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.json()["username"] == technician.user.username


@pytest.mark.django_db
def test_token_endpoint_locks_out_after_repeated_failures(client, technician, password, settings):
    username = technician.user.username
    for _ in range(settings.AXES_FAILURE_LIMIT):
        bad = client.post("/api/v1/auth/token/", {"username": username, "password": "wrong"})
        assert bad.status_code in (400, 429)
        if bad.status_code == 400:
            assert "non_field_errors" in bad.json()["errors"]
    locked = client.post("/api/v1/auth/token/", {"username": username, "password": password})
    assert locked.status_code == 429
    assert locked.json()["code"] == "locked_out"


@pytest.mark.django_db
def test_schema_and_docs_are_served_without_a_cdn(client, manager):
    client.force_login(manager.user)
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/staff/" in schema.content
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert b"cdn.jsdelivr" not in docs.content and b"unpkg" not in docs.content


def test_the_openapi_schema_has_no_warnings_and_validates(tmp_path, db):
    """Every endpoint of every app documented without guesses (an ambiguous component or an
    undescribed field would make the generated clients wrong)."""
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert (tmp_path / "schema.yml").stat().st_size > 10_000
