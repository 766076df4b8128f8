"""Visit, renewal and callback pages. The project URLconf mounts them with ``path("visits/", include("visits.urls"))``."""

from django.urls import path

from . import callback_views, views

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
    path("callbacks/", callback_views.workbench, name="callbacks"),
    path("callbacks/next/", callback_views.next_callback, name="callback_next"),
    path("callbacks/spot-check/", callback_views.spot_check, name="callback_spot_check"),
    path("callbacks/quotas/", callback_views.quotas, name="callback_quotas"),
    path("callbacks/<int:pk>/", callback_views.callback_page, name="callback"),
]
