from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BusinessCalendarConfig(AppConfig):
    name = "servicedesk.calendar"
    label = "business_calendar"
    verbose_name = _("Business calendar")

    def ready(self):
        from servicedesk.core.banners import register_banner

        from . import checks  # noqa: F401  (registers the coverage system check)
        from . import receivers
        from .coverage import calendar_banners

        receivers.connect(self)
        register_banner(calendar_banners)
