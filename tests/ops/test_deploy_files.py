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


def _interpolated(value, env=None):
    """Compose's ${VAR:-default} (and ${VAR}) with the variable unset (or taken from ``env``)."""
    env = env or {}

    def one(match):
        name, default = match.group(1), match.group(3) or ""
        return env.get(name, default)

    return re.sub(r"\$\{([A-Z_][A-Z0-9_]*)(:?-(.*?))?\}", one, str(value))


def _replicas(service, env=None) -> int:
    return int(_interpolated(service.get("deploy", {}).get("replicas", 1), env))


def test_several_web_and_worker_replicas_and_exactly_one_beat_by_default(compose):
    services = compose["services"]
    assert _replicas(services["web"]) >= 2
    assert _replicas(services["worker"]) >= 2
    assert services["beat"]["deploy"]["replicas"] == 1  # a literal: no variable can make it two
    # The replica counts follow the documented variables.
    assert _replicas(services["web"], {"WEB_REPLICAS": "5"}) == 5
    assert _replicas(services["worker"], {"WORKER_REPLICAS": "3"}) == 3
    # Nothing else runs a beat: neither a worker with -B nor a second beat service.
    beats = [name for name, svc in services.items()
             if any(part in ("beat", "-B", "--beat") for part in (svc.get("command") or []))]
    assert beats == ["beat"], beats


def test_web_replicas_share_one_port_through_the_proxy(compose):
    services = compose["services"]
    assert "ports" not in services["web"], "replicas cannot share a host port: only the proxy publishes one"
    proxy = services["proxy"]
    assert proxy["ports"] == ["${WEB_PORT:-8000}:80"]
    assert proxy["depends_on"]["web"]["condition"] == "service_healthy"
    mount = next(v for v in proxy["volumes"] if v.endswith(":/etc/nginx/nginx.conf:ro"))
    conf = (ROOT / mount.split(":", 1)[0]).read_text()
    assert re.search(r"server web:8000 resolve", conf), "the upstream must re-resolve web's replicas"
    assert "resolver 127.0.0.11" in conf
    assert "proxy_pass http://servicedesk_web;" in conf
    # Django's SECURE_PROXY_SSL_HEADER and the Host check depend on these two headers.
    assert "proxy_set_header X-Forwarded-Proto" in conf and "proxy_set_header Host $host;" in conf


def test_every_long_running_service_has_a_healthcheck_that_is_a_command(compose):
    for name in ("postgres", "redis", "web", "worker", "beat", "proxy"):
        check = compose["services"][name]["healthcheck"]
        assert check["test"][0] in ("CMD", "CMD-SHELL"), name
        assert len(check["test"]) > 1, name


def test_the_image_runs_as_an_unprivileged_user_with_static_files_collected():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.M)
    assert "collectstatic" in dockerfile
    assert "requirements.txt" in dockerfile and "requirements-dev" not in dockerfile


def test_redis_never_evicts_queued_tasks(compose):
    command = compose["services"]["redis"]["command"]
    assert "noeviction" in command and "--appendonly" in command


@pytest.mark.parametrize("script", ["scripts/demo.sh", "scripts/test.sh", "scripts/load.sh", ".ci/run"])
def test_scripts_are_valid_bash(script):
    subprocess.run(["bash", "-n", str(ROOT / script)], check=True)
