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

from . import callbacks, policy, selectors, services
from .filters import CallbackFilter, RenewalTaskFilter, VisitFilter, VisitPlanFilter
from .models import Callback, CallbackPlan, RenewalTask, Visit, VisitPlan
from .quotas import callback_quotas
from .serializers import (
    CallbackAttemptSerializer,
    CallbackPlanInput,
    CallbackPlanSerializer,
    CallbackRecordInput,
    CallbackSerializer,
    QuotaQuery,
    SpotCheckInput,
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


# --- callbacks ----------------------------------------------------------------------------------


class CallbackPlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Callback plans (回访计划): when a closed repair is called back. Managers write; the callback roles read."""

    serializer_class = CallbackPlanSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False) or not self.request.user.has_perm("visits.view_callbackplan"):
            return CallbackPlan.objects.none()
        return selectors.callback_plans()

    @extend_schema(request=CallbackPlanInput, responses={201: CallbackPlanSerializer})
    def create(self, request, *args, **kwargs):
        _require(request, "visits.add_callbackplan")
        body = CallbackPlanInput(data=request.data)
        body.is_valid(raise_exception=True)
        plan = callbacks.save_callback_plan(actor=request.user, **body.validated_data)
        return Response(CallbackPlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CallbackPlanInput, responses=CallbackPlanSerializer)
    def update(self, request, *args, **kwargs):
        """Change a plan; callbacks already made keep their dates."""
        _require(request, "visits.change_callbackplan")
        plan = self.get_object()
        body = CallbackPlanInput(data=request.data)
        body.is_valid(raise_exception=True)
        plan = callbacks.save_callback_plan(actor=request.user, plan=plan, **body.validated_data)
        return Response(CallbackPlanSerializer(plan).data)


class CallbackViewSet(viewsets.ReadOnlyModelViewSet):
    """Callbacks (回访). Supervisors and managers see and record all; a technician reads those on his own work."""

    serializer_class = CallbackSerializer
    filterset_class = CallbackFilter
    search_fields = ["customer__name", "work_order__number", "ticket__number"]
    ordering_fields = ["due_date", "done_at", "pk"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Callback.objects.none()
        return selectors.callbacks_visible_to(self.request.user).order_by("due_date", "-customer__is_key", "pk")

    @extend_schema(request=CallbackRecordInput, responses=CallbackSerializer)
    @action(detail=True, methods=["post"])
    def record(self, request, *args, **kwargs):
        """One try: ``answered`` with the questionnaire, ``unreachable`` (tried again the next working day) or
        ``refused``. Recording a finished callback is a 409."""
        _require(request, "visits.change_callback")
        callback = self.get_object()
        body = CallbackRecordInput(data=request.data)
        body.is_valid(raise_exception=True)
        callback = callbacks.record_callback(
            callback=callback, outcome=body.validated_data["outcome"], answers=body.answers(),
            note=body.validated_data["note"], actor=request.user,
        )
        return Response(CallbackSerializer(selectors.callbacks_visible_to(request.user).get(pk=callback.pk)).data)

    @extend_schema(request=SpotCheckInput, responses={201: CallbackSerializer})
    @action(detail=False, methods=["post"], url_path="spot-check")
    def spot_check(self, request, *args, **kwargs):
        """抽查: call the customer of a closed work order; the callback is assigned to the caller."""
        _require(request, "visits.add_callback")
        body = SpotCheckInput(data=request.data)
        body.is_valid(raise_exception=True)
        callback = callbacks.schedule_spot_check(
            work_order=body.validated_data["work_order"], due_date=body.validated_data["due_date"], actor=request.user,
        )
        return Response(CallbackSerializer(callback).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=CallbackAttemptSerializer(many=True))
    @action(detail=True, methods=["get"])
    def attempts(self, request, *args, **kwargs):
        """Every try at this callback, oldest first."""
        callback = self.get_object()
        rows = callback.attempt_log.select_related("by").order_by("at", "pk")
        return Response(CallbackAttemptSerializer(rows, many=True).data)


class CallbackQuotaView(APIView):
    """The month's callback quotas (SPEC §7): each with its count, target and definition, and who is behind."""

    @extend_schema(parameters=[OpenApiParameter("month", str, description="YYYY-MM")], responses=dict)
    def get(self, request, *args, **kwargs):
        _require(request, "visits.view_callbackquota")
        query = QuotaQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        today = timezone.localdate()
        data = callback_quotas(month=query.validated_data.get("month") or policy.month_start(today), today=today)

        def person(row):
            return {"name": row.name, "station": row.station, "done": row.done, "target": row.target, "behind": row.behind}

        return Response({
            "month": data.month.strftime("%Y-%m"),
            "active_customers": data.active_customers,
            "quotas": [
                {"key": m.key, "label": m.label, "definition": m.definition, "done": m.done, "target": m.target,
                 "percent": m.percent, "met": m.met}
                for m in data.meters
            ],
            "technicians": [
                {"technician": r["technician"].pk, **{k: person(r[k]) for k in ("callbacks", "spot_checks")}}
                for r in data.technicians
            ],
            "managers": [person(r) for r in data.managers],
            "general_managers": [person(r) for r in data.general_managers],
            "late_last_month": [
                {"assignee": r["assignee__username"], "station": r["customer__station__name"], "role": r["required_role"],
                 "count": r["n"]}
                for r in data.late
            ],
        })
