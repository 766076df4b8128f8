"""Report pages under /reports/."""

from django.urls import path

from . import statistics_views, views

app_name = "reports"

urlpatterns = [
    path("billing/", views.billing, name="billing"),
    path("billing/<int:order_id>/mark/", views.billing_mark, name="billing_mark"),
    path("billing/export/", views.billing_export, name="billing_export"),
    path("export/<slug:name>/", views.list_export, name="list_export"),
    path("exports/<int:pk>/", views.export_job, name="export_job"),
    path("exports/<int:pk>/progress.json", views.export_progress, name="export_progress"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("fee-reports/", views.fee_reports, name="fee_reports"),
    path("fee-reports/<int:pk>/", views.fee_report, name="fee_report"),
    path("work-reports/", views.work_reports, name="work_reports"),
    path("work-reports/<int:pk>/", views.work_report, name="work_report"),
    path("statistics/", statistics_views.statistics_page, name="statistics"),
    path("statistics/records/<slug:source>/", statistics_views.statistics_records, name="statistics_records"),
    path("statistics/export/", statistics_views.statistics_export, name="statistics_export"),
    path("dashboard/", statistics_views.dashboard_page, name="dashboard"),
]
