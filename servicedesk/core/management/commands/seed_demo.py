from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from servicedesk.audit.context import audit_context
from servicedesk.core.demo import DEMO_PASSWORD, DemoContext, seeders


class Command(BaseCommand):
    help = "Create a believable demo department (idempotent): stations, one user per role, technicians, customers, units, contracts."

    def add_arguments(self, parser):
        parser.add_argument("--print-logins", action="store_true", help="Only print the demo logins.")

    def handle(self, *args, print_logins=False, **options):
        ctx = DemoContext(log=lambda msg: self.stdout.write(msg) if options["verbosity"] > 1 else None)
        if not print_logins:
            with transaction.atomic(), audit_context(command="seed_demo"):
                for seed in seeders():
                    seed(ctx)
            self.stdout.write(self.style.SUCCESS(_("Demo data is ready.")))
        else:
            from servicedesk.org.demo import demo_logins

            ctx.logins = demo_logins()
        self.stdout.write(_("Demo logins (password for all: %(password)s):") % {"password": DEMO_PASSWORD})
        for username, role, home in ctx.logins:
            self.stdout.write(f"  {username:<14} {role:<16} {home}")
