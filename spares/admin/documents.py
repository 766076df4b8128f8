"""Admin of the warehouse documents: entered on service forms, read-only once posted, steps as actions."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from servicedesk.core.exceptions import DomainError

from .. import admin_forms, selectors, services
from ..models import (
    OldPartBatch,
    OldPartBatchLine,
    OldPartReturn,
    OutOfStockRegistration,
    Receipt,
    ReceiptLine,
    Requisition,
    RequisitionLine,
    StockReturn,
    StockReturnLine,
    StockTake,
    StockTakeLine,
    Transfer,
    TransferLine,
    WriteOff,
)
from .base import DocumentAdmin, DocumentLineInline, reason_action, run_each


class ReceiptLineInline(DocumentLineInline):
    model = ReceiptLine
    fields = ["part", "qty", "unit_price"]
    readonly_fields = fields


@admin.register(Receipt)
class ReceiptAdmin(DocumentAdmin):
    """入库单: receive parts; a wrong receipt is reversed (with a reason), never edited."""

    selector = staticmethod(selectors.receipts_visible_to)
    add_form_class = admin_forms.ReceiptForm
    line_formset_class = admin_forms.ReceiptLineFormSet
    list_display = ["number", "received_at", "location", "supplier", "delivery_note", "received_by", "reversed_at"]
    list_filter = ["location", "received_at"]
    search_fields = ["number", "supplier", "delivery_note"]
    inlines = [ReceiptLineInline]
    actions = ["reverse"]

    def perform_create(self, request, data, lines):
        return services.receive_stock(
            location=data["location"],
            supplier=data["supplier"],
            delivery_note=data["delivery_note"],
            note=data["note"],
            lines=[{"part": line["part"], "qty": line["qty"]} for line in lines],
            unit_prices={line["part"].pk: line["unit_price"] for line in lines if line.get("unit_price") is not None},
            actor=request.user,
        )

    @admin.action(description=_("Reverse selected receipts"), permissions=["change"])
    def reverse(self, request, queryset):
        return reason_action(
            self, request, queryset,
            title=gettext("Reverse receipts"),
            perform=lambda obj, reason: services.reverse_receipt(receipt=obj, reason=reason, actor=request.user),
            done_message=gettext("%(count)s receipts reversed."),
        )


class TransferLineInline(ReceiptLineInline):
    model = TransferLine
    fields = ["part", "qty"]
    readonly_fields = fields


@admin.register(Transfer)
class TransferAdmin(DocumentAdmin):
    """调拨单: stock sent from the warehouse to a station, or between stations."""

    selector = staticmethod(selectors.transfers_visible_to)
    add_form_class = admin_forms.TransferForm
    line_formset_class = admin_forms.LineFormSet
    list_display = ["number", "created_at", "from_location", "to_location", "shipping_ref", "postage", "created_by"]
    list_filter = ["from_location", "to_location", "created_at"]
    search_fields = ["number", "shipping_ref"]
    inlines = [TransferLineInline]

    def perform_create(self, request, data, lines):
        return services.transfer_stock(
            from_location=data["from_location"],
            to_location=data["to_location"],
            lines=lines,
            shipping_ref=data["shipping_ref"],
            postage=data["postage"] or 0,
            note=data["note"],
            actor=request.user,
        )


class RequisitionLineInline(ReceiptLineInline):
    model = RequisitionLine
    fields = ["part", "qty"]
    readonly_fields = fields


@admin.register(Requisition)
class RequisitionAdmin(DocumentAdmin):
    """领料单: a leader approves (or rejects), the keeper issues."""

    selector = staticmethod(selectors.requisitions_visible_to)
    add_form_class = admin_forms.RequisitionForm
    line_formset_class = admin_forms.LineFormSet
    list_display = ["number", "status", "requested_at", "from_location", "to_location", "requested_by",
                    "work_order_ref", "approved_by", "issued_at"]
    list_filter = ["status", "from_location", "requested_at"]
    search_fields = ["number", "work_order_ref"]
    inlines = [RequisitionLineInline]
    actions = ["approve", "reject", "issue", "cancel"]

    def perform_create(self, request, data, lines):
        return services.create_requisition(
            from_location=data["from_location"],
            to_location=data["to_location"],
            lines=lines,
            work_order_ref=data["work_order_ref"],
            reason=data["reason"],
            actor=request.user,
        )

    @admin.action(description=_("Approve selected requisitions"), permissions=["change"])
    def approve(self, request, queryset):
        run_each(self, request, queryset,
                  lambda obj: services.approve_requisition(requisition=obj, actor=request.user),
                  done_message=gettext("%(count)s requisitions approved."))

    @admin.action(description=_("Reject selected requisitions"), permissions=["change"])
    def reject(self, request, queryset):
        return reason_action(
            self, request, queryset,
            title=gettext("Reject requisitions"),
            perform=lambda obj, reason: services.reject_requisition(requisition=obj, reason=reason, actor=request.user),
            done_message=gettext("%(count)s requisitions rejected."),
        )

    @admin.action(description=_("Issue selected requisitions"), permissions=["change"])
    def issue(self, request, queryset):
        run_each(self, request, queryset,
                  lambda obj: services.issue_requisition(requisition=obj, actor=request.user),
                  done_message=gettext("%(count)s requisitions issued."))

    @admin.action(description=_("Cancel selected requisitions"), permissions=["change"])
    def cancel(self, request, queryset):
        return reason_action(
            self, request, queryset,
            title=gettext("Cancel requisitions"),
            perform=lambda obj, reason: services.cancel_requisition(requisition=obj, reason=reason, actor=request.user),
            done_message=gettext("%(count)s requisitions cancelled."),
        )


class StockReturnLineInline(ReceiptLineInline):
    model = StockReturnLine
    fields = ["part", "qty"]
    readonly_fields = fields


@admin.register(StockReturn)
class StockReturnAdmin(DocumentAdmin):
    """退料单: unused parts back to the store."""

    selector = staticmethod(selectors.returns_visible_to)
    add_form_class = admin_forms.StockReturnForm
    line_formset_class = admin_forms.LineFormSet
    list_display = ["number", "created_at", "from_location", "to_location", "requisition", "created_by"]
    list_filter = ["to_location", "created_at"]
    search_fields = ["number", "requisition__number"]
    inlines = [StockReturnLineInline]

    def perform_create(self, request, data, lines):
        return services.return_unused(
            requisition=data["requisition"],
            from_location=data["from_location"],
            to_location=data["to_location"],
            lines=lines,
            reason=data["reason"],
            actor=request.user,
        )


@admin.register(OldPartReturn)
class OldPartReturnAdmin(DocumentAdmin):
    """旧件返还: old parts handed in from work orders."""

    selector = staticmethod(selectors.old_part_returns_visible_to)
    add_form_class = admin_forms.OldPartReturnForm
    list_display = ["number", "received_at", "part", "qty", "location", "work_order_ref", "is_warranty",
                    "returned_by", "status"]
    list_filter = ["status", "is_warranty", "location", "received_at"]
    search_fields = ["number", "work_order_ref", "unit_serial", "part__number"]

    def lookup_allowed(self, lookup, value, request=None):
        if lookup == "location__id__exact":
            return True
        return super().lookup_allowed(lookup, value, request)

    def perform_create(self, request, data, lines):
        return services.record_old_part_return(actor=request.user, **data)


@admin.register(WriteOff)
class WriteOffAdmin(DocumentAdmin):
    """销帐单: warranty parts (signed report + old part) and damaged stock."""

    selector = staticmethod(selectors.write_offs_visible_to)
    add_form_class = admin_forms.WriteOffForm
    list_display = ["number", "created_at", "kind", "part", "qty", "location", "work_order_ref",
                    "service_report_ref", "old_part_return", "postage"]
    list_filter = ["kind", "location", "created_at"]
    search_fields = ["number", "work_order_ref", "service_report_ref", "part__number"]

    def perform_create(self, request, data, lines):
        if data["kind"] == WriteOff.Kind.WARRANTY:
            return services.write_off_warranty_part(
                part=data["part"],
                qty=data["qty"],
                location=data["location"],
                work_order_ref=data["work_order_ref"],
                service_report_ref=data["service_report_ref"],
                service_report_signed=data["service_report_signed"],
                old_part_return=data["old_part_return"],
                shipping_ref=data["shipping_ref"],
                postage=data["postage"] or 0,
                actor=request.user,
            )
        return services.write_off_stock(
            part=data["part"], qty=data["qty"], location=data["location"], kind=data["kind"],
            reason=data["reason"], actor=request.user,
        )


class OldPartBatchLineInline(DocumentLineInline):
    model = OldPartBatchLine
    fields = ["old_part_return", "action", "claim_amount"]
    readonly_fields = fields


@admin.register(OldPartBatch)
class OldPartBatchAdmin(DocumentAdmin):
    """旧件处理单: the month's old parts disposed of or claimed from the supplier (二次索赔)."""

    selector = staticmethod(selectors.old_part_batches_visible_to)
    add_form_class = admin_forms.OldPartBatchForm
    line_formset_class = admin_forms.OldPartBatchLineFormSet
    lines_title = _("Old parts")
    list_display = ["number", "period", "location", "supplier", "shipping_ref", "postage", "processed_by", "processed_at"]
    list_filter = ["location", "period"]
    search_fields = ["number", "supplier"]
    inlines = [OldPartBatchLineInline]

    @staticmethod
    def _line_filled(data) -> bool:
        return data.get("old_part_return") is not None

    def perform_create(self, request, data, lines):
        return services.process_old_parts(
            location=data["location"],
            period=data["period"],
            lines=lines,
            supplier=data["supplier"],
            shipping_ref=data["shipping_ref"],
            postage=data["postage"] or 0,
            note=data["note"],
            actor=request.user,
        )


