from django.contrib import admin

from .models import JobHeartbeat, NumberSequence


@admin.register(JobHeartbeat)
class JobHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "last_started_at", "last_finished_at", "runs"]
    readonly_fields = ["name", "last_started_at", "last_finished_at", "last_error", "runs"]

    def has_add_permission(self, request):
        return False


@admin.register(NumberSequence)
class NumberSequenceAdmin(admin.ModelAdmin):
    list_display = ["prefix", "year", "last"]
    readonly_fields = ["prefix", "year", "last"]

    def has_add_permission(self, request):
        return False
