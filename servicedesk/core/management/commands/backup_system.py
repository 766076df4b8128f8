"""``manage.py backup_system`` — dump PostgreSQL and the media files with a manifest (and verify)."""

from django.core.management.base import BaseCommand, CommandError

from servicedesk.core.system_backup import BackupError, describe, make_backup, verify_backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump in one snapshot, row counts in the manifest) and the media files."

    def add_arguments(self, parser):
        parser.add_argument("--dest", help="Folder to put the backup in (default SYSTEM_BACKUP_DIR).")
        parser.add_argument("--verify", action="store_true", help="Then restore it into a scratch database and check it.")

    def handle(self, *args, dest=None, verify=False, **options):
        try:
            folder = make_backup(dest_root=dest)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(folder))
        if verify:
            report = verify_backup(folder)
            self.stdout.write(describe(report))
            if not report.ok:
                raise CommandError("the backup failed verification", returncode=1)
