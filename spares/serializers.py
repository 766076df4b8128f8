"""API shapes. Output serializers are read-only; input serializers only validate the shape of a
request — rules live in the services. Quantities, statuses and approvals are never writable."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from servicedesk.org.models import ProductLine, Staff, Station

from .models import (
    Location,
    OldPartBatch,
    OldPartBatchLine,
    OldPartReturn,
    OutOfStockRegistration,
    Part,
    Receipt,
    Requisition,
    StockBalance,
    StockMove,
    StockReturn,
    StockTake,
    StockTakeLine,
    Transfer,
    WriteOff,
)

QTY_FIELD = {"max_digits": 14, "decimal_places": 3}
MONEY_FIELD = {"max_digits": 12, "decimal_places": 2}


class PartRelatedField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {
        "does_not_exist": _("Unknown part."),
        "incorrect_type": _("Unknown part."),
    }


class LocationRelatedField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {
        "does_not_exist": _("Unknown location."),
        "incorrect_type": _("Unknown location."),
    }


def qty_field(**kwargs):
    return serializers.DecimalField(min_value=Decimal("0.001"), **QTY_FIELD, **kwargs)


# --- Catalogue ------------------------------------------------------------------------------------


class PartSerializer(serializers.ModelSerializer):
    product_lines = serializers.SlugRelatedField(
        many=True, slug_field="code", queryset=ProductLine.objects.all(), required=False
    )

    class Meta:
        model = Part
        fields = ["id", "number", "name", "spec", "unit", "price", "product_lines", "low_stock_threshold", "is_active", "note"]


class LocationSerializer(serializers.ModelSerializer):
    station_name = serializers.CharField(source="station.name", read_only=True, default=None, allow_null=True)
    technician_name = serializers.CharField(source="technician.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Location
        fields = ["id", "code", "name", "kind", "station", "station_name", "technician", "technician_name", "is_active"]
        read_only_fields = fields


class LocationInputSerializer(serializers.Serializer):
    """A new location; uniqueness (one van per technician …) is the service's and the database's."""

    code = serializers.CharField(max_length=30)
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=Location.Kind.choices)
    station = serializers.PrimaryKeyRelatedField(queryset=Station.objects.all(), required=False, allow_null=True, default=None)
    technician = serializers.PrimaryKeyRelatedField(
        queryset=Staff.objects.all(), required=False, allow_null=True, default=None
    )


class LocationUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False)
    is_active = serializers.BooleanField(required=False)


class _PartBrief(serializers.ModelSerializer):
    class Meta:
        model = Part
        fields = ["id", "number", "name", "unit"]
        read_only_fields = fields


class _LocationBrief(serializers.ModelSerializer):
    class Meta:
        model = Location
        fields = ["id", "code", "name", "kind"]
        read_only_fields = fields


# --- Ledger ----------------------------------------------------------------------------------------


class StockBalanceSerializer(serializers.ModelSerializer):
    part_number = serializers.CharField(source="part.number", read_only=True)
    part_name = serializers.CharField(source="part.name", read_only=True)
    unit = serializers.CharField(source="part.unit", read_only=True)
    low_stock_threshold = serializers.DecimalField(source="part.low_stock_threshold", read_only=True, **QTY_FIELD)
    location_code = serializers.CharField(source="location.code", read_only=True)
    location_name = serializers.CharField(source="location.name", read_only=True)

    # The columns the page reads (for ``.only()``): a page of a big location moves no unused bytes.
    needs = ("qty", "part__number", "part__name", "part__unit", "part__low_stock_threshold", "location__code",
             "location__name")

    class Meta:
        model = StockBalance
        fields = [
            "id", "part", "part_number", "part_name", "unit", "location", "location_code", "location_name",
            "qty", "low_stock_threshold",
        ]
        read_only_fields = fields


class StockMoveSerializer(serializers.ModelSerializer):
    part = _PartBrief(read_only=True)
    from_location = _LocationBrief(read_only=True, allow_null=True)  # none for a receipt
    to_location = _LocationBrief(read_only=True, allow_null=True)  # none for a use or a write-off
    actor = serializers.CharField(source="actor.username", read_only=True)

    class Meta:
        model = StockMove
        fields = [
            "id", "kind", "part", "qty", "from_location", "to_location", "reference", "document_type",
            "document_id", "reverses", "note", "actor", "posted_at",
        ]
        read_only_fields = fields


class _MovesMixin(serializers.Serializer):
    """Detail responses list the moves a document posted (ids), e.g. to match a retried call."""

    moves = serializers.SerializerMethodField()
    document_type = ""

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_moves(self, obj) -> list[int]:
        return list(
            StockMove.objects.filter(document_type=self.document_type, document_id=obj.pk)
            .order_by("pk")
            .values_list("pk", flat=True)
        )


class DocumentLineSerializer(serializers.Serializer):
    part = _PartBrief(read_only=True)
    qty = serializers.DecimalField(read_only=True, **QTY_FIELD)


class LineInputSerializer(serializers.Serializer):
    part = PartRelatedField(queryset=Part.objects.all())
    qty = qty_field()


# --- Receipts, transfers --------------------------------------------------------------------------


class ReceiptLineOutSerializer(DocumentLineSerializer):
    unit_price = serializers.DecimalField(read_only=True, allow_null=True, **MONEY_FIELD)


class ReceiptSerializer(serializers.ModelSerializer):
    location = _LocationBrief(read_only=True)
    lines = ReceiptLineOutSerializer(many=True, read_only=True)
    received_by = serializers.CharField(source="received_by.username", read_only=True)
    reversed_by = serializers.CharField(source="reversed_by.username", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Receipt
        fields = [
            "id", "number", "location", "supplier", "delivery_note", "note", "lines", "received_by", "received_at",
            "reversed_at", "reversed_by", "reversal_reason",
        ]
        read_only_fields = fields


class ReceiptDetailSerializer(_MovesMixin, ReceiptSerializer):
    document_type = "receipt"

    class Meta(ReceiptSerializer.Meta):
        fields = [*ReceiptSerializer.Meta.fields, "moves"]
        read_only_fields = fields


class ReceiptLineInputSerializer(LineInputSerializer):
    unit_price = serializers.DecimalField(min_value=Decimal("0"), required=False, allow_null=True, **MONEY_FIELD)


class ReceiptInputSerializer(serializers.Serializer):
    location = LocationRelatedField(queryset=Location.objects.all())
    supplier = serializers.CharField(max_length=100)
    delivery_note = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    lines = ReceiptLineInputSerializer(many=True)


class SparesReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField()


class TransferSerializer(serializers.ModelSerializer):
    from_location = _LocationBrief(read_only=True)
    to_location = _LocationBrief(read_only=True)
    lines = DocumentLineSerializer(many=True, read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True)

    class Meta:
        model = Transfer
        fields = [
            "id", "number", "from_location", "to_location", "lines", "shipping_ref", "postage", "note",
            "created_by", "created_at",
        ]
        read_only_fields = fields


class TransferDetailSerializer(_MovesMixin, TransferSerializer):
    document_type = "transfer"

    class Meta(TransferSerializer.Meta):
        fields = [*TransferSerializer.Meta.fields, "moves"]
        read_only_fields = fields


class TransferInputSerializer(serializers.Serializer):
    from_location = LocationRelatedField(queryset=Location.objects.all())
    to_location = LocationRelatedField(queryset=Location.objects.all())
    lines = LineInputSerializer(many=True)
    shipping_ref = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    postage = serializers.DecimalField(min_value=Decimal("0"), required=False, default=Decimal("0"), **MONEY_FIELD)
    note = serializers.CharField(required=False, allow_blank=True, default="")


# --- Requisitions and returns ---------------------------------------------------------------------


class RequisitionSerializer(serializers.ModelSerializer):
    from_location = _LocationBrief(read_only=True)
    to_location = _LocationBrief(read_only=True)
    lines = DocumentLineSerializer(many=True, read_only=True)
    requested_by = serializers.CharField(source="requested_by.username", read_only=True)
    approved_by = serializers.CharField(source="approved_by.username", read_only=True, default=None, allow_null=True)
    issued_by = serializers.CharField(source="issued_by.username", read_only=True, default=None, allow_null=True)
    cancelled_by = serializers.CharField(source="cancelled_by.username", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Requisition
        fields = [
            "id", "number", "status", "from_location", "to_location", "work_order_ref", "reason", "lines",
            "requested_by", "requested_at", "approved_by", "approved_at", "rejection_reason",
            "issued_by", "issued_at", "cancelled_by", "cancelled_at", "cancel_reason",
        ]
        read_only_fields = fields


class RequisitionDetailSerializer(_MovesMixin, RequisitionSerializer):
    document_type = "requisition"

    class Meta(RequisitionSerializer.Meta):
        fields = [*RequisitionSerializer.Meta.fields, "moves"]
        read_only_fields = fields


class RequisitionInputSerializer(serializers.Serializer):
    from_location = LocationRelatedField(queryset=Location.objects.all())
    to_location = LocationRelatedField(queryset=Location.objects.all())
    lines = LineInputSerializer(many=True)
    work_order_ref = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class StockReturnSerializer(serializers.ModelSerializer):
    from_location = _LocationBrief(read_only=True)
    to_location = _LocationBrief(read_only=True)
    requisition = serializers.CharField(source="requisition.number", read_only=True, default=None, allow_null=True)
    lines = DocumentLineSerializer(many=True, read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True)

    class Meta:
        model = StockReturn
        fields = ["id", "number", "requisition", "from_location", "to_location", "reason", "lines", "created_by", "created_at"]
        read_only_fields = fields


class StockReturnDetailSerializer(_MovesMixin, StockReturnSerializer):
    document_type = "return"

    class Meta(StockReturnSerializer.Meta):
        fields = [*StockReturnSerializer.Meta.fields, "moves"]
        read_only_fields = fields


class StockReturnInputSerializer(serializers.Serializer):
    requisition = serializers.PrimaryKeyRelatedField(queryset=Requisition.objects.all(), required=False, allow_null=True)
    from_location = LocationRelatedField(queryset=Location.objects.all())
    to_location = LocationRelatedField(queryset=Location.objects.all(), required=False, allow_null=True)
    lines = LineInputSerializer(many=True)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


# --- Old parts and write-offs ---------------------------------------------------------------------


class OldPartReturnSerializer(serializers.ModelSerializer):
    part = _PartBrief(read_only=True)
    location = _LocationBrief(read_only=True)
    returned_by = serializers.CharField(source="returned_by.name", read_only=True, default=None, allow_null=True)
    received_by = serializers.CharField(source="received_by.username", read_only=True)

    class Meta:
        model = OldPartReturn
        fields = [
            "id", "number", "part", "qty", "location", "work_order_ref", "work_order_id", "unit_serial", "fault",
            "is_warranty", "returned_by", "received_by", "received_at", "status",
        ]
        read_only_fields = fields


class OldPartReturnDetailSerializer(_MovesMixin, OldPartReturnSerializer):
    document_type = "old_part"

    class Meta(OldPartReturnSerializer.Meta):
        fields = [*OldPartReturnSerializer.Meta.fields, "moves"]
        read_only_fields = fields


class OldPartReturnInputSerializer(serializers.Serializer):
    part = PartRelatedField(queryset=Part.objects.all())
    qty = qty_field(required=False, default=Decimal("1"))
    location = LocationRelatedField(queryset=Location.objects.all())
    work_order_ref = serializers.CharField(max_length=60)
    work_order_id = serializers.IntegerField(required=False, allow_null=True, default=None)
    returned_by = serializers.PrimaryKeyRelatedField(queryset=Staff.objects.all(), required=False, allow_null=True)
    unit_serial = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    fault = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    is_warranty = serializers.BooleanField(required=False, default=False)


class WriteOffSerializer(serializers.ModelSerializer):
    part = _PartBrief(read_only=True)
    location = _LocationBrief(read_only=True)
    old_part_return = serializers.CharField(source="old_part_return.number", read_only=True, default=None, allow_null=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True)

    class Meta:
        model = WriteOff
        fields = [
            "id", "number", "kind", "location", "part", "qty", "reason", "work_order_ref", "work_order_id",
            "service_report_ref", "service_report_signed", "old_part_return", "shipping_ref", "postage",
            "created_by", "created_at",
        ]
        read_only_fields = fields


class WriteOffDetailSerializer(_MovesMixin, WriteOffSerializer):
    document_type = "write_off"

    class Meta(WriteOffSerializer.Meta):
        fields = [*WriteOffSerializer.Meta.fields, "moves"]
        read_only_fields = fields


class WriteOffInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=WriteOff.Kind.choices)
    location = LocationRelatedField(queryset=Location.objects.all())
    part = PartRelatedField(queryset=Part.objects.all())
    qty = qty_field()
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    work_order_ref = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    work_order_id = serializers.IntegerField(required=False, allow_null=True, default=None)
    service_report_ref = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    service_report_signed = serializers.BooleanField(required=False, default=False)
    old_part_return = serializers.PrimaryKeyRelatedField(
        queryset=OldPartReturn.objects.all(), required=False, allow_null=True, default=None
    )
    shipping_ref = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    postage = serializers.DecimalField(min_value=Decimal("0"), required=False, default=Decimal("0"), **MONEY_FIELD)


class OldPartBatchLineSerializer(serializers.ModelSerializer):
    old_part_return = OldPartReturnSerializer(read_only=True)

    class Meta:
        model = OldPartBatchLine
        fields = ["id", "old_part_return", "action", "claim_amount"]
        read_only_fields = fields


class OldPartBatchSerializer(serializers.ModelSerializer):
    location = _LocationBrief(read_only=True)
    lines = OldPartBatchLineSerializer(many=True, read_only=True)
    processed_by = serializers.CharField(source="processed_by.username", read_only=True)

    class Meta:
        model = OldPartBatch
        fields = [
            "id", "number", "location", "period", "supplier", "shipping_ref", "postage", "note", "lines",
            "processed_by", "processed_at",
        ]
        read_only_fields = fields


class OldPartBatchDetailSerializer(_MovesMixin, OldPartBatchSerializer):
    document_type = "old_part_batch"

    class Meta(OldPartBatchSerializer.Meta):
        fields = [*OldPartBatchSerializer.Meta.fields, "moves"]
        read_only_fields = fields


class OldPartBatchLineInputSerializer(serializers.Serializer):
    old_part_return = serializers.PrimaryKeyRelatedField(queryset=OldPartReturn.objects.all())
    action = serializers.ChoiceField(choices=OldPartBatchLine.Action.choices)
    claim_amount = serializers.DecimalField(min_value=Decimal("0"), required=False, default=Decimal("0"), **MONEY_FIELD)


class OldPartBatchInputSerializer(serializers.Serializer):
    location = LocationRelatedField(queryset=Location.objects.all())
    period = serializers.DateField()
    lines = OldPartBatchLineInputSerializer(many=True)
    supplier = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    shipping_ref = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    postage = serializers.DecimalField(min_value=Decimal("0"), required=False, default=Decimal("0"), **MONEY_FIELD)
    note = serializers.CharField(required=False, allow_blank=True, default="")


# --- Stock-takes --------------------------------------------------------------------------------


class StockTakeLineSerializer(serializers.ModelSerializer):
    part = _PartBrief(read_only=True)
    variance = serializers.DecimalField(read_only=True, allow_null=True, **QTY_FIELD)

    class Meta:
        model = StockTakeLine
        fields = ["id", "part", "book_qty", "counted_qty", "variance", "counted_at"]
        read_only_fields = fields


class StockTakeSerializer(serializers.ModelSerializer):
    location = _LocationBrief(read_only=True)
    lines = StockTakeLineSerializer(many=True, read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    submitted_by = serializers.CharField(source="submitted_by.username", read_only=True, default=None, allow_null=True)
    approved_by = serializers.CharField(source="approved_by.username", read_only=True, default=None, allow_null=True)

    class Meta:
        model = StockTake
        fields = [
            "id", "number", "location", "status", "note", "lines", "created_by", "created_at",
            "submitted_by", "submitted_at", "approved_by", "approved_at",
        ]
        read_only_fields = fields


class StockTakeDetailSerializer(_MovesMixin, StockTakeSerializer):
    document_type = "stock_take"

    class Meta(StockTakeSerializer.Meta):
        fields = [*StockTakeSerializer.Meta.fields, "moves"]
        read_only_fields = fields


class StockTakeInputSerializer(serializers.Serializer):
    location = LocationRelatedField(queryset=Location.objects.all())
    parts = PartRelatedField(queryset=Part.objects.all(), many=True, required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CountInputSerializer(serializers.Serializer):
    part = PartRelatedField(queryset=Part.objects.all())
    counted_qty = serializers.DecimalField(min_value=Decimal("0"), **QTY_FIELD)


class CountsInputSerializer(serializers.Serializer):
    counts = CountInputSerializer(many=True)


# --- Out of stock ----------------------------------------------------------------------------------


class OutOfStockSerializer(serializers.ModelSerializer):
    part = _PartBrief(read_only=True, allow_null=True)  # a part not in the catalogue: only its description
    station = serializers.CharField(source="station.name", read_only=True, default=None, allow_null=True)
    registered_by = serializers.CharField(source="registered_by.username", read_only=True)
    replied_by = serializers.CharField(source="replied_by.username", read_only=True, default=None, allow_null=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = OutOfStockRegistration
        fields = [
            "id", "number", "part", "part_description", "qty", "station", "customer_name", "customer_phone",
            "work_order_ref", "note", "status", "registered_by", "registered_at", "reply_due_at", "is_overdue",
            "reminded_at", "replied_at", "replied_by", "reply_note",
        ]
        read_only_fields = fields


class OutOfStockInputSerializer(serializers.Serializer):
    part = PartRelatedField(queryset=Part.objects.all(), required=False, allow_null=True, default=None)
    part_description = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    qty = qty_field(required=False, default=Decimal("1"))
    station = serializers.PrimaryKeyRelatedField(queryset=Station.objects.all(), required=False, allow_null=True, default=None)
    customer_name = serializers.CharField(max_length=100)
    customer_phone = serializers.CharField(max_length=30)
    work_order_ref = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")
