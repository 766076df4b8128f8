"""Filters shared by the API (django-filter FilterSets) and the dispatcher admin (SLA conditions).

The SLA conditions are read from the stored deadlines at the moment of the request, like the
countdown itself — never from what the sweep has recorded.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicedesk.org.models import Zone

from .models import Contact, Contract, Customer, Priority, SLAClock, Ticket, TicketChannel, TicketKind, Unit


def _running_clocks():
    # A running clock: started, not paused, not stopped or cancelled (the only ones that can be late now).
    return SLAClock.objects.filter(
        ticket=OuterRef("pk"), stopped_at__isnull=True, cancelled=False, running_since__isnull=False
    )


def breached_now(now: datetime | None = None) -> Exists:
    """Tickets with a running clock past its deadline at ``now``."""
    return Exists(_running_clocks().filter(due_at__lte=now or timezone.now()))


def warning_now(now: datetime | None = None) -> Exists:
    """Tickets with a running clock past its warning moment but not yet due."""
    now = now or timezone.now()
    return Exists(_running_clocks().filter(warn_at__lte=now, due_at__gt=now))


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def due_on(day: date | None = None) -> Exists:
    """Tickets with a running clock whose deadline falls on ``day`` (local date, default today)."""
    start, end = day_bounds(day or timezone.localdate())
    return Exists(_running_clocks().filter(due_at__gte=start, due_at__lt=end))


class TicketFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Ticket.Status.choices, label=_("status"))
    kind = django_filters.ChoiceFilter(choices=TicketKind.choices, label=_("kind"))
    channel = django_filters.ChoiceFilter(choices=TicketChannel.choices, label=_("channel"))
    zone = django_filters.ChoiceFilter(choices=Zone.choices, label=_("zone"))
    urgency = django_filters.ChoiceFilter(choices=Priority.choices, label=_("urgency"))
    is_key_customer = django_filters.BooleanFilter(label=_("key customer"))
    complaint_class = django_filters.ChoiceFilter(
        choices=[c for c in Ticket.ComplaintClass.choices if c[0]], label=_("complaint classification")
    )
    registered_after = django_filters.IsoDateTimeFilter(field_name="registered_at", lookup_expr="gte", label=_("registered from"))
    registered_before = django_filters.IsoDateTimeFilter(field_name="registered_at", lookup_expr="lt", label=_("registered before"))
    breached = django_filters.BooleanFilter(method="filter_breached", label=_("SLA breached now"))
    due_today = django_filters.BooleanFilter(method="filter_due_today", label=_("SLA due today"))
    phone = django_filters.CharFilter(field_name="caller_phone", label=_("caller phone"))
    serial_number = django_filters.CharFilter(field_name="unit__serial_number", label=_("serial number"))

    class Meta:
        model = Ticket
        fields = ["status", "kind", "channel", "zone", "station", "customer", "unit", "is_key_customer", "urgency"]

    def filter_breached(self, queryset, name, value):
        condition = breached_now()
        return queryset.filter(condition if value else ~condition)

    def filter_due_today(self, queryset, name, value):
        condition = due_on()
        return queryset.filter(condition if value else ~condition)


class CustomerFilter(django_filters.FilterSet):
    phone = django_filters.CharFilter(method="filter_phone", label=_("phone"))

    class Meta:
        model = Customer
        fields = ["kind", "zone", "station", "is_key", "owner"]

    def filter_phone(self, queryset, name, value):
        # The caller may be the customer's switchboard or one of its contacts.
        return queryset.filter(Q(phone=value) | Q(Exists(Contact.objects.filter(customer=OuterRef("pk"), phone=value))))


class ContactFilter(django_filters.FilterSet):
    class Meta:
        model = Contact
        fields = ["customer", "is_primary", "phone"]


class UnitFilter(django_filters.FilterSet):
    warranty_on = django_filters.DateFilter(method="filter_warranty_on", label=_("in warranty on"))

    class Meta:
        model = Unit
        fields = ["customer", "product_line", "serial_number"]

    def filter_warranty_on(self, queryset, name, value):
        return queryset.filter(warranty_start__lte=value, warranty_end__gte=value)


class ContractFilter(django_filters.FilterSet):
    ends_before = django_filters.DateFilter(field_name="end_date", lookup_expr="lt", label=_("ends before"))
    active_on = django_filters.DateFilter(method="filter_active_on", label=_("active on"))

    class Meta:
        model = Contract
        fields = ["customer", "kind", "fee_status"]

    def filter_active_on(self, queryset, name, value):
        return queryset.filter(start_date__lte=value, end_date__gte=value)


class ClockFilter(django_filters.FilterSet):
    open = django_filters.BooleanFilter(method="filter_open", label=_("open"))

    class Meta:
        model = SLAClock
        fields = ["ticket", "target_code"]

    def filter_open(self, queryset, name, value):
        condition = Q(stopped_at__isnull=True, cancelled=False)
        return queryset.filter(condition if value else ~condition)
