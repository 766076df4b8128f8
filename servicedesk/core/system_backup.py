"""Backups of the system itself: a PostgreSQL dump with a manifest, the media files, and a
verification that proves the backup can really be restored.

A backup is a folder ``SYSTEM_BACKUP_DIR/<UTC time>/`` holding

* ``db.dump`` — ``pg_dump -Fc`` taken in an exported snapshot;
* ``media.tar`` — every uploaded file (photos, weekly backups of staff, exports);
* ``manifest.json`` — when, which pg_dump and server, the row count of every table *counted in the
  same snapshot as the dump*, the dump's and the tar's SHA-256, and each media file's SHA-256.

:func:`verify_backup` checks the manifest, freshness and checksums, restores the dump into a scratch
database (timing it), compares every table's row count with the manifest, and runs the
application's own invariants on the restored copy in a separate process pointed at it
(``migrate --check``, then each command of ``SYSTEM_BACKUP_INVARIANT_COMMANDS``: stock books equal
the ledger, every signature seal verifies). The scratch database is dropped afterwards.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.utils import timezone

MANIFEST = "manifest.json"
DUMP = "db.dump"
MEDIA_TAR = "media.tar"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """The backup could not be made (the database is not PostgreSQL, pg_dump failed …)."""


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _db_settings(alias: str = "default") -> dict:
    db = settings.DATABASES[alias]
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError("System backups need PostgreSQL (the quick start's SQLite file is copied by hand).")
    return db


def _pg_env(db: dict) -> dict:
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args(db: dict) -> list[str]:
    args = []
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    return args


def _database_url(db: dict, name: str) -> str:
    user = quote(str(db.get("USER") or ""), safe="")
    password = quote(str(db.get("PASSWORD") or ""), safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = db.get("HOST") or "localhost"
    port = db.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{name}"


def _connect(db: dict, name: str | None = None):
    import psycopg2

    return psycopg2.connect(
        dbname=name or db["NAME"], user=db.get("USER") or None, password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None, port=db.get("PORT") or None,
    )


def _count_tables(cursor) -> dict[str, int]:
    cursor.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' "
        "ORDER BY table_name"
    )
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


def _media_files() -> dict[str, dict]:
    root = Path(settings.MEDIA_ROOT)
    files = {}
    if root.exists():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            rel = path.relative_to(root).as_posix()
            files[rel] = {"sha256": _sha256_file(path), "size": path.stat().st_size}
    return files


def make_backup(*, dest_root: Path | None = None, now: datetime | None = None) -> Path:
    """Dump the database and the media files into a new folder with its manifest; returns the folder."""
    db = _db_settings()
    now = now or timezone.now()
    dest_root = Path(dest_root or settings.SYSTEM_BACKUP_DIR)
    folder = dest_root / now.astimezone(dt_timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    folder.mkdir(parents=True, exist_ok=False)
    try:
        version = subprocess.run(["pg_dump", "--version"], capture_output=True, text=True, check=True).stdout.strip()
        conn = _connect(db)
        try:
            # The dump and the counts read the same snapshot: the manifest says exactly what the dump holds.
            conn.set_session(isolation_level="REPEATABLE READ", readonly=True)
            with conn.cursor() as cur:
                cur.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
                snapshot, server_version = cur.fetchone()
                counts = _count_tables(cur)
                result = subprocess.run(
                    ["pg_dump", *_pg_args(db), "-Fc", "--no-owner", f"--snapshot={snapshot}", "-f", str(folder / DUMP), db["NAME"]],
                    env=_pg_env(db), capture_output=True, text=True,
                )
                if result.returncode != 0:
                    raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        finally:
            conn.rollback()
            conn.close()
        media = _media_files()
        with tarfile.open(folder / MEDIA_TAR, "w") as tar:
            for rel in media:
                tar.add(Path(settings.MEDIA_ROOT) / rel, arcname=rel)
        manifest = {
            "format": 1,
            "created_at": now.astimezone(dt_timezone.utc).isoformat(),
            "database": db["NAME"],
            "pg_dump_version": version,
            "server_version": server_version,
            "tables": counts,
            "dump": {"file": DUMP, "size": (folder / DUMP).stat().st_size, "sha256": _sha256_file(folder / DUMP)},
            "media": {"file": MEDIA_TAR, "sha256": _sha256_file(folder / MEDIA_TAR), "files": media},
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder


def latest_backup(root: Path | None = None) -> Path | None:
    root = Path(root or settings.SYSTEM_BACKUP_DIR)
    if not root.exists():
        return None
    folders = sorted(p for p in root.iterdir() if p.is_dir() and (p / MANIFEST).exists())
    return folders[-1] if folders else None


@dataclass
class Check:
    name: str
    ok: bool
    detail: str = ""


@dataclass
class Verification:
    folder: str
    checks: list[Check] = field(default_factory=list)
    restore_seconds: float | None = None

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)

    def failed(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    def as_dict(self) -> dict:
        return {"folder": self.folder, "ok": self.ok, "restore_seconds": self.restore_seconds,
                "checks": [asdict(c) for c in self.checks]}


def _check_media(folder: Path, manifest: dict) -> list[Check]:
    checks = []
    tar_path = folder / MEDIA_TAR
    media = manifest.get("media", {})
    if not tar_path.exists():
        return [Check("media_checksum", False, "media.tar is missing")]
    checks.append(Check("media_checksum", _sha256_file(tar_path) == media.get("sha256"), "media.tar SHA-256 against the manifest"))
    expected = media.get("files", {})
    found = {}
    try:
        with tarfile.open(tar_path) as tar:
            for member in tar:
                if member.isfile():
                    data = tar.extractfile(member).read()
                    found[member.name] = hashlib.sha256(data).hexdigest()
    except (tarfile.TarError, OSError) as exc:
        return checks + [Check("media_files", False, f"media.tar unreadable: {exc}")]
    missing = sorted(set(expected) - set(found))
    altered = sorted(name for name in expected if name in found and found[name] != expected[name]["sha256"])
    detail = "; ".join(filter(None, [
        f"missing: {', '.join(missing[:10])}" if missing else "", f"altered: {', '.join(altered[:10])}" if altered else "",
    ])) or f"{len(expected)} files match"
    checks.append(Check("media_files", not missing and not altered, detail))
    return checks


def _run_invariants(url: str, media_root: Path) -> list[Check]:
    env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(media_root)}
    commands = [["migrate", "--check"]] + [[c] for c in settings.SYSTEM_BACKUP_INVARIANT_COMMANDS]
    checks = []
    for command in commands:
        result = subprocess.run(
            [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *command], env=env, capture_output=True, text=True,
            timeout=1800,
        )
        output = (result.stdout + result.stderr).strip().splitlines()
        checks.append(Check("invariant:" + " ".join(command), result.returncode == 0, output[-1] if output else ""))
    return checks


def verify_backup(folder: Path, *, max_age: timedelta | None = None, restore: bool = True, now: datetime | None = None) -> Verification:
    """Prove the backup in ``folder`` is fresh, whole and restorable, and that the restored copy
    has the manifest's rows and satisfies the application's invariants."""
    folder = Path(folder)
    report = Verification(folder=str(folder))
    now = now or timezone.now()
    max_age = max_age if max_age is not None else timedelta(hours=settings.SYSTEM_BACKUP_MAX_AGE_HOURS)
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        report.checks.append(Check("manifest", False, f"unreadable: {exc}"))
        return report
    report.checks.append(Check("manifest", True, f"{len(manifest.get('tables', {}))} tables"))
    created = datetime.fromisoformat(manifest["created_at"])
    report.checks.append(Check("fresh", now - created <= max_age, f"taken {created.isoformat()}, limit {max_age}"))
    dump = folder / DUMP
    size = dump.stat().st_size if dump.exists() else 0
    report.checks.append(Check("dump_not_empty", size > 0, f"{size} bytes"))
    report.checks.append(Check(
        "dump_checksum", dump.exists() and size == manifest["dump"]["size"] and _sha256_file(dump) == manifest["dump"]["sha256"],
        "db.dump size and SHA-256 against the manifest",
    ))
    report.checks.extend(_check_media(folder, manifest))
    if not restore or size == 0:
        return report
    db = _db_settings()
    scratch = f"{db['NAME']}_restorecheck_{os.getpid()}_{int(time.time())}"[:63]
    admin = _connect(db, "postgres")
    admin.autocommit = True
    try:
        with admin.cursor() as cur:
            cur.execute(f'CREATE DATABASE "{scratch}"')
        started = time.monotonic()
        result = subprocess.run(
            ["pg_restore", *_pg_args(db), "--no-owner", "--exit-on-error", "-d", scratch, str(dump)],
            env=_pg_env(db), capture_output=True, text=True,
        )
        report.restore_seconds = round(time.monotonic() - started, 3)
        report.checks.append(Check("restore", result.returncode == 0, (result.stderr.strip().splitlines() or ["ok"])[-1]))
        if result.returncode == 0:
            conn = _connect(db, scratch)
            try:
                with conn.cursor() as cur:
                    counts = _count_tables(cur)
            finally:
                conn.close()
            expected = manifest["tables"]
            differing = sorted(t for t in set(expected) | set(counts) if expected.get(t) != counts.get(t))
            report.checks.append(Check(
                "row_counts", not differing,
                "; ".join(f"{t}: manifest {expected.get(t)}, restored {counts.get(t)}" for t in differing[:10]) or f"{len(counts)} tables equal",
            ))
            # The invariants read the restored media too (photo hashes are part of the seals).
            with tempfile.TemporaryDirectory(prefix="restorecheck-media-") as media_root:
                try:
                    with tarfile.open(folder / MEDIA_TAR) as tar:
                        tar.extractall(media_root, filter="data")
                except (tarfile.TarError, OSError):
                    pass  # reported by the media checks above
                report.checks.extend(_run_invariants(_database_url(db, scratch), Path(media_root)))
    finally:
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        admin.close()
    (folder / "verification.json").write_text(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    return report


def prune_backups(*, keep: int, root: Path | None = None) -> int:
    """Delete all but the newest ``keep`` backups; returns how many were deleted."""
    root = Path(root or settings.SYSTEM_BACKUP_DIR)
    if not root.exists():
        return 0
    folders = sorted(p for p in root.iterdir() if p.is_dir() and (p / MANIFEST).exists())
    doomed = folders[:-keep] if keep > 0 else folders
    for folder in doomed:
        shutil.rmtree(folder, ignore_errors=True)
    return len(doomed)


def describe(report: Verification) -> str:
    out = io.StringIO()
    for c in report.checks:
        out.write(f"{'OK ' if c.ok else 'BAD'} {c.name}: {c.detail}\n")
    if report.restore_seconds is not None:
        out.write(f"restore took {report.restore_seconds:.2f} s\n")
    return out.getvalue()
