"""Admin: visit targets, monthly plans, visits (read), renewal tasks for the desk, the reminder log,
callback plans and quotas, callbacks (read, assign, release).

Querysets come from the selectors (scoped by who asks); every change goes through a service —
actions, the custom views below, and the two change forms (targets) that call one service each.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from servicedesk.audit.admin import AuditedModelAdmin
from servicedesk.core.exceptions import DomainError
from servicedesk.core.xlsx import DATE, INTEGER, Column, write_table
from tickets.models import Contract, WorkOrder

from . import callbacks, policy, selectors, services
from .forms import MonthInput, RenewalCloseForm
from .models import (
    Callback,
    CallbackAttempt,
    CallbackPlan,
    CallbackQuota,
    Reminder,
    RenewalTask,
    Visit,
    VisitPlan,
    VisitPolicy,
)
from .reminders import page_url

EXPORT_LIMIT = 20_000


def _xlsx_response(title: str, filename: str, columns, rows, user) -> HttpResponse:
    now = timezone.localtime()
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    write_table(
        ws, columns, rows, title=title,
        subtitle=_("Exported on %(date)s by %(user)s") % {"date": now.strftime("%Y-%m-%d %H:%M"), "user": user.get_username()},
    )
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{now:%Y%m%d-%H%M}.xlsx"'
    wb.save(response)
    return response


def _too_many(modeladmin, request, queryset) -> bool:
    if queryset.order_by().values("pk")[: EXPORT_LIMIT + 1].count() > EXPORT_LIMIT:
        modeladmin.message_user(
            request, _("More than %(limit)d rows: narrow the list with the filters before exporting.") % {"limit": EXPORT_LIMIT},
            messages.ERROR,
        )
        return True
    return False


# --- targets ------------------------------------------------------------------------------------


@admin.register(VisitPolicy)
class VisitPolicyAdmin(AuditedModelAdmin):
    """The one row of default targets; changing it affects plans made from then on."""

    list_display = ["__str__", "visits_target", "problems_target", "updated_at"]
    fields = ["visits_target", "problems_target"]

    def get_queryset(self, request):
        services.get_policy()  # the row exists from the first look on
        return super().get_queryset(request)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.set_policy_targets(
            visits_target=form.cleaned_data["visits_target"], problems_target=form.cleaned_data["problems_target"],
            actor=request.user,
        )


class PlanMonthForm(forms.Form):
    month = forms.CharField(label=gettext_lazy("Month"), widget=MonthInput(), help_text=gettext_lazy("YYYY-MM"))

    def clean_month(self):
        try:
            return policy.parse_month(self.cleaned_data["month"])
        except ValueError:
            raise forms.ValidationError(_("Enter a month as YYYY-MM, e.g. 2026-11.")) from None


@admin.register(VisitPlan)
class VisitPlanAdmin(AuditedModelAdmin):
    list_display = ["technician", "station", "month_label", "visits_target", "problems_target", "note", "updated_by"]
    list_filter = ["month", "technician__station"]
    search_fields = ["technician__name", "technician__employee_no"]
    list_select_related = ["technician", "technician__station", "updated_by"]
    fields = ["technician", "month", "visits_target", "problems_target", "note"]
    readonly_fields = ["technician", "month"]
    show_full_result_count = False

    def get_queryset(self, request):
        return selectors.plans_visible_to(request.user).order_by("-month", "technician__name", "pk")

    def has_add_permission(self, request):
        return False  # plans are made per month for everyone at once (the button above the list)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("service station"), ordering="technician__station__code")
    def station(self, obj):
        return obj.technician.station.name if obj.technician.station_id else "—"

    @admin.display(description=gettext_lazy("month"), ordering="month")
    def month_label(self, obj):
        return obj.month.strftime("%Y-%m")

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        services.set_plan_targets(
            plan=obj, visits_target=data["visits_target"], problems_target=data["problems_target"], note=data["note"],
            actor=request.user,
        )

    def get_urls(self):
        return [
            path("plan-month/", self.admin_site.admin_view(self.plan_month_view), name="visits_visitplan_plan_month"),
            *super().get_urls(),
        ]

    def plan_month_view(self, request):
        """Make the plans of one month for every technician the user sees who has none (from the default targets)."""
        if not request.user.has_perm("visits.add_visitplan"):
            raise PermissionDenied
        form = PlanMonthForm(request.POST or None, initial={"month": timezone.localdate().strftime("%Y-%m")})
        if request.method == "POST" and form.is_valid():
            month = form.cleaned_data["month"]
            made = services.plan_month_for_all(
                month=month, actor=request.user, technicians=selectors.technicians_visible_to(request.user)
            )
            self.message_user(
                request, _("%(n)d plans made for %(month)s.") % {"n": made, "month": month.strftime("%Y-%m")}, messages.SUCCESS
            )
            return HttpResponseRedirect(f"{reverse('admin:visits_visitplan_changelist')}?month={month.isoformat()}")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Plan a month for every technician"),
            "opts": self.model._meta,
            "form": form,
            "defaults": services.get_policy(),
        }
        return TemplateResponse(request, "admin/visits/plan_month.html", context)


# --- visits -------------------------------------------------------------------------------------


@admin.action(description=gettext_lazy("Export to Excel"), permissions=["view"])
def export_visits(modeladmin, request, queryset):
    if _too_many(modeladmin, request, queryset):
        return None
    columns = [
        Column(_("technician")), Column(_("service station")), Column(_("customer")), Column(_("status")), Column(_("purpose")),
        Column(_("planned for"), DATE), Column(_("visit date"), DATE), Column(_("problems resolved"), INTEGER),
        Column(_("visit report"), width=60),
    ]
    rows = (
        (
            v.technician.name, v.technician.station.name if v.technician.station_id else "", v.customer.name,
            v.get_status_display(), v.get_purpose_display(), v.planned_for, v.visit_date, v.problems_resolved, v.report,
        )
        for v in queryset.iterator(chunk_size=1000)
    )
    return _xlsx_response(str(Visit._meta.verbose_name_plural), "visits", columns, rows, request.user)


@admin.register(Visit)
class VisitAdmin(AuditedModelAdmin):
    """Visits are recorded on the tablet or through the API; here they are read and exported."""

    list_display = ["customer", "technician", "status", "purpose", "planned_for", "visit_date", "problems_resolved"]
    list_filter = ["status", "purpose", "technician__station", "visit_date"]
    search_fields = ["customer__name", "technician__name", "report"]
    list_select_related = ["customer", "technician", "technician__station"]
    date_hierarchy = "visit_date"
    show_full_result_count = False
    actions = [export_visits]
    readonly_fields = [
        "technician", "customer", "status", "purpose", "planned_for", "visit_date", "problems_resolved", "report",
        "cancel_reason", "created_by", "created_at", "closed_by", "closed_at",
    ]
    fields = readonly_fields

    def get_queryset(self, request):
        return selectors.visits_visible_to(request.user).order_by("-visit_date", "-planned_for", "-pk")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- renewals (the desk's view) -----------------------------------------------------------------


class RenewalStateFilter(admin.SimpleListFilter):
    title = gettext_lazy("renewal now")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("due", _("Notice due, contract running")),
            ("expired", _("Contract expired, not renewed")),
            ("closed", _("Closed")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "due":
            return queryset.filter(status=RenewalTask.Status.OPEN, contract__end_date__gte=today)
        if self.value() == "expired":
            return queryset.filter(status=RenewalTask.Status.OPEN, contract__end_date__lt=today)
        if self.value() == "closed":
            return queryset.exclude(status=RenewalTask.Status.OPEN)
        return queryset


@admin.action(description=gettext_lazy("Record that the expiry notice was given today"), permissions=["change"])
def record_notice_today(modeladmin, request, queryset):
    today = timezone.localdate()
    done = 0
    for task in queryset.filter(status=RenewalTask.Status.OPEN, notice_given_on__isnull=True):
        try:
            services.record_renewal_notice(task=task, given_on=today, actor=request.user)
            done += 1
        except DomainError as error:
            modeladmin.message_user(request, f"{task.contract.number}: {error.message}", messages.ERROR)
    modeladmin.message_user(request, _("Expiry notice recorded for %(n)d renewals.") % {"n": done}, messages.SUCCESS)


@admin.action(description=gettext_lazy("Export to Excel"), permissions=["view"])
def export_renewals(modeladmin, request, queryset):
    if _too_many(modeladmin, request, queryset):
        return None
    columns = [
        Column(_("contract")), Column(_("customer")), Column(_("service station")), Column(_("owning technician")),
        Column(_("notice due on"), DATE), Column(_("contract ends on"), DATE), Column(_("status")),
        Column(_("notice given on"), DATE), Column(_("new contract")), Column(_("outcome"), width=40),
    ]
    rows = (
        (
            t.contract.number, t.contract.customer.name, t.contract.customer.station.name, t.assignee.name if t.assignee else "",
            t.due_date, t.contract.end_date, t.get_status_display(), t.notice_given_on,
            t.new_contract.number if t.new_contract_id else "", t.outcome,
        )
        for t in queryset.iterator(chunk_size=1000)
    )
    return _xlsx_response(str(RenewalTask._meta.verbose_name_plural), "renewals", columns, rows, request.user)


@admin.register(RenewalTask)
class RenewalTaskAdmin(AuditedModelAdmin):
    """续约 for the dispatcher and the manager: what is due, what expired unrenewed, and closing a renewal."""

    list_display = [
        "contract", "customer", "station", "assignee", "due_date", "contract_end", "status", "notice_given_on", "state",
    ]
    list_filter = [RenewalStateFilter, "status", "contract__customer__station"]
    search_fields = ["contract__number", "contract__customer__name", "assignee__name"]
    list_select_related = ["contract", "contract__customer", "contract__customer__station", "assignee", "new_contract"]
    show_full_result_count = False
    actions = [record_notice_today, export_renewals]
    readonly_fields = [
        "contract", "customer", "assignee", "due_date", "contract_end", "status", "notice_given_on", "outcome",
        "new_contract", "created_at", "closed_at", "closed_by", "page_link",
    ]
    fields = readonly_fields

    def get_queryset(self, request):
        return selectors.renewals_visible_to(request.user).order_by("due_date", "pk")

    def has_add_permission(self, request):
        return False  # opened by the daily job (or the button above the list), one per contract

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("customer"), ordering="contract__customer__name")
    def customer(self, obj):
        return obj.contract.customer.name

    @admin.display(description=gettext_lazy("service station"), ordering="contract__customer__station__code")
    def station(self, obj):
        return obj.contract.customer.station.name

    @admin.display(description=gettext_lazy("contract ends on"), ordering="contract__end_date")
    def contract_end(self, obj):
        return obj.contract.end_date

    @admin.display(description=gettext_lazy("now"))
    def state(self, obj):
        if not obj.is_open:
            return obj.get_status_display()
        if obj.contract.end_date < timezone.localdate():
            return format_html('<strong class="sd-expired">{}</strong>', _("Expired, not renewed yet"))
        return _("Notice due")

    @admin.display(description=gettext_lazy("tablet page"))
    def page_link(self, obj):
        url = page_url("visits:renewal", obj.pk)
        return format_html('<a href="{}">{}</a>', url, url) if url else "—"

    def get_urls(self):
        return [
            path("open-due/", self.admin_site.admin_view(self.open_due_view), name="visits_renewaltask_open_due"),
            path("<int:pk>/close/", self.admin_site.admin_view(self.close_view), name="visits_renewaltask_close"),
            *super().get_urls(),
        ]

    def open_due_view(self, request):
        """Open now the renewal tasks the daily job would open (idempotent)."""
        if request.method != "POST" or not request.user.has_perm("visits.change_renewaltask"):
            raise PermissionDenied
        made = services.create_due_renewals()
        self.message_user(request, _("%(n)d renewal tasks opened.") % {"n": len(made)}, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:visits_renewaltask_changelist"))

    def close_view(self, request, pk: int):
        """Close one renewal: renewed (with the new contract) or not renewed (with the reason)."""
        task = get_object_or_404(self.get_queryset(request), pk=pk)
        if not request.user.has_perm("visits.change_renewaltask"):
            raise PermissionDenied
        contracts = Contract.objects.filter(customer_id=task.contract.customer_id, end_date__gt=task.contract.end_date).order_by(
            "-end_date", "number"
        )
        form = RenewalCloseForm(request.POST or None, contracts=contracts)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                task = services.complete_renewal(
                    task=task, outcome=data["outcome"], new_contract=data["new_contract"], note=data["note"], actor=request.user
                )
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error.message))
            else:
                self.message_user(
                    request, _("Renewal of %(contract)s closed: %(status)s.") % {
                        "contract": task.contract.number, "status": task.get_status_display(),
                    }, messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:visits_renewaltask_change", args=[task.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Close the renewal of %(contract)s") % {"contract": task.contract.number},
            "opts": self.model._meta,
            "original": task,
            "task": task,
            "form": form,
        }
        return TemplateResponse(request, "admin/visits/renewal_close.html", context)


# --- the reminder log ---------------------------------------------------------------------------


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """Who was reminded of what, on which day (one row per item, day and person)."""

    list_display = ["day", "item_type", "item_id", "kind", "recipient", "created_at"]
    list_filter = ["item_type", "kind", "day"]
    search_fields = ["recipient__username", "recipient__first_name"]
    list_select_related = ["recipient"]
    date_hierarchy = "day"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- callbacks ----------------------------------------------------------------------------------


class CallbackPlanForm(forms.ModelForm):
    offsets = forms.CharField(
        label=gettext_lazy("callbacks after closure"),
        help_text=gettext_lazy("Comma-separated: days (7d) or calendar months (3m) after the work order was closed."),
    )
    category = forms.ChoiceField(
        label=gettext_lazy("work-order category"), required=False,
        choices=[("", gettext_lazy("Every category"))] + [(c.value, c.label) for c in WorkOrder.Category if c.value != "D"],
    )

    class Meta:
        model = CallbackPlan
        fields = ["name", "product_line", "category", "offsets", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["offsets"] = ", ".join(self.instance.offsets)

    def clean_offsets(self):
        try:
            return policy.normalise_offsets(self.cleaned_data["offsets"])
        except ValueError as exc:
            raise forms.ValidationError(
                _("“%(value)s” is not an offset: write days as 7d or calendar months as 3m (up to two years).") % {"value": exc.args[0]}
            ) from None

    def clean(self):
        data = super().clean()
        if data.get("is_active") and "category" in data:
            overlapping = CallbackPlan.objects.filter(
                is_active=True, product_line=data.get("product_line"), category=data["category"]
            ).exclude(pk=self.instance.pk)
            if overlapping.exists():
                raise forms.ValidationError(
                    _("Another active plan already covers this product line and category; deactivate it first.")
                )
        return data


@admin.register(CallbackPlan)
class CallbackPlanAdmin(AuditedModelAdmin):
    """When closed repairs are called back; the most specific active plan wins. Saving goes through the service."""

    form = CallbackPlanForm
    list_display = ["name", "product_line", "category", "offsets_label", "is_active", "updated_at", "updated_by"]
    list_filter = ["is_active", "category", "product_line"]
    list_select_related = ["product_line", "updated_by"]

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: callbacks remember the plan they came from

    @admin.display(description=gettext_lazy("callbacks after closure"))
    def offsets_label(self, obj):
        return ", ".join(obj.offsets)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = callbacks.save_callback_plan(
            plan=obj if change else None, name=data["name"], product_line=data["product_line"], category=data["category"],
            offsets=data["offsets"], is_active=data["is_active"], actor=request.user,
        )
        obj.pk = saved.pk


@admin.register(CallbackQuota)
class CallbackQuotaAdmin(AuditedModelAdmin):
    """The one row of monthly callback quotas (SPEC §7 defaults)."""

    list_display = ["__str__", "coverage_percent", "on_site_percent", "per_technician", "manager_spot_checks",
                    "general_manager_complaints", "supervisor_customers_per_technician", "done_by_day"]

    def get_queryset(self, request):
        callbacks.get_quota()
        return super().get_queryset(request)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CallbackAttemptInline(admin.TabularInline):
    model = CallbackAttempt
    fields = ["at", "by", "outcome", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.action(description=gettext_lazy("Assign to me"), permissions=["change"])
def assign_to_me(modeladmin, request, queryset):
    done = 0
    for callback in queryset.filter(status=Callback.Status.PENDING):
        try:
            callbacks.assign_callback(callback=callback, assignee=request.user, actor=request.user)
            done += 1
        except DomainError as error:
            modeladmin.message_user(request, f"{callback}: {error.message}", messages.ERROR)
    modeladmin.message_user(request, _("%(n)d callbacks assigned to you.") % {"n": done}, messages.SUCCESS)


@admin.action(description=gettext_lazy("Back to the pool"), permissions=["change"])
def release_to_pool(modeladmin, request, queryset):
    done = 0
    for callback in queryset.filter(status=Callback.Status.PENDING):
        try:
            callbacks.assign_callback(callback=callback, assignee=None, actor=request.user)
            done += 1
        except DomainError as error:
            modeladmin.message_user(request, f"{callback}: {error.message}", messages.ERROR)
    modeladmin.message_user(request, _("%(n)d callbacks back in the pool.") % {"n": done}, messages.SUCCESS)


@admin.register(Callback)
class CallbackAdmin(AuditedModelAdmin):
    """Callbacks are recorded on the workbench page (or the API); here they are read, assigned and released."""

    list_display = ["due_date", "customer", "kind", "status", "work_order", "technician", "assignee", "required_role",
                    "attempts", "follow_up_ticket", "page_link"]
    list_filter = ["status", "kind", "required_role", "on_site_required", "customer__station", "due_date"]
    search_fields = ["customer__name", "work_order__number", "ticket__number", "technician__name"]
    list_select_related = ["customer", "work_order", "technician", "assignee", "follow_up_ticket"]
    date_hierarchy = "due_date"
    show_full_result_count = False
    actions = [assign_to_me, release_to_pool]
    inlines = [CallbackAttemptInline]
    readonly_fields = [
        "kind", "status", "customer", "work_order", "ticket", "technician", "plan", "offset", "due_date", "assignee",
        "required_role", "on_site_required", "attempts", "next_attempt_on", "channel", "answered_by", "rating_attitude",
        "rating_skill", "rating_arrival", "rating_promise", "signed_on_site", "fees_charged", "deposit_refund",
        "invoice_given", "unit_working", "comments", "done_at", "done_by", "follow_up_ticket", "parent", "escalated_at",
        "created_at", "created_by", "page_link",
    ]
    fields = readonly_fields

    def get_queryset(self, request):
        return selectors.callbacks_visible_to(request.user).order_by("due_date", "pk")

    def has_add_permission(self, request):
        return False  # planned by the closures, or picked as a spot check on the workbench

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("workbench page"))
    def page_link(self, obj):
        url = page_url("visits:callback", obj.pk)
        return format_html('<a href="{}">{}</a>', url, _("Open")) if url else "—"
