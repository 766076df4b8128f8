"""The dispatcher's admin: customers, units, contracts, the ticket desk, work orders and policies.

Every queryset comes from the selectors (scoped by who asks); every change of a ticket goes through
a service (``tickets/views.py`` holds the pages and forms that call them). The ticket list is built
for a big table: no full COUNT(*), related rows joined, clocks prefetched in one query.
"""

from __future__ import annotations

import json

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from servicedesk.audit.admin import AuditedModelAdmin
from servicedesk.core.xlsx import Column, write_table

from . import selectors, views
from .admin_changelist import ACTION_CHECKBOX_LABEL, TicketChangeList, registered_html
from .filters import breached_now, due_on, warning_now
from .models import Contact, Contract, Customer, SLAPolicy, Ticket, TicketLog, Unit, WarrantyPolicy, WorkOrder

# --- big tables ---------------------------------------------------------------------------------


class EstimatedCountPaginator(Paginator):
    """Page numbers without COUNT(*) over a big table (Django ticket #8408; K. Bhatt's recipe).

    Unfiltered: PostgreSQL's own row estimate (``pg_class.reltuples``), free and close enough for
    "about 200 000 tickets". Filtered: an exact count that stops after ``exact_below`` rows; past
    that, the planner's estimate for the filter. Small results are therefore always exact.
    """

    exact_below = 10_000

    @cached_property
    def count(self) -> int:
        qs = self.object_list
        bounded_qs = qs.order_by().values("pk")[: self.exact_below + 1]
        if connection.vendor != "postgresql":
            return bounded_qs.count()
        inner_sql, inner_params = bounded_qs.query.get_compiler(using=qs.db).as_sql()
        with connection.cursor() as cursor:
            if not qs.query.where:
                # One round trip: the catalogue's estimate when the table is big, else the exact
                # bounded count (PostgreSQL evaluates the sub-select only on that CASE branch).
                cursor.execute(
                    "SELECT CASE WHEN c.reltuples >= %s THEN c.reltuples::bigint "
                    f"ELSE (SELECT COUNT(*) FROM ({inner_sql}) bounded) END "
                    "FROM pg_class c WHERE c.oid = %s::regclass",
                    [self.exact_below, *inner_params, qs.model._meta.db_table],
                )
            else:
                cursor.execute(f"SELECT COUNT(*) FROM ({inner_sql}) bounded", inner_params)
            found = int(cursor.fetchone()[0])
            if found <= self.exact_below or not qs.query.where:
                return found
            sql, params = qs.order_by().values("pk").query.get_compiler(using=qs.db).as_sql()
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        return max(found, int(plan[0]["Plan"]["Plan Rows"]))


# --- Excel export (formula-safe: servicedesk.core.xlsx) -----------------------------------------

EXPORT_LIMIT = 20_000


@admin.action(description=gettext_lazy("Export to Excel"), permissions=["view"])
def export_to_excel(modeladmin, request, queryset):
    """The selected rows (or the whole filtered list with “select all”) as an .xlsx file."""
    if queryset.order_by().values("pk")[: EXPORT_LIMIT + 1].count() > EXPORT_LIMIT:
        modeladmin.message_user(
            request,
            _("More than %(limit)d rows: narrow the list with the filters before exporting.") % {"limit": EXPORT_LIMIT},
            messages.ERROR,
        )
        return None
    now = timezone.localtime()
    wb = Workbook()
    ws = wb.active
    ws.title = str(modeladmin.model._meta.verbose_name_plural)[:31]
    write_table(
        ws,
        modeladmin.xlsx_columns(),
        (modeladmin.xlsx_row(obj, now) for obj in modeladmin.xlsx_queryset(queryset).iterator(chunk_size=1000)),
        title=str(modeladmin.model._meta.verbose_name_plural),
        subtitle=_("Exported on %(date)s by %(user)s") % {"date": now.strftime("%Y-%m-%d %H:%M"), "user": request.user.get_username()},
    )
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{modeladmin.model._meta.model_name}s-{now:%Y%m%d-%H%M}.xlsx"'
    wb.save(response)
    return response


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


