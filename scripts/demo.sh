#!/usr/bin/env bash
# Command 1 — quick start: a demo Service Desk on this machine, with no services to install.
#
#   ./scripts/demo.sh
#
# Creates .venv (if missing), installs requirements.txt, migrates, collects static files, loads the
# demo data (idempotent), then runs the web server, one Celery worker and one Celery beat until
# Ctrl-C. With no DATABASE_URL / REDIS_URL it uses SQLite and a filesystem broker under var/; when
# they are set they are used. PORT (default 8000) picks the web port.
set -Eeuo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
PYTHON="${PYTHON:-python3}"
PORT="${PORT:-8000}"
export DEBUG="${DEBUG:-1}"
export PYTHONUNBUFFERED=1
LOG_DIR="$ROOT/var/log"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'demo.sh: %s\n' "$*" >&2; exit 1; }

# --- Python environment -----------------------------------------------------------------------
if [ ! -x .venv/bin/python ]; then
    command -v "$PYTHON" >/dev/null || die "$PYTHON not found: install Python 3.11 or newer (with venv and pip)."
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
        || die "$("$PYTHON" --version 2>&1) is too old: Service Desk needs Python 3.11 or newer (set PYTHON=python3.11)."
    say "Creating .venv"
    "$PYTHON" -m venv .venv || die "could not create .venv (on Debian/Ubuntu: apt-get install python3-venv)."
fi
PY="$ROOT/.venv/bin/python"

# Reinstall only when the requirements changed since the last successful install.
install_requirements() {
    local file="$1" stamp=".venv/.installed-$1" sum
    sum="$(cat requirements*.txt | "$PY" -c 'import hashlib,sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
        return 0
    fi
    say "Installing $file"
    "$PY" -m pip install --disable-pip-version-check -q -r "$file"
    echo "$sum" >"$stamp"
}
install_requirements requirements.txt

manage() { "$PY" manage.py "$@"; }

# --- Database, translations, static files, demo data --------------------------------------------
say "Migrating the database (${DATABASE_URL:-SQLite in var/})"
# LOG_LEVEL=WARNING hides the per-table lines of the audit triggers being installed.
LOG_LEVEL=WARNING manage migrate --noinput

# The .mo files are committed; compile only when one is missing and gettext is installed.
missing_mo=0
while IFS= read -r po; do
    [ -f "${po%.po}.mo" ] || missing_mo=1
done < <(find . -path ./.venv -prune -o -path ./node_modules -prune -o -name '*.po' -path '*/LC_MESSAGES/*' -print)
if [ "$missing_mo" = 1 ]; then
    if command -v msgfmt >/dev/null; then
        say "Compiling translations"
        manage compilemessages --ignore=.venv --ignore=node_modules -v 0
    else
        echo "Note: some .mo files are missing and msgfmt (gettext) is not installed; pages may show English." >&2
    fi
fi

say "Collecting static files"
manage collectstatic --noinput -v 0

say "Loading the demo data"
manage seed_demo

# --- Processes --------------------------------------------------------------------------------
mkdir -p "$LOG_DIR"
PIDS=()
stopping=0
stop_all() {
    [ "$stopping" = 1 ] && return
    stopping=1
    trap - INT TERM
    echo
    say "Stopping web, worker and beat"
    local pid
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    # The worker finishes its current task on TERM (warm shutdown); give everyone 15 s.
    for _ in $(seq 30); do
        local alive=0
        for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [ "$alive" = 0 ] && break
        sleep 0.5
    done
    for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap 'stop_all' EXIT

# The solo pool runs one task at a time: SQLite allows only one writer at once.
"$PY" -m celery -A servicedesk worker --pool=solo -l INFO -n "demo@%h" >>"$LOG_DIR/worker.log" 2>&1 &
PIDS+=($!)
# Exactly one beat: its pidfile makes a second one (another demo.sh) refuse to start.
"$PY" -m celery -A servicedesk beat -l INFO --pidfile="$ROOT/var/celerybeat.pid" >>"$LOG_DIR/beat.log" 2>&1 &
PIDS+=($!)
"$PY" manage.py runserver --noreload "0.0.0.0:$PORT" >>"$LOG_DIR/web.log" 2>&1 &
PIDS+=($!)

# Wait until the site answers (or a process died).
for _ in $(seq 120); do
    if "$PY" -c "import sys, urllib.request as u; sys.exit(u.urlopen('http://127.0.0.1:$PORT/healthz', timeout=2).status != 200)" 2>/dev/null; then
        break
    fi
    for pid in "${PIDS[@]}"; do
        kill -0 "$pid" 2>/dev/null || die "a process exited early; see $LOG_DIR/{web,worker,beat}.log"
    done
    sleep 0.5
done

cat <<EOF

  Service Desk is running:  http://127.0.0.1:$PORT/
  Admin (dispatchers, warehouse, configuration):  http://127.0.0.1:$PORT/admin/
  API docs:  http://127.0.0.1:$PORT/api/v1/docs/
  Logs:  $LOG_DIR/web.log, worker.log, beat.log

EOF
if ! manage seed_demo --print-logins 2>/dev/null; then
    echo "  Demo logins: see README.md, section \"Demo logins\"."
fi
printf '\n  Press Ctrl-C to stop web, worker and beat.\n\n'

# Stop everything when any one of them stops.
set +e
wait -n "${PIDS[@]}"
status=$?
if [ "$stopping" = 0 ]; then
    echo "demo.sh: a process stopped (exit $status); see $LOG_DIR/{web,worker,beat}.log" >&2
    exit "$status"
fi
