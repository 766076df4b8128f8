"""Shared admin machinery of the warehouse screens: service-backed add forms, reason pages, scoping."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from servicedesk.audit.admin import AuditedModelAdmin
from servicedesk.core.exceptions import DomainError

from .. import admin_forms


def run_each(modeladmin, request, queryset, perform, *, done_message) -> None:
    """Call ``perform(obj)`` (a service) for each selected row; report successes and each refusal."""
    done = 0
    for obj in queryset:
        try:
            perform(obj)
        except DomainError as exc:
            modeladmin.message_user(request, f"{obj}: {exc.message}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message % {"count": done}, messages.SUCCESS)


def reason_action(modeladmin, request, queryset, *, title, perform, done_message, label=None):
    """An action that first asks for a reason on an intermediate page, then runs ``perform(obj, reason)``."""
    form = admin_forms.ReasonForm(request.POST if "apply" in request.POST else None)
    if label:
        form.fields["reason"].label = label
    if "apply" in request.POST and form.is_valid():
        reason = form.cleaned_data["reason"]
        run_each(modeladmin, request, queryset, lambda obj: perform(obj, reason), done_message=done_message)
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "opts": modeladmin.model._meta,
        "objects": list(queryset),
        "form": form,
        "action": request.POST.get("action", ""),
        "select_across": request.POST.get("select_across", "0"),
    }
    return TemplateResponse(request, "admin/spares/action_reason.html", context)


def attach_error(form, formset, exc: DomainError, line_prefix: str = "lines") -> None:
    """Show a service's refusal next to the input it names (``lines.2.qty`` → third line's qty)."""
    field = exc.field or ""
    message = str(exc.message)
    parts = field.split(".")
    if formset is not None and len(parts) >= 2 and parts[0] == line_prefix and parts[1].isdigit():
        index = int(parts[1])
        name = parts[2] if len(parts) > 2 else None
        if index < len(formset.forms):
            target = formset.forms[index]
            target.add_error(name if name in target.fields else None, message)
            return
    if field in form.fields:
        form.add_error(field, message)
    else:
        form.add_error(None, message)


class ScopedAdmin(AuditedModelAdmin):
    """Rows come from the app's selector for the signed-in user; nothing is ever deleted here."""

    selector = None

    def get_queryset(self, request):
        return type(self).selector(request.user)

    def has_delete_permission(self, request, obj=None):
        return False


class DocumentAdmin(ScopedAdmin):
    """A posted document: entered through a service form, then read-only; steps are actions."""

    add_form_class = None
    line_formset_class = None
    lines_title = _("Lines")
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):
        # The change page of a posted document is a view page; actions still need the permission.
        if obj is not None:
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.concrete_fields if f.name != "id"]

    def perform_create(self, request, data, lines):
        raise TypeError(f"{type(self).__name__} must define perform_create(request, data, lines)")

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        post = request.POST if request.method == "POST" else None
        form = self.add_form_class(post, user=request.user)
        formset = (
            self.line_formset_class(post, prefix="lines", form_kwargs={"user": request.user})
            if self.line_formset_class
            else None
        )
        if post is not None and form.is_valid() and (formset is None or formset.is_valid()):
            lines = None
            if formset is not None:
                lines = [f.cleaned_data for f in formset if f.cleaned_data and self._line_filled(f.cleaned_data)]
            try:
                obj = self.perform_create(request, form.cleaned_data, lines)
            except DomainError as exc:
                attach_error(form, formset, exc)
            else:
                self.message_user(
                    request, gettext("%(document)s was posted.") % {"document": obj}, messages.SUCCESS
                )
                opts = self.model._meta
                return redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
        media = self.media + form.media + (formset.media if formset is not None else form.media)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("New %(document)s") % {"document": self.model._meta.verbose_name},
            "opts": self.model._meta,
            "form": form,
            "formset": formset,
            "lines_title": self.lines_title,
            "media": media,
            "submit_label": gettext("Post"),
        }
        return TemplateResponse(request, "admin/spares/service_form.html", context)

    @staticmethod
    def _line_filled(data) -> bool:
        return any(value not in (None, "") for key, value in data.items() if key not in ("action",))


class DocumentLineInline(admin.TabularInline):
    """The lines of a posted document, shown on its (view-only) page.

    Lines have no permissions of their own: whoever may see the document sees its lines.
    """

    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None):
        return True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
