"""Forms of the warehouse screens in the admin. They only collect input: the services decide.

Location choices are narrowed to what the signed-in person keeps (spares.access), so a station
head never even sees another station's stock in a drop-down.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.utils.translation import gettext_lazy as _

from servicedesk.org.models import Role, Staff, Station

from . import access
from .models import (
    Location,
    OldPartBatchLine,
    OldPartReturn,
    Part,
    ReceiptLine,
    Requisition,
    WriteOff,
)

QTY = {"max_digits": 14, "decimal_places": 3}
MONEY = {"max_digits": 12, "decimal_places": 2}


def part_field(**kwargs) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Part"),
        queryset=Part.objects.filter(is_active=True),
        widget=AutocompleteSelect(ReceiptLine._meta.get_field("part"), admin.site),
        **kwargs,
    )


def location_field(label, queryset, **kwargs) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label=label, queryset=queryset.order_by("code"), **kwargs)


class _UserForm(forms.Form):
    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)


class LineForm(_UserForm):
    part = part_field(required=False)
    qty = forms.DecimalField(label=_("Quantity"), required=False, min_value=Decimal("0.001"), **QTY)

    def clean(self):
        data = super().clean()
        if data.get("part") and data.get("qty") is None:
            self.add_error("qty", _("Enter the quantity."))
        if data.get("qty") is not None and not data.get("part"):
            self.add_error("part", _("Choose the part."))
        return data


class ReceiptLineForm(LineForm):
    unit_price = forms.DecimalField(label=_("Unit price (CNY)"), required=False, min_value=Decimal("0"), **MONEY)


LineFormSet = forms.formset_factory(LineForm, extra=6)
ReceiptLineFormSet = forms.formset_factory(ReceiptLineForm, extra=6)


class ReceiptForm(_UserForm):
    location = location_field(_("Received into"), Location.objects.none())
    supplier = forms.CharField(label=_("Supplier"), max_length=100)
    delivery_note = forms.CharField(label=_("Delivery note"), max_length=60, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = access.writable_locations(self.user).filter(
            kind__in=[Location.Kind.CENTRAL, Location.Kind.STATION]
        ).order_by("code")


class TransferForm(_UserForm):
    from_location = location_field(_("From"), Location.objects.none())
    to_location = location_field(_("To"), Location.objects.none())
    shipping_ref = forms.CharField(label=_("Shipping reference"), max_length=60, required=False)
    postage = forms.DecimalField(label=_("Postage (CNY)"), required=False, min_value=Decimal("0"), **MONEY)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_location"].queryset = access.writable_locations(self.user).exclude(
            kind=Location.Kind.OLD_PARTS
        ).order_by("code")
        self.fields["to_location"].queryset = Location.objects.filter(is_active=True).exclude(
            kind=Location.Kind.OLD_PARTS
        ).order_by("code")


class RequisitionForm(_UserForm):
    from_location = location_field(_("Issue from"), Location.objects.none())
    to_location = location_field(_("Issue to"), Location.objects.none())
    work_order_ref = forms.CharField(label=_("Work order"), max_length=60, required=False)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_location"].queryset = Location.objects.filter(
            is_active=True, kind__in=[Location.Kind.CENTRAL, Location.Kind.STATION]
        ).order_by("code")
        readable = access.readable_locations(self.user).filter(
            is_active=True, kind__in=[Location.Kind.VAN, Location.Kind.STATION]
        )
        self.fields["to_location"].queryset = Location.objects.filter(
            pk__in=[loc.pk for loc in readable if access.can_request_for(self.user, loc)]
        ).order_by("code")


class StockReturnForm(_UserForm):
    requisition = forms.ModelChoiceField(
        label=_("Requisition"), queryset=Requisition.objects.none(), required=False,
        help_text=_("The issued requisition the parts came with: at most what it issued can come back."),
    )
    from_location = location_field(_("Returned from"), Location.objects.none())
    to_location = location_field(_("Returned to"), Location.objects.none(), required=False)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import requisitions_visible_to

        self.fields["requisition"].queryset = requisitions_visible_to(self.user).filter(
            status=Requisition.Status.ISSUED
        ).order_by("-requested_at")
        self.fields["from_location"].queryset = access.readable_locations(self.user).filter(
            is_active=True, kind__in=[Location.Kind.VAN, Location.Kind.STATION]
        ).order_by("code")
        self.fields["to_location"].queryset = access.writable_locations(self.user).filter(
            kind__in=[Location.Kind.CENTRAL, Location.Kind.STATION]
        ).order_by("code")


class OldPartReturnForm(_UserForm):
    part = part_field()
    qty = forms.DecimalField(label=_("Quantity"), initial=1, min_value=Decimal("0.001"), **QTY)
    location = location_field(_("Old-parts store"), Location.objects.none())
    work_order_ref = forms.CharField(label=_("Work order"), max_length=60)
    returned_by = forms.ModelChoiceField(label=_("Returned by"), queryset=Staff.objects.none(), required=False)
    unit_serial = forms.CharField(label=_("Unit serial number"), max_length=60, required=False)
    fault = forms.CharField(label=_("Fault"), max_length=200, required=False)
    is_warranty = forms.BooleanField(label=_("Warranty part (三包件)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = access.writable_locations(self.user).filter(
            kind=Location.Kind.OLD_PARTS
        ).order_by("code")
        self.fields["returned_by"].queryset = Staff.objects.filter(user__groups__name=Role.TECHNICIAN).order_by("name")


class WriteOffForm(_UserForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=WriteOff.Kind.choices)
    location = location_field(_("Written off at"), Location.objects.none())
    part = part_field()
    qty = forms.DecimalField(label=_("Quantity"), min_value=Decimal("0.001"), **QTY)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
    work_order_ref = forms.CharField(label=_("Work order"), max_length=60, required=False)
    service_report_ref = forms.CharField(label=_("Service report"), max_length=60, required=False)
    service_report_signed = forms.BooleanField(label=_("Service report signed by the customer"), required=False)
    old_part_return = forms.ModelChoiceField(
        label=_("Old-part return"), queryset=OldPartReturn.objects.none(), required=False
    )
    shipping_ref = forms.CharField(label=_("Shipping reference"), max_length=60, required=False)
    postage = forms.DecimalField(label=_("Postage (CNY)"), required=False, min_value=Decimal("0"), **MONEY)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import old_part_returns_visible_to

        self.fields["location"].queryset = access.writable_locations(self.user).exclude(
            kind=Location.Kind.OLD_PARTS
        ).order_by("code")
        self.fields["old_part_return"].queryset = old_part_returns_visible_to(self.user).filter(
            write_off__isnull=True
        ).order_by("-received_at")


class OldPartBatchForm(_UserForm):
    location = location_field(_("Old-parts store"), Location.objects.none())
    period = forms.DateField(label=_("Month"), help_text=_("Any day of the month processed."))
    supplier = forms.CharField(label=_("Supplier"), max_length=100, required=False)
    shipping_ref = forms.CharField(label=_("Shipping reference"), max_length=60, required=False)
    postage = forms.DecimalField(label=_("Postage (CNY)"), required=False, min_value=Decimal("0"), **MONEY)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = access.writable_locations(self.user).filter(
            kind=Location.Kind.OLD_PARTS
        ).order_by("code")


class OldPartBatchLineForm(_UserForm):
    old_part_return = forms.ModelChoiceField(label=_("Old part"), queryset=OldPartReturn.objects.none(), required=False)
    action = forms.ChoiceField(label=_("Action"), choices=OldPartBatchLine.Action.choices)
    claim_amount = forms.DecimalField(label=_("Claim amount (CNY)"), required=False, min_value=Decimal("0"), **MONEY)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import old_part_returns_visible_to

        self.fields["old_part_return"].queryset = old_part_returns_visible_to(self.user).filter(
            status=OldPartReturn.Status.RECEIVED
        ).order_by("received_at")


OldPartBatchLineFormSet = forms.formset_factory(OldPartBatchLineForm, extra=8)


class StockTakeForm(_UserForm):
    location = location_field(_("Location"), Location.objects.none())
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = access.writable_locations(self.user).order_by("code")


class CountForm(forms.Form):
    line = forms.IntegerField(widget=forms.HiddenInput)
    counted_qty = forms.DecimalField(label=_("Counted"), required=False, min_value=Decimal("0"), **QTY)


CountFormSet = forms.formset_factory(CountForm, extra=0)


class OutOfStockForm(_UserForm):
    part = part_field(required=False)
    part_description = forms.CharField(
        label=_("Part wanted"), max_length=200, required=False, help_text=_("When the part is not in the catalogue.")
    )
    qty = forms.DecimalField(label=_("Quantity"), initial=1, min_value=Decimal("0.001"), **QTY)
    station = forms.ModelChoiceField(label=_("Service station"), queryset=Station.objects.all(), required=False)
    customer_name = forms.CharField(label=_("Customer"), max_length=100)
    customer_phone = forms.CharField(label=_("Customer phone"), max_length=30)
    work_order_ref = forms.CharField(label=_("Work order"), max_length=60, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))

