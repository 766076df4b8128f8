from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "visits"
    label = "visits"
    verbose_name = _("Callbacks and visits")

    def ready(self):
        from tickets import signals

        from . import checks, receivers, reminder_sources  # noqa: F401  (registers the system check and the reminder sources)

        signals.work_order_closed.connect(receivers.on_work_order_closed, dispatch_uid="visits.plan_callbacks_for_order")
        signals.ticket_closed.connect(receivers.on_ticket_closed, dispatch_uid="visits.plan_ticket_callback")
