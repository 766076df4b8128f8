"""/api/v1/carry-ins/, /factory-returns/, /compensations/, /daily-reports/ — thin layers over the
scoped selectors (reads) and the services (writes). Status, approvals and amounts decided are
read-only: they change only through the actions. Domain errors become 400/409 with field → message
(servicedesk.core.api.exception_handler); what is not yours to see is a 404.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.generics import get_object_or_404  # a malformed id is a 404 (Django's raises ValueError: a 500)
from rest_framework.response import Response
from rest_framework.views import APIView

from servicedesk.org.selectors import staff_of

from . import carry_in as ci
from . import compensation as comp
from . import daily_reports
from .carry_in_selectors import (
    carry_ins_visible_to,
    compensations_visible_to,
    factory_returns_visible_to,
    report_stations_visible_to,
    report_technicians_visible_to,
)
from .models import CarryIn, Compensation, FactoryReturn
from .selectors import work_orders_visible_to

# --- serializers --------------------------------------------------------------------------------


class CarryInSerializer(serializers.ModelSerializer):
    order_number = serializers.CharField(source="order.number", read_only=True)
    customer = serializers.CharField(source="order.customer.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = CarryIn
        fields = [
            "id", "number", "order", "order_number", "customer", "status", "status_label", "goods", "accessories", "condition",
            "taken_at", "repair_started_at", "repair_finished_at", "repair_minutes", "repair_notes", "inspected_at",
            "inspection_notes", "ready_at", "returned_at", "receipt_voided_at", "shipped_at", "shipping_note",
        ]
        read_only_fields = fields


class FactoryReturnSerializer(serializers.ModelSerializer):
    receipt = serializers.CharField(source="carry_in.number", read_only=True)

    class Meta:
        model = FactoryReturn
        fields = ["id", "carry_in", "receipt", "reason", "status", "requested_by", "requested_at", "decided_by", "decided_at",
                  "decision_comment"]
        read_only_fields = fields


class CompensationSerializer(serializers.ModelSerializer):
    order_number = serializers.CharField(source="order.number", read_only=True)

    class Meta:
        model = Compensation
        fields = ["id", "number", "order", "order_number", "kind", "amount", "reason", "status", "approver_role", "requested_by",
                  "requested_at", "decided_by", "decided_at", "decision_comment", "finance_notified_at"]
        read_only_fields = fields


class TakeInInput(serializers.Serializer):
    order = serializers.IntegerField()
    goods = serializers.CharField(allow_blank=True, trim_whitespace=False)
    accessories = serializers.CharField(required=False, allow_blank=True, default="")
    condition = serializers.CharField(required=False, allow_blank=True, default="")


class FinishRepairInput(serializers.Serializer):
    # Validated by the service (one message, the same for every channel).
    minutes = serializers.JSONField()
    notes = serializers.CharField(allow_blank=True, trim_whitespace=False)


class InspectInput(serializers.Serializer):
    ok = serializers.BooleanField()
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class NoteInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ShipInput(serializers.Serializer):
    shipping_note = serializers.CharField(allow_blank=True, trim_whitespace=False)


class CarryInReasonInput(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, trim_whitespace=False)


class DecideInput(serializers.Serializer):
    approve = serializers.BooleanField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class CompensationInput(serializers.Serializer):
    order = serializers.IntegerField()
    amount = serializers.CharField()
    kind = serializers.CharField()
    reason = serializers.CharField(allow_blank=True, trim_whitespace=False)


class CarryInCommentInput(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


def _body(serializer_class, request) -> dict:
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    return body.validated_data


# --- carry-ins ----------------------------------------------------------------------------------


class CarryInViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Carry-in repairs (携回修护). POST = take the unit in (pickup receipt); actions for each step."""

    serializer_class = CarryInSerializer
    filterset_fields = ["status"]
    search_fields = ["number", "goods", "order__number", "order__customer__name"]
    ordering_fields = ["taken_at", "ready_at", "pk"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CarryIn.objects.none()
        return carry_ins_visible_to(self.request.user).order_by("-taken_at", "-pk")

    def _reply(self, carry, code=status.HTTP_200_OK):
        return Response(CarryInSerializer(self.get_queryset().get(pk=carry.pk)).data, status=code)

    @extend_schema(request=TakeInInput, responses={201: CarryInSerializer})
    def create(self, request, *args, **kwargs):
        data = _body(TakeInInput, request)
        order = get_object_or_404(work_orders_visible_to(request.user), pk=data["order"])
        carry = ci.take_in(order=order, actor=request.user, goods=data["goods"], accessories=data["accessories"],
                           condition=data["condition"])
        return self._reply(carry, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=CarryInSerializer)
    @action(detail=True, methods=["post"], url_path="start-repair")
    def start_repair(self, request, pk=None, **kwargs):
        return self._reply(ci.start_repair(carry_in=self.get_object(), actor=request.user))

    @extend_schema(request=FinishRepairInput, responses=CarryInSerializer)
    @action(detail=True, methods=["post"], url_path="finish-repair")
    def finish_repair(self, request, pk=None, **kwargs):
        data = _body(FinishRepairInput, request)
        return self._reply(ci.finish_repair(carry_in=self.get_object(), actor=request.user, minutes=data["minutes"], notes=data["notes"]))

    @extend_schema(request=InspectInput, responses=CarryInSerializer)
    @action(detail=True, methods=["post"])
    def inspect(self, request, pk=None, **kwargs):
        data = _body(InspectInput, request)
        return self._reply(ci.inspect(carry_in=self.get_object(), actor=request.user, ok=data["ok"], notes=data["notes"]))

    @extend_schema(request=NoteInput, responses=CarryInSerializer)
    @action(detail=True, methods=["post"], url_path="hand-back")
    def hand_back(self, request, pk=None, **kwargs):
        data = _body(NoteInput, request)
        return self._reply(ci.hand_back(carry_in=self.get_object(), actor=request.user, note=data["note"]))

    @extend_schema(request=ShipInput, responses=CarryInSerializer)
    @action(detail=True, methods=["post"])
    def ship(self, request, pk=None, **kwargs):
        data = _body(ShipInput, request)
        return self._reply(ci.mark_shipped(carry_in=self.get_object(), actor=request.user, shipping_note=data["shipping_note"]))

    @extend_schema(request=CarryInReasonInput, responses={201: FactoryReturnSerializer})
    @action(detail=True, methods=["post"], url_path="factory-return")
    def factory_return(self, request, pk=None, **kwargs):
        data = _body(CarryInReasonInput, request)
        made = ci.request_factory_return(carry_in=self.get_object(), actor=request.user, reason=data["reason"])
        return Response(FactoryReturnSerializer(made).data, status=status.HTTP_201_CREATED)


class FactoryReturnViewSet(viewsets.ReadOnlyModelViewSet):
    """Return-to-factory applications (返厂申请): decided by a manager or the station head."""

    serializer_class = FactoryReturnSerializer
    filterset_fields = ["status"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return FactoryReturn.objects.none()
        return factory_returns_visible_to(self.request.user).order_by("-requested_at", "-pk")

    @extend_schema(request=DecideInput, responses=FactoryReturnSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None, **kwargs):
        data = _body(DecideInput, request)
        made = ci.decide_factory_return(factory_return=self.get_object(), actor=request.user, approve=data["approve"], comment=data["comment"])
        return Response(FactoryReturnSerializer(made).data)

    @extend_schema(request=NoteInput, responses=FactoryReturnSerializer)
    @action(detail=True, methods=["post"])
    def back(self, request, pk=None, **kwargs):
        data = _body(NoteInput, request)
        return Response(FactoryReturnSerializer(ci.factory_back(factory_return=self.get_object(), actor=request.user, note=data["note"])).data)


class CompensationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Compensation requests: the manager approves up to the limit, the general manager above it."""

    serializer_class = CompensationSerializer
    filterset_fields = ["status", "approver_role", "kind"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Compensation.objects.none()
        return compensations_visible_to(self.request.user).order_by("-requested_at", "-pk")

    @extend_schema(request=CompensationInput, responses={201: CompensationSerializer})
    def create(self, request, *args, **kwargs):
        data = _body(CompensationInput, request)
        order = get_object_or_404(work_orders_visible_to(request.user), pk=data["order"])
        made = comp.request_compensation(order=order, actor=request.user, amount=data["amount"], kind=data["kind"], reason=data["reason"])
        return Response(CompensationSerializer(made).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CarryInCommentInput, responses=CompensationSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None, **kwargs):
        data = _body(CarryInCommentInput, request)
        return Response(CompensationSerializer(comp.approve_compensation(compensation=self.get_object(), actor=request.user, comment=data["comment"])).data)

    @extend_schema(request=CarryInCommentInput, responses=CompensationSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None, **kwargs):
        data = _body(CarryInCommentInput, request)
        return Response(CompensationSerializer(comp.reject_compensation(compensation=self.get_object(), actor=request.user, comment=data["comment"])).data)


# --- daily reports ------------------------------------------------------------------------------


def _day(request) -> date:
    from django.utils import timezone

    raw = request.query_params.get("day")
    if not raw:
        return timezone.localdate()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise serializers.ValidationError({"day": [_("Not a day: use YYYY-MM-DD.")]}) from None


def _figures(f: daily_reports.Figures) -> dict:
    return {"orders": f.orders, "completed": f.completed, "on_site_minutes": f.on_site_minutes,
            "labour_minutes": f.labour_minutes, "charges": str(f.charges)}


def _pk(raw, name):
    if raw in (None, ""):
        return None
    try:
        return int(raw)  # not str.isdigit(): "²" is a digit that int() refuses
    except (TypeError, ValueError):
        raise NotFound from None


class TechnicianDailyReportView(APIView):
    """技术员工作日报表 (JSON): ?day=YYYY-MM-DD&technician=<staff id> (default: yourself)."""

    @extend_schema(parameters=[OpenApiParameter("day", str), OpenApiParameter("technician", int)], responses=dict)
    def get(self, request, **kwargs):
        pk = _pk(request.query_params.get("technician"), "technician") or getattr(staff_of(request.user), "pk", None)
        technician = get_object_or_404(report_technicians_visible_to(request.user), pk=pk or 0)
        report = daily_reports.technician_daily_report(technician=technician, day=_day(request))
        return Response({
            "technician": technician.pk, "name": technician.name, "day": report.day.isoformat(),
            "by_category": {c: _figures(f) for c, f in report.by_category.items()}, "total": _figures(report.total),
            "orders": [{"id": o.pk, "number": o.number, "customer": o.customer.name, "category": o.category, "status": o.status,
                        "labour_minutes": o.labour_minutes, "total_charge": str(o.total_charge)} for o in report.orders],
        })


class SupervisorDailyReportView(APIView):
    """服务主任日报表 (JSON): ?day=YYYY-MM-DD&station=<station id> (default: your station)."""

    @extend_schema(parameters=[OpenApiParameter("day", str), OpenApiParameter("station", int)], responses=dict)
    def get(self, request, **kwargs):
        stations = report_stations_visible_to(request.user)
        pk = _pk(request.query_params.get("station"), "station") or getattr(staff_of(request.user), "station_id", None)
        station = get_object_or_404(stations, pk=pk or 0)
        report = daily_reports.supervisor_daily_report(station=station, day=_day(request))

        def row(r):
            return {"technician": r.technician_id or None, "name": r.name, "categories": r.categories, **_figures(r.figures),
                    "signed": r.signed, "closed": r.closed, "open": r.open}

        return Response({"station": station.pk, "day": report.day.isoformat(), "rows": [row(r) for r in report.rows],
                         "total": row(report.total)})
