"""/api/v1/ — one router for every app's viewsets."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from appraisal import api as appraisal_api
from appraisal import scorecard_api
from servicedesk.core.auth_api import ObtainTokenView
from servicedesk.notifications.api import NotificationViewSet
from servicedesk.org.api import MeView, ProductLineViewSet, StaffViewSet, StationViewSet

router = DefaultRouter()
router.register("stations", StationViewSet, basename="station")
router.register("staff", StaffViewSet, basename="staff")
router.register("product-lines", ProductLineViewSet, basename="productline")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("appraisal/backups", appraisal_api.BackupSubmissionViewSet, basename="appraisal-backup")
router.register("appraisal/backup-checks", appraisal_api.BackupCheckViewSet, basename="appraisal-backup-check")
router.register("appraisal/backup-check-entries", appraisal_api.BackupCheckEntryViewSet, basename="appraisal-backup-entry")
router.register("appraisal/backup-deductions", appraisal_api.BackupDeductionViewSet, basename="appraisal-backup-deduction")
router.register("appraisal/borrow-requests", appraisal_api.BorrowRequestViewSet, basename="appraisal-borrow-request")
router.register("appraisal/scorecards", scorecard_api.ScorecardViewSet, basename="appraisal-scorecard")
router.register("appraisal/scorecard-months", scorecard_api.ScorecardMonthViewSet, basename="appraisal-scorecard-month")
router.register("appraisal/scorecard-configs", scorecard_api.ScorecardConfigViewSet, basename="appraisal-scorecard-config")
router.register("appraisal/feedback-forms", scorecard_api.FeedbackScoreViewSet, basename="appraisal-feedback-form")

urlpatterns = [
    path("me/", MeView.as_view(), name="api-me"),
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("", include(router.urls)),
    # By dotted name: the foundation does not import the apps above it.
    path("", include("tickets.urls")),
    path("", include("tickets.carry_in_api_urls")),
    path("", include("visits.api_urls")),
    path("spares/", include("spares.api_urls")),
    path("reports/", include("reports.api_urls")),
]
