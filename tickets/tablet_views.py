"""The technician's tablet pages: my work today, the order page with every step, the signature,
the signed view, and the photo and signature images (only through a permission check).

Thin edges (CONVENTIONS §4): access helper → form → service → redirect. Every order is looked up
through :func:`tickets.selectors.work_orders_visible_to`, so another technician's order, photo or
signature is a 404. A DomainError goes back onto the page next to the field it names; the services
are transactional, so nothing is half-saved.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from servicedesk.core.exceptions import DomainError
from servicedesk.core.views import role_required
from servicedesk.org.models import Role
from spares.models import Part

from . import tablet_forms as tf
from . import tablet_selectors as ts
from . import work_orders as wo
from .models import WorkOrder, WorkOrderItem, WorkOrderOldPart, WorkOrderPart
from .private_files import photo_response, signature_response
from .views import clock_view, countdown_i18n, nearest_clock, sla_badge

W = WorkOrder.Status


def _done(request, url: str):
    """After a step: a redirect for a browser's own submit; for the tablet script's fetch, the
    address to go to (a followed redirect would use up the success message on the fetch)."""
    if request.headers.get("X-Requested-With") == "fetch":
        return JsonResponse({"location": url})
    return redirect(url)


# --- access helpers -----------------------------------------------------------------------------


def _require_view(request) -> None:
    # The selector also scopes station staff who hold no work-order permission (the warehouse keeper
    # sees his station's orders for the goods register); the order pages need view_workorder.
    if not request.user.has_perm("tickets.view_workorder"):
        raise Http404


def _order_or_404(request, pk: int) -> WorkOrder:
    _require_view(request)
    try:
        return ts.order_for(request.user, pk)
    except WorkOrder.DoesNotExist:
        raise Http404 from None


def _acts(request, order: WorkOrder) -> bool:
    """The order's own technician works on it; anyone else who may see it only reads."""
    return order.technician.user_id == request.user.pk


def _sla(order: WorkOrder, now):
    clock = nearest_clock(order.ticket.clocks.all())
    return sla_badge(clock_view(clock, now)) if clock else None


# --- my work today ------------------------------------------------------------------------------


@role_required(Role.TECHNICIAN)
@require_GET
def my_work(request):
    now = timezone.now()
    day = ts.my_work_today(request.user, today=timezone.localdate(now))
    for order in day.overdue + day.today_orders + day.new_orders:
        order.sla = _sla(order, now)
    return render(request, "tablet/my_work.html", {"day": day, "countdown": countdown_i18n(now)})


# --- the order page -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """A button of the order page: the form it posts and the service it calls."""

    form: type[forms.Form]
    run: Callable
    done: str  # the message after it worked
    anchor: str = "steps"


def _items_line(order, data) -> WorkOrderItem:
    return get_object_or_404(WorkOrderItem, pk=data["line"], order=order)


def _run_tick(request, order, data):
    item = _items_line(order, data)
    steps = [request.POST.get(f"step_{i}") == "on" for i in range(len(item.checklist_done))]
    acceptance = {"yes": True, "no": False}.get(data["acceptance_ok"])
    wo.tick_checklist(item=item, actor=request.user, steps_done=steps, acceptance_ok=acceptance)


def _run_part(request, order, data):
    stock = {b.part_id: b for b in ts.van_stock(order)}
    balance = stock.get(data["part"])
    if balance is None:
        raise DomainError(_("Choose a part that is in your van."), field="part")
    wo.add_part(
        order=order, actor=request.user, part=balance.part, location=balance.location, qty=data["qty"] or "1",
        is_warranty=data["is_warranty"], idempotency_key=(data["idempotency_key"] or None),
    )


def _run_old_part(request, order, data):
    number = (data["part_number"] or "").strip()
    part = Part.objects.filter(number=number).first() if number else None
    if part is None:
        raise DomainError(_("No part with this number in the catalogue."), field="part_number")
    wo.add_old_part(order=order, actor=request.user, part=part, qty=data["qty"] or "1", is_warranty=data["is_warranty"], note=data["note"])


