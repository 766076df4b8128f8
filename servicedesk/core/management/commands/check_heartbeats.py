"""``manage.py check_heartbeats`` — exit 1 when a periodic job has stopped running.

The beat container's healthcheck runs ``check_heartbeats --job heartbeat``: the one-minute
heartbeat only finishes when beat, broker, worker and database all work.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from servicedesk.core.heartbeat import stale_jobs


class Command(BaseCommand):
    help = "Report periodic jobs that have not finished within twice their interval; exit 1 if any."

    def add_arguments(self, parser):
        parser.add_argument(
            "--job",
            action="append",
            dest="jobs",
            metavar="NAME",
            help="Check only this job (repeatable). Default: every job in HEARTBEAT_INTERVALS.",
        )

    def handle(self, *args, jobs=None, **options):
        unknown = sorted(set(jobs or []) - set(settings.HEARTBEAT_INTERVALS))
        if unknown:
            raise CommandError(f"Unknown job(s): {', '.join(unknown)}. Known: {', '.join(settings.HEARTBEAT_INTERVALS)}.")
        stale = [job for job in stale_jobs() if not jobs or job["job"] in jobs]
        if stale:
            lines = [
                f"{job['job']}: last finished {job['last_finished_at'] or 'never'} (expected every {job['interval_s']} s)"
                for job in stale
            ]
            raise CommandError("Stale periodic jobs:\n  " + "\n  ".join(lines))
        checked = jobs or list(settings.HEARTBEAT_INTERVALS)
        if options["verbosity"] > 0:
            self.stdout.write(f"ok: {', '.join(checked)}")
