"""Pages of the appraisal app, mounted at ``appraisal/`` with the namespace ``appraisal``."""

from django.urls import path

from . import views

app_name = "appraisal"
urlpatterns = [
    path("backups/", views.my_backups, name="my_backups"),
    path("backups/<int:pk>/download/", views.backup_download, name="backup_download"),
    path("backups/compliance/", views.compliance, name="compliance"),
    path("backups/compliance.xlsx", views.compliance_export, name="compliance_export"),
    path("backups/<int:pk>/incomplete/", views.mark_incomplete, name="mark_incomplete"),
    path("borrowing/", views.borrow_list, name="borrow_list"),
    path("borrowing/<int:pk>/", views.borrow_detail, name="borrow_detail"),
    path("borrowing/<int:pk>/decide/", views.borrow_decide, name="borrow_decide"),
    path("borrowing/<int:pk>/cancel/", views.borrow_cancel, name="borrow_cancel"),
    path("borrowing/<int:pk>/download/", views.borrow_download, name="borrow_download"),
]
