from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "servicedesk.core"
    label = "core"
    verbose_name = _("Foundation")

    def ready(self):
        from . import openapi  # noqa: F401  registers the schema's field extension
