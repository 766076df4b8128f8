"""Forms of the tablet and report pages. They check the shape of the input; the rules are the services'."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicedesk.core.exceptions import DomainError

from . import policy
from .models import (
    COMMENTS_MAX_LENGTH,
    MAX_PROBLEMS_PER_VISIT,
    RATING_FIELDS,
    REPORT_MAX_LENGTH,
    Callback,
    CallbackAttempt,
    Rating,
    RenewalTask,
    Visit,
)


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


# --- callbacks ----------------------------------------------------------------------------------

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def apply_domain_errors(form: forms.Form, error: DomainError) -> None:
    """Every field a service names (a questionnaire reports all its errors at once) onto the form."""
    for field, messages in error.as_dict().items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


class RatingSelect(forms.RadioSelect):
    """1–4 as big radio buttons; the page's script lets the keys 1–4 pick them."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "rating", **(attrs or {})})


def _rating(label):
    return forms.TypedChoiceField(label=label, choices=Rating.choices, coerce=int, required=False, widget=RatingSelect())


def _yes_no(label, required=False):
    return forms.ChoiceField(label=label, choices=YES_NO, required=required, widget=forms.RadioSelect)


class CallbackForm(forms.Form):
    """The outcome of one try and the questionnaire (SPEC §7). Shape only: the rules are record_callback's."""

    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=CallbackAttempt.Outcome.choices, initial=CallbackAttempt.Outcome.ANSWERED,
        widget=forms.RadioSelect,
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=Callback.Channel.choices, initial=Callback.Channel.PHONE, required=False,
        widget=forms.RadioSelect,
    )
    answered_by = forms.CharField(label=_("Answered by"), max_length=50, required=False)
    rating_attitude = _rating(_("Service attitude"))
    rating_skill = _rating(_("Technical skill"))
    rating_arrival = _rating(_("Arrival time"))
    rating_promise = _rating(_("Keeping promises"))
    signed_on_site = _yes_no(_("Signed the service form on site?"))
    fees_charged = forms.CharField(
        label=_("Fees charged (CNY)"), required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    deposit_refund = forms.CharField(label=_("Deposit and refund"), max_length=200, required=False)
    invoice_given = _yes_no(_("Invoice given?"))
    unit_working = _yes_no(_("Is the unit working now?"))
    comments = forms.CharField(
        label=_("Comments"), required=False, max_length=COMMENTS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMENTS_MAX_LENGTH}),
    )
    note = forms.CharField(
        label=_("Note on this try"), required=False, max_length=500,
        help_text=_("E.g. “line busy”, “call back after 3 pm”."),
    )

    QUESTIONNAIRE = (
        "channel", "answered_by", "rating_attitude", "rating_skill", "rating_arrival", "rating_promise", "signed_on_site",
        "fees_charged", "deposit_refund", "invoice_given", "unit_working", "comments",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The first question has the focus: the 1–4 keys answer it straight away.
        self.fields["rating_attitude"].widget.attrs["autofocus"] = True

    def answers(self) -> dict:
        data = self.cleaned_data
        return {name: data.get(name) for name in self.QUESTIONNAIRE}

    def rating_fields(self):
        return [self[name] for name in RATING_FIELDS]


class SpotCheckForm(forms.Form):
    number = forms.CharField(
        label=_("Work order number"), max_length=24, help_text=_("A reviewed and closed work order, e.g. WO-2026-000123."),
    )
