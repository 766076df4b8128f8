"""Report pages (finance billing, export progress, fee reports, work reports): access → form → service → redirect."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from servicedesk.core.views import role_required
from servicedesk.org.models import Role, Station
from servicedesk.org.roles import has_role
from servicedesk.org.selectors import stations_visible_to
from tickets.models import WorkOrder

from . import downloads, lists, selectors, services
from .exceptions import DomainError
from .models import BillingMark, ExportJob, FeeReport, WorkReport
from .services.work_reports import is_head_of

FINANCE_READERS = selectors.FINANCE_READERS


def _error(request, exc: DomainError) -> None:
    messages.error(request, str(exc.message))


# --- billing ------------------------------------------------------------------------------------


class BillingFilter(forms.Form):
    month = forms.CharField(label=gettext_lazy("Month"), required=False, widget=forms.TextInput(attrs={"type": "month"}))
    station = forms.ModelChoiceField(label=gettext_lazy("Service station"), required=False, queryset=Station.objects.none(),
                                     empty_label=gettext_lazy("All stations"))
    mark = forms.ChoiceField(label=gettext_lazy("Reconciliation"), required=False, choices=[
        ("", gettext_lazy("All")), ("paid", gettext_lazy("Payment received")), ("unpaid", gettext_lazy("Payment outstanding")),
        ("none", gettext_lazy("Not reconciled yet")),
    ])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations_visible_to(user)

    def clean_month(self):
        value = self.cleaned_data.get("month") or timezone.localdate().strftime("%Y-%m")
        try:
            return services.parse_month(value)
        except DomainError as exc:
            raise forms.ValidationError(str(exc.message)) from None


def _billing_filters(request):
    form = BillingFilter(request.GET or None, user=request.user)
    month, station, mark = timezone.localdate().replace(day=1), None, ""
    if form.is_bound and form.is_valid():
        month, station, mark = form.cleaned_data["month"], form.cleaned_data["station"], form.cleaned_data["mark"]
    return form, month, station, mark


@role_required(*FINANCE_READERS)
def billing(request):
    form, month, station, mark = _billing_filters(request)
    orders = selectors.billing_page(month=month, station=station, mark=mark)
    page = Paginator(orders, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "reports/billing.html", {
        "form": form, "page": page, "month": month, "station": station, "filter_query": query.urlencode(),
        "can_mark": request.user.is_superuser or has_role(request.user, Role.FINANCE),
        "mark_choices": BillingMark.Status.choices, "figures": selectors.fee_figures(month=month) if not station else None,
    })


@require_POST
@role_required(Role.FINANCE)
def billing_mark(request, order_id: int):
    order = get_object_or_404(WorkOrder.objects.all(), pk=order_id)
    try:
        services.set_billing_mark(order=order, status=request.POST.get("status", ""), note=request.POST.get("note", ""), actor=request.user)
        messages.success(request, _("%(number)s marked.") % {"number": order.number})
    except DomainError as exc:
        _error(request, exc)
    return redirect(request.POST.get("next") or reverse("reports:billing"))


@role_required(*FINANCE_READERS)
def billing_export(request):
    _form, month, station, _mark = _billing_filters(request)
    return _start(request, "billing_sheet", {"month": month.isoformat(), "station": station.pk if station else None})


# --- exports ------------------------------------------------------------------------------------


def _start(request, kind: str, params: dict):
    """Small exports come straight back as the file; large ones go to the progress page."""
    try:
        job = services.start_export(kind=kind, params=params, actor=request.user)
    except DomainError as exc:
        _error(request, exc)
        return redirect(request.META.get("HTTP_REFERER") or reverse("home"))
    if job.status == ExportJob.Status.DONE:
        return downloads.export_file_response(job)
    return redirect("reports:export_job", pk=job.pk)


@login_required
def list_export(request, name: str):
    """Excel of a list screen with the filters of its query string (``/reports/export/tickets/?status=new``)."""
    if name not in lists.registered_lists():
        raise Http404
    return _start(request, "list", {"list": name, "filters": lists.clean_filters(request.GET)})


@login_required
def export_job(request, pk: int):
    job = downloads.job_for(request.user, pk)
    return render(request, "reports/export_job.html", {"job": job})


@login_required
def export_progress(request, pk: int):
    job = downloads.job_for(request.user, pk)
    return JsonResponse(downloads.job_progress(job, download_url=reverse("reports:export_download", args=[job.pk])))


@login_required
def export_download(request, pk: int):
    return downloads.export_file_response(downloads.job_for(request.user, pk))


# --- fee reports --------------------------------------------------------------------------------


@role_required(*FINANCE_READERS)
def fee_reports(request):
    if request.method == "POST":
        try:
            report = services.prepare_fee_report(month=request.POST.get("month", ""), note=request.POST.get("note", ""), actor=request.user)
            return redirect("reports:fee_report", pk=report.pk)
        except DomainError as exc:
            _error(request, exc)
    page = Paginator(selectors.fee_reports(), 24).get_page(request.GET.get("page"))
    return render(request, "reports/fee_reports.html", {
        "page": page, "can_prepare": request.user.is_superuser or has_role(request.user, Role.FINANCE),
        "default_month": timezone.localdate().strftime("%Y-%m"),
    })


@role_required(*FINANCE_READERS)
def fee_report(request, pk: int):
    report = get_object_or_404(selectors.fee_reports(), pk=pk)
    if request.method == "POST":
        step = request.POST.get("step")
        comment = request.POST.get("comment", "")
        try:
            if step == "prepare":
                services.prepare_fee_report(month=report.month, actor=request.user)
            elif step == "submit":
                services.submit_fee_report(report=report, actor=request.user)
            elif step == "approve":
                services.approve_fee_report(report=report, actor=request.user, comment=comment)
            elif step == "return":
                services.return_fee_report(report=report, actor=request.user, comment=comment)
            else:
                raise DomainError(_("Unknown step."), field="step")
            messages.success(request, _("Saved."))
        except DomainError as exc:
            _error(request, exc)
        return redirect("reports:fee_report", pk=report.pk)
    return render(request, "reports/fee_report.html", {
        "report": report, "steps": selectors.fee_report_steps(report),
        "is_finance": request.user.is_superuser or has_role(request.user, Role.FINANCE),
        "is_manager": request.user.is_superuser or has_role(request.user, *selectors.MANAGERS),
    })


# --- work reports -------------------------------------------------------------------------------


def _work_report_reader(user) -> bool:
    return user.is_superuser or has_role(user, Role.MANAGER, Role.GENERAL_MANAGER, Role.STATION_HEAD) or user.supervised_stations.exists()


@login_required
def work_reports(request):
    if not _work_report_reader(request.user):
        raise PermissionDenied(_("This page is for another role."))
    qs = selectors.work_reports_visible_to(request.user)
    status = request.GET.get("status", "")
    if status in WorkReport.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "reports/work_reports.html", {"page": page, "status": status, "statuses": WorkReport.Status.choices})


class NarrativeForm(forms.ModelForm):
    class Meta:
        model = WorkReport
        fields = list(WorkReport.NARRATIVE_FIELDS)
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in WorkReport.NARRATIVE_FIELDS}


@login_required
def work_report(request, pk: int):
    report = get_object_or_404(selectors.work_reports_visible_to(request.user), pk=pk)
    head = is_head_of(request.user, report.station)
    if request.method == "POST":
        step = request.POST.get("step")
        comment = request.POST.get("comment", "")
        try:
            if step == "save":
                services.edit_work_report(report=report, actor=request.user,
                                          **{n: request.POST.get(n, "") for n in WorkReport.NARRATIVE_FIELDS})
            elif step == "refresh":
                services.refresh_work_report(report=report, actor=request.user)
            elif step == "submit":
                services.submit_work_report(report=report, actor=request.user)
            elif step == "approve":
                services.approve_work_report(report=report, actor=request.user, comment=comment)
            elif step == "return":
                services.return_work_report(report=report, actor=request.user, comment=comment)
            elif step == "reply":
                services.reply_work_report(report=report, actor=request.user, reply=request.POST.get("reply", ""))
            else:
                raise DomainError(_("Unknown step."), field="step")
            messages.success(request, _("Saved."))
        except DomainError as exc:
            _error(request, exc)
        return redirect("reports:work_report", pk=report.pk)
    return render(request, "reports/work_report.html", {
        "report": report,
        "steps": report.steps.select_related("actor").order_by("at", "pk"),
        "form": NarrativeForm(instance=report) if head and report.status in WorkReport.EDITABLE else None,
        "is_head": head,
        "is_manager": request.user.is_superuser or has_role(request.user, *selectors.MANAGERS),
        "is_supervisor": request.user.is_superuser or report.station.provincial_supervisor_id == request.user.pk,
        "kind_labels": dict(WorkOrder._meta.get_field("category").choices),
    })
