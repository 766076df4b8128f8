"""/healthz (liveness) and /health/ (readiness) and the check_heartbeats command."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.urls import resolve
from django.utils import timezone

from servicedesk.core import health
from servicedesk.core.models import JobHeartbeat
from servicedesk.core.tasks import heartbeat_task

# Only the probes' own URLconf: these tests must not depend on every app's URLs importing.
probes_only = pytest.mark.urls("servicedesk.core.health_urls")


def _all_fresh(**ago):
    now = timezone.now()
    for name, interval in django_settings.HEARTBEAT_INTERVALS.items():
        finished = now - timedelta(seconds=ago.get(name.replace("-", "_"), 0))
        JobHeartbeat.objects.update_or_create(
            name=name, defaults={"last_started_at": finished, "last_finished_at": finished, "runs": 1}
        )


@probes_only
def test_healthz_answers_ok_without_touching_the_database(client):
    # No django_db mark: any query here would raise "Database access not allowed".
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@probes_only
@pytest.mark.django_db
def test_health_is_200_when_database_broker_and_heartbeats_are_good(client):
    _all_fresh()
    response = client.get("/health/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] and body["checks"]["broker"]["ok"]
    assert body["stale_jobs"] == []


@probes_only
@pytest.mark.django_db
def test_health_is_503_naming_the_stale_job(client):
    _all_fresh(notifications_retry=3 * django_settings.HEARTBEAT_INTERVALS["notifications-retry"])
    response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["stale_jobs"] == ["notifications-retry"]
    assert body["checks"]["database"]["ok"]


@probes_only
@pytest.mark.django_db
def test_health_reports_a_job_that_never_ran_as_stale(client):
    _all_fresh()
    JobHeartbeat.objects.filter(name="heartbeat").delete()
    response = client.get("/health/")
    assert response.status_code == 503
    assert "heartbeat" in response.json()["stale_jobs"]


@probes_only
@pytest.mark.django_db
def test_health_is_503_when_the_broker_does_not_answer(client, settings):
    _all_fresh()
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/health/")
    assert response.status_code == 503
    broker = response.json()["checks"]["broker"]
    assert broker["ok"] is False
    assert "127.0.0.1:1/" not in broker["error"]  # errors never echo the URL (it may hold a password)


@probes_only
@pytest.mark.django_db
def test_health_requires_the_token_when_one_is_set(client, settings, monkeypatch):
    _all_fresh()
    monkeypatch.setenv("HEALTH_TOKEN", "s3cret-probe-token")
    settings.HEALTH_TOKEN = "s3cret-probe-token"

    assert client.get("/health/").status_code == 403
    assert client.get("/health/?token=wrong").status_code == 403
    assert client.get("/health/", headers={"X-Health-Token": "wrong"}).status_code == 403
    assert client.get("/health/?token=s3cret-probe-token").status_code == 200
    assert client.get("/health/", headers={"X-Health-Token": "s3cret-probe-token"}).status_code == 200
    # Liveness stays open: the orchestrator has no token.
    assert client.get("/healthz").status_code == 200


def test_site_routes_the_health_probes():
    """The root URLconf includes servicedesk.core.health_urls."""
    assert resolve("/healthz").func is health.healthz
    assert resolve("/health/").func is health.health


@pytest.mark.django_db
def test_check_heartbeats_passes_when_fresh_and_fails_naming_the_stale_job(capsys):
    _all_fresh()
    call_command("check_heartbeats")
    assert "ok" in capsys.readouterr().out

    JobHeartbeat.objects.filter(name="calendar-coverage").update(last_finished_at=timezone.now() - timedelta(days=3))
    with pytest.raises(CommandError, match="calendar-coverage"):
        call_command("check_heartbeats")
    # The beat container checks only the one-minute heartbeat.
    call_command("check_heartbeats", "--job", "heartbeat")
    with pytest.raises(CommandError, match="Unknown job"):
        call_command("check_heartbeats", "--job", "nope")


@pytest.mark.django_db
def test_heartbeat_task_records_each_run():
    heartbeat_task()
    heartbeat_task()
    row = JobHeartbeat.objects.get(name="heartbeat")
    assert row.runs == 2 and row.last_error == "" and row.last_finished_at is not None
