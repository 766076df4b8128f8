"""The project URLconf with the visit pages mounted at /visits/ (as the project mounts them), for page tests."""

from django.urls import include, path

from servicedesk.urls import urlpatterns as project_urlpatterns

_mounted = any(getattr(p, "namespace", None) == "visits" for p in project_urlpatterns)
urlpatterns = ([] if _mounted else [path("visits/", include("visits.urls"))]) + list(project_urlpatterns)
