"""API shapes for customers, units, contracts, tickets and their clocks.

Fields are listed explicitly. Ticket status, numbers, clocks and warranty fields are read-only:
they change only through the actions (services). Related objects a client may name are looked up
in what the caller may see, so an unknown or foreign id is a 400 naming the field.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from servicedesk.core.validators import validate_phone
from servicedesk.org.models import Staff
from servicedesk.org.selectors import staff_visible_to

from . import selectors, views, warranty
from .models import (
    Contact,
    Contract,
    Customer,
    Priority,
    ServiceType,
    SLAClock,
    SLATarget,
    Ticket,
    TicketChannel,
    TicketKind,
    TicketLog,
    Unit,
    WorkOrder,
)


class ScopedRelationsMixin:
    """``scoped_relations = {"customer": selectors.customers_visible_to}``: related ids are looked
    up only among the rows the requesting user may see."""

    scoped_relations: dict = {}

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        for name, selector in self.scoped_relations.items():
            if name in fields and request is not None:
                field = fields[name]
                target = field.child_relation if isinstance(field, serializers.ManyRelatedField) else field
                if not target.read_only:
                    target.queryset = selector(request.user)
        return fields


# --- customers, contacts, units, contracts ------------------------------------------------------


class CustomerSerializer(serializers.ModelSerializer):
    station_name = serializers.CharField(source="station.name", read_only=True)
    owner_name = serializers.CharField(source="owner.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Customer
        fields = [
            "id", "name", "kind", "phone", "address", "building_room", "zone", "distance_km", "station", "station_name",
            "is_key", "owner", "owner_name", "notes", "created_at",
        ]
        read_only_fields = ["created_at"]
        extra_kwargs = {"distance_km": {"min_value": 0}}


class ContactSerializer(ScopedRelationsMixin, serializers.ModelSerializer):
    scoped_relations = {"customer": selectors.customers_visible_to}

    class Meta:
        model = Contact
        fields = ["id", "customer", "name", "phone", "title", "is_primary"]


class UnitSerializer(ScopedRelationsMixin, serializers.ModelSerializer):
    scoped_relations = {"customer": selectors.customers_visible_to}
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    product_line_name = serializers.CharField(source="product_line.name", read_only=True)

    class Meta:
        model = Unit
        fields = [
            "id", "customer", "customer_name", "product_line", "product_line_name", "model", "serial_number",
            "purchase_date", "purchase_place", "install_date", "warranty_start", "warranty_end",
        ]

    def validate(self, attrs):
        start = attrs.get("warranty_start", getattr(self.instance, "warranty_start", None))
        end = attrs.get("warranty_end", getattr(self.instance, "warranty_end", None))
        if start and end and end < start:
            raise serializers.ValidationError({"warranty_end": [_("The warranty cannot end before it starts.")]})
        return attrs


class ContractSerializer(ScopedRelationsMixin, serializers.ModelSerializer):
    scoped_relations = {"customer": selectors.customers_visible_to, "units": selectors.units_visible_to}
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    renewal_notice_on = serializers.SerializerMethodField()

    class Meta:
        model = Contract
        fields = [
            "id", "number", "customer", "customer_name", "kind", "start_date", "end_date", "units", "annual_fee",
            "fee_status", "fee_paid", "signed_by", "renewal_notice_on",
        ]
        read_only_fields = ["signed_by"]
        extra_kwargs = {"annual_fee": {"min_value": 0}, "fee_paid": {"min_value": 0}}

    def get_renewal_notice_on(self, obj) -> str:
        # 保养到期通知书: one month before the contract ends (SPEC §2).
        from dateutil.relativedelta import relativedelta

        return (obj.end_date - relativedelta(months=1)).isoformat()

    def validate(self, attrs):
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        end = attrs.get("end_date", getattr(self.instance, "end_date", None))
        if start and end and end < start:
            raise serializers.ValidationError({"end_date": [_("The contract cannot end before it starts.")]})
        customer = attrs.get("customer", getattr(self.instance, "customer", None))
        foreign = [u.serial_number for u in attrs.get("units", []) if customer is not None and u.customer_id != customer.pk]
        if foreign:
            raise serializers.ValidationError(
                {"units": [_("These units belong to another customer: %(units)s.") % {"units": ", ".join(foreign)}]}
            )
        return attrs


# --- clocks, log, work orders -------------------------------------------------------------------


class ClockSerializer(serializers.ModelSerializer):
    target_label = serializers.SerializerMethodField()
    state = serializers.SerializerMethodField()
    remaining_seconds = serializers.SerializerMethodField()
    paused = serializers.SerializerMethodField()

    class Meta:
        model = SLAClock
        fields = [
            "id", "ticket", "target_code", "target_label", "kind", "target", "started_at", "due_at", "warn_at",
            "warned_at", "breached_at", "stopped_at", "cancelled", "paused", "state", "remaining_seconds",
        ]
        read_only_fields = fields

    def _now(self):
        # One "now" per response, so every clock of a page is judged at the same moment.
        return self.context.setdefault("now", timezone.now())

    def get_target_label(self, obj) -> str:
        return str(SLATarget(obj.target_code).label) if obj.target_code in SLATarget.values else obj.target_code

    def get_state(self, obj) -> str:
        """running / warning / breached / paused / met / missed / cancelled, from the stored deadlines now."""
        return obj.state_at(self._now())

    def get_remaining_seconds(self, obj) -> int:
        """Time left in the clock's own unit (working or calendar time); negative once overdue."""
        return int(obj.remaining_at(self._now()).total_seconds())

    def get_paused(self, obj) -> bool:
        return obj.running_since is None and obj.stopped_at is None and not obj.cancelled


