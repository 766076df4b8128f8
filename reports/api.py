"""/api/v1/reports/… — export jobs, billing marks, fee reports and work reports: thin over services and selectors."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404  # a malformed id is a 404 (Django's raises ValueError: a 500)
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from servicedesk.core.api import query_int
from servicedesk.org.models import Station
from servicedesk.org.roles import has_role
from servicedesk.org.selectors import stations_visible_to
from tickets.models import WorkOrder

from . import downloads, selectors, serializers, services
from .access import statistics_station
from .exceptions import DomainError
from .models import ExportJob, FeeReport, WorkReport


def _finance_reader(request):
    if not (request.user.is_superuser or has_role(request.user, *selectors.FINANCE_READERS)):
        raise PermissionDenied(_("This is for finance and managers."))


def _valid(serializer_class, data):
    s = serializer_class(data=data)
    s.is_valid(raise_exception=True)
    return s.validated_data


class ExportJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Start an export (``{"kind": "billing_sheet", "params": {"month": "2026-10"}}`` or
    ``{"kind": "list", "params": {"list": "tickets", "filters": {"status": ["new"]}}}``), poll its progress, download it."""

    permission_classes = [IsAuthenticated]
    serializer_class = serializers.ExportJobProgressSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ExportJob.objects.none()
        return selectors.export_jobs_visible_to(self.request.user).order_by("-created_at", "-pk")

    def _data(self, job):
        return downloads.job_progress(job, download_url=reverse("reports-export-download", kwargs={"version": "v1", "pk": job.pk}))

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([self._data(j) for j in page])

    def retrieve(self, request, *args, **kwargs):
        return Response(self._data(self.get_object()))

    def create(self, request, *args, **kwargs):
        data = _valid(serializers.StartExportSerializer, request.data)
        job = services.start_export(kind=data["kind"], params=data["params"], actor=request.user)
        return Response(self._data(job), status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["get"], url_name="download")
    def download(self, request, pk=None, version=None):
        return downloads.export_file_response(self.get_object())


class BillingViewSet(viewsets.GenericViewSet):
    """The month's billable work orders (``?month=YYYY-MM&station=&mark=paid|unpaid|none``) and finance's marks."""

    permission_classes = [IsAuthenticated]
    serializer_class = serializers.BillableOrderSerializer
    queryset = WorkOrder.objects.none()  # the schema's model; requests read reports.selectors

    def _filters(self, request):
        month = services.parse_month(request.query_params.get("month") or "")
        station = None
        station_pk = query_int(request, "station")
        if station_pk is not None:
            station = stations_visible_to(request.user).filter(pk=station_pk).first()
            if station is None:
                raise DomainError(_("Choose a service station."), field="station")
        mark = request.query_params.get("mark", "")
        if mark not in ("", "paid", "unpaid", "none"):
            raise DomainError(_("Choose paid, unpaid or none."), field="mark")
        return month, station, mark

    def list(self, request, version=None):
        _finance_reader(request)
        month, station, mark = self._filters(request)
        page = self.paginate_queryset(selectors.billing_page(month=month, station=station, mark=mark))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @action(detail=True, methods=["post"])
    def mark(self, request, pk=None, version=None):
        _finance_reader(request)
        from tickets.models import WorkOrder

        order = get_object_or_404(WorkOrder.objects.all(), pk=pk)
        data = _valid(serializers.SetMarkSerializer, request.data)
        mark = services.set_billing_mark(order=order, status=data["status"], note=data["note"], actor=request.user)
        return Response(serializers.BillingMarkSerializer(mark).data)


class FeeReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = serializers.FeeReportSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return FeeReport.objects.none()
        _finance_reader(self.request)
        return selectors.fee_reports()

    def create(self, request, version=None):
        _finance_reader(request)
        data = _valid(serializers.PrepareFeeReportSerializer, request.data)
        report = services.prepare_fee_report(month=data["month"], note=data["note"], actor=request.user)
        return Response(self.get_serializer(report).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["get"])
    def history(self, request, pk=None, version=None):
        report = self.get_object()
        return Response(serializers.FeeReportStepSerializer(selectors.fee_report_steps(report), many=True).data)

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None, version=None):
        return Response(self.get_serializer(services.submit_fee_report(report=self.get_object(), actor=request.user)).data)

    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None, version=None):
        data = _valid(serializers.CommentSerializer, request.data)
        report = services.approve_fee_report(report=self.get_object(), actor=request.user, comment=data["comment"])
        return Response(self.get_serializer(report).data)

    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None, version=None):
        data = _valid(serializers.CommentSerializer, request.data)
        report = services.return_fee_report(report=self.get_object(), actor=request.user, comment=data["comment"])
        return Response(self.get_serializer(report).data)


class WorkReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = serializers.WorkReportSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return WorkReport.objects.none()
        qs = selectors.work_reports_visible_to(self.request.user)
        station = query_int(self.request, "station")
        if station is not None:
            qs = qs.filter(station=station)
        for name in ("period", "status"):
            value = self.request.query_params.get(name)
            if value:
                qs = qs.filter(**{name: value})
        return qs

    def create(self, request, version=None):
        data = _valid(serializers.DraftWorkReportSerializer, request.data)
        station = get_object_or_404(Station.objects.all(), pk=data["station"])
        if not (services.work_reports.is_head_of(request.user, station) or has_role(request.user, *selectors.MANAGERS)):
            raise PermissionDenied(_("Only the station head or a manager drafts a work report."))
        report = services.draft_work_report(station=station, period=data["period"], start=data["start"], actor=request.user)
        return Response(self.get_serializer(report).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["get"])
    def history(self, request, pk=None, version=None):
        steps = self.get_object().steps.select_related("actor").order_by("at", "pk")
        return Response(serializers.WorkReportStepSerializer(steps, many=True).data)

    @action(detail=True, methods=["post"])
    def narrative(self, request, pk=None, version=None):
        data = _valid(serializers.NarrativeSerializer, request.data)
        report = services.edit_work_report(report=self.get_object(), actor=request.user, **data)
        return Response(self.get_serializer(report).data)

    @action(detail=True, methods=["post"])
    def refresh(self, request, pk=None, version=None):
        return Response(self.get_serializer(services.refresh_work_report(report=self.get_object(), actor=request.user)).data)

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None, version=None):
        return Response(self.get_serializer(services.submit_work_report(report=self.get_object(), actor=request.user)).data)

    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None, version=None):
        data = _valid(serializers.CommentSerializer, request.data)
        report = services.approve_work_report(report=self.get_object(), actor=request.user, comment=data["comment"])
        return Response(self.get_serializer(report).data)

    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None, version=None):
        data = _valid(serializers.CommentSerializer, request.data)
        report = services.return_work_report(report=self.get_object(), actor=request.user, comment=data["comment"])
        return Response(self.get_serializer(report).data)

    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None, version=None):
        data = _valid(serializers.ReplySerializer, request.data)
        report = services.reply_work_report(report=self.get_object(), actor=request.user, reply=data["reply"])
        return Response(self.get_serializer(report).data)


# --- statistics and the dashboard ---------------------------------------------------------------

_STATION_PARAM = OpenApiParameter(
    "station", int, required=False,
    description="Service station id; empty: the whole department (a station head gets his own station).",
)


class StatisticsView(APIView):
    """The monthly statistics (客户服务信息统计分析汇总表) as JSON — the same figures as the page, each with the
    URL of its drill-down list. Managers, general managers, supervisors and admins: any station or the
    department; station heads: their station; anyone else 403."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("month", str, required=False, description="YYYY-MM; default: this month."), _STATION_PARAM],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request, version=None):
        from .statistics_views import report_for

        station = statistics_station(request.user, request.query_params.get("station") or "")
        raw = request.query_params.get("month") or ""
        month = services.parse_month(raw) if raw else timezone.localdate().replace(day=1)
        return Response(report_for(request, month, station))


class DashboardView(APIView):
    """The manager's dashboard as JSON: today and this month against the targets, breaches in progress,
    callback quotas behind (department only), today's work orders by status. Same access as the statistics."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[_STATION_PARAM], responses=OpenApiTypes.OBJECT)
    def get(self, request, version=None):
        from .dashboard import manager_dashboard
        from .statistics_views import with_urls

        station = statistics_station(request.user, request.query_params.get("station") or "")
        data = manager_dashboard(station=station)
        with_urls(data, {"month": data["month"], **({"station": str(station.pk)} if station else {})})
        return Response(data)
