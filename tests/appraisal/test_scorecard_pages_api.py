"""Scorecard pages, API, Excel export and who sees what (a technician only his own: 404 otherwise)."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from appraisal import services
from appraisal.scorecard_models import Scorecard
from tests.factories import StaffFactory, UserFactory

from .scorecard_fixtures import MONTH, NOW, november, run_order, service_item  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
API = "/api/v1/appraisal"


@pytest.fixture
def published(november, manager):
    month = services.draft_month(month=MONTH, actor=manager.user, now=NOW)
    services.review_month(month=month, actor=manager.user, now=NOW)
    return services.publish_month(month=month, actor=manager.user, now=NOW)


def _card(month, staff):
    return Scorecard.objects.get(month=month, technician=staff)


def test_a_technician_reads_only_his_own_scorecard(published, technician, other_technician, client, api_client_as):
    mine, theirs = _card(published, technician), _card(published, other_technician)
    client.force_login(technician.user)
    page = client.get(reverse("appraisal:my_scorecard"))
    assert page.status_code == 200 and page.context["card"] == mine
    assert reverse("appraisal:drill", args=[mine.pk, "arrivals"]) in page.content.decode()
    assert client.get(reverse("appraisal:scorecard", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("appraisal:drill", args=[theirs.pk, "callbacks"])).status_code == 404
    assert client.get(reverse("appraisal:team")).status_code == 403

    api = api_client_as(technician)
    listed = api.get(f"{API}/scorecards/").json()["results"]
    assert [c["id"] for c in listed] == [mine.pk]
    assert api.get(f"{API}/scorecards/{theirs.pk}/").status_code == 404
    assert api.post(f"{API}/scorecards/{mine.pk}/adjust/", {"points": 5, "reason": "x"}, format="json").status_code == 403


def test_a_draft_month_is_not_shown_to_the_technician(november, manager, technician, client):
    month = services.draft_month(month=MONTH, actor=manager.user, now=NOW)
    client.force_login(technician.user)
    assert client.get(reverse("appraisal:my_scorecard")).context.get("card") is None
    assert client.get(reverse("appraisal:scorecard", args=[_card(month, technician).pk])).status_code == 404


def test_the_drill_down_page_lists_the_counted_rows(published, november, technician, manager, client):
    card = _card(published, technician)
    client.force_login(manager.user)
    page = client.get(reverse("appraisal:drill", args=[card.pk, "arrivals"]))
    assert page.status_code == 200 and page.context["count"] == card.arrivals == 3
    html = page.content.decode()
    assert [r.pk for r in page.context["rows"]] == [november[k].pk for k in ("o1", "o2", "o3")]
    for key in ("o1", "o2", "o3"):
        assert november[key].number in html


def test_team_page_ranks_with_charts_in_constant_queries(published, manager, client, station_a,
                                                        django_assert_max_num_queries):
    client.force_login(manager.user)
    url = f"{reverse('appraisal:team')}?month=2026-11"
    client.get(url)
    with django_assert_max_num_queries(14) as few:
        page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and 'id="team-table"' in html
    assert [c.rank_department for c in page.context["cards"]] == [1, 2]
    baseline = len(few.captured_queries)

    for i in range(5):  # more people, same number of queries
        StaffFactory(user=UserFactory(username=f"more_tech_{i}", roles=["technician"]), station=station_a)
    services.reopen_month(month=published, actor=_gm(), reason="新增人员", now=NOW)
    services.draft_month(month=MONTH, actor=manager.user, now=NOW)
    with django_assert_max_num_queries(baseline) as many:
        page = client.get(url)
    assert len(page.context["cards"]) == 7 and len(many.captured_queries) == baseline


def _gm():
    from servicedesk.org.models import Role

    return StaffFactory(user=UserFactory(username="p_gm_2", roles=[Role.GENERAL_MANAGER]), station=None).user


def test_api_list_reads_a_constant_number_of_queries(published, manager, api_client_as, django_assert_max_num_queries):
    api = api_client_as(manager)
    with django_assert_max_num_queries(6):
        body = api.get(f"{API}/scorecards/?month=2026-11").json()
    assert body["count"] == 2
    assert {"timeliness_rate", "total", "grade", "rank_department", "components"} <= set(body["results"][0])


def test_api_months_adjust_publish_and_reopen(november, manager, general_manager, technician, api_client_as):
    api = api_client_as(manager)
    drafted = api.post(f"{API}/scorecard-months/draft/", {"month": "2026-11"}, format="json")
    assert drafted.status_code == 201, drafted.json()
    month_id = drafted.json()["id"]
    card = Scorecard.objects.get(month_id=month_id, technician=technician)
    no_reason = api.post(f"{API}/scorecards/{card.pk}/adjust/", {"points": "2", "reason": ""}, format="json")
    assert no_reason.status_code == 400 and list(no_reason.json()["errors"]) == ["reason"]
    ok = api.post(f"{API}/scorecards/{card.pk}/adjust/", {"points": "2", "reason": "协助新人"}, format="json")
    assert ok.status_code == 200 and Decimal(ok.json()["adjustment_points"]) == 2
    assert api.post(f"{API}/scorecard-months/{month_id}/publish/").status_code == 409
    assert api.post(f"{API}/scorecard-months/{month_id}/review/").status_code == 200
    assert api.post(f"{API}/scorecard-months/{month_id}/publish/").json()["status"] == "published"
    locked = api.post(f"{API}/scorecards/{card.pk}/adjust/", {"points": "2", "reason": "再加"}, format="json")
    assert locked.status_code == 409
    assert api.post(f"{API}/scorecard-months/{month_id}/reopen/", {"reason": "x"}, format="json").status_code == 403
    gm = api_client_as(general_manager)
    reopened = gm.post(f"{API}/scorecard-months/{month_id}/reopen/", {"reason": "补录回访"}, format="json")
    assert reopened.status_code == 200 and reopened.json()["reopen_count"] == 1


def test_config_api_is_for_managers_and_validated(manager, technician, api_client_as, db):
    api = api_client_as(manager)
    configs = api.get(f"{API}/scorecard-configs/").json()["results"]
    if not configs:
        from appraisal.scorecard_selectors import active_configs

        active_configs()
        configs = api.get(f"{API}/scorecard-configs/").json()["results"]
    pk = configs[0]["id"]
    bad = api.patch(f"{API}/scorecard-configs/{pk}/", {"weight_visits": "50"}, format="json")
    assert bad.status_code == 400 and "weight_problems" in bad.json()["errors"]
    good = api.patch(f"{API}/scorecard-configs/{pk}/", {"grade_a": "88", "problems_target": 40}, format="json")
    assert good.status_code == 200 and good.json()["grade_a"] == "88.00"
    assert api_client_as(technician).get(f"{API}/scorecard-configs/").status_code == 403


def test_feedback_api_and_page(november, manager, technician, api_client_as, client):
    api = api_client_as(manager)
    forms = api.get(f"{API}/feedback-forms/?status=scored").json()["results"]
    assert {f["score"] for f in forms} == {8, 6}
    mine = api_client_as(technician).get(f"{API}/feedback-forms/").json()["results"]
    assert len(mine) == 2
    assert api_client_as(technician).post(f"{API}/feedback-forms/{forms[0]['id']}/score/", {"score": 9},
                                          format="json").status_code == 403
    client.force_login(manager.user)
    page = client.get(f"{reverse('appraisal:feedback_forms')}?day=2026-11-10")
    assert page.status_code == 200 and len(page.context["forms"]) == 1
    form = page.context["forms"][0]
    client.post(f"{reverse('appraisal:feedback_forms')}?day=2026-11-10", {f"score_{form.pk}": "10", f"done_{form.pk}": "1"})
    form.refresh_from_db()
    assert form.score == 10


def test_excel_export_reads_back(published, manager, client):
    client.force_login(manager.user)
    response = client.get(f"{reverse('appraisal:team_export')}?month=2026-11")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.worksheets[0]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    names = {r[3] for r in rows}
    assert {"p_tech_a", "p_tech_b"} <= names
    a = next(r for r in rows if r[3] == "p_tech_a")
    assert a[5] == 7 and a[6] == 2 and a[7] == pytest.approx(66.67) and a[18] == pytest.approx(34.30) and a[19] == "D"
    assert wb.worksheets[1].title and any("45" in str(c.value) for c in wb.worksheets[1]["A"])


def test_homes_link_to_the_scorecards(technician, manager, client):
    client.force_login(technician.user)
    assert reverse("appraisal:my_scorecard") in client.get(reverse("tablet_home")).content.decode()
    client.force_login(manager.user)
    html = client.get(reverse("manager_home")).content.decode()
    assert reverse("appraisal:team") in html and reverse("appraisal:feedback_forms") in html
