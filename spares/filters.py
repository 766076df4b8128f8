"""Filters of the spare-parts API lists."""

import django_filters
from django.db.models import F, Q

from .models import (
    Location,
    OldPartReturn,
    OutOfStockRegistration,
    Part,
    Requisition,
    StockBalance,
    StockMove,
    StockTake,
    WriteOff,
)


class PartFilter(django_filters.FilterSet):
    product_line = django_filters.CharFilter(field_name="product_lines__code", label="product line code")

    class Meta:
        model = Part
        fields = ["is_active"]


class LocationFilter(django_filters.FilterSet):
    class Meta:
        model = Location
        fields = ["kind", "station", "technician", "is_active"]


class StockBalanceFilter(django_filters.FilterSet):
    station = django_filters.NumberFilter(field_name="location__station")
    kind = django_filters.ChoiceFilter(field_name="location__kind", choices=Location.Kind.choices)
    in_stock = django_filters.BooleanFilter(method="filter_in_stock", label="only parts on hand")
    low = django_filters.BooleanFilter(method="filter_low", label="below the low-stock threshold")

    class Meta:
        model = StockBalance
        fields = ["location", "part"]

    def filter_in_stock(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(qty__gt=0) if value else queryset.filter(qty=0)

    def filter_low(self, queryset, name, value):
        if value is None:
            return queryset
        low = Q(part__low_stock_threshold__gt=0, qty__lt=F("part__low_stock_threshold"))
        return queryset.filter(low) if value else queryset.exclude(low)


class StockMoveFilter(django_filters.FilterSet):
    location = django_filters.NumberFilter(method="filter_location", label="from or to this location")
    posted_after = django_filters.IsoDateTimeFilter(field_name="posted_at", lookup_expr="gte")
    posted_before = django_filters.IsoDateTimeFilter(field_name="posted_at", lookup_expr="lt")

    class Meta:
        model = StockMove
        fields = ["part", "kind", "reference", "document_type", "document_id", "from_location", "to_location"]

    def filter_location(self, queryset, name, value):
        return queryset.filter(Q(from_location=value) | Q(to_location=value))


class RequisitionFilter(django_filters.FilterSet):
    class Meta:
        model = Requisition
        fields = ["status", "from_location", "to_location", "work_order_ref"]


class OldPartReturnFilter(django_filters.FilterSet):
    class Meta:
        model = OldPartReturn
        fields = ["status", "location", "part", "work_order_ref", "is_warranty"]


class WriteOffFilter(django_filters.FilterSet):
    class Meta:
        model = WriteOff
        fields = ["kind", "location", "part", "work_order_ref"]


class StockTakeFilter(django_filters.FilterSet):
    class Meta:
        model = StockTake
        fields = ["status", "location"]


class OutOfStockFilter(django_filters.FilterSet):
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="open and past the reply due time")

    class Meta:
        model = OutOfStockRegistration
        fields = ["status", "station", "part"]

    def filter_overdue(self, queryset, name, value):
        from django.utils import timezone

        if value is None:
            return queryset
        overdue = Q(status=OutOfStockRegistration.Status.OPEN, reply_due_at__lt=timezone.now())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)
