"""``manage.py check_stock`` — prove the books equal the sum of the moves for every part and location."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from spares import selectors
from spares.exceptions import _qty
from spares.models import Location, Part


class Command(BaseCommand):
    help = (
        "Compare every stock balance with the sum of its moves (帐物一致). Prints each difference and "
        "exits with status 1 if there is any."
    )

    def add_arguments(self, parser):
        parser.add_argument("--notify", action="store_true", help="Also notify managers and administrators of drift.")

    def handle(self, *args, notify=False, **options):
        if notify:
            from spares.services import reconcile_stock

            drift = reconcile_stock()
        else:
            drift = selectors.stock_drift()
        checked = selectors.pairs_checked()
        if not drift:
            self.stdout.write(self.style.SUCCESS(
                _("Stock books equal the ledger: %(count)s part/location pairs checked.") % {"count": checked}
            ))
            return
        parts = {p.pk: p for p in Part.objects.filter(pk__in={d[0] for d in drift})}
        locations = {loc.pk: loc for loc in Location.objects.filter(pk__in={d[1] for d in drift})}
        for part_id, location_id, books, ledger in drift:
            self.stdout.write(
                _("%(part)s at %(location)s: books %(books)s, sum of moves %(ledger)s (difference %(diff)s)")
                % {
                    "part": parts.get(part_id, part_id),
                    "location": locations.get(location_id, location_id),
                    "books": _qty(books),
                    "ledger": _qty(ledger),
                    "diff": _qty(books - ledger),
                }
            )
        raise CommandError(
            _("%(bad)s of %(count)s part/location pairs differ from the ledger.") % {"bad": len(drift), "count": checked},
            returncode=1,
        )
