from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    label = "reports"
    verbose_name = _("Reports and finance")

    def ready(self):
        from . import lists, reminders  # noqa: F401  (registers the work-report reminder source)

        lists.register_builtin_lists()
