"""Printable carry-in pages and the daily reports. The project URLconf mounts them with
``path("workorders/", include("tickets.carry_in_urls"))``."""

from django.urls import path

from . import carry_in_views as views

app_name = "workorders"
urlpatterns = [
    path("carry-in/<int:pk>/receipt/", views.receipt, name="carry_in_receipt"),
    path("carry-in/<int:pk>/tag/", views.repair_tag, name="carry_in_tag"),
    path("carry-in/register/", views.goods_register, name="goods_register"),
    path("reports/technician/", views.technician_report, name="technician_daily"),
    path("reports/supervisor/", views.supervisor_report, name="supervisor_daily"),
]
