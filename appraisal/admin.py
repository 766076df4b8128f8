"""Admin for the weekly backups: rules, submissions, checks, deductions, downloads, borrowing.

Querysets come from the selectors (a station head sees his station); nothing is added or edited
by hand: actions call the services (mark incomplete, run a check again, approve, reject) and report
errors with ``message_user``. Downloads go through the logged, permission-checked view.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicedesk.audit.admin import AuditedModelAdmin
from servicedesk.core.exceptions import DomainError

from . import selectors, services
from .downloads import backup_file_response
from .models import (
    BackupCheck,
    BackupCheckEntry,
    BackupDeduction,
    BackupDownload,
    BackupRules,
    BackupSubmission,
    BorrowApproval,
    BorrowRequest,
)


class ReadOnlyAdmin(AuditedModelAdmin):
    """Rows written by services only: viewable, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReasonActionForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))


def _with_reason(modeladmin, request, queryset, *, title: str, label: str, apply):
    """An action that needs a written reason: ask for it on an intermediate page, then apply it to each row."""
    form = ReasonActionForm(request.POST if "apply" in request.POST else None)
    form.fields["reason"].label = label
    if form.is_bound and form.is_valid():
        done = 0
        for obj in queryset:
            try:
                apply(obj, form.cleaned_data["reason"])
                done += 1
            except DomainError as error:
                modeladmin.message_user(request, f"{obj}: {error.message}", messages.ERROR)
        if done:
            modeladmin.message_user(request, _("%(count)d done.") % {"count": done}, messages.SUCCESS)
        return None
    return TemplateResponse(
        request,
        "admin/appraisal/reason_action.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "opts": modeladmin.model._meta,
            "objects": list(queryset),
            "form": form,
            "action": request.POST.get("action"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        },
    )


@admin.register(BackupRules)
class BackupRulesAdmin(AuditedModelAdmin):
    list_display = ["__str__", "overdue_points_per_day", "incomplete_points", "max_overdue_days", "allow_confirmation",
                    "skip_on_leave", "borrow_days"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not BackupRules.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BackupSubmission)
class BackupSubmissionAdmin(ReadOnlyAdmin):
    list_display = ["staff", "week_start", "kind", "original_name", "size", "submitted_at", "late", "incomplete", "download"]
    list_filter = ["week_start", "kind", ("incomplete_at", admin.EmptyFieldListFilter), "department"]
    search_fields = ["staff__name", "staff__employee_no", "original_name", "sha256"]
    list_select_related = ["staff", "department"]
    date_hierarchy = "submitted_at"
    show_full_result_count = False
    actions = ["mark_incomplete"]
    fields = ["staff", "week_start", "department", "kind", "original_name", "size", "file_type", "sha256", "note",
              "submitted_at", "submitted_by", "due_at", "incomplete_at", "incomplete_by", "incomplete_reason", "download"]
    readonly_fields = fields

    def get_queryset(self, request):
        return selectors.submissions_visible_to(request.user)

    def has_change_permission(self, request, obj=None):
        # "change" opens the mark-incomplete action on the list; the page of one row stays read-only.
        return obj is None and request.user.has_perm("appraisal.change_backupsubmission")

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/download/", wrap(self.download_view), name="appraisal_backupsubmission_download"),
            *super().get_urls(),
        ]

    def download_view(self, request, pk):
        return backup_file_response(request, get_object_or_404(BackupSubmission.objects.select_related("staff"), pk=pk))

    @admin.display(description=gettext_lazy("late"), boolean=True)
    def late(self, obj):
        return obj.is_late

    @admin.display(description=gettext_lazy("incomplete"), boolean=True)
    def incomplete(self, obj):
        return obj.is_incomplete

    @admin.display(description=gettext_lazy("download"))
    def download(self, obj):
        if not obj.has_file:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:appraisal_backupsubmission_download", args=[obj.pk]), _("download"))

    @admin.action(description=gettext_lazy("Mark incomplete (deducts points)"), permissions=["change"])
    def mark_incomplete(self, request, queryset):
        return _with_reason(
            self, request, queryset,
            title=_("Mark backups incomplete"),
            label=_("What is missing"),
            apply=lambda obj, reason: services.mark_backup_incomplete(submission=obj, reason=reason, actor=request.user),
        )


