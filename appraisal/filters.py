"""API filters for backups, check entries, deductions and borrowing requests."""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date

import django_filters
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from .models import BackupCheckEntry, BackupDeduction, BackupSubmission, BorrowRequest

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_range(value: str) -> tuple[date, date]:
    match = _MONTH.match(value or "")
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValidationError(_("Write the month as YYYY-MM, e.g. 2026-10."))
    year, month = int(match.group(1)), int(match.group(2))
    return date(year, month, 1), date(year, month, monthrange(year, month)[1])


class BackupSubmissionFilter(django_filters.FilterSet):
    incomplete = django_filters.BooleanFilter(field_name="incomplete_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = BackupSubmission
        fields = ["week_start", "staff", "kind"]


class BackupCheckEntryFilter(django_filters.FilterSet):
    station = django_filters.NumberFilter(field_name="staff__station")
    open = django_filters.BooleanFilter(method="filter_open")

    class Meta:
        model = BackupCheckEntry
        fields = ["week_start", "outcome", "staff"]

    def filter_open(self, queryset, name, value):
        condition = {"outcome": BackupCheckEntry.Outcome.MISSING, "closed_at__isnull": True}
        return queryset.filter(**condition) if value else queryset.exclude(**condition)


class BackupDeductionFilter(django_filters.FilterSet):
    month = django_filters.CharFilter(
        method="filter_month",
        label=_("month (YYYY-MM)"),
        validators=[RegexValidator(r"^\d{4}-(0[1-9]|1[0-2])$", _("Write the month as YYYY-MM, e.g. 2026-10."))],
    )

    class Meta:
        model = BackupDeduction
        fields = ["staff", "week_start", "kind"]

    def filter_month(self, queryset, name, value):
        first, last = month_range(value)
        return queryset.filter(occurred_on__range=(first, last))


class BorrowRequestFilter(django_filters.FilterSet):
    class Meta:
        model = BorrowRequest
        fields = ["status"]
