"""Home pages read a fixed number of queries however many rows they show."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "url_name", "limit"),
    [
        ("technician", "tablet_home", 16),
        ("supervisor", "supervisor_home", 12),
        ("station_head", "station_home", 13),
        ("manager", "manager_home", 14),
        ("finance", "finance_home", 12),
        ("finance", "finance_export", 7),
    ],
)
def test_home_query_count_does_not_grow_with_rows(
    client, request, many_rows, django_assert_max_num_queries, persona, url_name, limit
):
    person = request.getfixturevalue(persona)
    client.force_login(person.user)
    url = reverse(url_name)
    # The first page of a process fills caches (e.g. the calendar banner); count from the second on.
    client.get(url)

    counts = []
    for more in (2, 18):
        many_rows(more)
        with django_assert_max_num_queries(limit) as captured:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], f"{url_name}: {counts[0]} queries with few rows, {counts[1]} with many"
