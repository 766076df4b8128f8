"""/api/v1/visits/… routes.

``servicedesk/api_urls.py`` includes this module by its dotted name, so the foundation layer never
imports the visits app (CONVENTIONS §1: dependencies run downwards).
"""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import (
    CallbackPlanViewSet,
    CallbackQuotaView,
    CallbackViewSet,
    RenewalTaskViewSet,
    VisitPlanViewSet,
    VisitProgressView,
    VisitViewSet,
)

router = SimpleRouter()
router.register("visits/visits", VisitViewSet, basename="visits-visit")
router.register("visits/plans", VisitPlanViewSet, basename="visits-plan")
router.register("visits/renewals", RenewalTaskViewSet, basename="visits-renewal")
router.register("visits/callback-plans", CallbackPlanViewSet, basename="visits-callback-plan")
router.register("visits/callbacks", CallbackViewSet, basename="visits-callback")

urlpatterns = [
    path("visits/progress/", VisitProgressView.as_view(), name="api-visits-progress"),
    path("visits/callback-quotas/", CallbackQuotaView.as_view(), name="api-visits-callback-quotas"),
    *router.urls,
]
