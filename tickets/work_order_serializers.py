"""Serializers of the work-order API: read shapes listed field by field, and one small input
serializer per action (status, money, signatures and seals change only through the services)."""

from __future__ import annotations

import base64
import binascii

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from spares.models import Location, Part

from .models import ServiceItem, WorkOrder, WorkOrderItem, WorkOrderLog, WorkOrderOldPart, WorkOrderPart, WorkOrderPhoto


class ServiceItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceItem
        fields = ["id", "code", "name", "unit", "price", "product_lines", "checklist", "acceptance_check", "is_active"]
        read_only_fields = fields


class WorkOrderListSerializer(serializers.ModelSerializer):
    ticket_number = serializers.CharField(source="ticket.number", read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    customer_is_key = serializers.BooleanField(source="customer.is_key", read_only=True)
    technician_name = serializers.CharField(source="technician.name", read_only=True)

    class Meta:
        model = WorkOrder
        fields = [
            "id", "number", "version", "ticket", "ticket_number", "customer", "customer_name", "customer_is_key", "technician",
            "technician_name", "status", "category", "service_date", "dispatched_at", "appointment_at", "arrived_at",
            "completed_at", "signed_at", "closed_at", "total_charge", "payment_method", "is_carry_in", "rework_of", "supersedes",
        ]
        read_only_fields = fields


class WorkOrderItemSerializer(serializers.ModelSerializer):
    checklist = serializers.ListField(source="service_item.checklist", read_only=True)
    acceptance_check = serializers.CharField(source="service_item.acceptance_check", read_only=True)

    class Meta:
        model = WorkOrderItem
        fields = ["id", "service_item", "code", "name", "unit_price", "qty", "chargeable", "amount", "checklist",
                  "checklist_done", "acceptance_check", "acceptance_ok"]
        read_only_fields = fields


class WorkOrderPartSerializer(serializers.ModelSerializer):
    part_number = serializers.CharField(source="part.number", read_only=True)
    part_name = serializers.CharField(source="part.name", read_only=True)
    location_code = serializers.CharField(source="location.code", read_only=True)

    class Meta:
        model = WorkOrderPart
        fields = ["id", "part", "part_number", "part_name", "location", "location_code", "qty", "unit_price", "chargeable",
                  "is_warranty", "amount", "stock_move"]
        read_only_fields = fields


class WorkOrderOldPartSerializer(serializers.ModelSerializer):
    part_number = serializers.CharField(source="part.number", read_only=True)

    class Meta:
        model = WorkOrderOldPart
        fields = ["id", "part", "part_number", "qty", "is_warranty", "note"]
        read_only_fields = fields


class WorkOrderPhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = WorkOrderPhoto
        fields = ["id", "caption", "content_type", "size", "width", "height", "sha256", "uploaded_at", "url"]
        read_only_fields = fields

    def get_url(self, obj) -> str:
        return reverse("workorder-photo-image", kwargs={"version": "v1", "pk": obj.order_id, "photo_id": obj.pk})


class WorkOrderStepSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", read_only=True, default=None, allow_null=True)

    class Meta:
        model = WorkOrderLog
        fields = ["id", "kind", "at", "actor", "data"]
        read_only_fields = fields


class SignatureInfoSerializer(serializers.Serializer):
    printed_name = serializers.CharField()
    meaning = serializers.CharField()
    signed_at = serializers.DateTimeField()
    device_signed_at = serializers.DateTimeField(allow_null=True)
    sha256 = serializers.CharField()
    url = serializers.CharField()


class WorkOrderDetailSerializer(WorkOrderListSerializer):
    items = WorkOrderItemSerializer(many=True, read_only=True)
    parts = WorkOrderPartSerializer(many=True, read_only=True)
    old_parts = WorkOrderOldPartSerializer(many=True, read_only=True)
    photos = WorkOrderPhotoSerializer(many=True, read_only=True)
    steps = WorkOrderStepSerializer(many=True, read_only=True)
    signature = serializers.SerializerMethodField()
    quote = serializers.SerializerMethodField()

    class Meta(WorkOrderListSerializer.Meta):
        fields = WorkOrderListSerializer.Meta.fields + [
            "category_reason", "dispatch_reasons", "status_before_hold", "hold_reason", "accepted_at",
            "appointment_confirmed_at", "started_at", "reviewed_at", "review_comment", "cancelled_at", "cancel_reason",
            "fault_reported", "diag_listen", "diag_look", "diag_check", "running_time", "opened_before", "cause",
            "responsibility", "resolution", "notes", "labour_minutes", "labour_charge", "price_confirmed_at",
            "price_confirmed_amount", "quote", "customer_name", "service_address", "unit_label", "seal_seq", "seal_digest",
            "seal_previous", "seal_chain", "items", "parts", "old_parts", "photos", "signature", "steps",
        ]
        read_only_fields = fields

    def get_quote(self, obj) -> str:
        from .work_orders import quote

        return str(quote(obj))

    def get_signature(self, obj) -> dict | None:
        if obj.signed_at is None:
            return None
        sig = obj.signature
        return SignatureInfoSerializer({
            "printed_name": sig.printed_name, "meaning": sig.meaning, "signed_at": sig.signed_at,
            "device_signed_at": sig.device_signed_at, "sha256": sig.sha256,
            "url": reverse("workorder-signature-image", kwargs={"version": "v1", "pk": obj.pk}),
        }).data

    def to_representation(self, instance):
        data = super().to_representation(instance)
        # customer_name in the list is the live customer; on a signed order the detail shows what was signed.
        if instance.signed_at is not None:
            data["customer_name"] = instance.customer_name
        return data


# --- inputs -------------------------------------------------------------------------------------


class ConfirmAppointmentInput(serializers.Serializer):
    appointment_at = serializers.DateTimeField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class ArriveInput(serializers.Serializer):
    device_time = serializers.DateTimeField(required=False, allow_null=True, default=None)


class ReportInput(serializers.Serializer):
    diag_listen = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    diag_look = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    diag_check = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    running_time = serializers.CharField(required=False, allow_blank=True, max_length=50)
    opened_before = serializers.BooleanField(required=False, allow_null=True)
    cause = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    responsibility = serializers.ChoiceField(choices=WorkOrder.Responsibility.choices, required=False, allow_blank=True)
    resolution = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    labour_minutes = serializers.IntegerField(required=False, min_value=0, max_value=10080)
    labour_charge = serializers.DecimalField(required=False, max_digits=12, decimal_places=2, min_value=0)
    payment_method = serializers.ChoiceField(choices=WorkOrder.Payment.choices, required=False, allow_blank=True)


class AddItemInput(serializers.Serializer):
    service_item = serializers.PrimaryKeyRelatedField(queryset=ServiceItem.objects.filter(is_active=True))
    qty = serializers.DecimalField(max_digits=8, decimal_places=2, default=1)
    chargeable = serializers.BooleanField(required=False, allow_null=True, default=None)


class ChecklistInput(serializers.Serializer):
    steps_done = serializers.ListField(child=serializers.BooleanField())
    acceptance_ok = serializers.BooleanField(required=False, allow_null=True, default=None)


class AddPartInput(serializers.Serializer):
    part = serializers.PrimaryKeyRelatedField(queryset=Part.objects.all())
    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.filter(is_active=True))
    qty = serializers.DecimalField(max_digits=12, decimal_places=3)
    chargeable = serializers.BooleanField(required=False, allow_null=True, default=None)
    is_warranty = serializers.BooleanField(required=False, default=False)