class StockTakeLineInline(DocumentLineInline):
    model = StockTakeLine
    fields = ["part", "book_qty", "counted_qty", "variance", "counted_at"]
    readonly_fields = fields

    @admin.display(description=_("variance"))
    def variance(self, obj):
        return obj.variance


@admin.register(StockTake)
class StockTakeAdmin(DocumentAdmin):
    """盘点单: start a sheet, enter counts on the count screen, submit, approve → adjustment moves."""

    selector = staticmethod(selectors.stock_takes_visible_to)
    add_form_class = admin_forms.StockTakeForm
    list_display = ["number", "location", "status", "created_at", "created_by", "approved_by", "count_link"]
    list_filter = ["status", "location"]
    search_fields = ["number"]
    inlines = [StockTakeLineInline]
    actions = ["submit", "approve", "reopen", "cancel"]

    def perform_create(self, request, data, lines):
        return services.start_stock_take(location=data["location"], note=data["note"], actor=request.user)

    def get_urls(self):
        return [
            path("<int:pk>/count/", self.admin_site.admin_view(self.count_view), name="spares_stocktake_count"),
            *super().get_urls(),
        ]

    @admin.display(description=_("count"))
    def count_link(self, obj):
        if obj.status != StockTake.Status.COUNTING:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:spares_stocktake_count", args=[obj.pk]), gettext("Enter counts"))

    def count_view(self, request, pk):
        """The count entry screen: one row per line with the part and a box for the counted quantity."""
        stock_take = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_view_permission(request, stock_take):
            raise PermissionDenied
        lines = list(stock_take.lines.select_related("part").order_by("part__number", "pk"))
        by_id = {line.pk: line for line in lines}
        initial = [{"line": line.pk, "counted_qty": line.counted_qty} for line in lines]
        formset = admin_forms.CountFormSet(request.POST or None, initial=initial, prefix="counts")
        if request.method == "POST" and formset.is_valid():
            counts = [
                {"part": by_id[f.cleaned_data["line"]].part, "counted_qty": f.cleaned_data["counted_qty"]}
                for f in formset
                if f.cleaned_data.get("line") in by_id and f.cleaned_data.get("counted_qty") is not None
            ]
            try:
                services.record_counts(stock_take=stock_take, counts=counts, actor=request.user)
                if "submit" in request.POST:
                    services.submit_stock_take(stock_take=stock_take, actor=request.user)
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                self.message_user(request, gettext("Counts saved."), messages.SUCCESS)
                if "submit" in request.POST:
                    return redirect(reverse("admin:spares_stocktake_change", args=[stock_take.pk]))
                return redirect(reverse("admin:spares_stocktake_count", args=[stock_take.pk]))
        rows = [(by_id[form.initial["line"]], form) for form in formset]
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Count %(number)s — %(location)s") % {"number": stock_take.number, "location": stock_take.location},
            "opts": self.model._meta,
            "stock_take": stock_take,
            "formset": formset,
            "rows": rows,
            "editable": stock_take.status == StockTake.Status.COUNTING,
        }
        return TemplateResponse(request, "admin/spares/stock_take_count.html", context)

    @admin.action(description=_("Submit selected stock-takes for approval"), permissions=["change"])
    def submit(self, request, queryset):
        run_each(self, request, queryset, lambda obj: services.submit_stock_take(stock_take=obj, actor=request.user),
                  done_message=gettext("%(count)s stock-takes submitted."))

    @admin.action(description=_("Approve selected stock-takes (post adjustments)"), permissions=["change"])
    def approve(self, request, queryset):
        run_each(self, request, queryset, lambda obj: services.approve_stock_take(stock_take=obj, actor=request.user),
                  done_message=gettext("%(count)s stock-takes approved and adjusted."))

    @admin.action(description=_("Send selected stock-takes back for recount"), permissions=["change"])
    def reopen(self, request, queryset):
        run_each(self, request, queryset, lambda obj: services.reopen_stock_take(stock_take=obj, actor=request.user),
                  done_message=gettext("%(count)s stock-takes reopened."))

    @admin.action(description=_("Cancel selected stock-takes"), permissions=["change"])
    def cancel(self, request, queryset):
        run_each(self, request, queryset, lambda obj: services.cancel_stock_take(stock_take=obj, actor=request.user),
                  done_message=gettext("%(count)s stock-takes cancelled."))