class SlaSummarySerializer(serializers.Serializer):
    target_code = serializers.CharField()
    target_label = serializers.CharField()
    state = serializers.CharField()
    due_at = serializers.DateTimeField(allow_null=True)
    remaining_seconds = serializers.IntegerField()


class TicketLogSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.username", read_only=True, default=None, allow_null=True)

    class Meta:
        model = TicketLog
        fields = ["id", "kind", "at", "by", "text"]
        read_only_fields = fields


class WorkOrderSerializer(serializers.ModelSerializer):
    ticket_number = serializers.CharField(source="ticket.number", read_only=True)
    technician_name = serializers.CharField(source="technician.name", read_only=True)

    class Meta:
        model = WorkOrder
        fields = [
            "id", "number", "ticket", "ticket_number", "customer", "technician", "technician_name", "status", "category",
            "category_reason", "dispatched_at", "dispatch_reasons", "service_date",
        ]
        read_only_fields = fields


# --- tickets ------------------------------------------------------------------------------------


def _target_label(code: str) -> str:
    return str(SLATarget(code).label) if code in SLATarget.values else code


def _iso(value, tz=None) -> str | None:
    """An aware datetime as DRF's DateTimeField writes it: ISO 8601 in the current time zone."""
    if value is None:
        return None
    text = value.astimezone(tz or timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def sla_summary(clock, now, labels: dict | None = None, tz=None) -> dict | None:
    """The clock to watch (``views.nearest_clock``) as the list shows it; ``labels`` caches target labels."""
    if clock is None:
        return None
    code = clock.target_code
    if labels is None:
        label = _target_label(code)
    elif (label := labels.get(code)) is None:
        label = labels[code] = _target_label(code)
    return {
        "target_code": code,
        "target_label": label,
        "state": clock.state_at(now),
        "due_at": _iso(clock.due_at, tz),
        "remaining_seconds": int(clock.remaining_at(now).total_seconds()),
    }


class TicketRowsSerializer(serializers.ListSerializer):
    """The ticket list page from ``selectors.ticket_list_rows`` (dicts named like the fields, and
    the nearest clock) written straight out: the same output as the child field by field (a test
    holds them equal), without DRF's per-field work for every row, which made the page 13× its query."""

    def to_representation(self, data):
        if not isinstance(data, list | tuple) or (data and not isinstance(data[0], dict)):
            return super().to_representation(data)  # model instances: the child, field by field
        now = self.context.setdefault("now", timezone.now())
        tz = timezone.get_current_timezone()
        labels: dict = {}
        plain = [name for name in self.child.Meta.fields if name != "sla"]
        out = []
        for row in data:
            item = {name: row[name] for name in plain}
            item["registered_at"] = _iso(row["registered_at"], tz)
            item["appointment_at"] = _iso(row["appointment_at"], tz)
            item["sla"] = sla_summary(row["clock"], now, labels, tz)
            out.append(item)
        return out


class TicketListSerializer(serializers.ModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    unit_serial = serializers.CharField(source="unit.serial_number", read_only=True, default=None, allow_null=True)
    station_name = serializers.CharField(source="station.name", read_only=True)
    sla = serializers.SerializerMethodField()

    class Meta:
        model = Ticket
        fields = [
            "id", "number", "channel", "kind", "service_type", "status", "customer", "customer_name", "unit", "unit_serial",
            "caller_name", "caller_phone", "zone", "station", "station_name", "is_key_customer", "urgency", "severity",
            "registered_at", "appointment_at", "complaint_class", "warranty_decision", "sla",
        ]
        read_only_fields = fields
        list_serializer_class = TicketRowsSerializer

    @extend_schema_field(SlaSummarySerializer(allow_null=True))
    def get_sla(self, obj):
        """The clock to watch (running and due first, else paused, else how the last one ended)."""
        return sla_summary(views.nearest_clock(obj.clocks.all()), self.context.setdefault("now", timezone.now()))


class TicketDetailSerializer(TicketListSerializer):
    registered_by = serializers.CharField(source="registered_by.username", read_only=True)
    warranty_label = serializers.SerializerMethodField()
    warranty_category = serializers.SerializerMethodField()
    clocks = ClockSerializer(many=True, read_only=True)
    work_orders = WorkOrderSerializer(many=True, read_only=True)

    class Meta(TicketListSerializer.Meta):
        list_serializer_class = serializers.ListSerializer
        fields = TicketListSerializer.Meta.fields + [
            "address", "description", "fault_code", "needs_manufacturer", "complaint_reason", "escalated_at",
            "warranty_label", "warranty_reason", "warranty_category", "registered_by", "first_replied_at", "plan_given_at",
            "closed_at", "resolution", "parent", "status_before_hold", "clocks", "work_orders",
        ]
        read_only_fields = fields

    def get_warranty_label(self, obj) -> str:
        return str(warranty.Decision.LABELS.get(obj.warranty_decision, ""))

    def get_warranty_category(self, obj) -> str:
        return warranty.Decision.CATEGORY.get(obj.warranty_decision, "")


class TicketCreateSerializer(ScopedRelationsMixin, serializers.Serializer):
    """Input of ``services.register_ticket``; the service decides the rest (number, zone, clocks, warranty)."""

    scoped_relations = {
        "customer": selectors.customers_visible_to,
        "unit": selectors.units_visible_to,
        "parent": lambda user: selectors.tickets_visible_to(user).prefetch_related(None),
    }
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.none(), required=False)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.none(), required=False, allow_null=True)
    channel = serializers.ChoiceField(choices=TicketChannel.choices)
    kind = serializers.ChoiceField(choices=TicketKind.choices)
    service_type = serializers.ChoiceField(choices=ServiceType.choices, required=False, allow_blank=True, default="")
    caller_name = serializers.CharField(max_length=50)
    caller_phone = serializers.CharField(max_length=30, validators=[validate_phone])
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description = serializers.CharField()
    fault_code = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    urgency = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL)
    severity = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL)
    appointment_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    needs_manufacturer = serializers.BooleanField(required=False, default=False)
    parent = serializers.PrimaryKeyRelatedField(queryset=Ticket.objects.none(), required=False, allow_null=True, default=None)

    def validate(self, attrs):
        if attrs.get("customer") is None:
            unit = attrs.get("unit")
            if unit is None:
                raise serializers.ValidationError({"customer": [_("Choose the customer, or the unit (its customer is taken).")]})
            attrs["customer"] = unit.customer
        return attrs


