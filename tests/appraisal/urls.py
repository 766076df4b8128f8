"""The project's URLs plus the appraisal pages (``appraisal/``), for the page tests.

The pages live in ``appraisal.urls``; the project URLconf mounts them with one line,
``path("appraisal/", include("appraisal.urls"))``.
"""

from django.urls import include, path

from servicedesk.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("appraisal/", include("appraisal.urls")), *project_urlpatterns]
