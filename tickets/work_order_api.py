"""/api/v1/work-orders/ — work orders and every transition, photos, the signature and the seal check.

Thin edges (CONVENTIONS §4): the queryset is ``work_orders_visible_to(user)`` — a technician asking
for another technician's order, photo or signature gets 404, never 403 with data; each action is one
call of :mod:`tickets.work_orders`; domain errors become 400/409 naming the field. Photos and the
signature image are served only here (and by the tablet's own views), after that check — never from
a public media URL.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django_filters import rest_framework as df
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import filters, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from servicedesk.org.models import Role
from servicedesk.org.roles import has_role

from . import selectors, work_orders
from .api import RolePermissions
from .models import ServiceItem, WorkOrder, WorkOrderItem, WorkOrderLog, WorkOrderOldPart, WorkOrderPart, WorkOrderPhoto
from .private_files import photo_response, signature_response
from .work_order_serializers import (
    AddItemInput,
    AddOldPartInput,
    AddPartInput,
    ArriveInput,
    ChecklistInput,
    CommentInput,
    ConfirmAppointmentInput,
    ConfirmPriceInput,
    PhotoInput,
    ReasonInput,
    ReportInput,
    ServiceItemSerializer,
    SignInput,
    VerificationSerializer,
    WorkOrderDetailSerializer,
    WorkOrderListSerializer,
)

CHANGE = ["tickets.change_workorder"]


class WorkOrderFilter(df.FilterSet):
    service_date = df.DateFilter()
    service_date_from = df.DateFilter(field_name="service_date", lookup_expr="gte")
    service_date_to = df.DateFilter(field_name="service_date", lookup_expr="lte")
    station = df.NumberFilter(field_name="technician__station_id")
    open = df.BooleanFilter(method="filter_open", label=_("open"))

    class Meta:
        model = WorkOrder
        fields = ["status", "category", "technician", "customer", "ticket", "is_carry_in"]

    def filter_open(self, qs, name, value):
        closed = [WorkOrder.Status.SIGNED, WorkOrder.Status.CLOSED, WorkOrder.Status.CANCELLED]
        return qs.exclude(status__in=closed) if value else qs.filter(status__in=closed)


def _detail_queryset(qs):
    return qs.select_related("signature", "ticket__unit").prefetch_related(
        Prefetch("items", queryset=WorkOrderItem.objects.select_related("service_item").order_by("pk")),
        Prefetch("parts", queryset=WorkOrderPart.objects.select_related("part", "location").order_by("pk")),
        Prefetch("old_parts", queryset=WorkOrderOldPart.objects.select_related("part").order_by("pk")),
        Prefetch("photos", queryset=WorkOrderPhoto.objects.order_by("uploaded_at", "pk")),
        Prefetch("steps", queryset=WorkOrderLog.objects.select_related("actor").order_by("at", "pk")),
    )


class WorkOrderViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [RolePermissions]
    filterset_class = WorkOrderFilter
    filter_backends = [df.DjangoFilterBackend, filters.SearchFilter, filters.OrderingFilter]
    search_fields = ["number", "ticket__number", "customer__name", "technician__name"]
    ordering_fields = ["dispatched_at", "service_date", "appointment_at", "completed_at"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    action_permissions = {
        name: CHANGE for name in (
            "accept", "confirm_appointment", "arrive", "report", "add_item", "checklist", "remove_item", "add_part",
            "remove_part", "add_old_part", "remove_old_part", "confirm_price", "start", "hold", "resume", "complete",
            "rework", "cancel", "sign", "review", "correct", "photos",
        )
    }

    def get_queryset(self):
        qs = selectors.work_orders_visible_to(self.request.user)
        if self.action != "list":
            qs = _detail_queryset(qs)
        return qs

    def get_serializer_class(self):
        return WorkOrderListSerializer if self.action == "list" else WorkOrderDetailSerializer

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _detail(self, order, code=status.HTTP_200_OK):
        fresh = _detail_queryset(WorkOrder.objects.select_related("ticket", "customer", "technician__user")).get(pk=order.pk)
        return Response(WorkOrderDetailSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    def _line(self, model, line_id):
        order = self.get_object()
        try:
            return order, model.objects.get(pk=line_id, order=order)
        except (model.DoesNotExist, ValueError):
            from django.http import Http404

            raise Http404 from None

    # --- the way to the customer ---------------------------------------------------------------

    @extend_schema(request=None, responses=WorkOrderDetailSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None, version=None):
        """接单: DISPATCHED → ACCEPTED."""
        return self._detail(work_orders.accept_order(order=self.get_object(), actor=request.user))

    @extend_schema(request=ConfirmAppointmentInput, responses=WorkOrderDetailSerializer)
    @action(detail=True, methods=["post"], url_path="confirm-appointment")
    def confirm_appointment(self, request, pk=None, version=None):
        """The time agreed with the customer by phone (before going there)."""
        return self._detail(work_orders.confirm_appointment(order=self.get_object(), actor=request.user, **self._input(ConfirmAppointmentInput)))

    @extend_schema(request=ArriveInput, responses=WorkOrderDetailSerializer)
    @action(detail=True, methods=["post"])
    def arrive(self, request, pk=None, version=None):
        """到达: server time; stops the arrival clock. ``device_time`` is kept for information."""
        return self._detail(work_orders.record_arrival(order=self.get_object(), actor=request.user, **self._input(ArriveInput)))

    # --- the report ------------------------------------------------------------------------------

    @extend_schema(request=ReportInput, responses=WorkOrderDetailSerializer)
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None, version=None):
        """Diagnosis (听、看、查), cause, responsibility, what was done, labour, payment — the fields sent."""
        return self._detail(work_orders.save_report(order=self.get_object(), actor=request.user, **self._input(ReportInput)))

    @extend_schema(request=AddItemInput, responses={201: WorkOrderDetailSerializer})
    @action(detail=True, methods=["post"], url_path="items")
    def add_item(self, request, pk=None, version=None):
        item = work_orders.add_service_item(order=self.get_object(), actor=request.user, **self._input(AddItemInput))
        return self._detail(item.order, code=status.HTTP_201_CREATED)

    @extend_schema(request=ChecklistInput, responses=WorkOrderDetailSerializer)
    @action(detail=True, methods=["post"], url_path=r"items/(?P<item_id>\d+)/checklist")
    def checklist(self, request, pk=None, version=None, item_id=None):
        order, item = self._line(WorkOrderItem, item_id)
        work_orders.tick_checklist(item=item, actor=request.user, **self._input(ChecklistInput))
        return self._detail(order)

    @extend_schema(request=None, responses=WorkOrderDetailSerializer)
    @action(detail=True, methods=["post"], url_path=r"items/(?P<item_id>\d+)/remove")
    def remove_item(self, request, pk=None, version=None, item_id=None):
        order, item = self._line(WorkOrderItem, item_id)
        work_orders.remove_service_item(item=item, actor=request.user)
        return self._detail(order)

    @extend_schema(
        request=AddPartInput, responses={201: WorkOrderDetailSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False)],
    )
    @action(detail=True, methods=["post"], url_path="parts")
    def add_part(self, request, pk=None, version=None):
        """A part fitted, from the technician's van (a USE stock move). A retry with the same
        ``Idempotency-Key`` takes nothing more."""
        line = work_orders.add_part(
            order=self.get_object(), actor=request.user, idempotency_key=request.headers.get("Idempotency-Key") or None,
            **self._input(AddPartInput),
        )
        return self._detail(line.order, code=status.HTTP_201_CREATED)

    @extend_schema(request=ReasonInput, responses=WorkOrderDetailSerializer)
    @action(detail=True, methods=["post"], url_path=r"parts/(?P<line_id>\d+)/remove")
    def remove_part(self, request, pk=None, version=None, line_id=None):
        """A part taken but not fitted goes back where it came from."""
        order, line = self._line(WorkOrderPart, line_id)
        work_orders.remove_part(line=line, actor=request.user, **self._input(ReasonInput))
        return self._detail(order)

    @extend_schema(request=AddOldPartInput, responses={201: WorkOrderDetailSerializer})
    @action(detail=True, methods=["post"], url_path="old-parts")
    def add_old_part(self, request, pk=None, version=None):
        line = work_orders.add_old_part(order=self.get_object(), actor=request.user, **self._input(AddOldPartInput))
        return self._detail(line.order, code=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=WorkOrderDetailSerializer)
    @action(detail=True, methods=["post"], url_path=r"old-parts/(?P<line_id>\d+)/remove")
    def remove_old_part(self, request, pk=None, version=None, line_id=None):
        order, line = self._line(WorkOrderOldPart, line_id)
        work_orders.remove_old_part(line=line, actor=request.user)
        return self._detail(order)

    @extend_schema(request=PhotoInput, responses={201: WorkOrderDetailSerializer})
    @action(detail=True, methods=["post"])
    def photos(self, request, pk=None, version=None):
        """A photo (JPEG/PNG/WebP by content; downscaled on the tablet). The same image twice is stored once."""
        args = self._input(PhotoInput)
        upload = args["image"]
        max_bytes = settings.WORK_ORDER_PHOTO_MAX_KB * 1024
        data = upload.read(max_bytes + 1)
        photo = work_orders.add_photo(order=self.get_object(), actor=request.user, data=data, caption=args["caption"], client_id=args["client_id"])
        return self._detail(photo.order, code=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "image/*"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path=r"photos/(?P<photo_id>\d+)/image", url_name="photo-image")
    def photo_image(self, request, pk=None, version=None, photo_id=None):
        order, photo = self._line(WorkOrderPhoto, photo_id)
        return photo_response(photo)

    @extend_schema(responses={(200, "image/png"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="signature/image", url_name="signature-image")
    def signature_image(self, request, pk=None, version=None):
        order = self.get_object()
        if order.signed_at is None:
            from django.http import Http404

            raise Http404
        return signature_response(order.signature)

    # --- money, work, signature, review ----------------------------------------------------------

    @extend_schema(request=ConfirmPriceInput, responses=WorkOrderDetailSerializer)
    @action(detail=True, methods=["post"], url_path="confirm-price")
    def confirm_price(self, request, pk=None, version=None):
        """The price accepted by the customer before the work starts."""
        return self._detail(work_orders.confirm_price(order=self.get_object(), actor=request.user, **self._input(ConfirmPriceInput)))

    @extend_schema(request=None, responses=WorkOrderDetailSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None, version=None):
        return self._detail(work_orders.start_work(order=self.get_object(), actor=request.user))

    @extend_schema(request=ReasonInput, responses=WorkOrderDetailSerializer)
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None, version=None):
        """Waiting for the customer or parts: the ticket's clocks pause."""
        return self._detail(work_orders.hold_order(order=self.get_object(), actor=request.user, **self._input(ReasonInput)))

    @extend_schema(request=None, responses=WorkOrderDetailSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None, version=None):
        return self._detail(work_orders.resume_order(order=self.get_object(), actor=request.user))

    @extend_schema(request=None, responses=WorkOrderDetailSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None, version=None):
        return self._detail(work_orders.complete_order(order=self.get_object(), actor=request.user))

    @extend_schema(request=ReasonInput, responses={200: WorkOrderDetailSerializer, 201: WorkOrderDetailSerializer})
    @action(detail=True, methods=["post"])
    def rework(self, request, pk=None, version=None):
        """返工: back to work before signing; after signing a new linked order (201)."""
        order = self.get_object()
        result = work_orders.request_rework(order=order, actor=request.user, **self._input(ReasonInput))
        return self._detail(result, code=status.HTTP_201_CREATED if result.pk != order.pk else status.HTTP_200_OK)

    @extend_schema(request=ReasonInput, responses=WorkOrderDetailSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None, version=None):
        """核销 with a reason; parts taken go back where they came from."""
        return self._detail(work_orders.cancel_order(order=self.get_object(), actor=request.user, **self._input(ReasonInput)))

    @extend_schema(request=SignInput, responses={200: WorkOrderDetailSerializer, 409: OpenApiResponse(description="not completed, or signed already")})
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None, version=None):
        """The customer's signature (PNG) after completion; seals the order. The same ``client_id``
        sent again (an offline tablet retrying) answers with the stored result."""
        return self._detail(work_orders.sign_order(order=self.get_object(), actor=request.user, **self._input(SignInput)))

    @extend_schema(request=CommentInput, responses=WorkOrderDetailSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None, version=None):
        """Supervisor or manager: SIGNED → CLOSED (callbacks are planned from here)."""
        return self._detail(work_orders.review_order(order=self.get_object(), actor=request.user, **self._input(CommentInput)))

    @extend_schema(request=ReasonInput, responses={201: WorkOrderDetailSerializer})
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None, version=None):
        """A correction of a signed order: a new linked version (the signed one never changes)."""
        copy = work_orders.correct_signed_order(order=self.get_object(), actor=request.user, **self._input(ReasonInput))
        return self._detail(copy, code=status.HTTP_201_CREATED)

    # --- verification ----------------------------------------------------------------------------

    @extend_schema(responses=VerificationSerializer, operation_id="work_orders_verify_one")
    @action(detail=True, methods=["get"], url_path="verify", url_name="verify-one")
    def verify_one(self, request, pk=None, version=None):
        """Is this order's seal intact? (The chain is checked by the full verification.)"""
        order = self.get_object()
        problems = [p for p in work_orders.verify_seals() if p["id"] == order.pk] if order.seal_seq else []
        return Response(VerificationSerializer({"checked": int(bool(order.seal_seq)), "intact": not problems, "problems": problems}).data)

    @extend_schema(responses=VerificationSerializer, operation_id="work_orders_verify_all")
    @action(detail=False, methods=["get"])
    def verify(self, request, version=None):
        """Recompute every seal and the chain; names each order altered behind the application's back."""
        if not (request.user.is_superuser or has_role(request.user, Role.SUPERVISOR, Role.MANAGER, Role.GENERAL_MANAGER, Role.ADMIN)):
            raise PermissionDenied(_("Only supervisors, managers and administrators run the full verification."))
        problems = work_orders.verify_seals()
        checked = WorkOrder.objects.filter(seal_seq__isnull=False).count()
        return Response(VerificationSerializer({"checked": checked, "intact": not problems, "problems": problems}).data)


class ServiceItemViewSet(viewsets.ReadOnlyModelViewSet):
    """有偿服务收费标准: the price list (managed in the admin)."""

    permission_classes = [RolePermissions]
    serializer_class = ServiceItemSerializer
    filter_backends = [df.DjangoFilterBackend, filters.SearchFilter]
    filterset_fields = ["is_active", "product_lines"]
    search_fields = ["code", "name"]

    def get_queryset(self):
        return ServiceItem.objects.prefetch_related("product_lines").order_by("code")
