"""Role home pages; included at the site root."""

from django.urls import path

from . import views

urlpatterns = [
    path("tablet/", views.tablet_home, name="tablet_home"),
    path("supervisor/", views.supervisor_home, name="supervisor_home"),
    path("station/", views.station_home, name="station_home"),
    path("manager/", views.manager_home, name="manager_home"),
    path("finance/", views.finance_home, name="finance_home"),
    path("finance/contract-fees.xlsx", views.finance_export, name="finance_export"),
]
