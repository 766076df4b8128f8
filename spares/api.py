"""/api/v1/spares/… — thin viewsets: scope through selectors, validate shape, call one service.

Every mutating call honours ``Idempotency-Key`` (see :mod:`spares.idempotency`). Errors come back
in the project's one format ({"detail", "code", "errors": {field: [message]}}): 400 for bad input,
403 for a role or station that may not act, 409 for insufficient stock or a status that moved on.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from . import selectors, services
from .exports import moves_response, stock_response
from .filters import (
    LocationFilter,
    OldPartReturnFilter,
    OutOfStockFilter,
    PartFilter,
    RequisitionFilter,
    StockBalanceFilter,
    StockMoveFilter,
    StockTakeFilter,
    WriteOffFilter,
)
from .idempotency import IDEMPOTENCY_PARAMETER, idempotent
from .models import OutOfStockRegistration, Requisition
from .serializers import (
    CountsInputSerializer,
    LocationInputSerializer,
    LocationSerializer,
    LocationUpdateSerializer,
    NoteSerializer,
    OldPartBatchDetailSerializer,
    OldPartBatchInputSerializer,
    OldPartBatchSerializer,
    OldPartReturnDetailSerializer,
    OldPartReturnInputSerializer,
    OldPartReturnSerializer,
    OutOfStockInputSerializer,
    OutOfStockSerializer,
    PartSerializer,
    SparesReasonSerializer,
    ReceiptDetailSerializer,
    ReceiptInputSerializer,
    ReceiptSerializer,
    RequisitionDetailSerializer,
    RequisitionInputSerializer,
    RequisitionSerializer,
    StockBalanceSerializer,
    StockMoveSerializer,
    StockReturnDetailSerializer,
    StockReturnInputSerializer,
    StockReturnSerializer,
    StockTakeDetailSerializer,
    StockTakeInputSerializer,
    StockTakeSerializer,
    TransferDetailSerializer,
    TransferInputSerializer,
    TransferSerializer,
    WriteOffDetailSerializer,
    WriteOffInputSerializer,
    WriteOffSerializer,
)

XLSX_RESPONSE = {(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY}


def _input(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class _DocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """List/retrieve with the list serializer; detail answers (retrieve, create, actions) list moves."""

    detail_serializer_class = None
    input_serializer_class = None

    def get_serializer_class(self):
        if self.action == "list":
            return self.serializer_class
        return self.detail_serializer_class or self.serializer_class

    def _detail(self, obj, *, code=status.HTTP_200_OK):
        # Re-read through the scoped selector: prefetches and what the caller may now see.
        obj = self.get_queryset().get(pk=obj.pk)
        return Response(self.detail_serializer_class(obj, context=self.get_serializer_context()).data, status=code)


# --- Catalogue ----------------------------------------------------------------------------------


@extend_schema_view(create=extend_schema(parameters=[IDEMPOTENCY_PARAMETER]))
class PartViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                  mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """备件目录: everyone reads; warehouse keepers add and change parts (never quantities)."""

    serializer_class = PartSerializer
    filterset_class = PartFilter
    search_fields = ["number", "name", "spec"]
    ordering_fields = ["number", "name", "price"]

    def get_queryset(self):
        return selectors.parts().order_by("number")

    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        lines = data.pop("product_lines", None)
        part = services.create_part(actor=request.user, product_lines=lines, **data)
        return Response(PartSerializer(part).data, status=status.HTTP_201_CREATED)

    @idempotent
    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        part = self.get_object()
        serializer = self.get_serializer(part, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        lines = data.pop("product_lines", None)
        part = services.update_part(part=part, actor=request.user, product_lines=lines, **data)
        return Response(PartSerializer(selectors.parts().get(pk=part.pk)).data)


class LocationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """库位: the warehouse, station stocks, vans and old-parts stores the caller may see."""

    serializer_class = LocationSerializer
    filterset_class = LocationFilter
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name"]

    def get_queryset(self):
        return selectors.locations_visible_to(self.request.user).order_by("code")

    @extend_schema(request=LocationInputSerializer, responses={201: LocationSerializer}, parameters=[IDEMPOTENCY_PARAMETER])
    @idempotent
    def create(self, request, *args, **kwargs):
        data = _input(LocationInputSerializer, request)
        location = services.create_location(actor=request.user, **data)
        return Response(LocationSerializer(location).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=LocationUpdateSerializer, responses=LocationSerializer, parameters=[IDEMPOTENCY_PARAMETER])
    @idempotent
    def partial_update(self, request, *args, **kwargs):
        data = _input(LocationUpdateSerializer, request)
        location = services.update_location(location=self.get_object(), actor=request.user, **data)
        return Response(LocationSerializer(location).data)


# --- Ledger (read) ------------------------------------------------------------------------------


class StockViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """库存: on-hand per part and location (read-only; only documents change it)."""

    serializer_class = StockBalanceSerializer
    filterset_class = StockBalanceFilter
    search_fields = ["part__number", "part__name"]
    ordering_fields = ["part__number", "qty", "location__code"]

    @property
    def ordering(self):
        # The on-hand page of one location is in part-number order: the database walks the part
        # number index and probes the (location, part) index, stopping after one page.
        if self.request is not None and self.request.query_params.get("location"):
            return ["part__number"]
        return ["location__code", "part__number"]

    def get_queryset(self):
        return selectors.balances_visible_to(self.request.user).only(*StockBalanceSerializer.needs)

    @extend_schema(responses=XLSX_RESPONSE)
    @action(detail=False, methods=["get"])
    def export(self, request, *args, **kwargs):
        """The filtered list as an Excel file."""
        return stock_response(self.filter_queryset(self.get_queryset()))


class MoveViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """库存流水: the append-only ledger the caller may see, newest first."""

    serializer_class = StockMoveSerializer
    filterset_class = StockMoveFilter
    search_fields = ["reference", "part__number", "part__name"]
    ordering_fields = ["posted_at"]
    ordering = ["-posted_at", "-pk"]

    def get_queryset(self):
        return selectors.moves_visible_to(self.request.user)

    @extend_schema(responses=XLSX_RESPONSE)
    @action(detail=False, methods=["get"])
    def export(self, request, *args, **kwargs):
        """The filtered ledger as an Excel file."""
        return moves_response(self.filter_queryset(self.get_queryset()))


# --- Documents ----------------------------------------------------------------------------------


class ReceiptViewSet(_DocumentViewSet):
    """入库单."""

    serializer_class = ReceiptSerializer
    detail_serializer_class = ReceiptDetailSerializer
    filterset_fields = ["location"]
    search_fields = ["number", "supplier", "delivery_note"]

    def get_queryset(self):
        return selectors.receipts_visible_to(self.request.user)

    @extend_schema(request=ReceiptInputSerializer, responses={201: ReceiptDetailSerializer}, parameters=[IDEMPOTENCY_PARAMETER])
    @idempotent
    def create(self, request, *args, **kwargs):
        data = _input(ReceiptInputSerializer, request)
        prices = {line["part"].pk: line.get("unit_price") for line in data["lines"] if line.get("unit_price") is not None}
        receipt = services.receive_stock(
            location=data["location"],
            supplier=data["supplier"],
            delivery_note=data["delivery_note"],
            note=data["note"],
            lines=[{"part": line["part"], "qty": line["qty"]} for line in data["lines"]],
            unit_prices=prices,
            actor=request.user,
        )
        return self._detail(receipt, code=status.HTTP_201_CREATED)

    @extend_schema(request=SparesReasonSerializer, responses=ReceiptDetailSerializer, parameters=[IDEMPOTENCY_PARAMETER])
    @action(detail=True, methods=["post"])
    @idempotent
    def reverse(self, request, *args, **kwargs):
        """Cancel a wrongly entered receipt with reversing moves (once)."""
        data = _input(SparesReasonSerializer, request)
        receipt = services.reverse_receipt(receipt=self.get_object(), reason=data["reason"], actor=request.user)
        return self._detail(receipt)


class TransferViewSet(_DocumentViewSet):
    """调拨单."""

    serializer_class = TransferSerializer
    detail_serializer_class = TransferDetailSerializer
    filterset_fields = ["from_location", "to_location"]
    search_fields = ["number", "shipping_ref"]

    def get_queryset(self):
        return selectors.transfers_visible_to(self.request.user)

    @extend_schema(request=TransferInputSerializer, responses={201: TransferDetailSerializer}, parameters=[IDEMPOTENCY_PARAMETER])
    @idempotent
    def create(self, request, *args, **kwargs):
        data = _input(TransferInputSerializer, request)
        transfer = services.transfer_stock(actor=request.user, **data)
        return self._detail(transfer, code=status.HTTP_201_CREATED)


class RequisitionViewSet(_DocumentViewSet):
    """领料单: create → approve/reject (a leader) → issue (the keeper); cancel before issue."""

    serializer_class = RequisitionSerializer
    detail_serializer_class = RequisitionDetailSerializer
    filterset_class = RequisitionFilter
    search_fields = ["number", "work_order_ref"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Requisition.objects.none()
        return selectors.requisitions_visible_to(self.request.user)

    @extend_schema(request=RequisitionInputSerializer, responses={201: RequisitionDetailSerializer}, parameters=[IDEMPOTENCY_PARAMETER])
    @idempotent
    def create(self, request, *args, **kwargs):
        data = _input(RequisitionInputSerializer, request)
        requisition = services.create_requisition(actor=request.user, **data)
        return self._detail(requisition, code=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=RequisitionDetailSerializer, parameters=[IDEMPOTENCY_PARAMETER])
    @action(detail=True, methods=["post"])
    @idempotent
    def approve(self, request, *args, **kwargs):
        return self._detail(services.approve_requisition(requisition=self.get_object(), actor=request.user))

    @extend_schema(request=SparesReasonSerializer, responses=RequisitionDetailSerializer, parameters=[IDEMPOTENCY_PARAMETER])
    @action(detail=True, methods=["post"])
    @idempotent
    def reject(self, request, *args, **kwargs):
        data = _input(SparesReasonSerializer, request)
        return self._detail(
            services.reject_requisition(requisition=self.get_object(), reason=data["reason"], actor=request.user)
        )

    @extend_schema(request=None, responses=RequisitionDetailSerializer, parameters=[IDEMPOTENCY_PARAMETER])
    @action(detail=True, methods=["post"])
    @idempotent
    def issue(self, request, *args, **kwargs):
        return self._detail(services.issue_requisition(requisition=self.get_object(), actor=request.user))

    @extend_schema(request=SparesReasonSerializer, responses=RequisitionDetailSerializer, parameters=[IDEMPOTENCY_PARAMETER])
    @action(detail=True, methods=["post"])
    @idempotent
    def cancel(self, request, *args, **kwargs):
        data = _input(SparesReasonSerializer, request)
        return self._detail(
            services.cancel_requisition(requisition=self.get_object(), reason=data["reason"], actor=request.user)
        )


class StockReturnViewSet(_DocumentViewSet):
    """退料单."""

    serializer_class = StockReturnSerializer
    detail_serializer_class = StockReturnDetailSerializer
    filterset_fields = ["from_location", "to_location", "requisition"]
    search_fields = ["number"]

    def get_queryset(self):
        return selectors.returns_visible_to(self.request.user)

    @extend_schema(request=StockReturnInputSerializer, responses={201: StockReturnDetailSerializer}, parameters=[IDEMPOTENCY_PARAMETER])
    @idempotent
    def create(self, request, *args, **kwargs):
        data = _input(StockReturnInputSerializer, request)
        stock_return = services.return_unused(actor=request.user, **data)
        return self._detail(stock_return, code=status.HTTP_201_CREATED)


class OldPartReturnViewSet(_DocumentViewSet):
    """旧件返还."""

    serializer_class = OldPartReturnSerializer
    detail_serializer_class = OldPartReturnDetailSerializer
    filterset_class = OldPartReturnFilter
    search_fields = ["number", "work_order_ref", "unit_serial"]

    def get_queryset(self):
        return selectors.old_part_returns_visible_to(self.request.user)

    @extend_schema(request=OldPartReturnInputSerializer, responses={201: OldPartReturnDetailSerializer}, parameters=[IDEMPOTENCY_PARAMETER])
    @idempotent
    def create(self, request, *args, **kwargs):
        data = _input(OldPartReturnInputSerializer, request)
        old = services.record_old_part_return(actor=request.user, **data)
        return self._detail(old, code=status.HTTP_201_CREATED)


class WriteOffViewSet(_DocumentViewSet):
    """销帐单: warranty parts (against a signed report and the old part) or damaged stock."""

    serializer_class = WriteOffSerializer
    detail_serializer_class = WriteOffDetailSerializer
    filterset_class = WriteOffFilter
    search_fields = ["number", "work_order_ref", "service_report_ref"]

    def get_queryset(self):
        return selectors.write_offs_visible_to(self.request.user)

    @extend_schema(request=WriteOffInputSerializer, responses={201: WriteOffDetailSerializer}, parameters=[IDEMPOTENCY_PARAMETER])
    @idempotent
    def create(self, request, *args, **kwargs):
        data = _input(WriteOffInputSerializer, request)
        if data["kind"] == "warranty":
            write_off = services.write_off_warranty_part(
                part=data["part"],
                qty=data["qty"],
                location=data["location"],
                work_order_ref=data["work_order_ref"],
                work_order_id=data["work_order_id"],
                service_report_ref=data["service_report_ref"],
                service_report_signed=data["service_report_signed"],
                old_part_return=data["old_part_return"],
                shipping_ref=data["shipping_ref"],
                postage=data["postage"],
                actor=request.user,
            )
        else:
            write_off = services.write_off_stock(
                part=data["part"], qty=data["qty"], location=data["location"], kind=data["kind"],
                reason=data["reason"], actor=request.user,
            )
        return self._detail(write_off, code=status.HTTP_201_CREATED)


class OldPartBatchViewSet(_DocumentViewSet):
    """旧件处理单 (monthly): disposal or supplier claim (二次索赔) of the old parts of a store."""

    serializer_class = OldPartBatchSerializer
    detail_serializer_class = OldPartBatchDetailSerializer
    filterset_fields = ["location", "period"]
    search_fields = ["number", "supplier"]

    def get_queryset(self):
        return selectors.old_part_batches_visible_to(self.request.user)

    @extend_schema(request=OldPartBatchInputSerializer, responses={201: OldPartBatchDetailSerializer}, parameters=[IDEMPOTENCY_PARAMETER])
    @idempotent
    def create(self, request, *args, **kwargs):
        data = _input(OldPartBatchInputSerializer, request)
        batch = services.process_old_parts(actor=request.user, **data)
        return self._detail(batch, code=status.HTTP_201_CREATED)


class StockTakeViewSet(_DocumentViewSet):
    """盘点单: start → counts → submit → approve (adjustment moves); reopen or cancel."""

    serializer_class = StockTakeSerializer
    detail_serializer_class = StockTakeDetailSerializer
    filterset_class = StockTakeFilter
    search_fields = ["number"]

    def get_queryset(self):
        return selectors.stock_takes_visible_to(self.request.user)

    @extend_schema(request=StockTakeInputSerializer, responses={201: StockTakeDetailSerializer}, parameters=[IDEMPOTENCY_PARAMETER])
    @idempotent
    def create(self, request, *args, **kwargs):
        data = _input(StockTakeInputSerializer, request)
        stock_take = services.start_stock_take(
            location=data["location"], parts=data.get("parts") or None, note=data["note"], actor=request.user
        )
        return self._detail(stock_take, code=status.HTTP_201_CREATED)

    @extend_schema(request=CountsInputSerializer, responses=StockTakeDetailSerializer, parameters=[IDEMPOTENCY_PARAMETER])
    @action(detail=True, methods=["post"])
    @idempotent
    def counts(self, request, *args, **kwargs):
        """Enter counted quantities (by part)."""
        data = _input(CountsInputSerializer, request)
        return self._detail(services.record_counts(stock_take=self.get_object(), counts=data["counts"], actor=request.user))

    @extend_schema(request=None, responses=StockTakeDetailSerializer, parameters=[IDEMPOTENCY_PARAMETER])
    @action(detail=True, methods=["post"])
    @idempotent
    def submit(self, request, *args, **kwargs):
        return self._detail(services.submit_stock_take(stock_take=self.get_object(), actor=request.user))

    @extend_schema(request=None, responses=StockTakeDetailSerializer, parameters=[IDEMPOTENCY_PARAMETER])
    @action(detail=True, methods=["post"])
    @idempotent
    def reopen(self, request, *args, **kwargs):
        return self._detail(services.reopen_stock_take(stock_take=self.get_object(), actor=request.user))

    @extend_schema(request=None, responses=StockTakeDetailSerializer, parameters=[IDEMPOTENCY_PARAMETER])
    @action(detail=True, methods=["post"])
    @idempotent
    def approve(self, request, *args, **kwargs):
        return self._detail(services.approve_stock_take(stock_take=self.get_object(), actor=request.user))

    @extend_schema(request=None, responses=StockTakeDetailSerializer, parameters=[IDEMPOTENCY_PARAMETER])
    @action(detail=True, methods=["post"])
    @idempotent
    def cancel(self, request, *args, **kwargs):
        return self._detail(services.cancel_stock_take(stock_take=self.get_object(), actor=request.user))


class OutOfStockViewSet(_DocumentViewSet):
    """缺货登记 with its reply clock: register → reply (or cancel)."""

    serializer_class = OutOfStockSerializer
    detail_serializer_class = OutOfStockSerializer
    filterset_class = OutOfStockFilter
    search_fields = ["number", "customer_name", "customer_phone", "part_description", "work_order_ref"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return OutOfStockRegistration.objects.none()
        return selectors.out_of_stock_visible_to(self.request.user)

    @extend_schema(request=OutOfStockInputSerializer, responses={201: OutOfStockSerializer}, parameters=[IDEMPOTENCY_PARAMETER])
    @idempotent
    def create(self, request, *args, **kwargs):
        data = _input(OutOfStockInputSerializer, request)
        registration = services.register_out_of_stock(actor=request.user, **data)
        return self._detail(registration, code=status.HTTP_201_CREATED)

    @extend_schema(request=NoteSerializer, responses=OutOfStockSerializer, parameters=[IDEMPOTENCY_PARAMETER])
    @action(detail=True, methods=["post"])
    @idempotent
    def reply(self, request, *args, **kwargs):
        """The customer was contacted again: record what he was told."""
        data = _input(NoteSerializer, request)
        return self._detail(
            services.reply_out_of_stock(registration=self.get_object(), note=data["note"], actor=request.user)
        )

    @extend_schema(request=NoteSerializer, responses=OutOfStockSerializer, parameters=[IDEMPOTENCY_PARAMETER])
    @action(detail=True, methods=["post"])
    @idempotent
    def cancel(self, request, *args, **kwargs):
        data = _input(NoteSerializer, request)
        return self._detail(
            services.cancel_out_of_stock(registration=self.get_object(), note=data["note"], actor=request.user)
        )
