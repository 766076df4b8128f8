from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from servicedesk.core.api import api_not_found

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/<str:version>/", include("servicedesk.api_urls")),
    path("api/<str:version>/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/<str:version>/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    # Redoc's styled-components inject <style> elements and style attributes that no nonce reaches:
    # this page alone allows inline styles (never inline scripts). SECURITY.md, "Content-Security-Policy".
    path("api/<str:version>/redoc/", csp_replace({"style-src": [SELF, UNSAFE_INLINE]})(SpectacularRedocView.as_view(url_name="schema")),
         name="api-redoc"),
    path("notifications/", include("servicedesk.notifications.urls")),
    path("visits/", include("visits.urls")),
    path("appraisal/", include("appraisal.urls")),
    path("workorders/", include("tickets.carry_in_urls")),
    path("reports/", include("reports.urls")),
    path("", include("servicedesk.core.urls")),
    # The technician's work orders on the tablet (by dotted name: this layer imports no app).
    path("tablet/", include("tickets.tablet_urls")),
    # Role homes read every app's data, so they live in the top app (reports).
    path("", include("reports.homes.urls")),
    # Last: an /api/…/ URL no endpoint matched answers the API's JSON 404 (without the trailing slash,
    # CommonMiddleware's APPEND_SLASH redirect still applies).
    re_path(r"^api/.*/$", api_not_found, name="api-not-found"),
]
