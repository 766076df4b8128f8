"""Query filters of the visits API (the querysets are already scoped by the selectors)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError

from . import policy
from .models import Callback, RenewalTask, Visit, VisitPlan


def _month(value: str):
    try:
        return policy.parse_month(value)
    except ValueError:
        raise ValidationError({"month": [_("Enter a month as YYYY-MM, e.g. 2026-11.")]}) from None


class VisitFilter(django_filters.FilterSet):
    month = django_filters.CharFilter(method="filter_month", label=_("month (YYYY-MM): done or planned in it"))
    station = django_filters.NumberFilter(field_name="technician__station_id", label=_("station"))

    class Meta:
        model = Visit
        fields = ["status", "purpose", "technician", "customer"]

    def filter_month(self, queryset, name, value):
        start = _month(value)
        end = policy.month_end(start)
        return queryset.filter(Q(visit_date__range=(start, end)) | Q(visit_date__isnull=True, planned_for__range=(start, end)))


class VisitPlanFilter(django_filters.FilterSet):
    month = django_filters.CharFilter(method="filter_month", label=_("month (YYYY-MM)"))
    station = django_filters.NumberFilter(field_name="technician__station_id", label=_("station"))

    class Meta:
        model = VisitPlan
        fields = ["technician"]

    def filter_month(self, queryset, name, value):
        return queryset.filter(month=_month(value))


class RenewalTaskFilter(django_filters.FilterSet):
    DUE_CHOICES = [
        ("due", _("notice due, contract still running")),
        ("expired", _("contract expired, still open")),
    ]
    due = django_filters.ChoiceFilter(choices=DUE_CHOICES, method="filter_due", label=_("due state (open tasks)"))
    station = django_filters.NumberFilter(field_name="contract__customer__station_id", label=_("station"))
    customer = django_filters.NumberFilter(field_name="contract__customer_id", label=_("customer"))

    class Meta:
        model = RenewalTask
        fields = ["status", "assignee"]

    def filter_due(self, queryset, name, value):
        today = timezone.localdate()
        queryset = queryset.filter(status=RenewalTask.Status.OPEN, due_date__lte=today)
        if value == "expired":
            return queryset.filter(contract__end_date__lt=today)
        return queryset.filter(contract__end_date__gte=today)


class CallbackFilter(django_filters.FilterSet):
    station = django_filters.NumberFilter(field_name="customer__station_id", label=_("station"))
    due = django_filters.ChoiceFilter(
        method="filter_due", label=_("due"),
        choices=[("today", _("due today")), ("overdue", _("overdue")), ("open", _("due today or overdue")), ("later", _("due later"))],
    )
    due_from = django_filters.DateFilter(field_name="due_date", lookup_expr="gte", label=_("due from"))
    due_to = django_filters.DateFilter(field_name="due_date", lookup_expr="lte", label=_("due until"))

    class Meta:
        model = Callback
        fields = ["status", "kind", "technician", "customer", "work_order", "assignee"]

    def filter_due(self, queryset, name, value):
        today = timezone.localdate()
        pending = queryset.filter(status=Callback.Status.PENDING)
        if value == "today":
            return pending.filter(due_date=today)
        if value == "overdue":
            return pending.filter(due_date__lt=today)
        if value == "open":
            return pending.filter(due_date__lte=today)
        return pending.filter(due_date__gt=today)
