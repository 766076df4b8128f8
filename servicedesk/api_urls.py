"""/api/v1/ — one router for every app's viewsets."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from servicedesk.core.auth_api import ObtainTokenView
from servicedesk.notifications.api import NotificationViewSet
from servicedesk.org.api import MeView, ProductLineViewSet, StaffViewSet, StationViewSet

router = DefaultRouter()
router.register("stations", StationViewSet, basename="station")
router.register("staff", StaffViewSet, basename="staff")
router.register("product-lines", ProductLineViewSet, basename="productline")
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = [
    path("me/", MeView.as_view(), name="api-me"),
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("", include(router.urls)),
]
