"""Admin of the price list, carry-in repairs, factory returns and compensations.

Imported from the end of ``tickets/admin.py``. Lists read through the scoped selectors; every
status change is an action that calls a service and reports domain errors with ``message_user``.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicedesk.audit.admin import AuditedModelAdmin
from servicedesk.core.exceptions import DomainError

from . import carry_in as ci
from . import compensation as comp
from .carry_in_selectors import carry_ins_visible_to, compensations_visible_to, factory_returns_visible_to
from .models import CarryIn, Compensation, FactoryReturn, GoodsRegisterEntry, ServiceItem


@admin.register(ServiceItem)
class ServiceItemAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "unit", "price", "steps", "is_active"]
    list_filter = ["is_active", "product_lines"]
    search_fields = ["code", "name", "acceptance_check"]
    filter_horizontal = ["product_lines"]
    fields = ["code", "name", "unit", "price", "product_lines", "checklist", "acceptance_check", "is_active"]

    @admin.display(description=gettext_lazy("steps"))
    def steps(self, obj):
        return len(obj.checklist or [])


def _run(model_admin, request, queryset, func, done_message: str) -> None:
    done = 0
    for obj in queryset:
        try:
            func(obj)
            done += 1
        except DomainError as exc:
            model_admin.message_user(request, f"{obj}: {exc.message}", level=messages.ERROR)
    if done:
        model_admin.message_user(request, done_message % {"n": done}, level=messages.SUCCESS)


class RegisterInline(admin.TabularInline):
    model = GoodsRegisterEntry
    extra = 0
    can_delete = False
    fields = ["at", "direction", "by", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CarryIn)
class CarryInAdmin(AuditedModelAdmin):
    list_display = ["number", "order", "goods", "status", "taken_at", "ready_at", "repair_minutes"]
    list_filter = ["status"]
    search_fields = ["number", "goods", "order__number", "order__customer__name"]
    list_select_related = ["order"]
    show_full_result_count = False
    inlines = [RegisterInline]
    actions = ["start_repair_action", "hand_back_action"]
    readonly_fields = [f.name for f in CarryIn._meta.fields]

    def get_queryset(self, request):
        return carry_ins_visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("Start the repair"), permissions=["view"])
    def start_repair_action(self, request, queryset):
        _run(self, request, queryset, lambda c: ci.start_repair(carry_in=c, actor=request.user), _("%(n)d repairs started."))

    @admin.action(description=gettext_lazy("Hand back to the customer (voids the receipt)"), permissions=["view"])
    def hand_back_action(self, request, queryset):
        _run(self, request, queryset, lambda c: ci.hand_back(carry_in=c, actor=request.user), _("%(n)d units handed back."))


@admin.register(FactoryReturn)
class FactoryReturnAdmin(AuditedModelAdmin):
    list_display = ["carry_in", "status", "requested_by", "requested_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["carry_in", "requested_by", "decided_by"]
    readonly_fields = [f.name for f in FactoryReturn._meta.fields]
    actions = ["approve_action"]

    def get_queryset(self, request):
        return factory_returns_visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("Approve the return to the factory"), permissions=["view"])
    def approve_action(self, request, queryset):
        _run(self, request, queryset, lambda r: ci.decide_factory_return(factory_return=r, actor=request.user, approve=True),
             _("%(n)d returns approved."))


@admin.register(Compensation)
class CompensationAdmin(AuditedModelAdmin):
    list_display = ["number", "order", "kind", "amount", "approver_role", "status", "requested_at", "finance_notified_at"]
    list_filter = ["status", "approver_role", "kind"]
    search_fields = ["number", "order__number", "order__customer__name"]
    list_select_related = ["order"]
    readonly_fields = [f.name for f in Compensation._meta.fields]
    actions = ["approve_action"]

    def get_queryset(self, request):
        return compensations_visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("Approve (manager up to the limit, general manager above)"), permissions=["view"])
    def approve_action(self, request, queryset):
        _run(self, request, queryset, lambda c: comp.approve_compensation(compensation=c, actor=request.user),
             _("%(n)d compensations approved."))
