"""/api/v1/ customers, contacts, units, contracts, tickets (with their actions) and clocks.

Thin edges: every queryset comes from a ``*_visible_to(user)`` selector (a technician asking for
someone else's ticket gets 404), every ticket change is one service call, and domain errors become
400/409 with the field at fault (``servicedesk.core.api.exception_handler``). Role permissions are
the model permissions of ``servicedesk/org/roles.py``; reading needs the ``view`` permission too.

Pagination: the ticket list is the big, ever-growing table, read newest first while calls keep
arriving. It uses a cursor (``?cursor=…``): constant time at any depth, no COUNT(*), and no row
skipped or repeated when new tickets are registered between two pages. The small lists (customers,
units, contracts, contacts, clocks) keep page numbers with a total count.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import filters, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.fields import CharField
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from servicedesk.core.api import FilterBackend
from servicedesk.core.exceptions import DomainError

from . import selectors, services
from .dispatch import suggest_technicians
from .filters import ClockFilter, ContactFilter, ContractFilter, CustomerFilter, TicketFilter, UnitFilter
from .models import TicketKind
from .serializers import (
    ClassifySerializer,
    ClockSerializer,
    CloseSerializer,
    ContactSerializer,
    ContractSerializer,
    CustomerSerializer,
    DispatchSerializer,
    EscalateSerializer,
    HoldSerializer,
    LogEntrySerializer,
    PlanSerializer,
    ReplySerializer,
    ResumeSerializer,
    SuggestionSerializer,
    TicketCreateSerializer,
    TicketDetailSerializer,
    TicketListSerializer,
    TicketLogSerializer,
    TicketUpdateSerializer,
    UnitHistorySerializer,
    UnitSerializer,
    WarrantyAnswerSerializer,
    WarrantyCheckSerializer,
    WorkOrderSerializer,
)


class RolePermissions(permissions.DjangoModelPermissions):
    """Model permissions of the user's roles; GET needs ``view``. A view's ``action_permissions``
    names what each custom action needs instead (e.g. dispatch → ``tickets.add_workorder``)."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }

    def has_permission(self, request, view):
        required = getattr(view, "action_permissions", {}).get(getattr(view, "action", None))
        if required is not None:
            return bool(request.user and request.user.is_authenticated and request.user.has_perms(required))
        return super().has_permission(request, view)


class TicketSearchFilter(filters.SearchFilter):
    """``?search=`` over number, caller's phone, customer's name and unit's serial, the admin's
    own search (``selectors.search_tickets``: index-friendly, phone numbers compared by digits)."""

    def filter_queryset(self, request, queryset, view):
        text = CharField(trim_whitespace=False, allow_blank=True).run_validation(
            request.query_params.get(self.search_param, "")
        )
        return selectors.search_tickets(queryset, text)


class TicketCursorPagination(CursorPagination):
    ordering = ("-registered_at", "-id")  # the ticket_newest_idx index
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200


class CustomerViewSet(viewsets.ModelViewSet):
    serializer_class = CustomerSerializer
    permission_classes = [RolePermissions]
    filterset_class = CustomerFilter
    search_fields = ["name", "phone", "address"]
    ordering_fields = ["name", "created_at"]

    def get_queryset(self):
        return selectors.customers_visible_to(self.request.user).order_by("name", "pk")


class ContactViewSet(viewsets.ModelViewSet):
    serializer_class = ContactSerializer
    permission_classes = [RolePermissions]
    filterset_class = ContactFilter
    search_fields = ["name", "phone"]

    def get_queryset(self):
        return selectors.contacts_visible_to(self.request.user).order_by("customer_id", "-is_primary", "name", "pk")


class UnitViewSet(viewsets.ModelViewSet):
    serializer_class = UnitSerializer
    permission_classes = [RolePermissions]
    filterset_class = UnitFilter
    search_fields = ["serial_number", "model", "customer__name"]
    ordering_fields = ["serial_number", "purchase_date", "warranty_end"]
    action_permissions = {
        "warranty_check": ["tickets.view_unit"],
        "history": ["tickets.view_unit", "tickets.view_ticket"],
    }

    def get_queryset(self):
        return selectors.units_visible_to(self.request.user).order_by("serial_number", "pk")

    @extend_schema(request=WarrantyCheckSerializer, responses=WarrantyAnswerSerializer)
    @action(detail=True, methods=["post"], url_path="warranty-check")
    def warranty_check(self, request, pk=None, version=None):
        """三包: the decision for a fault on a day, with the rule, the reason and the dates that decided it."""
        unit = self.get_object()
        data = WarrantyCheckSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        args = data.validated_data
        fault_date = args.get("fault_date") or timezone.localdate()
        try:
            answer = services.warranty_answer(
                unit=unit, on=fault_date, fault_code=args["fault_code"], quality_fault=args["quality_fault"],
                external_damage=args["external_damage"], accessory=args["accessory"], exclusions=tuple(sorted(args["exclusions"])),
            )
        except ValueError:
            raise ValidationError({"fault_date": [_("The fault date is before the purchase date.")]}) from None
        return Response(WarrantyAnswerSerializer(answer).data)

    @extend_schema(responses=UnitHistorySerializer)
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None, version=None):
        """服务凭证: every ticket and work order of the unit (that the caller may see), newest first."""
        unit = self.get_object()
        tickets, orders = selectors.unit_history(unit, user=request.user)
        data = {"unit": unit, "tickets": tickets, "work_orders": orders}
        return Response(UnitHistorySerializer(data, context=self.get_serializer_context()).data)


