"""Health probes, included at the site root: ``path("", include("servicedesk.core.health_urls"))``."""

from django.urls import path

from . import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("health/", health.health, name="health"),
]
