"""Forms of the technician's tablet pages.

They only parse what the browser sends (a date, a choice, a file); every business rule — lengths,
amounts, what the order's status allows — is the service's, which answers with a DomainError naming
the field, shown next to it. So fields are lenient here on purpose.
"""

from __future__ import annotations

import base64
import binascii

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import WorkOrder

DATETIME_LOCAL = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


def _text(label, *, rows=None, **attrs):
    widget = forms.Textarea(attrs={"rows": rows, **attrs}) if rows else forms.TextInput(attrs=attrs)
    return forms.CharField(label=label, required=False, strip=False, widget=widget)


class ActionForm(forms.Form):
    """A step without inputs (accept, arrived, start, resume, complete)."""

    device_time = forms.DateTimeField(required=False, widget=forms.HiddenInput)


class AppointmentForm(forms.Form):
    appointment_at = forms.DateTimeField(
        label=_("Time agreed with the customer"), required=False, input_formats=DATETIME_LOCAL,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    note = _text(_("Note (who you spoke to)"))


class ReasonForm(forms.Form):
    reason = _text(_("Reason"), rows=2)


class ReportForm(forms.Form):
    """听、看、查 and what was done."""

    diag_listen = _text(_("Listen: what the customer says, how the unit sounds"), rows=3)
    diag_look = _text(_("Look"), rows=3)
    diag_check = _text(_("Check (measurements, tests)"), rows=3)
    running_time = _text(_("Running time or mileage"))
    opened_before = forms.ChoiceField(
        label=_("Opened before by someone else?"), required=False,
        choices=[("", _("Not known")), ("yes", _("Yes")), ("no", _("No"))],
    )
    cause = _text(_("Cause of the fault"), rows=2)
    responsibility = forms.ChoiceField(label=_("Responsibility"), required=False, choices=WorkOrder.Responsibility.choices)
    resolution = _text(_("What was done"), rows=3)
    notes = _text(_("Notes"), rows=2)
    labour_minutes = _text(_("Labour (minutes)"), inputmode="numeric")
    labour_charge = _text(_("Labour charge (yuan)"), inputmode="decimal")

    FIELDS = ("diag_listen", "diag_look", "diag_check", "running_time", "opened_before", "cause", "responsibility",
              "resolution", "notes", "labour_minutes", "labour_charge")

    @classmethod
    def initial_for(cls, order: WorkOrder) -> dict:
        initial = {name: getattr(order, name) for name in cls.FIELDS}
        initial["opened_before"] = {True: "yes", False: "no"}.get(order.opened_before, "")
        return initial

    def changes(self) -> dict:
        data = dict(self.cleaned_data)
        data["opened_before"] = {"yes": True, "no": False}.get(data["opened_before"])
        # An empty labour box means none, not an error.
        data["labour_minutes"] = (data["labour_minutes"] or "").strip() or 0
        data["labour_charge"] = (data["labour_charge"] or "").strip() or "0"
        return data


class ServiceItemForm(forms.Form):
    service_item = forms.ModelChoiceField(label=_("Service item"), queryset=None, required=False, empty_label=_("Choose…"))
    qty = forms.CharField(label=_("Quantity"), required=False, initial="1", widget=forms.TextInput(attrs={"inputmode": "decimal"}))

    def __init__(self, *args, price_list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_item"].queryset = price_list


class LineForm(forms.Form):
    line = forms.IntegerField(widget=forms.HiddenInput)


class TickForm(LineForm):
    acceptance_ok = forms.ChoiceField(
        label=_("Acceptance check"), required=False, choices=[("", _("Not checked yet")), ("yes", _("Passed")), ("no", _("Not passed"))],
    )


class PartForm(forms.Form):
    part = forms.IntegerField(label=_("Part from your van"), required=False)
    qty = forms.CharField(label=_("Quantity"), required=False, initial="1", widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    is_warranty = forms.BooleanField(label=_("Warranty part (三包件)"), required=False)
    idempotency_key = forms.CharField(required=False, widget=forms.HiddenInput)


class PartReturnForm(LineForm):
    reason = _text(_("Why it goes back"))


class OldPartForm(forms.Form):
    part_number = forms.CharField(label=_("Part number"), required=False, widget=forms.TextInput(attrs={"list": "catalogue-parts", "autocomplete": "off"}))
    qty = forms.CharField(label=_("Quantity"), required=False, initial="1", widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    is_warranty = forms.BooleanField(label=_("Warranty part (三包件)"), required=False)
    note = _text(_("Fault / condition"))


class PhotoForm(forms.Form):
    image = forms.FileField(label=_("Photo"), required=False)
    # The browser's downscaled JPEG as a data URL (what a queued offline upload carries).
    image_data = forms.CharField(required=False, widget=forms.HiddenInput)
    caption = _text(_("Caption"))
    client_id = forms.CharField(required=False, widget=forms.HiddenInput)

    def image_bytes(self) -> bytes:
        upload = self.cleaned_data.get("image")
        if upload:
            return upload.read()
        return data_url_bytes(self.cleaned_data.get("image_data") or "")


class PriceForm(forms.Form):
    amount = forms.CharField(label=_("Price agreed with the customer (yuan)"), required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    payment_method = forms.ChoiceField(label=_("Payment"), required=False, choices=WorkOrder.Payment.choices)


class SignatureForm(forms.Form):
    image = forms.CharField(required=False, widget=forms.HiddenInput)  # PNG as a data URL
    printed_name = forms.CharField(label=_("Customer's name (printed)"), required=False, max_length=200)
    client_id = forms.CharField(required=False, widget=forms.HiddenInput)
    device_signed_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)

    def image_bytes(self) -> bytes:
        return data_url_bytes(self.cleaned_data.get("image") or "")


def data_url_bytes(value: str) -> bytes:
    """The bytes of a ``data:…;base64,`` URL (or of bare base64); empty when it is not one. The type
    it claims is ignored: the service checks the content."""
    value = value.strip()
    if not value:
        return b""
    if value.startswith("data:"):
        _head, _sep, value = value.partition(",")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return b""
