from django.contrib import admin

from .models import ClockFiring


@admin.register(ClockFiring)
class ClockFiringAdmin(admin.ModelAdmin):
    list_display = ["fired_at", "clock_model", "clock_id", "kind", "due_at"]
    list_filter = ["kind", "clock_model"]
    readonly_fields = ["clock_model", "clock_id", "kind", "due_at", "fired_at"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