@admin.register(OutOfStockRegistration)
class OutOfStockRegistrationAdmin(DocumentAdmin):
    """缺货登记: who waits for which part, and by when he must hear from us again."""

    selector = staticmethod(selectors.out_of_stock_visible_to)
    add_form_class = admin_forms.OutOfStockForm
    list_display = ["number", "registered_at", "customer_name", "customer_phone", "wanted", "qty", "station",
                    "status", "reply_due_at", "overdue"]
    list_filter = ["status", "station", "registered_at"]
    search_fields = ["number", "customer_name", "customer_phone", "part__number", "part_description", "work_order_ref"]
    actions = ["reply", "cancel"]

    @admin.display(description=_("part wanted"))
    def wanted(self, obj):
        return obj.part or obj.part_description

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, obj):
        return obj.is_overdue

    def perform_create(self, request, data, lines):
        return services.register_out_of_stock(actor=request.user, **data)

    @admin.action(description=_("Record the reply to the customer"), permissions=["change"])
    def reply(self, request, queryset):
        return reason_action(
            self, request, queryset,
            title=gettext("Reply to out-of-stock registrations"),
            label=gettext("What the customer was told"),
            perform=lambda obj, note: services.reply_out_of_stock(registration=obj, note=note, actor=request.user),
            done_message=gettext("%(count)s registrations replied."),
        )

    @admin.action(description=_("Cancel selected registrations"), permissions=["change"])
    def cancel(self, request, queryset):
        return reason_action(
            self, request, queryset,
            title=gettext("Cancel out-of-stock registrations"),
            perform=lambda obj, note: services.cancel_out_of_stock(registration=obj, note=note, actor=request.user),
            done_message=gettext("%(count)s registrations cancelled."),
        )