def _run_photo(request, order, data):
    # The bound PhotoForm holds the file (or the queued upload's data URL).
    wo.add_photo(order=order, actor=request.user, data=data["form"].image_bytes(), caption=data["caption"], client_id=data["client_id"])


STEPS: dict[str, Step] = {
    "accept": Step(tf.ActionForm, lambda r, o, d: wo.accept_order(order=o, actor=r.user), gettext_lazy("Order accepted.")),
    "confirm": Step(
        tf.AppointmentForm,
        lambda r, o, d: wo.confirm_appointment(order=o, actor=r.user, appointment_at=d["appointment_at"], note=d["note"]),
        gettext_lazy("Appointment confirmed."),
    ),
    "arrive": Step(
        tf.ActionForm, lambda r, o, d: wo.record_arrival(order=o, actor=r.user, device_time=d["device_time"]),
        gettext_lazy("Arrival recorded."),
    ),
    "start": Step(tf.ActionForm, lambda r, o, d: wo.start_work(order=o, actor=r.user), gettext_lazy("Work started.")),
    "hold": Step(tf.ReasonForm, lambda r, o, d: wo.hold_order(order=o, actor=r.user, reason=d["reason"]), gettext_lazy("Order on hold.")),
    "resume": Step(tf.ActionForm, lambda r, o, d: wo.resume_order(order=o, actor=r.user), gettext_lazy("Order resumed.")),
    "complete": Step(tf.ActionForm, lambda r, o, d: wo.complete_order(order=o, actor=r.user), gettext_lazy("Work completed: the customer can sign now.")),
    "rework": Step(
        tf.ReasonForm, lambda r, o, d: wo.request_rework(order=o, actor=r.user, reason=d["reason"]),
        gettext_lazy("Back to work."),
    ),
    "report": Step(
        tf.ReportForm, lambda r, o, d: wo.save_report(order=o, actor=r.user, **d["form"].changes()),
        gettext_lazy("Report saved."), "report",
    ),
    "item_add": Step(
        tf.ServiceItemForm,
        lambda r, o, d: wo.add_service_item(order=o, actor=r.user, service_item=d["service_item"], qty=d["qty"] or "1"),
        gettext_lazy("Service item added."), "items",
    ),
    "item_tick": Step(tf.TickForm, _run_tick, gettext_lazy("Checklist saved."), "items"),
    "item_remove": Step(
        tf.LineForm, lambda r, o, d: wo.remove_service_item(item=_items_line(o, d), actor=r.user),
        gettext_lazy("Service item removed."), "items",
    ),
    "part_add": Step(tf.PartForm, _run_part, gettext_lazy("Part taken from the van."), "parts"),
    "part_remove": Step(
        tf.PartReturnForm,
        lambda r, o, d: wo.remove_part(line=get_object_or_404(WorkOrderPart, pk=d["line"], order=o), actor=r.user, reason=d["reason"]),
        gettext_lazy("Part put back into the van."), "parts",
    ),
    "old_part_add": Step(tf.OldPartForm, _run_old_part, gettext_lazy("Old part recorded."), "old-parts"),
    "old_part_remove": Step(
        tf.LineForm,
        lambda r, o, d: wo.remove_old_part(line=get_object_or_404(WorkOrderOldPart, pk=d["line"], order=o), actor=r.user),
        gettext_lazy("Old part removed."), "old-parts",
    ),
    "photo": Step(tf.PhotoForm, _run_photo, gettext_lazy("Photo uploaded."), "photos"),
    "price": Step(
        tf.PriceForm,
        lambda r, o, d: wo.confirm_price(order=o, actor=r.user, amount=d["amount"], payment_method=d["payment_method"]),
        gettext_lazy("Price confirmed with the customer."), "price",
    ),
}


def _form_kwargs(action: str, order: WorkOrder) -> dict:
    return {"price_list": ts.price_list_for(order)} if action == "item_add" else {}


# Fields the order page shows an input (or a place) for; an error naming any other field (the
# order, the technician, a line id …) is shown at the top of the section that was submitted.
SHOWN_FIELDS = {
    "status", "appointment_at", "note", "reason", "price_confirmed_amount", "amount", "payment_method",
    *tf.ReportForm.FIELDS, "service_item", "qty", "steps_done", "acceptance_ok", "part", "location", "part_number",
    "image", "caption",
}


