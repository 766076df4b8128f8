from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from servicedesk.audit.admin import AuditedModelAdmin

from .models import Department, ProductLine, Staff, Station
from .roles import role_label


@admin.register(Department)
class DepartmentAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "manager"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["manager"]
    list_select_related = ["manager"]


@admin.register(Station)
class StationAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "province", "region", "head", "provincial_supervisor", "is_active"]
    list_filter = ["province", "is_active"]
    search_fields = ["code", "name", "province", "region"]
    autocomplete_fields = ["head", "provincial_supervisor"]
    list_select_related = ["head", "provincial_supervisor"]


@admin.register(ProductLine)
class ProductLineAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]


@admin.register(Staff)
class StaffAdmin(AuditedModelAdmin):
    list_display = ["employee_no", "name", "user", "station", "zone", "status", "roles"]
    list_filter = ["status", "station", "zone", "user__groups"]
    search_fields = ["employee_no", "name", "phone", "user__username"]
    autocomplete_fields = ["user", "station", "supervisor"]
    filter_horizontal = ["skills"]
    list_select_related = ["user", "station"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("user__groups")

    @admin.display(description=_("roles"))
    def roles(self, obj):
        return ", ".join(sorted(role_label(g.name) for g in obj.user.groups.all()))