class TicketUpdateSerializer(serializers.Serializer):
    appointment_at = serializers.DateTimeField(required=False, allow_null=True)
    urgency = serializers.ChoiceField(choices=Priority.choices, required=False)
    severity = serializers.ChoiceField(choices=Priority.choices, required=False)


class ClassifySerializer(serializers.Serializer):
    complaint_class = serializers.ChoiceField(choices=[c for c in Ticket.ComplaintClass.choices if c[0]])
    reason = serializers.CharField()


class EscalateSerializer(serializers.Serializer):
    reason = serializers.CharField()
    to_general_manager = serializers.BooleanField(required=False, default=False)


class ReplySerializer(serializers.Serializer):
    text = serializers.CharField()
    close = serializers.BooleanField(required=False, default=False)


class PlanSerializer(serializers.Serializer):
    text = serializers.CharField()


class LogEntrySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[
            (k.value, k.label)
            for k in (TicketLog.Kind.CALL_IN, TicketLog.Kind.CALL_OUT, TicketLog.Kind.LETTER, TicketLog.Kind.PROGRESS, TicketLog.Kind.NOTE)
        ]
    )
    text = serializers.CharField()


class HoldSerializer(serializers.Serializer):
    reason = serializers.CharField()


class ResumeSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CloseSerializer(serializers.Serializer):
    resolution = serializers.CharField()


