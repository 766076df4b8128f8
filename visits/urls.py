"""Visit and renewal pages. The project URLconf mounts them with ``path("visits/", include("visits.urls"))``."""

from django.urls import path

from . import views

app_name = "visits"
urlpatterns = [
    path("", views.my_visits, name="mine"),
    path("record/", views.record_visit, name="record"),
    path("plan/", views.plan_visit, name="plan"),
    path("<int:pk>/record/", views.complete_visit, name="complete"),
    path("<int:pk>/cancel/", views.cancel_visit, name="cancel"),
    path("progress/", views.progress, name="progress"),
    path("progress.xlsx", views.progress_export, name="progress_export"),
    path("renewals/<int:pk>/", views.renewal, name="renewal"),
]
