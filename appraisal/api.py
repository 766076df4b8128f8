"""/api/v1/appraisal/… — weekly backups, their checks and deductions, borrowing requests.

Thin viewsets: every queryset comes from a selector scoped by who asks; every change is one
service call. Errors use the project's one format; a backup someone may not download is a 404.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from servicedesk.org.roles import has_role
from servicedesk.org.selectors import staff_of

from . import selectors, services
from .downloads import backup_file_response
from .exceptions import DomainError, NotAllowed
from .filters import BackupCheckEntryFilter, BackupDeductionFilter, BackupSubmissionFilter, BorrowRequestFilter
from .models import BackupSubmission
from .serializers import (
    BackupCheckEntrySerializer,
    BackupCheckSerializer,
    BackupDeductionSerializer,
    BackupSubmissionSerializer,
    BackupSubmitSerializer,
    BorrowRequestInputSerializer,
    BorrowRequestSerializer,
    CommentSerializer,
    ReasonSerializer,
    RunCheckSerializer,
)
from .weeks import week_start_of

FILE_RESPONSE = {(200, "application/octet-stream"): OpenApiTypes.BINARY}


def _input(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _me(request):
    me = staff_of(request.user)
    if me is None:
        raise NotAllowed(_("Your user account is not linked to a staff record."))
    return me


class BackupSubmissionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """重要资料备份: own submissions and those of the people one reviews; upload or confirm; mark incomplete."""

    serializer_class = BackupSubmissionSerializer
    filterset_class = BackupSubmissionFilter
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    search_fields = ["staff__name", "staff__employee_no", "original_name"]
    ordering_fields = ["week_start", "submitted_at"]

    def get_queryset(self):
        return selectors.submissions_visible_to(self.request.user).order_by("-week_start", "-submitted_at", "-pk")

    @extend_schema(request={"multipart/form-data": BackupSubmitSerializer}, responses={201: BackupSubmissionSerializer})
    def create(self, request, *args, **kwargs):
        data = _input(BackupSubmitSerializer, request)
        submission = services.submit_backup(
            staff=_me(request),
            week_start=data.get("week_start") or week_start_of(timezone.localdate()),
            upload=data.get("file"),
            note=data.get("note", ""),
            actor=request.user,
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=submission.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReasonSerializer, responses=BackupSubmissionSerializer)
    @action(detail=True, methods=["post"], url_path="mark-incomplete")
    def mark_incomplete(self, request, pk=None, **kwargs):
        data = _input(ReasonSerializer, request)
        submission = services.mark_backup_incomplete(submission=self.get_object(), reason=data["reason"], actor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=submission.pk)).data)

    @extend_schema(responses=FILE_RESPONSE)
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None, **kwargs):
        return backup_file_response(request, self.get_object())


class BackupCheckViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """周备份检查: the weekly checks (reviewers); managers may run a week's check by hand."""

    serializer_class = BackupCheckSerializer
    ordering_fields = ["week_start"]

    def get_queryset(self):
        return selectors.checks_visible_to(self.request.user).order_by("-week_start")

    @extend_schema(request=RunCheckSerializer, responses=BackupCheckSerializer)
    @action(detail=False, methods=["post"])
    def run(self, request, **kwargs):
        if not (request.user.is_superuser or has_role(request.user, *selectors.CHECK_RUNNER_ROLES)):
            raise NotAllowed(_("Only managers run a backup check by hand."))
        data = _input(RunCheckSerializer, request)
        check = services.run_backup_check(week_start=data["week_start"])
        return Response(self.get_serializer(check).data)


class BackupCheckEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """检查结果: each person's outcome per checked week (own, and the people one reviews)."""

    serializer_class = BackupCheckEntrySerializer
    filterset_class = BackupCheckEntryFilter
    search_fields = ["staff__name", "staff__employee_no"]
    ordering_fields = ["week_start", "overdue_days"]

    def get_queryset(self):
        return selectors.entries_visible_to(self.request.user).order_by("-week_start", "staff__employee_no", "pk")


class BackupDeductionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """备份扣分: points deducted for overdue and incomplete backups; ``?month=YYYY-MM`` for a scorecard month."""

    serializer_class = BackupDeductionSerializer
    filterset_class = BackupDeductionFilter
    ordering_fields = ["occurred_on", "points"]

    def get_queryset(self):
        return selectors.deductions_visible_to(self.request.user).order_by("-occurred_on", "-pk")


class BorrowRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """借阅申请: ask to borrow an archived backup; managers approve or reject; the requester downloads."""

    serializer_class = BorrowRequestSerializer
    filterset_class = BorrowRequestFilter
    search_fields = ["number", "requester__name", "submission__staff__name"]
    ordering_fields = ["created_at"]

    def get_queryset(self):
        return selectors.borrow_requests_visible_to(self.request.user).order_by("-created_at", "-pk")

    def _detail(self, borrow, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=borrow.pk)).data, status=code)

    @extend_schema(request=BorrowRequestInputSerializer, responses={201: BorrowRequestSerializer})
    def create(self, request, *args, **kwargs):
        data = _input(BorrowRequestInputSerializer, request)
        # Any backup id may be asked for; the service explains why one cannot be borrowed.
        submission = BackupSubmission.objects.select_related("staff", "department").filter(pk=data["submission"]).first()
        if submission is None:
            raise DomainError(_("No such backup."), field="submission")
        borrow = services.request_borrow(requester=_me(request), submission=submission, reason=data["reason"], actor=request.user)
        return self._detail(borrow, status.HTTP_201_CREATED)

    @extend_schema(request=CommentSerializer, responses=BorrowRequestSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None, **kwargs):
        data = _input(CommentSerializer, request)
        borrow = services.approve_borrow(borrow=self.get_object(), actor=request.user, comment=data["comment"])
        return self._detail(borrow)

    @extend_schema(request=CommentSerializer, responses=BorrowRequestSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None, **kwargs):
        data = _input(CommentSerializer, request)
        borrow = services.reject_borrow(borrow=self.get_object(), actor=request.user, comment=data["comment"])
        return self._detail(borrow)

    @extend_schema(request=None, responses=BorrowRequestSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None, **kwargs):
        borrow = services.cancel_borrow(borrow=self.get_object(), actor=request.user)
        return self._detail(borrow)

    @extend_schema(responses=FILE_RESPONSE)
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None, **kwargs):
        borrow = self.get_object()
        return backup_file_response(request, borrow.submission)
