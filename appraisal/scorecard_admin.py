"""Admin for the scorecards: the configuration per role is edited here (validated: weights add up to
100, grades fall from A to C); months, scorecards and feedback scores are read-only (the pages and the
API change them through the services)."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from servicedesk.audit.admin import AuditedModelAdmin

from .scorecard_models import FeedbackScore, Scorecard, ScorecardConfig, ScorecardMonth


class _ReadOnly(AuditedModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ScorecardConfig)
class ScorecardConfigAdmin(AuditedModelAdmin):
    list_display = ["role", "is_active", "problems_target", "visits_target", "timeliness_target", "satisfaction_target",
                    "complaint_rate_limit", "grade_a", "grade_b", "grade_c", "updated_at"]
    fieldsets = [
        (None, {"fields": ["role", "is_active"]}),
        (_("Targets"), {"fields": ["problems_target", "visits_target", "timeliness_target", "satisfaction_target",
                                   "complaint_rate_limit", "on_site_limit_minutes", "feedback_max_score"]}),
        (_("Weights (add up to 100)"), {"fields": ["weight_problems", "weight_visits", "weight_timeliness",
                                                   "weight_satisfaction", "weight_complaints", "weight_feedback",
                                                   "weight_evaluation"]}),
        (_("Deductions"), {"fields": ["rework_points", "over_limit_points"]}),
        (_("Grades"), {"fields": ["grade_a", "grade_b", "grade_c"]}),
        (_("Self and peer evaluation"), {"fields": ["self_evaluation", "peer_evaluation"]}),
    ]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ScorecardMonth)
class ScorecardMonthAdmin(_ReadOnly):
    list_display = ["month", "status", "drafted_at", "reviewed_at", "published_at", "reopen_count", "team_page"]
    list_select_related = True

    @admin.display(description=_("page"))
    def team_page(self, obj):
        return format_html('<a href="{}?month={}">{}</a>', reverse("appraisal:team"), f"{obj.month:%Y-%m}", _("Team scorecards"))


@admin.register(Scorecard)
class ScorecardAdmin(_ReadOnly):
    list_display = ["month", "technician", "station", "problems_resolved", "visits_done", "timeliness_rate",
                    "satisfaction_rate", "complaint_rate", "total", "grade", "rank_department"]
    list_filter = ["month", "grade", "station"]
    list_select_related = ["month", "technician", "station"]
    search_fields = ["technician__name", "technician__employee_no"]
    show_full_result_count = False


@admin.register(FeedbackScore)
class FeedbackScoreAdmin(_ReadOnly):
    list_display = ["day", "work_order", "technician", "status", "score", "assignee", "flagged_at", "escalation_level"]
    list_filter = ["status", "day"]
    list_select_related = ["work_order", "technician", "assignee"]
    show_full_result_count = False
