"""/api/v1/appraisal/… — monthly scorecards, their months, configs and the daily feedback-form scores.

Thin viewsets: querysets come from :mod:`appraisal.scorecard_selectors` (a technician reads only his
own published scorecards — anyone else's is a 404); every change is one service call.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from servicedesk.core.api import query_int

from . import scoring, services
from .exceptions import NotAllowed
from .scorecard_models import FeedbackScore, Scorecard, ScorecardConfig, ScorecardMonth
from .scorecard_selectors import (
    FIGURE_FIELDS,
    can_manage_scorecards,
    feedback_visible_to,
    parse_month,
    scorecards_visible_to,
)
from .serializers import ReasonSerializer, StaffBriefSerializer


def _input(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class ScorecardSerializer(serializers.ModelSerializer):
    technician = StaffBriefSerializer(read_only=True)
    month = serializers.DateField(source="month.month", read_only=True)
    month_status = serializers.CharField(source="month.status", read_only=True)
    station = serializers.CharField(source="station.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Scorecard
        fields = ["id", "month", "month_status", "technician", "station", "role", *FIGURE_FIELDS, "evaluation_avg",
                  "components", "base_points", "deduction_points", "adjustment_points", "total", "grade", "rank_station",
                  "rank_department", "config", "computed_at"]
        read_only_fields = fields


class AdjustSerializer(serializers.Serializer):
    points = serializers.DecimalField(max_digits=6, decimal_places=2)
    reason = serializers.CharField(allow_blank=True, max_length=2000)


class MonthSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScorecardMonth
        fields = ["id", "month", "status", "drafted_at", "reviewed_at", "published_at", "reopened_at", "reopen_reason",
                  "reopen_count"]
        read_only_fields = fields


class DraftSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")

    def validate_month(self, value):
        month = parse_month(value)
        if month is None:
            raise serializers.ValidationError(_("Enter the month as YYYY-MM."))
        return month


class ConfigSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScorecardConfig
        fields = ["id", "role", "is_active", *scoring.CONFIG_FIELDS, "updated_at"]
        read_only_fields = ["id", "role", "updated_at"]


class FeedbackSerializer(serializers.ModelSerializer):
    technician = StaffBriefSerializer(read_only=True)
    work_order = serializers.CharField(source="work_order.number", read_only=True)
    assignee = serializers.CharField(source="assignee.username", read_only=True, default=None, allow_null=True)
    is_flagged = serializers.BooleanField(read_only=True)

    class Meta:
        model = FeedbackScore
        fields = ["id", "work_order", "technician", "day", "status", "assignee", "due_at", "escalation_level", "flagged_at",
                  "is_flagged", "completed_confirmed", "score", "max_score", "comment", "scored_at"]
        read_only_fields = fields


class ScoreSerializer(serializers.Serializer):
    score = serializers.IntegerField()
    completed = serializers.BooleanField(default=True)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ScorecardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """月度考核表: ?month=YYYY-MM, ?station=id. Adjust with a reason while the month is not published."""

    serializer_class = ScorecardSerializer
    ordering_fields = ["total", "rank_department"]

    def get_queryset(self):
        qs = scorecards_visible_to(self.request.user).order_by("-month__month", "rank_department", "technician__employee_no")
        month = parse_month(self.request.query_params.get("month", ""))
        if month:
            qs = qs.filter(month__month=month)
        station = query_int(self.request, "station")
        if station is not None:
            qs = qs.filter(station_id=station)
        return qs

    @extend_schema(request=AdjustSerializer, responses=ScorecardSerializer)
    @action(detail=True, methods=["post"])
    def adjust(self, request, pk=None, **kwargs):
        data = _input(AdjustSerializer, request)
        card = self.get_object()
        services.adjust_scorecard(scorecard=card, points=data["points"], reason=data["reason"], actor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=card.pk)).data)


class ScorecardMonthViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """考核月: draft (compute), review, publish (locks), reopen (general manager, with reason)."""

    serializer_class = MonthSerializer

    def get_queryset(self):
        qs = ScorecardMonth.objects.order_by("-month")
        if can_manage_scorecards(self.request.user):
            return qs
        return qs.filter(status=ScorecardMonth.Status.PUBLISHED)

    @extend_schema(request=DraftSerializer, responses={201: MonthSerializer})
    @action(detail=False, methods=["post"])
    def draft(self, request, **kwargs):
        month = services.draft_month(month=_input(DraftSerializer, request)["month"], actor=request.user)
        return Response(MonthSerializer(month).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=MonthSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None, **kwargs):
        return Response(MonthSerializer(services.review_month(month=self.get_object(), actor=request.user)).data)

    @extend_schema(request=None, responses=MonthSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None, **kwargs):
        return Response(MonthSerializer(services.publish_month(month=self.get_object(), actor=request.user)).data)

    @extend_schema(request=ReasonSerializer, responses=MonthSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None, **kwargs):
        reason = _input(ReasonSerializer, request)["reason"]
        return Response(MonthSerializer(services.reopen_month(month=self.get_object(), actor=request.user, reason=reason)).data)


class ScorecardConfigViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin,
                             viewsets.GenericViewSet):
    """考核方案: read and changed by managers only; validated like the admin (weights add up to 100)."""

    serializer_class = ConfigSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ScorecardConfig.objects.none()
        if not can_manage_scorecards(self.request.user):
            raise NotAllowed(_("Only managers read and change the scorecard configuration."))
        return ScorecardConfig.objects.order_by("role")

    def perform_update(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items()}
        serializer.instance = services.save_config(config=serializer.instance, actor=self.request.user, **data)


class FeedbackScoreViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """反馈单评分: ?day=YYYY-MM-DD, ?status=pending|scored, ?flagged=1; POST {id}/score/ (managers)."""

    serializer_class = FeedbackSerializer

    def get_queryset(self):
        qs = feedback_visible_to(self.request.user)
        params = self.request.query_params
        if params.get("day"):
            from django.utils.dateparse import parse_date

            try:
                day = parse_date(params["day"])
            except ValueError:  # well formed but impossible (2026-13-45)
                raise ValidationError({"day": [_("Not a day: use YYYY-MM-DD.")]}) from None
            if day:
                qs = qs.filter(day=day)
        if params.get("status") in FeedbackScore.Status.values:
            qs = qs.filter(status=params["status"])
        if params.get("flagged") == "1":
            qs = qs.filter(flagged_at__isnull=False, status=FeedbackScore.Status.PENDING)
        return qs

    @extend_schema(request=ScoreSerializer, responses=FeedbackSerializer)
    @action(detail=True, methods=["post"])
    def score(self, request, pk=None, **kwargs):
        data = _input(ScoreSerializer, request)
        form = services.score_feedback(form=self.get_object(), score=data["score"], completed=data["completed"],
                                       comment=data["comment"], actor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=form.pk)).data)