# --- customers, units, contracts ----------------------------------------------------------------


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["name", "phone", "title", "is_primary"]


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0
    fields = ["product_line", "model", "serial_number", "purchase_date", "warranty_start", "warranty_end"]
    show_change_link = True


def _register_link(query: str):
    return format_html('<a class="button" href="{}?{}">{}</a>', reverse("admin:tickets_ticket_register"), query, _("Register a call"))


@admin.register(Customer)
class CustomerAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "phone", "zone", "station", "owner", "is_key", "register_call"]
    list_filter = ["kind", "zone", "station", "is_key"]
    search_fields = ["name", "phone", "address", "contacts__phone"]
    autocomplete_fields = ["station", "owner"]
    list_select_related = ["station", "owner"]
    inlines = [ContactInline, UnitInline]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    actions = [export_to_excel]

    def get_queryset(self, request):
        return selectors.customers_visible_to(request.user).order_by(*(self.get_ordering(request) or ["name", "pk"]))

    @admin.display(description=gettext_lazy("call"))
    def register_call(self, obj):
        return _register_link(f"customer={obj.pk}")

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            tickets = (
                selectors.tickets_visible_to(request.user).filter(customer=obj).prefetch_related(None)
                .order_by("-registered_at", "-pk")[:20]
            )
            context["recent_tickets"] = render_to_string(
                "admin/tickets/includes/ticket_rows.html",
                {"tickets": list(tickets), "register": _register_link(f"customer={obj.pk}")},
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def xlsx_columns(self):
        return [
            Column(_("name")), Column(_("kind")), Column(_("phone")), Column(_("address")), Column(_("zone")),
            Column(_("distance (km)")), Column(_("service station")), Column(_("key customer")), Column(_("owning technician")),
        ]

    def xlsx_queryset(self, queryset):
        return queryset

    def xlsx_row(self, c, now):
        return [
            c.name, c.get_kind_display(), c.phone, f"{c.address} {c.building_room}".strip(), c.get_zone_display(),
            str(c.distance_km), c.station.name, _("yes") if c.is_key else _("no"), c.owner.name if c.owner else "",
        ]


@admin.register(Unit)
class UnitAdmin(AuditedModelAdmin):
    list_display = ["serial_number", "model", "product_line", "customer", "purchase_date", "warranty_end", "register_call"]
    list_filter = ["product_line"]
    search_fields = ["serial_number", "model", "customer__name"]
    autocomplete_fields = ["customer", "product_line"]
    list_select_related = ["customer", "product_line"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator

    def get_queryset(self, request):
        return selectors.units_visible_to(request.user).order_by(*(self.get_ordering(request) or ["serial_number"]))

    @admin.display(description=gettext_lazy("call"))
    def register_call(self, obj):
        return _register_link(f"unit={obj.pk}")

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            answer = views.warranty_today(obj)
            context["warranty_today"] = render_to_string(
                "admin/tickets/includes/warranty_answer.html",
                {
                    "answer": answer,
                    "category": WorkOrder.Category(answer.category).label if answer else "",
                    "dates": views.warranty_dates(answer) if answer else [],
                },
            )
            context["unit_history"] = views.unit_history_panel(obj, request.user)
            context["register"] = _register_link(f"unit={obj.pk}")
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(Contract)
class ContractAdmin(AuditedModelAdmin):
    list_display = ["number", "customer", "kind", "start_date", "end_date", "annual_fee", "fee_status"]
    list_filter = ["kind", "fee_status"]
    search_fields = ["number", "customer__name"]
    autocomplete_fields = ["customer", "units", "signed_by"]
    list_select_related = ["customer"]

    def get_queryset(self, request):
        return selectors.contracts_visible_to(request.user).order_by(*(self.get_ordering(request) or ["-end_date", "number"]))


# --- tickets ------------------------------------------------------------------------------------


class SlaStateFilter(admin.SimpleListFilter):
    title = gettext_lazy("SLA now")
    parameter_name = "sla"

    def lookups(self, request, model_admin):
        return [("breached", _("Breached now")), ("warning", _("In warning now"))]

    def queryset(self, request, queryset):
        if self.value() == "breached":
            return queryset.filter(breached_now())
        if self.value() == "warning":
            return queryset.filter(warning_now())
        return queryset


class DueTodayFilter(admin.SimpleListFilter):
    title = gettext_lazy("deadline")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [("today", _("Due today"))]

    def queryset(self, request, queryset):
        if self.value() == "today":
            return queryset.filter(due_on(timezone.localdate()))
        return queryset


class TicketLogInline(admin.TabularInline):
    """来电来函处理记录, oldest first; kept forever, so nothing here can be changed or deleted."""

    model = TicketLog
    fields = ["at", "kind", "by", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["at", "pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _bulk(name: str):
    op = views.OPERATIONS[name]

    def action(modeladmin, request, queryset):
        return views.bulk_operation(modeladmin, request, queryset, name)

    action.__name__ = f"{name}_tickets"
    return admin.action(description=op.label, permissions=[op.permission])(action)


@admin.action(description=gettext_lazy("Dispatch (with suggestions)"), permissions=["dispatch"])
def dispatch_tickets(modeladmin, request, queryset):
    return views.dispatch_page(modeladmin, request, queryset[:50], bulk=True)


TICKET_FIELDSETS = [
    (None, {"fields": [("number", "status"), ("kind", "service_type", "channel"), ("registered_at", "registered_by")]}),
    (
        gettext_lazy("Customer"),
        {"fields": [("customer", "unit"), ("caller_name", "caller_phone"), "address", ("zone", "station", "is_key_customer")]},
    ),
    (
        gettext_lazy("Request"),
        {"fields": ["description", "fault_code", ("urgency", "severity"), ("appointment_at", "needs_manufacturer"), "parent"]},
    ),
    (gettext_lazy("Warranty (三包)"), {"fields": ["warranty_panel"]}),
    (gettext_lazy("Deadlines"), {"fields": ["clocks_panel"]}),
    (gettext_lazy("Handling"), {"fields": [("first_replied_at", "plan_given_at", "closed_at"), "resolution"]}),
]
COMPLAINT_FIELDSET = (gettext_lazy("Complaint"), {"fields": [("complaint_class", "escalated_at"), "complaint_reason"]})


@admin.register(Ticket)
class TicketAdmin(AuditedModelAdmin):
    list_display = ["number", "customer", "kind", "status", "zone", "is_key_customer", "registered", "sla_countdown"]
    list_filter = [
        "status", "kind", "channel", "zone", "station", SlaStateFilter, DueTodayFilter, "is_key_customer",
    ]
    search_fields = ["number", "caller_phone", "customer__name", "unit__serial_number"]
    search_help_text = gettext_lazy("Ticket number, caller phone, customer name or unit serial number.")
    list_select_related = ["customer", "station"]
    list_per_page = 50
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    paginator = EstimatedCountPaginator
    autocomplete_fields = ["customer", "unit", "parent"]
    inlines = [TicketLogInline]
    fieldsets = TICKET_FIELDSETS
    actions = [
        _bulk("reply"), _bulk("classify"), _bulk("escalate"), _bulk("hold"), _bulk("resume"), _bulk("close"),
        dispatch_tickets, export_to_excel,
    ]

    class Media:
        js = ["js/sla_countdown.js"]

    # --- what the dispatcher may do (role permissions, see servicedesk/org/roles.py) ---

    def has_delete_permission(self, request, obj=None):
        return False  # a ticket is kept forever; it is closed or cancelled, never deleted

    def has_log_permission(self, request, obj=None):
        return request.user.has_perm("tickets.add_ticketlog")

    def has_dispatch_permission(self, request, obj=None):
        return request.user.has_perm("tickets.add_workorder")

    def has_operation_permission(self, request, permission: str) -> bool:
        return getattr(self, f"has_{permission}_permission")(request)

    # --- reads ---

    def get_queryset(self, request):
        return selectors.tickets_visible_to(request.user).order_by(*(self.get_ordering(request) or Ticket._meta.ordering))

    def get_changelist(self, request, **kwargs):
        # The page as plain rows from one query, each row written whole (tickets/admin_changelist.py).
        return TicketChangeList

    def get_search_results(self, request, queryset, search_term):
        # The API's search: number, caller's phone (as heard: spaces, dashes, brackets — compared
        # by digits), customer's name, unit's serial; index-friendly at any size (selectors).
        return selectors.search_tickets(queryset, search_term), False

    def get_readonly_fields(self, request, obj=None):
        names = [f.name for f in Ticket._meta.concrete_fields if f.name != "id"]
        return names + ["warranty_panel", "clocks_panel"]

    def get_fieldsets(self, request, obj=None):
        if obj is not None and obj.kind == "complaint":
            return TICKET_FIELDSETS[:-1] + [COMPLAINT_FIELDSET, TICKET_FIELDSETS[-1]]
        return TICKET_FIELDSETS

    @admin.display(description=gettext_lazy("SLA countdown"))
    def sla_countdown(self, obj):
        return views.ticket_sla(obj)

    def action_checkbox(self, obj):
        # The admin's own markup, without rendering a CheckboxInput through the form templates for
        # every row (a sixth of the changelist's time at 50 rows).
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME, obj.pk, format_html(_(ACTION_CHECKBOX_LABEL), str(obj)),
        )

    @admin.display(description=gettext_lazy("registered at"), ordering="registered_at")
    def registered(self, obj):
        return registered_html(obj.registered_at, tz=timezone.get_current_timezone(), this_year=timezone.localdate().year)

    @admin.display(description=gettext_lazy("warranty decision"))
    def warranty_panel(self, obj):
        return views.warranty_panel(obj)

    @admin.display(description=gettext_lazy("clocks"))
    def clocks_panel(self, obj):
        return views.clocks_panel(obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scoped = {
            "customer": selectors.customers_visible_to,
            "unit": selectors.units_visible_to,
            "parent": lambda user: selectors.tickets_visible_to(user).prefetch_related(None),
        }
        if db_field.name in scoped:
            kwargs["queryset"] = scoped[db_field.name](request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # --- pages ---

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("register/", wrap(lambda r: views.register_call(self, r)), name="tickets_ticket_register"),
            path("board/", wrap(lambda r: views.board(self, r)), name="tickets_ticket_board"),
            path(
                "<path:object_id>/dispatch/", wrap(lambda r, object_id: views.dispatch_one(self, r, object_id)),
                name="tickets_ticket_dispatch",
            ),
            path(
                "<path:object_id>/do/<str:name>/",
                wrap(lambda r, object_id, name: views.operation_page(self, r, object_id, name)),
                name="tickets_ticket_operation",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        # Registering a call is a service with its own form, not a model save.
        query = request.META.get("QUERY_STRING", "")
        return HttpResponseRedirect(reverse("admin:tickets_ticket_register") + (f"?{query}" if query else ""))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST":
            # The ticket page is read-only: every change is one of the operations below it.
            return HttpResponseNotAllowed(["GET"])
        return super().changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        extra = {"countdown": views.countdown_i18n(timezone.now(), refresh=True), **(extra_context or {})}
        return super().changelist_view(request, extra_context=extra)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(
                show_save=False, show_save_and_continue=False, show_save_and_add_another=False, show_delete=False,
                countdown=views.countdown_i18n(timezone.now()),
                operations=self._operations_for(request, obj),
                quick_forms=self._quick_forms(request, obj),
                work_orders=views.work_orders_panel(obj, request.user),
                unit_history=views.unit_history_panel(obj.unit, request.user, exclude_ticket=obj) if obj.unit_id else "",
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _operation_url(self, obj, name):
        return reverse("admin:tickets_ticket_operation", args=[obj.pk, name])

    def _operations_for(self, request, obj) -> list[tuple[str, str]]:
        out = []
        for name in ("classify", "escalate", "hold", "resume", "close", "details"):
            op = views.OPERATIONS[name]
            if op.applies(obj) and self.has_operation_permission(request, op.permission):
                out.append((self._operation_url(obj, name), op.label))
        if obj.kind == "service" and obj.is_open and obj.status != Ticket.Status.ON_HOLD and self.has_dispatch_permission(request):
            out.insert(0, (reverse("admin:tickets_ticket_dispatch", args=[obj.pk]), _("Dispatch")))
        return out

    def _quick_forms(self, request, obj) -> list[dict]:
        out = []
        for name in ("reply", "plan", "contact"):
            op = views.OPERATIONS[name]
            if op.applies(obj) and self.has_operation_permission(request, op.permission):
                out.append({"label": op.label, "url": self._operation_url(obj, name), "form": op.form_class(auto_id=f"id_{name}_%s")})
        return out

    # --- export ---

    def xlsx_columns(self):
        return [
            Column(_("number")), Column(_("registered at")), Column(_("channel")), Column(_("kind")), Column(_("service type")),
            Column(_("status")), Column(_("customer")), Column(_("caller")), Column(_("caller phone")), Column(_("service address")),
            Column(_("zone")), Column(_("service station")), Column(_("key customer")), Column(_("serial number")),
            Column(_("urgency")), Column(_("severity")), Column(_("request in the customer's words"), width=50),
            Column(_("warranty decision")), Column(_("complaint classification")), Column(_("first reply at")),
            Column(_("closed at")), Column(_("SLA now")), Column(_("deadline")),
        ]

    def xlsx_queryset(self, queryset):
        return queryset

    def xlsx_row(self, t, now):
        clock = views.nearest_clock(t.clocks.all())
        view = views.clock_view(clock, now) if clock else None
        return [
            t.number, _local(t.registered_at), t.get_channel_display(), t.get_kind_display(), t.get_service_type_display(),
            t.get_status_display(), t.customer.name, t.caller_name, t.caller_phone, t.address, t.get_zone_display(),
            t.station.name, _("yes") if t.is_key_customer else _("no"), t.unit.serial_number if t.unit_id else "",
            t.get_urgency_display(), t.get_severity_display(), t.description,
            str(views.warranty.Decision.LABELS.get(t.warranty_decision, "")), t.get_complaint_class_display() if t.complaint_class else "",
            _local(t.first_replied_at), _local(t.closed_at), view.label if view else "", _local(view.due_at) if view else "",
        ]


# --- policies (managers change them; everyone at the desk reads them) ---------------------------


@admin.register(SLAPolicy)
class SLAPolicyAdmin(AuditedModelAdmin):
    list_display = ["target", "kind", "zone", "priority", "condition", "duration", "clock", "is_active", "source"]
    list_filter = ["target", "kind", "zone", "clock", "is_active"]
    search_fields = ["source"]


@admin.register(WarrantyPolicy)
class WarrantyPolicyAdmin(AuditedModelAdmin):
    list_display = [
        "product_line", "return_days", "exchange_days", "repair_months", "accessory_months",
        "repeat_fault_extension_months", "post_repair_months",
    ]
    autocomplete_fields = ["product_line"]
    list_select_related = ["product_line"]


# Work orders and their lines; the price list, carry-in repairs, factory returns and compensations.
from . import admin_work_orders  # noqa: E402,F401
from . import admin_work  # noqa: E402,F401
