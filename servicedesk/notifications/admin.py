from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "title", "read_at", "email_status"]
    list_filter = ["kind", "email_status"]
    search_fields = ["title", "key", "recipient__username"]
    list_select_related = ["recipient"]
    show_full_result_count = False
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