class DispatchSerializer(ScopedRelationsMixin, serializers.Serializer):
    # Every staff member the dispatcher can see: the service says clearly why one cannot take work.
    scoped_relations = {"technician": lambda user: staff_visible_to(user).prefetch_related(None)}
    technician = serializers.PrimaryKeyRelatedField(queryset=Staff.objects.none())
    category = serializers.ChoiceField(choices=WorkOrder.Category.choices, required=False, allow_blank=True, default="")
    category_reason = serializers.CharField(required=False, allow_blank=True, default="")


class SuggestionSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    technician = serializers.IntegerField(source="technician.pk")
    technician_name = serializers.CharField(source="technician.name")
    station = serializers.CharField(source="technician.station.name", default=None)
    zone = serializers.CharField(source="technician.zone")
    reasons = serializers.ListField(child=serializers.CharField())
    over_cap = serializers.BooleanField()
    customers_today = serializers.IntegerField()
    open_orders = serializers.IntegerField()


# --- warranty -----------------------------------------------------------------------------------


class WarrantyCheckSerializer(serializers.Serializer):
    fault_date = serializers.DateField(required=False)
    fault_code = serializers.CharField(required=False, allow_blank=True, default="")
    quality_fault = serializers.BooleanField(required=False, default=True)
    external_damage = serializers.BooleanField(required=False, default=False)
    accessory = serializers.BooleanField(required=False, default=False)
    exclusions = serializers.MultipleChoiceField(
        choices=[(k, v) for k, v in warranty.Exclusion.LABELS.items()], required=False, default=list
    )

    def validate_fault_date(self, value):
        if value > timezone.localdate() + timedelta(days=1):
            raise serializers.ValidationError(_("The fault cannot be reported for a future day."))
        return value


class WarrantyAnswerSerializer(serializers.Serializer):
    decision = serializers.CharField()
    decision_label = serializers.CharField(source="label")
    rule = serializers.CharField()
    reason = serializers.CharField()
    dates = serializers.DictField(child=serializers.CharField())
    category = serializers.CharField()
    category_label = serializers.SerializerMethodField()

    def get_category_label(self, obj) -> str:
        return str(WorkOrder.Category(obj.category).label)


class UnitHistoryTicketSerializer(serializers.ModelSerializer):
    class Meta:
        model = Ticket
        fields = ["id", "number", "kind", "service_type", "status", "registered_at", "fault_code", "warranty_decision", "closed_at"]
        read_only_fields = fields


class UnitHistorySerializer(serializers.Serializer):
    unit = UnitSerializer()
    tickets = UnitHistoryTicketSerializer(many=True)
    work_orders = WorkOrderSerializer(many=True)