def _add_errors(errors: dict[str, list[str]], field: str | None, message) -> None:
    errors.setdefault(field or "general", []).append(str(message))


def _route_errors(errors: dict[str, list[str]], shown: set[str]) -> dict[str, list[str]]:
    routed: dict[str, list[str]] = {}
    for field, messages_ in errors.items():
        routed.setdefault(field if field in shown else "general", []).extend(messages_)
    return routed


def _ids(action: str) -> str:
    # Several forms share field names (qty, reason): ids carry the form's name.
    return f"{action}-%s"


def _page_forms(order: WorkOrder, bound: dict | None = None) -> dict:
    bound = bound or {}
    forms_ = {
        "confirm": tf.AppointmentForm(
            auto_id=_ids("confirm"), initial={"appointment_at": order.appointment_at and timezone.localtime(order.appointment_at)},
        ),
        "hold": tf.ReasonForm(auto_id=_ids("hold")),
        "rework": tf.ReasonForm(auto_id=_ids("rework")),
        "report": tf.ReportForm(auto_id=_ids("report"), initial=tf.ReportForm.initial_for(order)),
        "item_add": tf.ServiceItemForm(auto_id=_ids("item_add"), price_list=ts.price_list_for(order)),
        "part_add": tf.PartForm(auto_id=_ids("part_add"), initial={"idempotency_key": uuid.uuid4().hex}),
        "old_part_add": tf.OldPartForm(auto_id=_ids("old_part_add")),
        "photo": tf.PhotoForm(auto_id=_ids("photo"), initial={"client_id": uuid.uuid4().hex}),
        "price": tf.PriceForm(auto_id=_ids("price"), initial={
            "amount": order.price_confirmed_amount if order.price_confirmed_amount is not None else wo.quote(order),
            "payment_method": order.payment_method,
        }),
    }
    forms_.update({k: v for k, v in bound.items() if k in forms_})
    return forms_


def _order_context(request, order: WorkOrder, *, errors=None, bound=None, failed: str = "") -> dict:
    errors = _route_errors(errors or {}, SHOWN_FIELDS)
    now = timezone.now()
    acts = _acts(request, order)
    editable = acts and order.signed_at is None and order.status in wo.EDITABLE
    history_tickets, history_orders = ts.unit_history(order, request.user)
    items = list(order.items.all())
    for item in items:
        steps = (item.service_item.checklist or []) if item.service_item_id else []
        done = item.checklist_done or []
        item.steps = [(i, text, bool(done[i]) if i < len(done) else False) for i, text in enumerate(steps)]
    total = wo.quote(order)
    price_ok = total == 0 or (order.price_confirmed_amount is not None and total <= order.price_confirmed_amount)
    return {
        "order": order,
        "ticket": order.ticket,
        "unit": order.ticket.unit,
        "customer": order.customer,
        "acts": acts,
        "editable": editable,
        "sla": _sla(order, now),
        "countdown": countdown_i18n(now),
        "warranty_label": ts.warranty_label(order.ticket),
        "history_tickets": history_tickets,
        "history_orders": history_orders,
        "items": items,
        "parts": list(order.parts.all()),
        "old_parts": list(order.old_parts.all()),
        "photos": list(order.photos.all()),
        "van_stock": ts.van_stock(order) if editable else [],
        "catalogue_parts": ts.old_part_choices(order) if editable else [],
        "forms": _page_forms(order, bound),
        "errors": errors,
        "failed": failed,
        "failed_section": STEPS[failed].anchor if failed in STEPS else "",
        "total": total,
        "price_ok": price_ok,
        "on_site_too_long": order.status in (W.ARRIVED, W.IN_PROGRESS) and order.arrived_at
        and (now - order.arrived_at).total_seconds() > 2 * 3600,
        "S": W,
    }


@login_required
@require_GET
def order_page(request, pk: int):
    order = _order_or_404(request, pk)
    if order.signed_at is not None:
        return redirect("tablet:signed", pk=order.pk)
    return render(request, "tablet/order.html", _order_context(request, order))


