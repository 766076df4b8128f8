"""API shapes of visits, plans, progress and renewals. Output serializers are read-only; every
change arrives through a small input serializer and one service call."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from servicedesk.org.models import ProductLine, Staff
from tickets.models import Contract, Customer, WorkOrder

from . import policy
from .models import (
    MAX_MONTHLY_TARGET,
    MAX_PROBLEMS_PER_VISIT,
    REPORT_MAX_LENGTH,
    Callback,
    CallbackAttempt,
    CallbackPlan,
    RenewalTask,
    Visit,
    VisitPlan,
)


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-11"})
class MonthField(serializers.Field):
    """A month as ``"2026-11"`` on the wire, the first day of that month in Python."""

    default_error_messages = {"invalid": _("Enter a month as YYYY-MM, e.g. 2026-11.")}

    def to_internal_value(self, data) -> date:
        try:
            return policy.parse_month(str(data))
        except (TypeError, ValueError):
            self.fail("invalid")

    def to_representation(self, value: date) -> str:
        return value.strftime("%Y-%m")


# --- visits -------------------------------------------------------------------------------------


class VisitSerializer(serializers.ModelSerializer):
    technician_name = serializers.CharField(source="technician.name", read_only=True)
    station = serializers.IntegerField(source="technician.station_id", read_only=True, allow_null=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True)

    class Meta:
        model = Visit
        fields = [
            "id", "technician", "technician_name", "station", "customer", "customer_name", "status", "purpose",
            "planned_for", "visit_date", "problems_resolved", "report", "cancel_reason", "created_at", "closed_at",
        ]
        read_only_fields = fields


class _ScopedInput(serializers.Serializer):
    """Input whose related fields are limited to what the requesting user may see (set by the view);
    without them nothing is valid, so a view that forgets cannot widen anyone's reach."""

    def __init__(self, *args, technicians=None, customers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if "technician" in self.fields and technicians is not None:
            self.fields["technician"].queryset = technicians
        if "customer" in self.fields and customers is not None:
            self.fields["customer"].queryset = customers


class VisitRecordInput(_ScopedInput):
    technician = serializers.PrimaryKeyRelatedField(
        queryset=Staff.objects.none(), required=False, help_text=_("Default: the signed-in technician.")
    )
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.none())
    visit_date = serializers.DateField()
    purpose = serializers.ChoiceField(choices=Visit.Purpose.choices, default=Visit.Purpose.ROUTINE)
    problems_resolved = serializers.IntegerField(min_value=0, max_value=MAX_PROBLEMS_PER_VISIT)
    report = serializers.CharField(max_length=REPORT_MAX_LENGTH)


class VisitScheduleInput(_ScopedInput):
    technician = serializers.PrimaryKeyRelatedField(
        queryset=Staff.objects.none(), required=False, help_text=_("Default: the signed-in technician.")
    )
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.none())
    planned_for = serializers.DateField()
    purpose = serializers.ChoiceField(choices=Visit.Purpose.choices, default=Visit.Purpose.ROUTINE)


class VisitCompleteInput(serializers.Serializer):
    visit_date = serializers.DateField(default=timezone.localdate)
    purpose = serializers.ChoiceField(choices=Visit.Purpose.choices, required=False)
    problems_resolved = serializers.IntegerField(min_value=0, max_value=MAX_PROBLEMS_PER_VISIT)
    report = serializers.CharField(max_length=REPORT_MAX_LENGTH)


