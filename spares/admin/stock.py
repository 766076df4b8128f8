"""Admin of the catalogue, the locations and the (read-only) ledger: stock by location, move history."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import F, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from servicedesk.audit.admin import AuditedModelAdmin

from .. import selectors
from ..exports import moves_response, stock_response
from ..models import Location, Part, SparesPolicy, StockBalance, StockMove
from .base import ScopedAdmin


@admin.register(SparesPolicy)
class SparesPolicyAdmin(AuditedModelAdmin):
    list_display = ["__str__", "out_of_stock_reply_days", "out_of_stock_reminder_hours"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SparesPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class BalanceInline(admin.TabularInline):
    model = StockBalance
    fields = ["location", "qty"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("Stock by location")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return selectors.balances_visible_to(request.user).order_by("location__code")


@admin.register(Part)
class PartAdmin(AuditedModelAdmin):
    list_display = ["number", "name", "spec", "unit", "price", "low_stock_threshold", "is_active", "move_history"]
    list_filter = ["is_active", "product_lines"]
    search_fields = ["number", "name", "spec"]
    filter_horizontal = ["product_lines"]
    inlines = [BalanceInline]
    show_full_result_count = False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("moves"))
    def move_history(self, obj):
        url = reverse("admin:spares_stockmove_changelist") + f"?part__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, gettext("Move history"))


@admin.register(Location)
class LocationAdmin(ScopedAdmin):
    selector = staticmethod(selectors.locations_visible_to)
    list_display = ["code", "name", "kind", "station", "technician", "is_active", "stock_link"]
    list_filter = ["kind", "station", "is_active"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["station", "technician"]
    list_select_related = ["station", "technician"]

    def get_readonly_fields(self, request, obj=None):
        # Kind and owner are fixed once the location exists: its moves refer to them.
        return ["kind", "station", "technician"] if obj is not None else []

    @admin.display(description=_("stock"))
    def stock_link(self, obj):
        url = reverse("admin:spares_stockbalance_changelist") + f"?location__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, gettext("Stock"))


# --- Ledger (read-only) -------------------------------------------------------------------------


class LowStockFilter(admin.SimpleListFilter):
    title = _("low stock")
    parameter_name = "low"

    def lookups(self, request, model_admin):
        return [("1", _("Below threshold")), ("0", _("Not below"))]

    def queryset(self, request, queryset):
        low = Q(part__low_stock_threshold__gt=0, qty__lt=F("part__low_stock_threshold"))
        if self.value() == "1":
            return queryset.filter(low)
        if self.value() == "0":
            return queryset.exclude(low)
        return queryset


class InStockFilter(admin.SimpleListFilter):
    title = _("on hand")
    parameter_name = "in_stock"

    def lookups(self, request, model_admin):
        return [("1", _("In stock")), ("0", _("None on hand"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(qty__gt=0)
        if self.value() == "0":
            return queryset.filter(qty=0)
        return queryset


class ReadOnlyLedgerAdmin(admin.ModelAdmin):
    """Ledger tables are written only by services; the admin shows and exports them."""

    selector = None
    show_full_result_count = False

    def get_queryset(self, request):
        return type(self).selector(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def lookup_allowed(self, lookup, value, request=None):
        # Links from a part or a location page filter by their id.
        if lookup in ("part__id__exact", "location__id__exact", "from_location__id__exact", "to_location__id__exact"):
            return True
        return super().lookup_allowed(lookup, value, request)


@admin.register(StockBalance)
class StockBalanceAdmin(ReadOnlyLedgerAdmin):
    """库存 by location: filters, search and Excel export."""

    selector = staticmethod(selectors.balances_visible_to)
    list_display = ["location", "part_number", "part_name", "qty", "unit", "threshold", "is_low", "history"]
    list_filter = ["location__kind", ("location", admin.RelatedOnlyFieldListFilter), LowStockFilter, InStockFilter,
                   "part__product_lines"]
    search_fields = ["part__number", "part__name", "location__code", "location__name"]
    list_select_related = ["part", "location"]
    ordering = ["location__code", "part__number"]
    actions = ["export_xlsx"]

    @admin.display(description=_("part number"), ordering="part__number")
    def part_number(self, obj):
        return obj.part.number

    @admin.display(description=_("name"))
    def part_name(self, obj):
        return obj.part.name

    @admin.display(description=_("unit"))
    def unit(self, obj):
        return obj.part.unit

    @admin.display(description=_("low-stock threshold"))
    def threshold(self, obj):
        return obj.part.low_stock_threshold

    @admin.display(description=_("low"), boolean=True)
    def is_low(self, obj):
        threshold = obj.part.low_stock_threshold
        return bool(threshold and obj.qty < threshold)

    @admin.display(description=_("moves"))
    def history(self, obj):
        url = reverse("admin:spares_stockmove_changelist") + f"?part__id__exact={obj.part_id}&location={obj.location_id}"
        return format_html('<a href="{}">{}</a>', url, gettext("Move history"))

    @admin.action(description=_("Export to Excel"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        return stock_response(queryset)


class MoveLocationFilter(admin.SimpleListFilter):
    title = _("location (from or to)")
    parameter_name = "location"

    def lookups(self, request, model_admin):
        return [(loc.pk, str(loc)) for loc in selectors.locations_visible_to(request.user).order_by("code")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(Q(from_location_id=self.value()) | Q(to_location_id=self.value()))
        return queryset


@admin.register(StockMove)
class StockMoveAdmin(ReadOnlyLedgerAdmin):
    """库存流水: the move history, per part (link from the part) or per location; Excel export."""

    selector = staticmethod(selectors.moves_visible_to)
    list_display = ["posted_at", "kind", "part", "qty", "from_location", "to_location", "reference", "actor"]
    list_filter = ["kind", MoveLocationFilter, "posted_at"]
    search_fields = ["reference", "part__number", "part__name"]
    list_select_related = ["part", "from_location", "to_location", "actor"]
    actions = ["export_xlsx"]

    @admin.action(description=_("Export to Excel"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        return moves_response(queryset)
