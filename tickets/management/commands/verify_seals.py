"""``manage.py verify_seals`` — recompute every signed work order's seal and the chain."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tickets.models import WorkOrder
from tickets.work_orders import verify_seals

REASONS = {
    "content_altered": _("content or signature changed after signing"),
    "seal_forged": _("seal does not match the key (recomputed by someone without it)"),
    "chain_broken": _("link to the previous seal broken"),
    "seal_missing_before": _("a seal before this one is missing"),
    "signature_missing": _("signature removed"),
    "signature_altered": _("signature image changed"),
    "photo_altered": _("photo file changed"),
    "photo_missing": _("photo file missing"),
    "seal_removed": _("signed but its seal was removed"),
}


class Command(BaseCommand):
    help = "Verify the seals of all signed work orders; names each order altered behind the application's back (exit 1)."

    def handle(self, *args, **options):
        problems = verify_seals()
        checked = WorkOrder.objects.filter(seal_seq__isnull=False).count()
        if not problems:
            self.stdout.write(self.style.SUCCESS(
                _("All %(count)d signed work orders verified: no alteration found.") % {"count": checked}
            ))
            return
        for p in problems:
            self.stdout.write(
                f"{p['number']} (#{p['seal_seq']}): " + "; ".join(str(REASONS.get(r, r)) for r in p["reasons"])
            )
        raise CommandError(
            _("%(bad)d of %(count)d signed work orders fail verification.") % {"bad": len(problems), "count": checked},
            returncode=1,
        )
