"""Pages of the appraisal app, mounted at ``appraisal/`` with the namespace ``appraisal``."""

from django.urls import path

from . import scorecard_views as sv
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
    path("scorecards/", sv.my_scorecard, name="my_scorecard"),
    path("scorecards/team/", sv.team, name="team"),
    path("scorecards/team.xlsx", sv.team_export, name="team_export"),
    path("scorecards/month/", sv.month_action, name="month_action"),
    path("scorecards/<int:pk>/", sv.scorecard_detail, name="scorecard"),
    path("scorecards/<int:pk>/adjust/", sv.adjust, name="adjust"),
    path("scorecards/<int:pk>/evaluate/", sv.evaluate, name="evaluate"),
    path("scorecards/<int:pk>/records/<slug:key>/", sv.drill_down, name="drill"),
    path("feedback/", sv.feedback, name="feedback_forms"),
]
