from django.contrib import admin

from servicedesk.audit.admin import AuditedModelAdmin

from .models import Contact, Contract, Customer, Unit


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["name", "phone", "title", "is_primary"]


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0
    fields = ["product_line", "model", "serial_number", "purchase_date", "warranty_start", "warranty_end"]
    show_change_link = True


@admin.register(Customer)
class CustomerAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "phone", "zone", "station", "owner", "is_key"]
    list_filter = ["kind", "zone", "station", "is_key"]
    search_fields = ["name", "phone", "address", "contacts__phone"]
    autocomplete_fields = ["station", "owner"]
    list_select_related = ["station", "owner"]
    inlines = [ContactInline, UnitInline]
    show_full_result_count = False


@admin.register(Unit)
class UnitAdmin(AuditedModelAdmin):
    list_display = ["serial_number", "model", "product_line", "customer", "purchase_date", "warranty_end"]
    list_filter = ["product_line"]
    search_fields = ["serial_number", "model", "customer__name"]
    autocomplete_fields = ["customer", "product_line"]
    list_select_related = ["customer", "product_line"]
    show_full_result_count = False


@admin.register(Contract)
class ContractAdmin(AuditedModelAdmin):
    list_display = ["number", "customer", "kind", "start_date", "end_date", "annual_fee", "fee_status"]
    list_filter = ["kind", "fee_status"]
    search_fields = ["number", "customer__name"]
    autocomplete_fields = ["customer", "units", "signed_by"]
    list_select_related = ["customer"]
