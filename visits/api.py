"""/api/v1/visits/… — thin viewsets over the selectors (reads) and the services (writes)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from servicedesk.core.exceptions import DomainError
from servicedesk.org.selectors import staff_of
from tickets.selectors import customers_visible_to

from . import policy, selectors, services
from .filters import RenewalTaskFilter, VisitFilter, VisitPlanFilter
from .models import RenewalTask, Visit, VisitPlan
from .serializers import (
    ProgressQuery,
    ProgressSerializer,
    RenewalCloseInput,
    RenewalNoticeInput,
    RenewalTaskSerializer,
    VisitCancelInput,
    VisitCompleteInput,
    VisitPlanCreateInput,
    VisitPlanSerializer,
    VisitPlanTargetsInput,
    VisitRecordInput,
    VisitScheduleInput,
    VisitSerializer,
)


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _technician_for(request, data):
    """The technician named in the input, or the signed-in one."""
    technician = data.get("technician") or staff_of(request.user)
    if technician is None:
        raise DomainError(_("Name the technician: your account has no staff record."), field="technician")
    return technician


class VisitViewSet(viewsets.ReadOnlyModelViewSet):
    """Customer visits (拜访): a technician sees and records his own; station heads their station's; managers all."""

    serializer_class = VisitSerializer
    filterset_class = VisitFilter
    search_fields = ["customer__name", "technician__name", "report"]
    ordering_fields = ["visit_date", "planned_for", "pk"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Visit.objects.none()
        return selectors.visits_visible_to(self.request.user).order_by("-visit_date", "-planned_for", "-pk")

    def _scope_kwargs(self):
        user = self.request.user
        return {"technicians": selectors.technicians_visible_to(user), "customers": customers_visible_to(user)}

    @extend_schema(request=VisitRecordInput, responses={201: VisitSerializer})
    def create(self, request, *args, **kwargs):
        """Record a visit that took place (not planned before)."""
        _require(request, "visits.add_visit")
        body = VisitRecordInput(data=request.data, **self._scope_kwargs())
        body.is_valid(raise_exception=True)
        data = body.validated_data
        visit = services.record_visit(
            technician=_technician_for(request, data), customer=data["customer"], visit_date=data["visit_date"],
            purpose=data["purpose"], problems_resolved=data["problems_resolved"], report=data["report"], actor=request.user,
        )
        return Response(VisitSerializer(visit).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=VisitScheduleInput, responses={201: VisitSerializer})
    @action(detail=False, methods=["post"])
    def plan(self, request, *args, **kwargs):
        """Plan a visit for a day to come; it is reminded on that day and after."""
        _require(request, "visits.add_visit")
        body = VisitScheduleInput(data=request.data, **self._scope_kwargs())
        body.is_valid(raise_exception=True)
        data = body.validated_data
        visit = services.schedule_visit(
            technician=_technician_for(request, data), customer=data["customer"], planned_for=data["planned_for"],
            purpose=data["purpose"], actor=request.user,
        )
        return Response(VisitSerializer(visit).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=VisitCompleteInput, responses=VisitSerializer)
    @action(detail=True, methods=["post"])
    def record(self, request, *args, **kwargs):
        """A planned visit took place: its date, problems resolved and short report."""
        _require(request, "visits.change_visit")
        visit = self.get_object()
        body = VisitCompleteInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        visit = services.complete_visit(
            visit=visit, visit_date=data["visit_date"], purpose=data.get("purpose"),
            problems_resolved=data["problems_resolved"], report=data["report"], actor=request.user,
        )
        return Response(VisitSerializer(visit).data)

    @extend_schema(request=VisitCancelInput, responses=VisitSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, *args, **kwargs):
        """A planned visit will not take place (with the reason)."""
        _require(request, "visits.change_visit")
        visit = self.get_object()
        body = VisitCancelInput(data=request.data)
        body.is_valid(raise_exception=True)
        visit = services.cancel_visit(visit=visit, reason=body.validated_data["reason"], actor=request.user)
        return Response(VisitSerializer(visit).data)


class VisitPlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Monthly visit plans (拜访计划) with their targets; managers and station heads make and adjust them."""

    serializer_class = VisitPlanSerializer
    filterset_class = VisitPlanFilter
    ordering_fields = ["month", "pk"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return VisitPlan.objects.none()
        return selectors.plans_visible_to(self.request.user).order_by("-month", "technician__name", "pk")

    @extend_schema(request=VisitPlanCreateInput, responses={201: VisitPlanSerializer})
    def create(self, request, *args, **kwargs):
        """Make a technician's plan for a month from the default targets (returns it if it exists)."""
        _require(request, "visits.add_visitplan")
        body = VisitPlanCreateInput(data=request.data, technicians=selectors.technicians_visible_to(request.user))
        body.is_valid(raise_exception=True)
        plan = services.plan_month(
            technician=body.validated_data["technician"], month=body.validated_data["month"], actor=request.user
        )
        return Response(VisitPlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=VisitPlanTargetsInput, responses=VisitPlanSerializer)
    def partial_update(self, request, *args, **kwargs):
        """Change the month's targets of one technician."""
        _require(request, "visits.change_visitplan")
        plan = self.get_object()
        body = VisitPlanTargetsInput(data=request.data)
        body.is_valid(raise_exception=True)
        plan = services.set_plan_targets(plan=plan, actor=request.user, **body.validated_data)
        return Response(VisitPlanSerializer(plan).data)


class VisitProgressView(APIView):
    """Progress of each technician the user sees in a month (default: this month) against his targets."""

    @extend_schema(
        parameters=[
            OpenApiParameter("month", str, description="YYYY-MM"),
            OpenApiParameter("station", int),
        ],
        responses=ProgressSerializer(many=True),
    )
    def get(self, request, *args, **kwargs):
        query = ProgressQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        today = timezone.localdate()
        month = query.validated_data.get("month") or policy.month_start(today)
        technicians = selectors.technicians_visible_to(request.user)
        if query.validated_data.get("station"):
            technicians = technicians.filter(station_id=query.validated_data["station"])
        rows = selectors.progress_for_month(month=month, technicians=technicians, today=today)
        return Response(ProgressSerializer(rows, many=True).data)


class RenewalTaskViewSet(viewsets.ReadOnlyModelViewSet):
    """Contract renewals (续约): opened when the expiry notice is due; closed as renewed or not."""

    serializer_class = RenewalTaskSerializer
    filterset_class = RenewalTaskFilter
    search_fields = ["contract__number", "contract__customer__name"]
    ordering_fields = ["due_date", "contract__end_date", "pk"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return RenewalTask.objects.none()
        return selectors.renewals_visible_to(self.request.user).order_by("due_date", "pk")

    @extend_schema(request=RenewalNoticeInput, responses=RenewalTaskSerializer)
    @action(detail=True, methods=["post"])
    def notice(self, request, *args, **kwargs):
        """The customer received the expiry notice (保养到期通知书) on ``given_on`` (default today)."""
        _require(request, "visits.change_renewaltask")
        task = self.get_object()
        body = RenewalNoticeInput(data=request.data)
        body.is_valid(raise_exception=True)
        task = services.record_renewal_notice(task=task, given_on=body.validated_data["given_on"], actor=request.user)
        return Response(RenewalTaskSerializer(task).data)

    @extend_schema(request=RenewalCloseInput, responses=RenewalTaskSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, *args, **kwargs):
        """Renewed (``outcome=done`` with the new contract) or not renewed (``outcome=lost`` with a note)."""
        _require(request, "visits.change_renewaltask")
        task = self.get_object()
        body = RenewalCloseInput(data=request.data, task=task)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        task = services.complete_renewal(
            task=task, outcome=data["outcome"], new_contract=data.get("new_contract"), note=data["note"], actor=request.user
        )
        return Response(RenewalTaskSerializer(task).data)
