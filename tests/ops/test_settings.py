"""Settings read the environment strictly, and production settings pass Django's deploy checks."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from servicedesk.settings import env_bool, env_int

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("raw", ["yes", "no", "y", "enabled", "2", "tru"])
def test_env_bool_rejects_anything_but_the_six_spellings(monkeypatch, raw):
    monkeypatch.setenv("SD_TEST_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match="SD_TEST_FLAG"):
        env_bool("SD_TEST_FLAG")


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("TRUE", True), (" on ", True), ("0", False), ("off", False), ("", False)])
def test_env_bool_accepts_the_six_spellings_in_any_case(monkeypatch, raw, expected):
    monkeypatch.setenv("SD_TEST_FLAG", raw)
    assert env_bool("SD_TEST_FLAG", default=not expected) is expected


def test_env_bool_and_env_int_fall_back_to_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("SD_TEST_FLAG", raising=False)
    assert env_bool("SD_TEST_FLAG", True) is True
    assert env_int("SD_TEST_FLAG", 7) == 7


def test_env_int_rejects_words(monkeypatch):
    monkeypatch.setenv("SD_TEST_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="SD_TEST_NUMBER"):
        env_int("SD_TEST_NUMBER", 1)


def _production_env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "SERVICEDESK_", "DJANGO_"))}
    # Production runs on PostgreSQL (the audit trail needs its triggers): keep the test server's URL.
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        env.pop("DATABASE_URL", None)
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
                 "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "ALLOWED_HOSTS"):  # fmt: skip
        env.pop(name, None)
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        SIGNATURE_SEAL_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="servicedesk.example.com",
        SERVICEDESK_VAR_DIR=str(tmp_path / "var"),
        DJANGO_SETTINGS_MODULE="servicedesk.settings",
        **extra,
    )
    return env


# Warnings about the data rather than the configuration: the 2027 holiday schedule is published by
# the State Council late in the year, and the check warns admins until someone enters it.
DATA_WARNINGS = {"business_calendar.W001"}


@pytest.mark.slow
def test_production_settings_pass_check_deploy(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT, env=_production_env(tmp_path), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    issues = set(re.findall(r"\((\w+\.[CEWID]\d+)\)", output)) - DATA_WARNINGS
    assert issues == set(), output
    if not re.search(r"\(\w+\.[CEWID]\d+\)", output):
        assert "System check identified no issues" in output, output


@pytest.mark.slow
def test_production_refuses_to_start_without_secret_key(tmp_path):
    env = _production_env(tmp_path)
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.slow
def test_production_refuses_to_start_without_the_seal_key(tmp_path):
    env = _production_env(tmp_path)
    del env["SIGNATURE_SEAL_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SIGNATURE_SEAL_KEY must be set" in result.stderr


def _bare_env(tmp_path) -> dict:
    """A newcomer's shell: no DEBUG, no secrets, no database URL (the quick start's SQLite in tmp)."""
    return {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "SERVICEDESK_VAR_DIR": str(tmp_path / "var")}


def test_makemigrations_check_needs_no_production_secrets(tmp_path):
    result = subprocess.run([sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"], cwd=ROOT,
                            env=_bare_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "No changes detected" in result.stdout
    assert not (tmp_path / "var" / "secret_key").exists(), "a source-only command must not store a key"


def test_a_command_without_the_secrets_names_the_missing_setting(tmp_path):
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=_bare_env(tmp_path),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "SECRET_KEY must be set" in result.stderr and "Models aren't loaded" not in result.stderr


def test_a_web_worker_imports_every_view_when_it_boots_not_in_its_first_request(tmp_path):
    # gunicorn loads servicedesk.wsgi before a worker takes requests; the first request each
    # worker served used to pay for importing the URLconf (0.25-1.6 s in the load run).
    probe = (
        "import sys, servicedesk.wsgi; "
        "print(' '.join(m for m in ('servicedesk.urls', 'tickets.api', 'tickets.tablet_views', 'visits.views', "
        "'reports.views') if m not in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=_production_env(tmp_path), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"not imported at boot: {done.stdout}"
