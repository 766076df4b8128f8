from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SparesConfig(AppConfig):
    name = "spares"
    label = "spares"
    verbose_name = _("Spare parts")

    def ready(self):
        from servicedesk.clocks.services import register_clock

        from .models import OutOfStockClock
        from .services import on_out_of_stock_clock_fired

        register_clock(
            OutOfStockClock, on_out_of_stock_clock_fired,
            select_related=("registration__part", "registration__station", "registration__registered_by"),
        )
