from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClocksConfig(AppConfig):
    name = "servicedesk.clocks"
    label = "clocks"
    verbose_name = _("Deadline clocks")
