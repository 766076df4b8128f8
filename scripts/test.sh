#!/usr/bin/env bash
# Command 2 — the whole test suite, against the real PostgreSQL and Redis.
#
#   ./scripts/test.sh [pytest arguments…]      e.g. ./scripts/test.sh tests/ops -x
#
# Creates .venv (if missing), installs requirements-dev.txt, installs Debian's chromium for the
# browser tests (as root), checks that PostgreSQL and Redis answer, checks that no migration is
# missing, then runs pytest. pytest's exit code is this script's exit code (5 = no test ran).
#
#   DATABASE_URL   default postgres://postgres@127.0.0.1:5432/servicedesk (tests use test_<name>)
#   REDIS_URL      default redis://127.0.0.1:6379/0
#   TEST_CELERY_BROKER_URL  default: REDIS_URL's server, database 15 (the worker tests' queue)
set -Eeuo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
PYTHON="${PYTHON:-python3}"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { local code="$1"; shift; printf 'test.sh: %s\n' "$*" >&2; exit "$code"; }

# --- Python environment -----------------------------------------------------------------------
if [ ! -x .venv/bin/python ]; then
    command -v "$PYTHON" >/dev/null || die 1 "$PYTHON not found: install Python 3.11 or newer (with venv and pip)."
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
        || die 1 "$("$PYTHON" --version 2>&1) is too old: Service Desk needs Python 3.11 or newer (set PYTHON=python3.11)."
    say "Creating .venv"
    "$PYTHON" -m venv .venv || die 1 "could not create .venv (on Debian/Ubuntu: apt-get install python3-venv)."
fi
PY="$ROOT/.venv/bin/python"

stamp=".venv/.installed-requirements-dev.txt"
sum="$(cat requirements*.txt | "$PY" -c 'import hashlib,sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sum" ]; then
    say "Installing requirements-dev.txt"
    "$PY" -m pip install --disable-pip-version-check -q -r requirements-dev.txt
    echo "$sum" >"$stamp"
fi

# --- Browser for the Playwright tests: Debian's chromium (Playwright's own download is not used) -
if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "Installing Debian's chromium for the browser tests"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null
    else
        die 2 "/usr/bin/chromium is missing (the browser tests drive it). Install it with:
    sudo apt-get update && sudo apt-get install -y chromium fonts-noto-cjk
or skip the browser tests:  ./scripts/test.sh -m 'not browser'"
    fi
fi

# --- Services ---------------------------------------------------------------------------------
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/servicedesk}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
say "Checking PostgreSQL and Redis"
set +e
"$PY" - <<'PYEOF'
import os
import sys
from urllib.parse import urlsplit

import psycopg2
import redis

problems = []
db_url = os.environ["DATABASE_URL"]
db = urlsplit(db_url)
if db.scheme not in ("postgres", "postgresql", "pgsql"):
    problems.append(f"DATABASE_URL must point at PostgreSQL for the tests (it is {db.scheme}://…).")
else:
    try:
        psycopg2.connect(db_url, connect_timeout=5).close()
    except psycopg2.OperationalError as exc:
        if "does not exist" in str(exc):
            # The server answers; only the database is missing: create it (the tests need the server,
            # and makemigrations --check reads the migration history from this database).
            name = db.path.lstrip("/")
            conn = psycopg2.connect(db._replace(path="/postgres").geturl(), connect_timeout=5)
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute(f'CREATE DATABASE "{name}"')
            conn.close()
            print(f"Created database {name}.")
        else:
            where = f"{db.hostname or 'localhost'}:{db.port or 5432}"
            problems.append(
                f"PostgreSQL does not answer at {where} ({str(exc).strip().splitlines()[0]}).\n"
                "    Start it, e.g.:  pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\n"
                "    or point DATABASE_URL at a running server (postgres://USER:PASSWORD@HOST:PORT/servicedesk)."
            )
redis_url = os.environ["REDIS_URL"]
try:
    redis.Redis.from_url(redis_url, socket_connect_timeout=5).ping()
except redis.RedisError as exc:
    r = urlsplit(redis_url)
    problems.append(
        f"Redis does not answer at {r.hostname or 'localhost'}:{r.port or 6379} ({exc}).\n"
        '    Start it, e.g.:  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save ""\n'
        "    or point REDIS_URL at a running server (redis://HOST:PORT/0)."
    )
if problems:
    print("test.sh: the tests need these services:\n  - " + "\n  - ".join(problems), file=sys.stderr)
    sys.exit(2)
PYEOF
status=$?
set -e
[ "$status" = 0 ] || exit "$status"

# The worker tests send tasks through Redis; a database of its own keeps them apart from a dev worker.
if [ -z "${TEST_CELERY_BROKER_URL:-}" ]; then
    TEST_CELERY_BROKER_URL="$("$PY" -c 'import os; from urllib.parse import urlsplit; u = urlsplit(os.environ["REDIS_URL"]); print(u._replace(path="/15").geturl())')"
fi
export CELERY_BROKER_URL="$TEST_CELERY_BROKER_URL"
export SERVICEDESK_TESTING=1
unset DEBUG

# --- Checks and tests -------------------------------------------------------------------------
say "Checking for missing migrations"
"$PY" manage.py makemigrations --check --dry-run \
    || die 1 "a model change has no migration: run  python manage.py makemigrations  and commit it."

say "Running pytest $*"
set +e
"$PY" -m pytest "$@"
status=$?
set -e
if [ "$status" = 5 ]; then
    echo "test.sh: pytest collected no tests (exit 5) — that is a failure." >&2
fi
exit "$status"
