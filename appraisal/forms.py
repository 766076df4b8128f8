"""Forms of the appraisal pages: shape only — the services decide what is allowed."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicedesk.org.models import Staff
from servicedesk.org.selectors import staff_of

from . import filetypes, selectors
from .weeks import week_start_of


class BackupForm(forms.Form):
    week_start = forms.TypedChoiceField(label=_("Week"), coerce=date.fromisoformat)
    file = forms.FileField(label=_("Backup archive"), required=False)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Without a file: say where the backup is kept (e.g. the station's NAS, folder name)."),
    )

    def __init__(self, *args, weeks, allow_confirmation: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["week_start"].choices = [(w.isoformat(), label) for w, label in weeks]
        kinds = [k for k in settings.BACKUP_ALLOWED_TYPES if k in filetypes.KNOWN_TYPES]
        self.fields["file"].widget.attrs["accept"] = ",".join(filetypes.accepted_endings(kinds))
        self.fields["file"].help_text = _("%(types)s, at most %(limit)d MB.") % {
            "types": " ".join(filetypes.accepted_endings(kinds)),
            "limit": settings.BACKUP_MAX_UPLOAD_MB,
        }
        if not allow_confirmation:
            del self.fields["note"]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("What is missing"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))], widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


# The borrowing form offers the archived weeks of the last year; older ones through the API.
ARCHIVE_WEEKS_OFFERED = 52


class BorrowForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("Whose backup"), queryset=Staff.objects.none())
    week = forms.TypedChoiceField(label=_("Week"), coerce=date.fromisoformat, help_text=_("Only weeks that are over are archived."))
    reason = forms.CharField(label=_("Why you need it"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        me = staff_of(user)
        owners = Staff.objects.select_related("station").order_by("station__code", "employee_no")
        self.fields["owner"].queryset = owners.exclude(pk=me.pk) if me else owners.none()
        self.fields["owner"].label_from_instance = lambda s: f"{s.name}（{s.employee_no}{' · ' + s.station.name if s.station else ''}）"
        this_week = week_start_of(timezone.localdate())
        self.fields["week"].choices = [
            (week.isoformat(), _("Week of %(week)s") % {"week": week.isoformat()})
            for week in (this_week - timedelta(weeks=n) for n in range(1, ARCHIVE_WEEKS_OFFERED + 1))
        ]
        self.submission = None

    def clean(self):
        data = super().clean()
        owner, week = data.get("owner"), data.get("week")
        if owner and week:
            monday = week_start_of(week)
            self.submission = (
                selectors.borrowable_submissions(self.user)
                .filter(staff=owner, week_start=monday)
                .order_by("-submitted_at", "-pk")
                .first()
            )
            if self.submission is None:
                self.add_error(
                    "week",
                    _("%(name)s has no archived backup file for the week of %(week)s.")
                    % {"name": owner.name, "week": monday.isoformat()},
                )
        return data
