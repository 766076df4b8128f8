"""Forms of the tablet and report pages. They check the shape of the input; the rules are the services'."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicedesk.core.exceptions import DomainError

from . import policy
from .models import MAX_PROBLEMS_PER_VISIT, REPORT_MAX_LENGTH, RenewalTask, Visit


class DateInput(forms.DateInput):
    """The browser's own date picker (big and touch-friendly on tablets)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class MonthInput(forms.TextInput):
    input_type = "month"


def apply_domain_error(form: forms.Form, error: DomainError) -> None:
    """Put a service's refusal on the field it names (or on the form when it names none of them)."""
    form.add_error(error.field if error.field in form.fields else None, str(error.message))


def _report_field():
    return forms.CharField(
        label=_("Short report"),
        max_length=REPORT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": REPORT_MAX_LENGTH}),
        help_text=_("What was checked, what the customer said, what was agreed — a few sentences."),
    )


def _problems_field():
    return forms.IntegerField(
        label=_("Problems resolved"),
        min_value=0,
        max_value=MAX_PROBLEMS_PER_VISIT,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": MAX_PROBLEMS_PER_VISIT}),
    )


class VisitRecordForm(forms.Form):
    """A visit that took place, recorded by the technician (on the tablet)."""

    customer = forms.ModelChoiceField(label=_("Customer"), queryset=None, empty_label=_("Choose a customer"))
    visit_date = forms.DateField(label=_("Visit date"), widget=DateInput())
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Visit.Purpose.choices, initial=Visit.Purpose.ROUTINE)
    problems_resolved = _problems_field()
    report = _report_field()

    def __init__(self, *args, customers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = customers


class VisitScheduleForm(forms.Form):
    """A visit planned for a coming day."""

    customer = forms.ModelChoiceField(label=_("Customer"), queryset=None, empty_label=_("Choose a customer"))
    planned_for = forms.DateField(label=_("Planned for"), widget=DateInput())
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Visit.Purpose.choices, initial=Visit.Purpose.ROUTINE)

    def __init__(self, *args, customers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = customers


class VisitCompleteForm(forms.Form):
    """A planned visit took place."""

    visit_date = forms.DateField(label=_("Visit date"), widget=DateInput())
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Visit.Purpose.choices)
    problems_resolved = _problems_field()
    report = _report_field()


class VisitCancelForm(forms.Form):
    reason = forms.CharField(label=_("Why is the visit cancelled?"), max_length=200)


class MonthFilterForm(forms.Form):
    """``?month=2026-11`` (default: this month) and, on report pages, ``&station=``."""

    month = forms.CharField(label=_("Month"), required=False, widget=MonthInput())
    station = forms.ModelChoiceField(label=_("Service station"), queryset=None, required=False, empty_label=_("All stations"))

    def __init__(self, *args, stations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].initial = timezone.localdate().strftime("%Y-%m")
        if stations is None:
            del self.fields["station"]
        else:
            self.fields["station"].queryset = stations

    def clean_month(self) -> date:
        value = self.cleaned_data.get("month")
        if not value:
            return policy.month_start(timezone.localdate())
        try:
            return policy.parse_month(value)
        except ValueError:
            raise forms.ValidationError(_("Enter a month as YYYY-MM, e.g. 2026-11.")) from None

    def month_or_default(self) -> date:
        if self.is_bound and self.is_valid():
            return self.cleaned_data["month"]
        return policy.month_start(timezone.localdate())

    def station_or_none(self):
        if "station" in self.fields and self.is_bound and self.is_valid():
            return self.cleaned_data.get("station")
        return None


class RenewalNoticeForm(forms.Form):
    given_on = forms.DateField(label=_("Notice given on"), widget=DateInput())


class RenewalCloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(RenewalTask.Status.DONE, _("Renewed")), (RenewalTask.Status.LOST, _("Not renewed"))],
        widget=forms.RadioSelect,
    )
    new_contract = forms.ModelChoiceField(
        label=_("New contract"), queryset=None, required=False, empty_label=_("Choose the new contract"),
        help_text=_("Register the new contract at the desk first; it appears here once it exists."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the customer does not renew: say why."),
    )

    def __init__(self, *args, contracts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_contract"].queryset = contracts