class VisitCancelInput(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


# --- plans and progress -------------------------------------------------------------------------


class VisitPlanSerializer(serializers.ModelSerializer):
    month = MonthField(read_only=True)
    technician_name = serializers.CharField(source="technician.name", read_only=True)
    station_name = serializers.CharField(source="technician.station.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = VisitPlan
        fields = [
            "id", "technician", "technician_name", "station_name", "month", "visits_target", "problems_target", "note",
            "updated_at",
        ]
        read_only_fields = fields


class VisitPlanCreateInput(_ScopedInput):
    technician = serializers.PrimaryKeyRelatedField(queryset=Staff.objects.none())
    month = MonthField()


class VisitPlanTargetsInput(serializers.Serializer):
    visits_target = serializers.IntegerField(min_value=0, max_value=MAX_MONTHLY_TARGET)
    problems_target = serializers.IntegerField(min_value=0, max_value=MAX_MONTHLY_TARGET)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ProgressQuery(serializers.Serializer):
    month = MonthField(required=False)
    station = serializers.IntegerField(required=False, min_value=1)


class ProgressSerializer(serializers.Serializer):
    technician = serializers.IntegerField(source="technician.pk")
    technician_name = serializers.CharField(source="technician.name")
    station = serializers.IntegerField(source="technician.station_id", allow_null=True)
    station_name = serializers.CharField(source="technician.station.name", default=None)
    month = MonthField()
    from_plan = serializers.BooleanField()
    visits_target = serializers.IntegerField()
    visits_done = serializers.IntegerField()
    visits_percent = serializers.IntegerField()
    expected_visits = serializers.IntegerField()
    problems_target = serializers.IntegerField()
    problems_resolved = serializers.IntegerField()
    problems_percent = serializers.IntegerField()
    expected_problems = serializers.IntegerField()
    planned_open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["met", "on_track", "behind"])


# --- renewals -----------------------------------------------------------------------------------


class RenewalTaskSerializer(serializers.ModelSerializer):
    contract_number = serializers.CharField(source="contract.number", read_only=True)
    contract_end = serializers.DateField(source="contract.end_date", read_only=True)
    annual_fee = serializers.DecimalField(source="contract.annual_fee", max_digits=12, decimal_places=2, read_only=True)
    customer = serializers.IntegerField(source="contract.customer_id", read_only=True)
    customer_name = serializers.CharField(source="contract.customer.name", read_only=True)
    station_name = serializers.CharField(source="contract.customer.station.name", read_only=True)
    assignee_name = serializers.CharField(source="assignee.name", read_only=True, default=None, allow_null=True)
    new_contract_number = serializers.CharField(source="new_contract.number", read_only=True, default=None, allow_null=True)
    expired = serializers.SerializerMethodField()

    class Meta:
        model = RenewalTask
        fields = [
            "id", "contract", "contract_number", "contract_end", "annual_fee", "customer", "customer_name", "station_name",
            "assignee", "assignee_name", "due_date", "status", "expired", "notice_given_on", "outcome", "new_contract",
            "new_contract_number", "created_at", "closed_at",
        ]
        read_only_fields = fields

    def get_expired(self, obj) -> bool:
        """Still open after the contract ended (the renewal is overdue)."""
        return obj.is_open and obj.contract.end_date < timezone.localdate()


class RenewalNoticeInput(serializers.Serializer):
    given_on = serializers.DateField(default=timezone.localdate)


class RenewalCloseInput(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[RenewalTask.Status.DONE, RenewalTask.Status.LOST])
    new_contract = serializers.PrimaryKeyRelatedField(queryset=Contract.objects.none(), required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)

    def __init__(self, *args, task: RenewalTask | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the same customer's contracts can be named: any other id reads as "does not exist".
        if task is not None:
            self.fields["new_contract"].queryset = Contract.objects.filter(customer_id=task.contract.customer_id)


# --- callbacks ----------------------------------------------------------------------------------


class CallbackPlanSerializer(serializers.ModelSerializer):
    product_line_name = serializers.CharField(source="product_line.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = CallbackPlan
        fields = ["id", "name", "product_line", "product_line_name", "category", "offsets", "is_active", "updated_at"]
        read_only_fields = fields


class CallbackPlanInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    product_line = serializers.PrimaryKeyRelatedField(queryset=ProductLine.objects.all(), required=False, allow_null=True,
                                                      default=None)
    category = serializers.ChoiceField(choices=["", "A", "B", "C"], required=False, default="", allow_blank=True)
    offsets = serializers.ListField(child=serializers.CharField(max_length=10), allow_empty=False, max_length=20)
    is_active = serializers.BooleanField(required=False, default=True)


class CallbackSerializer(serializers.ModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    station = serializers.IntegerField(source="customer.station_id", read_only=True)
    technician_name = serializers.CharField(source="technician.name", read_only=True, default=None, allow_null=True)
    work_order_number = serializers.CharField(source="work_order.number", read_only=True, default=None, allow_null=True)
    ticket_number = serializers.CharField(source="ticket.number", read_only=True)
    follow_up_ticket_number = serializers.CharField(source="follow_up_ticket.number", read_only=True, default=None, allow_null=True)
    follow_up_ticket_status = serializers.CharField(source="follow_up_ticket.status", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Callback
        fields = [
            "id", "kind", "status", "work_order", "work_order_number", "ticket", "ticket_number", "customer", "customer_name",
            "station", "technician", "technician_name", "offset", "due_date", "assignee", "required_role", "on_site_required",
            "attempts", "next_attempt_on", "channel", "answered_by", "rating_attitude", "rating_skill", "rating_arrival",
            "rating_promise", "signed_on_site", "fees_charged", "deposit_refund", "invoice_given", "unit_working", "comments",
            "done_at", "done_by", "follow_up_ticket", "follow_up_ticket_number", "follow_up_ticket_status", "parent",
            "escalated_at", "created_at",
        ]
        read_only_fields = fields


class CallbackRecordInput(serializers.Serializer):
    """The outcome and, when answered, the questionnaire — passed as given: record_callback checks it
    field by field and reports every error at once (ratings 1–4, yes/no answers, the amount)."""

    outcome = serializers.ChoiceField(choices=CallbackAttempt.Outcome.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    channel = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    answered_by = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    rating_attitude = serializers.JSONField(required=False, allow_null=True)
    rating_skill = serializers.JSONField(required=False, allow_null=True)
    rating_arrival = serializers.JSONField(required=False, allow_null=True)
    rating_promise = serializers.JSONField(required=False, allow_null=True)
    signed_on_site = serializers.JSONField(required=False, allow_null=True)
    fees_charged = serializers.JSONField(required=False, allow_null=True)
    deposit_refund = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    invoice_given = serializers.JSONField(required=False, allow_null=True)
    unit_working = serializers.JSONField(required=False, allow_null=True)
    comments = serializers.CharField(required=False, allow_blank=True, allow_null=True)

    def answers(self) -> dict:
        data = dict(self.validated_data)
        data.pop("outcome"), data.pop("note")
        return data


class SpotCheckInput(serializers.Serializer):
    work_order = serializers.PrimaryKeyRelatedField(queryset=WorkOrder.objects.all())
    due_date = serializers.DateField(required=False, allow_null=True, default=None)


class CallbackAttemptSerializer(serializers.ModelSerializer):
    by_name = serializers.CharField(source="by.username", read_only=True)

    class Meta:
        model = CallbackAttempt
        fields = ["id", "callback", "at", "by", "by_name", "outcome", "note"]
        read_only_fields = fields


class QuotaQuery(serializers.Serializer):
    month = MonthField(required=False)
