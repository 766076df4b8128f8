#!/usr/bin/env bash
# The load run of issue 9 (BENCHMARKS.md, "Load"): gunicorn with several workers on PostgreSQL at
# 200,000 tickets, driven by locust (headless, bounded) with dispatcher, technician and supervisor
# traffic through real logins; prints req/s, p50/p95/p99 per endpoint group and the errors.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/sd_load ./scripts/load.sh
#
#   DATABASE_URL   PostgreSQL database of the run (created, migrated and filled if needed);
#                  default postgres://postgres@127.0.0.1:5432/servicedesk_load
#   REDIS_URL      cache and broker of the web workers (tasks queued by the run are not consumed);
#                  default redis://127.0.0.1:6379/0
#   LOAD_TICKETS=200000  LOAD_USERS=30  LOAD_SPAWN_RATE=5  LOAD_TIME=60s  LOAD_WARMUP=20s  WEB_WORKERS=4
#   LOAD_PORT=8765
#
# Exit code: 0 when the run had 0 errors and list/detail p95 under 200 ms, 1 otherwise.
set -Eeuo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
PY="$ROOT/.venv/bin/python"
[ -x "$PY" ] || { echo "load.sh: run ./scripts/test.sh once first (it creates .venv with requirements-dev.txt)" >&2; exit 2; }

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/servicedesk_load}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
export CELERY_BROKER_URL="${CELERY_BROKER_URL:-$REDIS_URL}"
USERS="${LOAD_USERS:-30}"
RATE="${LOAD_SPAWN_RATE:-5}"
RUN_TIME="${LOAD_TIME:-60s}"
WORKERS="${WEB_WORKERS:-4}"
PORT="${LOAD_PORT:-8765}"
OUT="$ROOT/var/load"
mkdir -p "$OUT"

# Production settings, minus HTTPS (plain HTTP on 127.0.0.1): throwaway keys for this run only.
export DEBUG=0 SERVICEDESK_VAR_DIR="$OUT/var" STATIC_ROOT="$OUT/static"
export SECRET_KEY="load-run-$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
export SIGNATURE_SEAL_KEY="load-run-$(head -c 36 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0
export LOG_LEVEL=WARNING

"$PY" - <<'PYEOF'
import os
from urllib.parse import urlsplit
import psycopg2
url = urlsplit(os.environ["DATABASE_URL"])
try:
    psycopg2.connect(os.environ["DATABASE_URL"], connect_timeout=5).close()
except psycopg2.OperationalError as exc:
    if "does not exist" not in str(exc):
        raise
    conn = psycopg2.connect(url._replace(path="/postgres").geturl(), connect_timeout=5)
    conn.autocommit = True
    conn.cursor().execute(f'CREATE DATABASE "{url.path.lstrip("/")}"')
    print(f"Created database {url.path.lstrip('/')}.")
PYEOF
echo "==> migrate, demo department and ${LOAD_TICKETS:-200000} tickets (idempotent)"
"$PY" manage.py migrate --noinput -v 0
"$PY" manage.py load_prepare --tickets "${LOAD_TICKETS:-200000}"
"$PY" manage.py collectstatic --noinput -v 0

echo "==> gunicorn, $WORKERS workers on 127.0.0.1:$PORT"
.venv/bin/gunicorn servicedesk.wsgi --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
    --error-logfile "$OUT/gunicorn.log" &
GUNICORN=$!
trap 'kill "$GUNICORN" 2>/dev/null; wait "$GUNICORN" 2>/dev/null || true' EXIT
for _ in $(seq 60); do
    curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" && break
    sleep 1
done

# Warm-up, not measured: every gunicorn worker imports its views and templates on first use.
WARMUP="${LOAD_WARMUP:-20s}"
echo "==> warm-up: 10 users for $WARMUP (not measured)"
LOAD_SUMMARY= .venv/bin/locust -f loadtest/locustfile.py --headless -u 10 -r 10 -t "$WARMUP" \
    --host "http://127.0.0.1:$PORT" --only-summary --loglevel ERROR >/dev/null 2>&1 || true

echo "==> locust: $USERS users (spawn $RATE/s) for $RUN_TIME"
export LOAD_SUMMARY="$OUT/summary.json"
rm -f "$LOAD_SUMMARY"
.venv/bin/locust -f loadtest/locustfile.py --headless -u "$USERS" -r "$RATE" -t "$RUN_TIME" \
    --host "http://127.0.0.1:$PORT" --csv "$OUT/locust" --only-summary --loglevel WARNING || true
echo
"$PY" loadtest/summary.py "$LOAD_SUMMARY"