@admin.register(BackupCheck)
class BackupCheckAdmin(ReadOnlyAdmin):
    list_display = ["week_start", "due_at", "runs", "last_run_at", "expected", "on_time", "late", "missing", "exempt", "entries_link"]
    date_hierarchy = "week_start"
    actions = ["run_again"]

    def get_queryset(self, request):
        return selectors.checks_visible_to(request.user)

    def has_change_permission(self, request, obj=None):
        return obj is None and request.user.has_perm("appraisal.change_backupcheck")

    @admin.display(description=gettext_lazy("entries"))
    def entries_link(self, obj):
        url = reverse("admin:appraisal_backupcheckentry_changelist") + f"?week_start={obj.week_start.isoformat()}"
        return format_html('<a href="{}">{}</a>', url, _("entries"))

    @admin.action(description=gettext_lazy("Run the check again now (adds only new overdue days)"), permissions=["change"])
    def run_again(self, request, queryset):
        now = timezone.now()
        for check in queryset:
            try:
                services.run_backup_check(week_start=check.week_start, now=now)
            except DomainError as error:
                self.message_user(request, f"{check}: {error.message}", messages.ERROR)
            else:
                self.message_user(request, _("%(check)s: checked again.") % {"check": check}, messages.SUCCESS)


@admin.register(BackupCheckEntry)
class BackupCheckEntryAdmin(ReadOnlyAdmin):
    list_display = ["staff", "week_start", "outcome", "status_at_due", "submitted_at", "overdue_days", "closed_reason", "notified_at"]
    list_filter = ["week_start", "outcome", "closed_reason", "staff__station"]
    search_fields = ["staff__name", "staff__employee_no"]
    list_select_related = ["staff", "backup_check"]
    show_full_result_count = False

    def get_queryset(self, request):
        return selectors.entries_visible_to(request.user)


@admin.register(BackupDeduction)
class BackupDeductionAdmin(ReadOnlyAdmin):
    list_display = ["staff", "occurred_on", "week_start", "kind", "day_no", "points", "note", "created_by"]
    list_filter = ["kind", "week_start", "staff__station"]
    search_fields = ["staff__name", "staff__employee_no"]
    list_select_related = ["staff", "created_by"]
    date_hierarchy = "occurred_on"
    show_full_result_count = False

    def get_queryset(self, request):
        return selectors.deductions_visible_to(request.user)


@admin.register(BackupDownload)
class BackupDownloadAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "submission", "grounds", "borrow_request", "ip_address"]
    list_filter = ["grounds"]
    search_fields = ["user__username", "submission__staff__name", "borrow_request__number"]
    list_select_related = ["user", "submission", "submission__staff", "borrow_request"]
    date_hierarchy = "at"
    show_full_result_count = False

    def get_queryset(self, request):
        return selectors.downloads_visible_to(request.user)


class BorrowApprovalInline(admin.TabularInline):
    model = BorrowApproval
    extra = 0
    fields = ["department", "decision", "decided_by", "decided_at", "comment"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(BorrowRequest)
class BorrowRequestAdmin(ReadOnlyAdmin):
    list_display = ["number", "requester", "owner", "week", "requester_department", "data_department", "status", "created_at", "expires_at"]
    list_filter = ["status"]
    search_fields = ["number", "requester__name", "submission__staff__name"]
    list_select_related = ["requester", "submission", "submission__staff", "requester_department", "data_department"]
    inlines = [BorrowApprovalInline]
    actions = ["approve", "reject"]
    fields = ["number", "requester", "submission", "reason", "requester_department", "data_department", "status",
              "created_at", "decided_at", "expires_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return selectors.borrow_requests_visible_to(request.user)

    def has_change_permission(self, request, obj=None):
        return obj is None and request.user.has_perm("appraisal.change_borrowrequest")

    @admin.display(description=gettext_lazy("whose backup"))
    def owner(self, obj):
        return obj.submission.staff

    @admin.display(description=gettext_lazy("week"))
    def week(self, obj):
        return obj.submission.week_start

    @admin.action(description=gettext_lazy("Approve for my department(s)"), permissions=["change"])
    def approve(self, request, queryset):
        for borrow in queryset:
            try:
                services.approve_borrow(borrow=borrow, actor=request.user)
            except DomainError as error:
                self.message_user(request, f"{borrow}: {error.message}", messages.ERROR)
            else:
                self.message_user(request, _("%(number)s: approved.") % {"number": borrow.number}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Reject"), permissions=["change"])
    def reject(self, request, queryset):
        return _with_reason(
            self, request, queryset,
            title=_("Reject borrowing requests"),
            label=_("Why rejected"),
            apply=lambda obj, reason: services.reject_borrow(borrow=obj, actor=request.user, comment=reason),
        )


from . import scorecard_admin  # noqa: E402,F401  (registers the scorecard admin)