@login_required
@require_POST
def order_step(request, pk: int, action: str):
    order = _order_or_404(request, pk)
    if not request.user.has_perm("tickets.change_workorder"):
        # Readers (finance) see the order but never change it: refused before any form is read.
        raise PermissionDenied
    step = STEPS.get(action)
    if step is None:
        raise Http404
    form = step.form(request.POST, request.FILES, auto_id=_ids(action), **_form_kwargs(action, order))
    errors: dict[str, list[str]] = {}
    if form.is_valid():
        try:
            step.run(request, order, {**form.cleaned_data, "form": form})
        except DomainError as exc:
            _add_errors(errors, exc.field, exc.message)
        else:
            messages.success(request, step.done)
            return _done(request, reverse("tablet:order", args=[order.pk]) + f"#{step.anchor}")
    else:
        for field, messages_ in form.errors.items():
            for message in messages_:
                _add_errors(errors, None if field == "__all__" else field, message)
    order = _order_or_404(request, pk)  # as the database has it: the service rolled back
    if order.signed_at is not None:
        return redirect("tablet:signed", pk=order.pk)
    context = _order_context(request, order, errors=errors, bound={action: form}, failed=action)
    return render(request, "tablet/order.html", context, status=400)


# --- signature and the signed view --------------------------------------------------------------


def _sign_context(request, order, *, form=None, errors=None):
    return {
        "order": order,
        "customer": order.customer,
        "ticket": order.ticket,
        "items": list(order.items.all()),
        "parts": list(order.parts.all()),
        "total": wo.quote(order),
        "meaning": wo.SIGNATURE_MEANING,
        "form": form or tf.SignatureForm(initial={"client_id": uuid.uuid4().hex}),
        "errors": errors or {},
        "acts": _acts(request, order),
    }


@login_required
def sign(request, pk: int):
    order = _order_or_404(request, pk)
    if request.method == "POST":
        form = tf.SignatureForm(request.POST)
        errors: dict[str, list[str]] = {}
        if form.is_valid():
            data = form.cleaned_data
            try:
                wo.sign_order(
                    order=order, actor=request.user, image=form.image_bytes(), printed_name=data["printed_name"],
                    client_id=data["client_id"], device_signed_at=data["device_signed_at"],
                )
            except DomainError as exc:
                _add_errors(errors, exc.field, exc.message)
            else:
                messages.success(request, _("Signed and sealed."))
                return _done(request, reverse("tablet:signed", args=[order.pk]))
        else:
            for field, messages_ in form.errors.items():
                for message in messages_:
                    _add_errors(errors, None if field == "__all__" else field, message)
        order = _order_or_404(request, pk)
        return render(request, "tablet/sign.html", _sign_context(request, order, form=form, errors=errors), status=400)
    if order.signed_at is not None:
        return redirect("tablet:signed", pk=order.pk)
    if order.status != W.COMPLETED:
        return redirect("tablet:order", pk=order.pk)
    return render(request, "tablet/sign.html", _sign_context(request, order))


@login_required
@require_GET
def signed(request, pk: int):
    order = _order_or_404(request, pk)
    if order.signed_at is None:
        return redirect("tablet:order", pk=order.pk)
    context = _sign_context(request, order)
    context.update(
        signature=order.signature, old_parts=list(order.old_parts.all()), photos=list(order.photos.all()),
        warranty_label=ts.warranty_label(order.ticket), unit=order.ticket.unit,
    )
    return render(request, "tablet/signed.html", context)


# --- images, only through the permission check --------------------------------------------------


@login_required
@require_GET
def photo(request, pk: int, photo_pk: int):
    _require_view(request)
    try:
        row = ts.photo_of(request.user, pk, photo_pk)
    except ts.WorkOrderPhoto.DoesNotExist:
        raise Http404 from None  # not his order, or no such photo: the same answer
    return photo_response(row)


@login_required
@require_GET
def signature_image(request, pk: int):
    _require_view(request)
    try:
        row = ts.signature_of(request.user, pk)
    except ts.WorkOrderSignature.DoesNotExist:
        raise Http404 from None
    return signature_response(row)
