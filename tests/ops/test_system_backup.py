"""Backups of the system itself: made in one snapshot, verified by a real restore, and every fault
injected into a backup — truncated dump, empty file, missing media file, tampered signature,
drifted stock balance — is detected (5 of 5)."""

from __future__ import annotations

import json
import shutil
import tarfile
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from servicedesk.core.system_backup import make_backup, verify_backup
from tests.workorders.conftest import (  # noqa: F401  (fixtures)
    _books_equal_the_ledger_after_each_test,
    allow_drift,
    central,
    compressor,
    make_part,
    new_id,
    order,
    png,
    jpeg,
    put_stock,
    service_item,
    stocked_van,
    thermostat,
    ticket,
    van_a,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture(autouse=True)
def _folders(settings, tmp_path):
    settings.SYSTEM_BACKUP_DIR = tmp_path / "backups"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def signed_with_photo(order, technician, service_item, stocked_van, thermostat):
    from tickets import work_orders as wo
    from tests.workorders.test_lifecycle import fill_and_complete, walk_to_site

    walk_to_site(order, technician)
    wo.add_photo(order=order, actor=technician.user, data=jpeg())
    fill_and_complete(order, technician, service_item, part=thermostat, van=stocked_van)
    return wo.sign_order(order=order, actor=technician.user, image=png(), printed_name="王主任", client_id=new_id())


def _failed(report):
    return {c.name for c in report.checks if not c.ok}


def test_a_backup_restores_with_equal_rows_and_intact_invariants(signed_with_photo):
    folder = make_backup()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["tables"]["tickets_workorder"] == 1 and manifest["tables"]["spares_stockmove"] >= 3
    assert len(manifest["media"]["files"]) == 1 and manifest["pg_dump_version"].startswith("pg_dump")
    report = verify_backup(folder)
    assert report.ok, report.as_dict()
    names = {c.name for c in report.checks}
    assert {"restore", "row_counts", "invariant:migrate --check", "invariant:check_stock", "invariant:verify_seals"} <= names
    assert report.restore_seconds is not None and report.restore_seconds > 0
    assert (folder / "verification.json").exists()


def test_file_faults_are_detected(signed_with_photo, tmp_path):
    good = make_backup()

    truncated = shutil.copytree(good, tmp_path / "truncated")
    data = (truncated / "db.dump").read_bytes()
    (truncated / "db.dump").write_bytes(data[: len(data) // 2])
    assert {"dump_checksum", "restore"} <= _failed(verify_backup(truncated))

    empty = shutil.copytree(good, tmp_path / "empty")
    (empty / "db.dump").write_bytes(b"")
    assert {"dump_not_empty", "dump_checksum"} <= _failed(verify_backup(empty))

    no_media = shutil.copytree(good, tmp_path / "no_media")
    (no_media / "media.tar").unlink()
    with tarfile.open(no_media / "media.tar", "w"):
        pass  # the photo is gone from the backup
    assert {"media_checksum", "media_files"} <= _failed(verify_backup(no_media, restore=False))

    stale = verify_backup(good, restore=False, now=timezone.now() + timedelta(days=30))
    assert _failed(stale) == {"fresh"}


def _superuser_sql(sql, params=()):
    with connection.cursor() as cur:
        cur.execute("SET session_replication_role = replica")
        try:
            cur.execute(sql, params)
        finally:
            cur.execute("SET session_replication_role = DEFAULT")


def test_a_tampered_signature_in_the_backup_is_detected(signed_with_photo):
    _superuser_sql("UPDATE tickets_workordersignature SET printed_name = '张三' WHERE order_id = %s", [signed_with_photo.pk])
    report = verify_backup(make_backup())
    assert _failed(report) == {"invariant:verify_seals"}


def test_a_drifted_stock_balance_in_the_backup_is_detected(signed_with_photo, allow_drift):
    _superuser_sql("UPDATE spares_stockbalance SET qty = qty + 1 WHERE id = (SELECT min(id) FROM spares_stockbalance)")
    report = verify_backup(make_backup())
    assert _failed(report) == {"invariant:check_stock"}
