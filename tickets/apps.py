from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_defaults(sender, using, **kwargs):
    from .models import SLAPolicy
    from .sla_defaults import ensure_default_sla_policies

    ensure_default_sla_policies(SLAPolicy, using=using)


class TicketsConfig(AppConfig):
    name = "tickets"
    label = "tickets"
    verbose_name = _("Tickets")

    def ready(self):
        from servicedesk.clocks.services import register_clock

        from .models import SLAClock
        from .receivers import on_sla_clock_fired

        register_clock(SLAClock, on_sla_clock_fired, select_related=("ticket__customer", "ticket__registered_by"))
        # A flushed database (transactional tests, `flush`) gets the default targets back.
        post_migrate.connect(_ensure_defaults, sender=self, dispatch_uid="tickets.default_sla_policies")
