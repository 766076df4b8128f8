"""API shapes. Fields are listed explicitly; outcomes, deductions and decisions are read-only and
change only through the services behind the viewsets' actions."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from servicedesk.org.models import Staff

from .models import (
    BackupCheck,
    BackupCheckEntry,
    BackupDeduction,
    BackupSubmission,
    BorrowApproval,
    BorrowRequest,
)


def _code(choices) -> serializers.CharField:
    """A read-only code field documented with its values.

    Plain strings rather than enums in the schema: generic names (status, kind, outcome) used by
    other apps with other values would otherwise collide in the generated enum components.
    """
    return serializers.CharField(read_only=True, help_text=" | ".join(value for value, _label in choices))


class StaffBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    employee_no = serializers.CharField()
    name = serializers.CharField()


class BackupSubmissionSerializer(serializers.ModelSerializer):
    staff = StaffBriefSerializer(read_only=True)
    department = serializers.CharField(source="department.name", read_only=True)
    is_late = serializers.BooleanField(read_only=True)
    is_incomplete = serializers.BooleanField(read_only=True)
    incomplete_by = serializers.CharField(source="incomplete_by.get_username", read_only=True, default=None, allow_null=True)
    kind = _code(BackupSubmission.Kind.choices)

    class Meta:
        model = BackupSubmission
        fields = [
            "id",
            "staff",
            "week_start",
            "department",
            "kind",
            "original_name",
            "size",
            "file_type",
            "sha256",
            "note",
            "submitted_at",
            "due_at",
            "is_late",
            "is_incomplete",
            "incomplete_at",
            "incomplete_by",
            "incomplete_reason",
        ]
        read_only_fields = fields


class BackupSubmitSerializer(serializers.Serializer):
    """Upload (multipart ``file``) or confirm (``note`` without file); ``week_start`` defaults to this week."""

    week_start = serializers.DateField(required=False, help_text=_("The Monday of the week; this week when omitted."))
    file = serializers.FileField(required=False, allow_empty_file=True, use_url=False)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=2000)


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class BackupCheckSerializer(serializers.ModelSerializer):
    class Meta:
        model = BackupCheck
        fields = [
            "id",
            "week_start",
            "due_at",
            "first_run_at",
            "last_run_at",
            "runs",
            "expected",
            "on_time",
            "late",
            "missing",
            "exempt",
        ]
        read_only_fields = fields


class RunCheckSerializer(serializers.Serializer):
    # From 2000 on: a week in year 57 was accepted and its due time written with Shanghai's local mean
    # time offset (+08:05:43), which is not a valid date-time in the answer.
    week_start = serializers.DateField()

    def validate_week_start(self, value):
        if value.year < 2000:
            raise serializers.ValidationError(_("Choose a week from the year 2000 on."))
        return value


class BackupCheckEntrySerializer(serializers.ModelSerializer):
    staff = StaffBriefSerializer(read_only=True)
    station = serializers.CharField(source="staff.station.name", read_only=True, default=None, allow_null=True)
    outcome = _code(BackupCheckEntry.Outcome.choices)
    status_at_due = _code(Staff.Status.choices)
    closed_reason = _code(BackupCheckEntry.Closed.choices)

    class Meta:
        model = BackupCheckEntry
        fields = [
            "id",
            "week_start",
            "staff",
            "station",
            "outcome",
            "status_at_due",
            "submitted_at",
            "overdue_days",
            "closed_at",
            "closed_reason",
            "notified_at",
        ]
        read_only_fields = fields


class BackupDeductionSerializer(serializers.ModelSerializer):
    staff = StaffBriefSerializer(read_only=True)
    kind = _code(BackupDeduction.Kind.choices)

    class Meta:
        model = BackupDeduction
        fields = ["id", "staff", "week_start", "kind", "day_no", "occurred_on", "points", "note", "created_at"]
        read_only_fields = fields


class BorrowApprovalSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.name")
    decided_by = serializers.CharField(source="decided_by.get_username")
    decision = _code(BorrowApproval.Decision.choices)

    class Meta:
        model = BorrowApproval
        fields = ["department", "decision", "decided_by", "decided_at", "comment"]
        read_only_fields = fields


class BorrowRequestSerializer(serializers.ModelSerializer):
    requester = StaffBriefSerializer(read_only=True)
    owner = StaffBriefSerializer(source="submission.staff", read_only=True)
    week_start = serializers.DateField(source="submission.week_start", read_only=True)
    requester_department = serializers.CharField(source="requester_department.name", read_only=True)
    data_department = serializers.CharField(source="data_department.name", read_only=True)
    approvals = BorrowApprovalSerializer(many=True, read_only=True)
    status = _code(BorrowRequest.Status.choices)

    class Meta:
        model = BorrowRequest
        fields = [
            "id",
            "number",
            "requester",
            "submission",
            "owner",
            "week_start",
            "reason",
            "requester_department",
            "data_department",
            "status",
            "created_at",
            "decided_at",
            "expires_at",
            "approvals",
        ]
        read_only_fields = fields


class BorrowRequestInputSerializer(serializers.Serializer):
    submission = serializers.IntegerField()
    reason = serializers.CharField(allow_blank=True, max_length=2000)
