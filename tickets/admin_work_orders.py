"""Admin of work orders: the supervisor's review desk and a read-only record of each order.

Nothing on a work order is edited here: steps happen on the tablet or through the API, and the
review is an action calling :func:`tickets.work_orders.review_order`. Signed orders are frozen in
the database anyway; the seal check is an action too.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicedesk.audit.admin import AuditedModelAdmin
from servicedesk.core.exceptions import DomainError

from . import selectors, work_orders
from .admin import EstimatedCountPaginator
from .models import WorkOrder, WorkOrderItem, WorkOrderLog, WorkOrderOldPart, WorkOrderPart, WorkOrderPhoto


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ItemInline(_ReadOnlyInline):
    model = WorkOrderItem
    fields = readonly_fields = ["code", "name", "unit_price", "qty", "chargeable", "amount", "checklist_done", "acceptance_ok"]


class PartInline(_ReadOnlyInline):
    model = WorkOrderPart
    fields = readonly_fields = ["part", "location", "qty", "unit_price", "chargeable", "is_warranty", "amount", "stock_move"]


class OldPartInline(_ReadOnlyInline):
    model = WorkOrderOldPart
    fields = readonly_fields = ["part", "qty", "is_warranty", "note"]


class PhotoInline(_ReadOnlyInline):
    model = WorkOrderPhoto
    fields = readonly_fields = ["preview", "caption", "size", "uploaded_by", "uploaded_at"]

    @admin.display(description=gettext_lazy("photo"))
    def preview(self, obj):
        # Served by the API view that checks the permission, never from /media/.
        url = reverse("workorder-photo-image", kwargs={"version": "v1", "pk": obj.order_id, "photo_id": obj.pk})
        return format_html('<a href="{}" target="_blank"><img src="{}" class="sd-thumb" alt=""></a>', url, url)


class StepInline(_ReadOnlyInline):
    model = WorkOrderLog
    fields = readonly_fields = ["kind", "at", "actor", "data"]


@admin.register(WorkOrder)
class WorkOrderAdmin(AuditedModelAdmin):
    list_display = ["number", "ticket", "customer", "technician", "status", "category", "service_date", "total_charge", "signed_at"]
    list_filter = ["status", "category", "technician__station", "service_date", "is_carry_in"]
    search_fields = ["number", "ticket__number", "customer__name", "technician__name"]
    list_select_related = ["ticket", "customer", "technician"]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    paginator = EstimatedCountPaginator
    date_hierarchy = None
    actions = ["review_selected", "verify_selected"]
    inlines = [ItemInline, PartInline, OldPartInline, PhotoInline, StepInline]
    fieldsets = [
        (None, {"fields": ["number", "version", "supersedes", "rework_of", "ticket", "customer", "technician", "status",
                           "category", "category_reason", "dispatch_reasons"]}),
        (gettext_lazy("Times"), {"fields": ["dispatched_at", "accepted_at", "appointment_at", "arrived_at", "started_at",
                                            "completed_at", "signed_at", "reviewed_at", "reviewed_by", "closed_at"]}),
        (gettext_lazy("Report"), {"fields": ["fault_reported", "diag_listen", "diag_look", "diag_check", "running_time",
                                             "opened_before", "cause", "responsibility", "resolution", "notes", "labour_minutes"]}),
        (gettext_lazy("Money"), {"fields": ["labour_charge", "price_confirmed_amount", "price_confirmed_at", "total_charge",
                                            "payment_method"]}),
        (gettext_lazy("Signature and seal"), {"fields": ["customer_name", "service_address", "unit_label", "signature_preview",
                                                         "seal_seq", "seal_digest", "seal_previous", "seal_chain"]}),
        (gettext_lazy("Hold, cancellation, review"), {"fields": ["hold_reason", "cancelled_at", "cancel_reason", "review_comment"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [f for group in self.fieldsets for f in group[1]["fields"]]

    @admin.display(description=gettext_lazy("customer signature"))
    def signature_preview(self, obj):
        if obj.signed_at is None:
            return "—"
        url = reverse("workorder-signature-image", kwargs={"version": "v1", "pk": obj.pk})
        return format_html('<img src="{}" class="sd-signature-thumb" alt="">', url)

    def get_queryset(self, request):
        return selectors.work_orders_visible_to(request.user).order_by(*(self.get_ordering(request) or WorkOrder._meta.ordering))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # The change page is a read-only record; the actions below need the change permission.
        return request.user.has_perm("tickets.change_workorder") if obj is None else False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_review_permission(self, request):
        return request.user.has_perm("tickets.change_workorder")

    @admin.action(description=gettext_lazy("Review and close the selected signed work orders"), permissions=["review"])
    def review_selected(self, request, queryset):
        done = 0
        for order in queryset.order_by("pk"):
            try:
                work_orders.review_order(order=order, actor=request.user)
                done += 1
            except DomainError as e:
                self.message_user(request, f"{order.number}: {e.message}", messages.ERROR)
        if done:
            self.message_user(request, _("%(n)d work orders reviewed and closed.") % {"n": done}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Verify the seals (all signed orders)"))
    def verify_selected(self, request, queryset):
        problems = work_orders.verify_seals()
        if not problems:
            self.message_user(request, _("Every signed work order verifies: no alteration found."), messages.SUCCESS)
        for p in problems:
            self.message_user(request, _("%(number)s fails verification: %(reasons)s") % {"number": p["number"], "reasons": ", ".join(p["reasons"])}, messages.ERROR)