class ContractViewSet(viewsets.ModelViewSet):
    serializer_class = ContractSerializer
    permission_classes = [RolePermissions]
    filterset_class = ContractFilter
    search_fields = ["number", "customer__name"]
    ordering_fields = ["end_date", "number"]

    def get_queryset(self):
        return selectors.contracts_visible_to(self.request.user).prefetch_related("units").order_by("-end_date", "number", "pk")

    def perform_create(self, serializer):
        serializer.save(signed_by=self.request.user)


class ClockViewSet(viewsets.ReadOnlyModelViewSet):
    """SLA clocks; ``?ticket=<id>`` for one ticket's. State and time left are computed at read time."""

    serializer_class = ClockSerializer
    permission_classes = [RolePermissions]
    filterset_class = ClockFilter
    ordering_fields = ["due_at", "started_at"]

    def get_queryset(self):
        return selectors.clocks_visible_to(self.request.user).order_by("due_at", "pk")


_CHANGE = ["tickets.change_ticket"]


class TicketViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Tickets: register (POST), list with filters and search, read, change the few editable details
    (PATCH), and one action per step of the process."""

    permission_classes = [RolePermissions]
    filterset_class = TicketFilter
    search_fields = ["number", "caller_phone", "customer__name", "unit__serial_number"]
    pagination_class = TicketCursorPagination
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_permissions = {
        "classify": _CHANGE,
        "escalate": _CHANGE,
        "reply": _CHANGE,
        "plan": _CHANGE,
        "hold": _CHANGE,
        "resume": _CHANGE,
        "close": _CHANGE,
        "log": ["tickets.view_ticketlog"],
        "add_log": ["tickets.add_ticketlog"],
        "dispatch_ticket": ["tickets.add_workorder"],  # POST …/dispatch/ (``dispatch`` is DRF's own method)
        "suggestions": ["tickets.add_workorder"],
        "clocks": ["tickets.view_ticket"],
    }

    # No client ordering: the cursor walks the newest-first index.
    filter_backends = [FilterBackend, TicketSearchFilter]

    def get_queryset(self):
        qs = selectors.tickets_visible_to(self.request.user)
        if self.action not in ("list",):
            qs = qs.prefetch_related(
                Prefetch("work_orders", queryset=selectors.work_orders_visible_to(self.request.user).order_by("dispatched_at", "pk"))
            )
        return qs

    def list(self, request, *args, **kwargs):
        # One query for the page with each ticket's nearest clock, rows written straight out
        # (selectors.ticket_list_rows, serializers.TicketRowsSerializer): near a raw SQL page.
        page = self.paginate_queryset(selectors.ticket_list_rows(self.filter_queryset(self.get_queryset())))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def get_serializer_class(self):
        if self.action == "list":
            return TicketListSerializer
        if self.action == "create":
            return TicketCreateSerializer
        if self.action == "partial_update":
            return TicketUpdateSerializer
        return TicketDetailSerializer

    def _detail(self, ticket, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=ticket.pk)
        return Response(TicketDetailSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    def _input(self, serializer_class):
        data = serializer_class(data=self.request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        return data.validated_data

    @extend_schema(request=TicketCreateSerializer, responses={201: TicketDetailSerializer})
    def create(self, request, *args, **kwargs):
        """登记: one call, letter or visit becomes a numbered ticket with its deadlines running."""
        ticket = services.register_ticket(actor=request.user, **self._input(TicketCreateSerializer))
        return self._detail(ticket, status.HTTP_201_CREATED)

    @extend_schema(request=TicketUpdateSerializer, responses=TicketDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        """Only the appointment wish, urgency and severity change here; everything else through an action."""
        ticket = self.get_object()
        editable = set(TicketUpdateSerializer().fields)
        refused = sorted(set(request.data) - editable)
        if refused:
            raise ValidationError(
                {name: [_("Read-only: it changes only through the ticket's actions.")] for name in refused}
            )
        changes = self._input(TicketUpdateSerializer)
        services.update_ticket_details(ticket=ticket, actor=request.user, **changes)
        return self._detail(ticket)

    @extend_schema(request=ClassifySerializer, responses=TicketDetailSerializer)
    @action(detail=True, methods=["post"])
    def classify(self, request, pk=None, version=None):
        """投诉性质: valid / invalid / major (escalated to manager and GM at once) / undetermined (to the manager)."""
        ticket = services.classify_complaint(ticket=self.get_object(), actor=request.user, **self._input(ClassifySerializer))
        return self._detail(ticket)

    @extend_schema(request=EscalateSerializer, responses=TicketDetailSerializer)
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None, version=None):
        ticket = services.escalate(ticket=self.get_object(), actor=request.user, **self._input(EscalateSerializer))
        return self._detail(ticket)

    @extend_schema(request=ReplySerializer, responses=TicketDetailSerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None, version=None):
        """Reply to the customer (meets the first-reply clock); ``close`` ends a consultation at once."""
        ticket = services.reply_to_customer(ticket=self.get_object(), actor=request.user, **self._input(ReplySerializer))
        return self._detail(ticket)

    @extend_schema(request=PlanSerializer, responses=TicketDetailSerializer)
    @action(detail=True, methods=["post"])
    def plan(self, request, pk=None, version=None):
        ticket = services.give_plan(ticket=self.get_object(), actor=request.user, **self._input(PlanSerializer))
        return self._detail(ticket)

    @extend_schema(responses=TicketLogSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)  # a plain list: the schema must not say "paginated"
    def log(self, request, pk=None, version=None):
        """来电来函处理记录, oldest first."""
        ticket = self.get_object()
        return Response(TicketLogSerializer(selectors.ticket_log(ticket), many=True).data)

    @extend_schema(request=LogEntrySerializer, responses={201: TicketLogSerializer})
    @log.mapping.post
    def add_log(self, request, pk=None, version=None):
        entry = services.log_contact(ticket=self.get_object(), actor=request.user, **self._input(LogEntrySerializer))
        return Response(TicketLogSerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=HoldSerializer, responses=TicketDetailSerializer)
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None, version=None):
        ticket = services.hold_ticket(ticket=self.get_object(), actor=request.user, **self._input(HoldSerializer))
        return self._detail(ticket)

    @extend_schema(request=ResumeSerializer, responses=TicketDetailSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None, version=None):
        ticket = services.resume_ticket(ticket=self.get_object(), actor=request.user, **self._input(ResumeSerializer))
        return self._detail(ticket)

    @extend_schema(request=CloseSerializer, responses=TicketDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None, version=None):
        ticket = services.close_ticket(ticket=self.get_object(), actor=request.user, **self._input(CloseSerializer))
        return self._detail(ticket)

    @extend_schema(responses=SuggestionSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)  # a plain list: the schema must not say "paginated"
    def suggestions(self, request, pk=None, version=None):
        """派工建议: ranked technicians, each with the reasons for its place."""
        ticket = self.get_object()
        if ticket.kind != TicketKind.SERVICE:
            raise DomainError(_("Only service requests are dispatched."), field="ticket")
        ranked = suggest_technicians(ticket)
        rows = [{**s.__dict__, "rank": i} for i, s in enumerate(ranked, start=1)]
        return Response(SuggestionSerializer(rows, many=True).data)

    @extend_schema(request=DispatchSerializer, responses={201: WorkOrderSerializer, 409: OpenApiResponse(description="closed or on hold")})
    @action(detail=True, methods=["post"], url_path="dispatch", url_name="dispatch")
    def dispatch_ticket(self, request, pk=None, version=None):
        """派工: a work order for one technician; the suggestion's reasons are kept on it."""
        ticket = self.get_object()
        args = self._input(DispatchSerializer)
        technician = args["technician"]
        reasons = []
        if ticket.kind == TicketKind.SERVICE and ticket.is_open:
            match = next((s for s in suggest_technicians(ticket, limit=50) if s.technician.pk == technician.pk), None)
            reasons = match.reasons if match else [_("Chosen by the dispatcher outside the suggestions")]
        order = services.dispatch_ticket(
            ticket=ticket, technician=technician, actor=request.user, reasons=reasons,
            category=args["category"], category_reason=args["category_reason"],
        )
        order = selectors.work_orders_visible_to(request.user).get(pk=order.pk)
        return Response(WorkOrderSerializer(order).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=ClockSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)  # a plain list: the schema must not say "paginated"
    def clocks(self, request, pk=None, version=None):
        ticket = self.get_object()
        return Response(ClockSerializer(ticket.clocks.all(), many=True, context=self.get_serializer_context()).data)
