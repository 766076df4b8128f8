"""The deployment files agree with the settings: compose services, shared env, documented variables."""

import re
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _settings_variables() -> set[str]:
    source = (ROOT / "servicedesk" / "settings.py").read_text()
    pattern = r"""(?:env(?:\.\w+)?|env_bool|env_int|os\.environ\.get|os\.getenv)\(\s*["']([A-Z][A-Z0-9_]+)["']"""
    return set(re.findall(pattern, source))


def test_every_variable_settings_reads_is_in_env_example():
    documented = set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    read = _settings_variables() | {"HEALTH_TOKEN"}
    assert read, "found no variables in settings.py: the pattern above is out of date"
    assert read - documented == set(), "add these to .env.example"


def test_long_running_services_restart_and_have_a_healthcheck(compose):
    services = compose["services"]
    assert {"postgres", "redis", "migrate", *APP_SERVICES} <= set(services)
    for name, service in services.items():
        if name == "migrate":
            continue
        assert service["restart"] == "unless-stopped", name
        assert service["healthcheck"]["test"], name


def test_web_worker_and_beat_start_after_migrate_with_the_same_environment(compose):
    services = compose["services"]
    envs = [services[name]["environment"] for name in (*APP_SERVICES, "migrate")]
    assert all(env == envs[0] for env in envs)
    assert "DATABASE_URL" in envs[0] and "CELERY_BROKER_URL" in envs[0]
    for name in APP_SERVICES:
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully", name
    assert services["migrate"]["restart"] == "no"


def test_exactly_one_beat(compose):
    beat = compose["services"]["beat"]
    assert beat["deploy"]["replicas"] == 1
    assert "beat" in beat["command"]
    assert not any("-B" == part or "--beat" == part for part in compose["services"]["worker"]["command"])


def test_redis_never_evicts_queued_tasks(compose):
    command = compose["services"]["redis"]["command"]
    assert "noeviction" in command and "--appendonly" in command


@pytest.mark.parametrize("script", ["scripts/demo.sh", "scripts/test.sh", ".ci/run"])
def test_scripts_are_valid_bash(script):
    subprocess.run(["bash", "-n", str(ROOT / script)], check=True)
