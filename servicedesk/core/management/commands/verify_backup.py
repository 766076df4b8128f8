"""``manage.py verify_backup [FOLDER]`` — prove a system backup is fresh, whole and restorable."""

from datetime import timedelta
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from servicedesk.core.system_backup import describe, latest_backup, verify_backup


class Command(BaseCommand):
    help = (
        "Check a backup's manifest, freshness and checksums, restore it into a scratch database (timed), compare "
        "row counts and run the invariants (migrations, stock books = ledger, signature seals). Exit 1 on any failure."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", nargs="?", help="Backup folder (default: the newest in SYSTEM_BACKUP_DIR).")
        parser.add_argument("--max-age-hours", type=int, help="Fail if the backup is older than this.")
        parser.add_argument("--no-restore", action="store_true", help="Only the manifest, freshness and checksums.")

    def handle(self, *args, folder=None, max_age_hours=None, no_restore=False, **options):
        path = Path(folder) if folder else latest_backup()
        if path is None or not path.exists():
            raise CommandError("no backup found", returncode=1)
        report = verify_backup(
            path, restore=not no_restore, max_age=timedelta(hours=max_age_hours) if max_age_hours else None
        )
        self.stdout.write(describe(report))
        if not report.ok:
            raise CommandError(f"{len(report.failed())} check(s) failed for {path}", returncode=1)
        self.stdout.write(self.style.SUCCESS(f"{path}: all checks passed"))
