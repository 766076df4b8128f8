"""Export jobs: small ones at once, large ones by a real worker with progress; files for their requester only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.exceptions import DomainError, NotAllowed
from reports.models import ExportJob
from tests.fixtures.celery_worker import wait_until

from .conftest import all_cells, read_back, this_month


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def two_orders(make_customer, make_item, signed_order):
    item = make_item("空调清洗保养", "120.00")
    return [signed_order(make_customer(name), items=[item]) for name in ("甲公司", "乙公司")]


@pytest.mark.django_db
def test_a_small_billing_export_downloads_directly(two_orders, finance, client):
    client.force_login(finance.user)
    r = client.get(reverse("reports:billing_export"), {"month": this_month().strftime("%Y-%m")})
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment")
    wb = read_back(_body(r))
    assert any(c.value == two_orders[0].number for _ws, c in all_cells(wb))
    job = ExportJob.objects.get()
    assert (job.status, job.progress, job.requested_by) == ("done", 100, finance.user)
    assert job.expires_at > timezone.now() + timedelta(hours=23)


@pytest.mark.django_db
def test_bad_export_requests_name_the_field(finance, technician):
    with pytest.raises(DomainError) as e:
        services.start_export(kind="billing_sheet", params={"month": "2026-99"}, actor=finance.user)
    assert e.value.field == "month"
    with pytest.raises(DomainError) as e:
        services.start_export(kind="nope", params={}, actor=finance.user)
    assert e.value.field == "kind"
    with pytest.raises(NotAllowed):
        services.start_export(kind="billing_sheet", params={"month": this_month().isoformat()}, actor=technician.user)
    with pytest.raises(DomainError) as e:
        services.start_export(kind="list", params={"list": "tickets", "filters": {"kind": ["nonsense"]}}, actor=finance.user)
    assert e.value.field == "kind"


@pytest.mark.django_db
def test_building_is_idempotent_and_expired_files_are_deleted(two_orders, finance, settings):
    settings.EXPORT_BACKGROUND_ROWS = 0
    job = services.start_export(kind="billing_sheet", params={"month": this_month().isoformat()}, actor=finance.user)
    assert job.status == "pending"  # the task runs after commit
    built = services.build_export(job_id=job.pk)
    assert built.status == "done"
    assert services.build_export(job_id=job.pk) is None  # second delivery: nothing rebuilt
    name = ExportJob.objects.get(pk=job.pk).file.name
    assert default_storage.exists(name) and not name.startswith("/")
    assert services.delete_expired_exports(now=timezone.now()) == 0
    assert services.delete_expired_exports(now=timezone.now() + timedelta(hours=25)) == 1
    assert services.delete_expired_exports(now=timezone.now() + timedelta(hours=26)) == 0
    assert not default_storage.exists(name) and ExportJob.objects.get(pk=job.pk).file_deleted_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_large_export_runs_on_the_worker_with_progress_and_only_its_requester_downloads_it(
    live_celery_worker, two_orders, finance, manager, general_manager, api_client_as, settings
):
    # The worker is another process: it reads the thresholds from its environment, not this test's
    # settings; what makes the job "large" is decided here, where it is started.
    settings.EXPORT_BACKGROUND_ROWS = 1
    api = api_client_as(finance)
    r = api.post("/api/v1/reports/exports/", {"kind": "billing_sheet", "params": {"month": this_month().strftime("%Y-%m")}}, format="json")
    assert r.status_code == 201 and r.json()["status"] == "pending" and r.json()["rows_total"] == 2
    pk = r.json()["id"]
    seen = []

    def done():
        data = api.get(f"/api/v1/reports/exports/{pk}/").json()
        seen.append(data["progress"])
        return data if data["status"] in ("done", "failed") else None

    data = wait_until(done, timeout=60, message="the export job to finish")
    assert data["status"] == "done" and data["progress"] == 100 and data["rows_done"] == 2 and data["download_url"]
    r = api.get(data["download_url"])
    assert r.status_code == 200
    assert any(c.value == two_orders[1].number for _ws, c in all_cells(read_back(_body(r))))
    # Another finance reader (the general manager is a manager too: he may); a stranger gets 404.
    from tests.fixtures.personas import _person
    from servicedesk.org.models import Role

    other_clerk = _person("p_finance_2", Role.FINANCE, None)
    assert api_client_as(other_clerk).get(data["download_url"]).status_code == 404
    assert api_client_as(other_clerk).get(f"/api/v1/reports/exports/{pk}/").status_code == 404
    assert api_client_as(manager).get(data["download_url"]).status_code == 200
    from django.test import Client

    page = Client()
    page.force_login(other_clerk.user)
    assert page.get(reverse("reports:export_download", args=[pk])).status_code == 404
    page.force_login(finance.user)
    progress = page.get(reverse("reports:export_progress", args=[pk])).json()
    assert progress["progress"] == 100 and progress["download_url"] == reverse("reports:export_download", args=[pk])
    assert "data-export-progress" in page.get(reverse("reports:export_job", args=[pk])).content.decode()