class AddOldPartInput(serializers.Serializer):
    part = serializers.PrimaryKeyRelatedField(queryset=Part.objects.all())
    qty = serializers.DecimalField(max_digits=12, decimal_places=3)
    is_warranty = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class CommentInput(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ConfirmPriceInput(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    payment_method = serializers.ChoiceField(choices=WorkOrder.Payment.choices, required=False, allow_blank=True, default="")


class PhotoInput(serializers.Serializer):
    image = serializers.FileField()
    caption = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    client_id = serializers.CharField(required=False, allow_blank=True, max_length=64, default="")


@extend_schema_field({"type": "string", "format": "byte", "description": "PNG as a data URL or base64"})
class Base64PngField(serializers.Field):
    """A PNG as a data URL (``data:image/png;base64,…``, as a signature pad gives it) or bare base64."""

    default_error_messages = {"invalid": _("Send the signature as a base64 PNG (data URL).")}

    def to_internal_value(self, data):
        if not isinstance(data, str) or len(data) > 2 * 1024 * 1024:
            self.fail("invalid")
        if data.startswith("data:"):
            head, _sep, data = data.partition(",")
            if ";base64" not in head:
                self.fail("invalid")
        try:
            return base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            self.fail("invalid")

    def to_representation(self, value):
        return base64.b64encode(value).decode("ascii")


class SignInput(serializers.Serializer):
    image = Base64PngField()
    printed_name = serializers.CharField(max_length=50)
    client_id = serializers.CharField(max_length=64)
    device_signed_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class SealProblemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    seal_seq = serializers.IntegerField(allow_null=True)
    reasons = serializers.ListField(child=serializers.CharField())


class VerificationSerializer(serializers.Serializer):
    checked = serializers.IntegerField()
    intact = serializers.BooleanField()
    problems = SealProblemSerializer(many=True)
