from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "visits"
    label = "visits"
    verbose_name = _("Callbacks and visits")

    def ready(self):
        from . import checks, reminder_sources  # noqa: F401  (registers the system check and the reminder sources)
