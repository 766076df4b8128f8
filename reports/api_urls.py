"""/api/v1/reports/… (included from servicedesk.api_urls)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import api

router = DefaultRouter()
router.register("exports", api.ExportJobViewSet, basename="reports-export")
router.register("billing", api.BillingViewSet, basename="reports-billing")
router.register("fee-reports", api.FeeReportViewSet, basename="reports-fee-report")
router.register("work-reports", api.WorkReportViewSet, basename="reports-work-report")

urlpatterns = [
    path("statistics/", api.StatisticsView.as_view(), name="reports-statistics"),
    path("dashboard/", api.DashboardView.as_view(), name="reports-dashboard"),
    path("", include(router.urls)),
]
