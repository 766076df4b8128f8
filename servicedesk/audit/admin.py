"""Admin integration: the "History" button of every audited model shows the trigger-recorded trail."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from .selectors import history_of


class AuditedAdminMixin:
    """Replaces Django's LogEntry-based history page with the database audit trail.

    LogEntry only knows admin edits; the audit trail also has API, tablet, task and bulk changes.
    """

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(_("This object does not exist."))
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": _("History of %(object)s") % {"object": obj},
            "subtitle": None,
            "opts": opts,
            "object": obj,
            "entries": history_of(obj),
            "audit_enabled": connection.vendor == "postgresql",
            "has_view_permission": self.has_view_permission(request, obj),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/audit_history.html", context)


class AuditedModelAdmin(AuditedAdminMixin, admin.ModelAdmin):
    pass
