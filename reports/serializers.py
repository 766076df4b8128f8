"""Serializers of the reports API: explicit fields; statuses and figures are read-only (they change through actions)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tickets.models import WorkOrder

from .models import BillingMark, FeeReport, FeeReportStep, WorkReport, WorkReportStep


class ExportJobProgressSerializer(serializers.Serializer):
    """What the progress bar polls (reports.downloads.job_progress)."""

    id = serializers.IntegerField()
    kind = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    progress = serializers.IntegerField()
    rows_done = serializers.IntegerField()
    rows_total = serializers.IntegerField(allow_null=True)
    error = serializers.CharField()
    download_url = serializers.CharField(allow_null=True)
    expires_at = serializers.DateTimeField(allow_null=True)


class StartExportSerializer(serializers.Serializer):
    kind = serializers.CharField()
    params = serializers.DictField(required=False, default=dict)


class BillingMarkSerializer(serializers.ModelSerializer):
    marked_by = serializers.CharField(source="marked_by.get_username", read_only=True)

    class Meta:
        model = BillingMark
        fields = ["status", "note", "marked_by", "marked_at"]
        read_only_fields = fields


class SetMarkSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=BillingMark.Status.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class BillableOrderSerializer(serializers.ModelSerializer):
    customer = serializers.CharField(source="customer.name")
    station = serializers.CharField(source="ticket.station.name")
    mark = serializers.SerializerMethodField()

    class Meta:
        model = WorkOrder
        fields = ["id", "number", "customer", "station", "category", "signed_at", "labour_charge", "total_charge", "payment_method", "mark"]
        read_only_fields = fields

    @extend_schema_field(BillingMarkSerializer(allow_null=True))
    def get_mark(self, order):
        mark = getattr(order, "billing_mark", None)
        return BillingMarkSerializer(mark).data if mark is not None else None


class FeeReportStepSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.get_username")

    class Meta:
        model = FeeReportStep
        fields = ["kind", "actor", "at", "comment", "version"]


class FeeReportSerializer(serializers.ModelSerializer):
    prepared_by = serializers.CharField(source="prepared_by.get_username", read_only=True)
    decided_by = serializers.CharField(source="decided_by.get_username", read_only=True, default=None, allow_null=True)

    class Meta:
        model = FeeReport
        fields = ["id", "month", "status", "figures", "version", "note", "prepared_by", "prepared_at", "submitted_at",
                  "decided_by", "decided_at", "decision_comment"]
        read_only_fields = fields


class PrepareFeeReportSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class WorkReportStepSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.get_username", default=None)

    class Meta:
        model = WorkReportStep
        fields = ["kind", "actor", "at", "comment", "version", "snapshot"]


class WorkReportSerializer(serializers.ModelSerializer):
    station_name = serializers.CharField(source="station.name", read_only=True)

    class Meta:
        model = WorkReport
        fields = ["id", "station", "station_name", "period", "period_start", "period_end", "due_at", "status", "figures",
                  "cases", "summary", "problems", "plans", "version", "submitted_at", "approved_at", "reply", "replied_at"]
        read_only_fields = fields


class DraftWorkReportSerializer(serializers.Serializer):
    station = serializers.IntegerField()
    period = serializers.ChoiceField(choices=WorkReport.Period.choices)
    start = serializers.DateField()


class NarrativeSerializer(serializers.Serializer):
    summary = serializers.CharField(required=False, allow_blank=True)
    problems = serializers.CharField(required=False, allow_blank=True)
    plans = serializers.CharField(required=False, allow_blank=True)


class ReplySerializer(serializers.Serializer):
    reply = serializers.CharField(allow_blank=True)
