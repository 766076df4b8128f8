"""/api/v1/ routes of carry-in repairs, factory returns, compensations and the daily reports.

``servicedesk/api_urls.py`` includes this module by its dotted name (the foundation never imports
the tickets app).
"""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .carry_in_api import (
    CarryInViewSet,
    CompensationViewSet,
    FactoryReturnViewSet,
    SupervisorDailyReportView,
    TechnicianDailyReportView,
)

router = SimpleRouter()
router.register("carry-ins", CarryInViewSet, basename="carry-in")
router.register("factory-returns", FactoryReturnViewSet, basename="factory-return")
router.register("compensations", CompensationViewSet, basename="compensation")

urlpatterns = [
    path("daily-reports/technician/", TechnicianDailyReportView.as_view(), name="api-daily-report-technician"),
    path("daily-reports/supervisor/", SupervisorDailyReportView.as_view(), name="api-daily-report-supervisor"),
    *router.urls,
]
