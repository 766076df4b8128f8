"""The dispatcher's desk in the admin: register a call, operate on tickets, dispatch, the board.

Thin edges (CONVENTIONS §4): each page reads through the selectors, validates a small form and
calls one service; a domain error goes back onto the form field it names. The admin wires these
functions to its URLs and actions (``tickets/admin.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AdminSplitDateTime, AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import get_language, gettext_lazy

from servicedesk.clocks.models import ClockState
from servicedesk.core.exceptions import DomainError
from servicedesk.org import selectors as org_selectors
from servicedesk.org.models import Role, Staff

from . import selectors, services, warranty
from .dispatch import daily_customer_cap, suggest_technicians
from .models import Priority, SLAClock, SLATarget, Ticket, TicketKind, TicketLog, WorkOrder

# The changelist and the board reload themselves this often (seconds) when the dispatcher is idle.
REFRESH_SECONDS = 60

# --- SLA countdown ------------------------------------------------------------------------------

# Colour of each clock state (CSS class suffix); "ok" is a running clock with time to spare.
STATE_CSS = {
    ClockState.RUNNING: "ok",
    ClockState.WARNING: "warning",
    ClockState.BREACHED: "breached",
    ClockState.PAUSED: "paused",
    ClockState.MET: "met",
    ClockState.MISSED: "missed",
    ClockState.CANCELLED: "cancelled",
}
TICKING = {"ok", "warning", "breached"}


_STATE_LABELS: dict[str | None, dict[str, str]] = {}


def _state_labels() -> dict[str, str]:
    # Once per language: every countdown cell of a list asks (eight lookups a row, otherwise).
    language = get_language()
    labels = _STATE_LABELS.get(language)
    if labels is None:
        labels = {STATE_CSS[state]: str(state.label) for state in ClockState}
        labels["ok"] = _("On time")
        _STATE_LABELS[language] = labels
    return labels


def format_span(span: timedelta) -> str:
    """A duration as the hotline says it: 2天3小时 / 3小时5分钟 / 12分钟 / 40秒."""
    seconds = int(abs(span.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return _("{d} d {h} h").format(d=days, h=hours)
    if hours:
        return _("{h} h {m} min").format(h=hours, m=minutes)
    if minutes:
        return _("{m} min").format(m=minutes)
    return _("{s} s").format(s=secs)


def countdown_i18n(now: datetime, *, refresh: bool = False) -> dict:
    """What static/js/sla_countdown.js needs to tick in the user's language (and whether the page
    reloads itself every REFRESH_SECONDS: lists yes, pages with forms no)."""
    return {
        "server_now": now.isoformat(),
        "refresh": REFRESH_SECONDS if refresh else 0,
        "dh": _("{d} d {h} h"),
        "hm": _("{h} h {m} min"),
        "m": _("{m} min"),
        "s": _("{s} s"),
        "left": _("{t} left"),
        "over": _("{t} overdue"),
        "states": _state_labels(),
    }


def nearest_clock(clocks) -> SLAClock | None:
    """The clock a dispatcher must watch: the running one due first, else the paused one with the
    least time left, else (all stopped) a late one before a met one."""
    clocks = list(clocks)
    running = [c for c in clocks if c.stopped_at is None and not c.cancelled and c.running_since is not None and c.due_at]
    if running:
        return min(running, key=lambda c: (c.due_at, c.pk))
    paused = [c for c in clocks if c.stopped_at is None and not c.cancelled and c.running_since is None]
    if paused:
        return min(paused, key=lambda c: (c.target - c.elapsed, c.pk))
    stopped = [c for c in clocks if c.stopped_at is not None and not c.cancelled]
    if stopped:
        missed = [c for c in stopped if c.state_at(c.stopped_at) == ClockState.MISSED]
        return max(missed or stopped, key=lambda c: (c.stopped_at, c.pk))
    return max(clocks, key=lambda c: c.pk) if clocks else None


@dataclass
class ClockView:
    """One clock as shown to people: state and colour computed now from the stored deadlines."""

    clock: SLAClock
    state: str  # CSS state: ok / warning / breached / paused / met / missed / cancelled
    label: str
    target: str
    counted_in: str
    due_at: datetime | None
    warn_at: datetime | None
    left: timedelta | None  # wall-clock time to the deadline (running) or counted time left (paused)
    counted_left: timedelta

    @property
    def ticking(self) -> bool:
        return self.state in TICKING

    @property
    def left_text(self) -> str:
        if self.state in TICKING and self.left is not None:
            template = _("{t} left") if self.left > timedelta(0) else _("{t} overdue")
            return template.format(t=format_span(self.left))
        if self.state == "paused":
            return _("{t} left").format(t=format_span(self.counted_left))
        if self.state in ("met", "missed") and self.clock.stopped_at:
            return _("done at %(moment)s") % {"moment": timezone.localtime(self.clock.stopped_at).strftime("%m-%d %H:%M")}
        return ""


def clock_view(clock: SLAClock, now: datetime) -> ClockView:
    state = STATE_CSS[clock.state_at(now)]
    target = str(SLATarget(clock.target_code).label) if clock.target_code in SLATarget.values else clock.target_code
    left = (clock.due_at - now) if state in TICKING and clock.due_at else None
    return ClockView(
        clock=clock,
        state=state,
        label=_state_labels()[state],
        target=target,
        counted_in=clock.get_kind_display(),
        due_at=clock.due_at,
        warn_at=clock.warn_at,
        left=left,
        counted_left=clock.remaining_at(now),
    )


def sla_badge(view: ClockView | None):
    """The countdown cell: absolute deadline in <time>, remaining time, colour by state."""
    if view is None:
        return "—"
    due = timezone.localtime(view.due_at) if view.due_at else None
    title = f"{view.target} · {view.counted_in}"
    if view.clock.kind == "working" and view.ticking:
        title += " · " + _("working time left: %(left)s") % {"left": format_span(max(view.counted_left, timedelta(0)))}
    return format_html(
        '<span class="sd-sla sd-sla--{}" data-sla-state="{}" data-sla-due="{}" data-sla-warn="{}" title="{}">'
        '<b class="sd-sla-label">{}</b> <span class="sd-sla-left">{}</span>'
        '<span class="sd-sla-due">{} <time datetime="{}">{}</time></span></span>',
        view.state,
        view.state,
        due.isoformat() if due else "",
        timezone.localtime(view.warn_at).isoformat() if view.warn_at else "",
        title,
        view.label,
        view.left_text,
        view.target,
        due.isoformat() if due else "",
        due.strftime("%m-%d %H:%M") if due else "—",
    )


def ticket_sla(ticket: Ticket, now: datetime | None = None):
    """The countdown of the ticket's nearest clock (clocks prefetched by the selector)."""
    clock = nearest_clock(ticket.clocks.all())
    return sla_badge(clock_view(clock, now or timezone.now()) if clock else None)


# --- ticket page panels (read-only) -------------------------------------------------------------


def clocks_panel(ticket: Ticket, now: datetime | None = None) -> str:
    now = now or timezone.now()
    views = [clock_view(c, now) for c in sorted(ticket.clocks.all(), key=lambda c: (c.started_at, c.pk))]
    return render_to_string("admin/tickets/includes/clocks.html", {"views": [(v, sla_badge(v)) for v in views]})


def warranty_panel(ticket: Ticket) -> str:
    decision = ticket.warranty_decision
    return render_to_string(
        "admin/tickets/includes/warranty.html",
        {
            "ticket": ticket,
            "label": warranty.Decision.LABELS.get(decision, decision),
            "category": WorkOrder.Category(warranty.Decision.CATEGORY[decision]).label if decision in warranty.Decision.CATEGORY else "",
        },
    )


def unit_history_panel(unit, user, *, exclude_ticket: Ticket | None = None) -> str:
    if unit is None:
        return render_to_string("admin/tickets/includes/unit_history.html", {"unit": None})
    tickets, orders = selectors.unit_history(unit, user=user)
    return render_to_string(
        "admin/tickets/includes/unit_history.html",
        {"unit": unit, "tickets": list(tickets[:100]), "orders": list(orders[:100]), "current": exclude_ticket},
    )


def work_orders_panel(ticket: Ticket, user) -> str:
    orders = selectors.work_orders_visible_to(user).filter(ticket=ticket).order_by("dispatched_at", "pk")
    return render_to_string("admin/tickets/includes/work_orders.html", {"orders": list(orders)})


# --- operations on one ticket (also the bulk actions) -------------------------------------------


class ContactForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("kind"),
        choices=[
            (k.value, k.label)
            for k in (TicketLog.Kind.CALL_IN, TicketLog.Kind.CALL_OUT, TicketLog.Kind.LETTER, TicketLog.Kind.PROGRESS, TicketLog.Kind.NOTE)
        ],
    )
    text = forms.CharField(label=gettext_lazy("what was said"), widget=forms.Textarea(attrs={"rows": 3}))


class ReplyForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("reply given to the customer"), widget=forms.Textarea(attrs={"rows": 3}))
    close = forms.BooleanField(label=gettext_lazy("close the consultation with this reply"), required=False)


class PlanForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("handling plan told to the customer"), widget=forms.Textarea(attrs={"rows": 3}))


class ClassifyForm(forms.Form):
    complaint_class = forms.ChoiceField(
        label=gettext_lazy("complaint classification"),
        choices=[(c.value, c.label) for c in Ticket.ComplaintClass if c.value],
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Valid: within our responsibility. Invalid: outside it — the reason is told to the customer politely. "
            "Major: the customer went to a higher authority, or serious damage — the manager and the general "
            "manager are told at once. Cannot judge: the manager decides."
        ),
    )
    reason = forms.CharField(label=gettext_lazy("reason"), widget=forms.Textarea(attrs={"rows": 3}))


class EscalateForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("reason"), widget=forms.Textarea(attrs={"rows": 3}))
    to_general_manager = forms.BooleanField(label=gettext_lazy("also tell the general manager"), required=False)


class HoldForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("waiting for"), widget=forms.Textarea(attrs={"rows": 2}))


class ResumeForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(forms.Form):
    resolution = forms.CharField(label=gettext_lazy("resolution"), widget=forms.Textarea(attrs={"rows": 3}))


class DetailsForm(forms.Form):
    appointment_at = forms.SplitDateTimeField(
        label=gettext_lazy("appointment wished"), required=False, widget=AdminSplitDateTime
    )
    urgency = forms.ChoiceField(label=gettext_lazy("urgency"), choices=Priority.choices)
    severity = forms.ChoiceField(label=gettext_lazy("severity"), choices=Priority.choices)

    def __init__(self, *args, ticket: Ticket | None = None, **kwargs):
        if ticket is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = {f: getattr(ticket, f) for f in services.EDITABLE_DETAILS}
        super().__init__(*args, **kwargs)


def _details(ticket: Ticket, actor, data: dict) -> None:
    changes = {f: data[f] for f in services.EDITABLE_DETAILS if data.get(f) != getattr(ticket, f)}
    services.update_ticket_details(ticket=ticket, actor=actor, **changes)


@dataclass(frozen=True)
class Operation:
    """One thing a dispatcher does to a ticket: its form, the permission it needs, the service it calls."""

    name: str
    label: Promise
    form_class: type[forms.Form]
    permission: str  # ModelAdmin.has_<permission>_permission
    run: Callable[[Ticket, object, dict], object]
    done: Promise  # message after success; %(count)d tickets
    applies: Callable[[Ticket], bool] = lambda t: t.is_open


OPERATIONS: dict[str, Operation] = {
    op.name: op
    for op in [
        Operation(
            "reply", gettext_lazy("Reply to the customer"), ReplyForm, "change",
            lambda t, actor, d: services.reply_to_customer(ticket=t, actor=actor, text=d["text"], close=d["close"]),
            gettext_lazy("Reply recorded on %(count)d ticket(s)."),
        ),
        Operation(
            "contact", gettext_lazy("Log a call or letter"), ContactForm, "log",
            lambda t, actor, d: services.log_contact(ticket=t, actor=actor, kind=d["kind"], text=d["text"]),
            gettext_lazy("Contact logged on %(count)d ticket(s)."),
            applies=lambda t: True,
        ),
        Operation(
            "plan", gettext_lazy("Give a handling plan"), PlanForm, "change",
            lambda t, actor, d: services.give_plan(ticket=t, actor=actor, text=d["text"]),
            gettext_lazy("Handling plan recorded on %(count)d ticket(s)."),
        ),
        Operation(
            "classify", gettext_lazy("Classify the complaint"), ClassifyForm, "change",
            lambda t, actor, d: services.classify_complaint(
                ticket=t, actor=actor, complaint_class=d["complaint_class"], reason=d["reason"]
            ),
            gettext_lazy("%(count)d complaint(s) classified."),
            applies=lambda t: t.is_open and t.kind == TicketKind.COMPLAINT,
        ),
        Operation(
            "escalate", gettext_lazy("Escalate to the manager"), EscalateForm, "change",
            lambda t, actor, d: services.escalate(
                ticket=t, actor=actor, reason=d["reason"], to_general_manager=d["to_general_manager"]
            ),
            gettext_lazy("%(count)d ticket(s) escalated."),
        ),
        Operation(
            "hold", gettext_lazy("Put on hold (waiting on the customer)"), HoldForm, "change",
            lambda t, actor, d: services.hold_ticket(ticket=t, actor=actor, reason=d["reason"]),
            gettext_lazy("%(count)d ticket(s) put on hold; their clocks are paused."),
            applies=lambda t: t.is_open and t.status != Ticket.Status.ON_HOLD,
        ),
        Operation(
            "resume", gettext_lazy("Resume"), ResumeForm, "change",
            lambda t, actor, d: services.resume_ticket(ticket=t, actor=actor, note=d["note"]),
            gettext_lazy("%(count)d ticket(s) resumed; their clocks run again."),
            applies=lambda t: t.status == Ticket.Status.ON_HOLD,
        ),
        Operation(
            "close", gettext_lazy("Close"), CloseForm, "change",
            lambda t, actor, d: services.close_ticket(ticket=t, actor=actor, resolution=d["resolution"]),
            gettext_lazy("%(count)d ticket(s) closed."),
        ),
        Operation(
            "details", gettext_lazy("Change appointment, urgency or severity"), DetailsForm, "change",
            _details,
            gettext_lazy("Details changed on %(count)d ticket(s)."),
        ),
    ]
}


def _field_for(form: forms.Form, field: str | None) -> str | None:
    return field if field in form.fields else None


def _change_url(ticket: Ticket) -> str:
    return reverse("admin:tickets_ticket_change", args=[ticket.pk])


def _context(model_admin, request, **extra) -> dict:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": Ticket._meta,
        "has_view_permission": model_admin.has_view_permission(request),
        **extra,
    }


def _get_ticket(model_admin, request, object_id) -> Ticket:
    ticket = model_admin.get_object(request, object_id)
    if ticket is None:
        raise Http404(_("This ticket does not exist or is not yours to see."))
    return ticket


def _make_form(op: Operation, data=None, ticket: Ticket | None = None):
    if op.form_class is DetailsForm:
        return DetailsForm(data, ticket=ticket) if data is not None else DetailsForm(ticket=ticket)
    return op.form_class(data)


def operation_page(model_admin, request, object_id, name: str):
    """GET: the form of one operation for one ticket. POST: call the service; errors go on the field."""
    op = OPERATIONS.get(name)
    if op is None:
        raise Http404
    ticket = _get_ticket(model_admin, request, object_id)
    if not model_admin.has_operation_permission(request, op.permission):
        raise PermissionDenied
    if request.method == "POST":
        form = _make_form(op, request.POST, ticket)
        if form.is_valid():
            try:
                op.run(ticket, request.user, form.cleaned_data)
            except DomainError as exc:
                form.add_error(_field_for(form, exc.field), str(exc.message))
            else:
                model_admin.message_user(request, op.done % {"count": 1}, messages.SUCCESS)
                return HttpResponseRedirect(_change_url(ticket))
    else:
        form = _make_form(op, ticket=ticket)
    return TemplateResponse(
        request,
        "admin/tickets/ticket/operation.html",
        _context(
            model_admin, request, title=f"{op.label} · {ticket.number}", op=op, form=form, tickets=[ticket],
            bulk=False, media=model_admin.media + form.media, now=timezone.now(),
        ),
    )


def bulk_operation(model_admin, request, queryset, name: str):
    """An admin action: an intermediate page with the form, then the service per selected ticket."""
    op = OPERATIONS[name]
    if "apply" in request.POST:
        form = _make_form(op, request.POST)
        if form.is_valid():
            done = 0
            for ticket in queryset:
                try:
                    op.run(ticket, request.user, form.cleaned_data)
                except DomainError as exc:
                    model_admin.message_user(request, f"{ticket.number}: {exc.message}", messages.ERROR)
                else:
                    done += 1
            if done:
                model_admin.message_user(request, op.done % {"count": done}, messages.SUCCESS)
            return None
    else:
        form = _make_form(op)
    tickets = list(queryset[:200])
    return TemplateResponse(
        request,
        "admin/tickets/ticket/operation.html",
        _context(
            model_admin, request, title=op.label, op=op, form=form, tickets=tickets, bulk=True,
            action=request.POST.get("action", ""), selected=request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
            select_across=request.POST.get("select_across", "0"), media=model_admin.media + form.media,
            now=timezone.now(),
        ),
    )


# --- dispatch -----------------------------------------------------------------------------------


class DispatchForm(forms.Form):
    """For each ticket: one of the suggested technicians, or another one, and an optional category."""

    def __init__(self, *args, rows, admin_site, technicians, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        tech_field = WorkOrder._meta.get_field("technician")
        for ticket, suggestions in rows:
            self.fields[f"tech_{ticket.pk}"] = forms.ChoiceField(
                label=_("technician"),
                choices=[("", _("Not now"))] + [(str(s.technician.pk), s.technician.name) for s in suggestions],
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"other_{ticket.pk}"] = forms.ModelChoiceField(
                label=_("or another technician"), queryset=technicians, required=False,
                widget=AutocompleteSelect(tech_field, admin_site),
            )
            self.fields[f"category_{ticket.pk}"] = forms.ChoiceField(
                label=_("category"), required=False,
                choices=[("", _("As the warranty decides"))] + list(WorkOrder.Category.choices),
            )
            self.fields[f"category_reason_{ticket.pk}"] = forms.CharField(
                label=_("why another category"), required=False, max_length=500
            )

    def choices(self):
        """(ticket, technician, reasons, field) for every ticket the dispatcher assigned."""
        for ticket, suggestions in self.rows:
            other = self.cleaned_data.get(f"other_{ticket.pk}")
            picked = self.cleaned_data.get(f"tech_{ticket.pk}")
            if other is not None:
                match = next((s for s in suggestions if s.technician.pk == other.pk), None)
                reasons = match.reasons if match else [_("Chosen by the dispatcher outside the suggestions")]
                yield ticket, other, reasons, f"other_{ticket.pk}"
            elif picked:
                match = next(s for s in suggestions if str(s.technician.pk) == picked)
                yield ticket, match.technician, match.reasons, f"tech_{ticket.pk}"


def _dispatch_rows(tickets):
    return [(t, suggest_technicians(t) if t.kind == TicketKind.SERVICE else []) for t in tickets]


def _technicians(user):
    return (
        org_selectors.staff_visible_to(user)
        .filter(user__groups__name=Role.TECHNICIAN)
        .prefetch_related(None)
        .distinct()
    )


def dispatch_page(model_admin, request, tickets, *, bulk: bool):
    """派工: the suggestions with their reasons for each ticket; dispatching calls the service."""
    tickets = list(tickets)
    rows = _dispatch_rows(tickets)
    technicians = _technicians(request.user)
    applying = request.method == "POST" and (not bulk or "apply" in request.POST)
    if applying:
        form = DispatchForm(request.POST, rows=rows, admin_site=model_admin.admin_site, technicians=technicians)
        if form.is_valid():
            done = []
            for ticket, technician, reasons, field in list(form.choices()):
                try:
                    order = services.dispatch_ticket(
                        ticket=ticket, technician=technician, actor=request.user, reasons=reasons,
                        category=form.cleaned_data[f"category_{ticket.pk}"],
                        category_reason=form.cleaned_data[f"category_reason_{ticket.pk}"],
                    )
                except DomainError as exc:
                    if exc.field == "category":
                        target = f"category_{ticket.pk}"
                    elif exc.field == "category_reason":
                        target = f"category_reason_{ticket.pk}"
                    else:
                        target = field
                    form.add_error(target, str(exc.message))
                    if bulk:
                        model_admin.message_user(request, f"{ticket.number}: {exc.message}", messages.ERROR)
                else:
                    done.append(order)
            for order in done:
                model_admin.message_user(
                    request,
                    _("%(ticket)s: work order %(number)s dispatched to %(name)s.")
                    % {"ticket": order.ticket.number, "number": order.number, "name": order.technician.name},
                    messages.SUCCESS,
                )
            if bulk:
                return None
            if done and not form.errors:
                return HttpResponseRedirect(_change_url(tickets[0]))
            if not done and not form.errors:
                form.add_error(f"tech_{tickets[0].pk}", _("Choose a technician."))
    else:
        initial = {}
        if not bulk:
            for ticket, suggestions in rows:
                usable = [s for s in suggestions if not s.over_cap]
                if usable:
                    initial[f"tech_{ticket.pk}"] = str(usable[0].technician.pk)
        form = DispatchForm(initial=initial, rows=rows, admin_site=model_admin.admin_site, technicians=technicians)
    now = timezone.now()
    cards = []
    for ticket, suggestions in rows:
        tech_field = form[f"tech_{ticket.pk}"]
        chosen = str(tech_field.value() or "")
        cards.append(
            {
                "ticket": ticket,
                "sla": ticket_sla(ticket, now),
                "warranty": warranty.Decision.LABELS.get(ticket.warranty_decision, ""),
                "suggestions": [(s, str(s.technician.pk) == chosen) for s in suggestions],
                "tech": tech_field,
                "other": form[f"other_{ticket.pk}"],
                "category": form[f"category_{ticket.pk}"],
                "category_reason": form[f"category_reason_{ticket.pk}"],
            }
        )
    return TemplateResponse(
        request,
        "admin/tickets/ticket/dispatch.html",
        _context(
            model_admin, request, title=_("Dispatch"), cards=cards, form=form, bulk=bulk, cap=daily_customer_cap(),
            action=request.POST.get("action", ""), selected=request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
            select_across=request.POST.get("select_across", "0"), media=model_admin.media + form.media,
            countdown=countdown_i18n(now),
        ),
    )


def dispatch_one(model_admin, request, object_id):
    ticket = _get_ticket(model_admin, request, object_id)
    if not model_admin.has_dispatch_permission(request):
        raise PermissionDenied
    return dispatch_page(model_admin, request, [ticket], bulk=False)


# --- the dispatch board -------------------------------------------------------------------------

BOARD_LIMIT = 200


def board(model_admin, request):
    """The queue (key customers and carried-over calls first) and each working technician's day."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    now = timezone.now()
    today = timezone.localdate(now)
    queue = list(selectors.dispatch_queue(today=today, user=request.user)[: BOARD_LIMIT + 1])
    more = len(queue) > BOARD_LIMIT
    queue = queue[:BOARD_LIMIT]
    technicians = list(
        _technicians(request.user)
        .filter(status=Staff.Status.WORKING, user__is_active=True)
        .select_related("station")
        .prefetch_related("skills")
        .order_by("station__code", "name")
    )
    load = selectors.technician_load(day=today, technicians=technicians)
    cap = daily_customer_cap()
    crew = []
    for tech in technicians:
        stats = load.get(tech.pk, {"customers_today": 0, "open_orders": 0})
        crew.append(
            {
                "staff": tech,
                "customers_today": stats["customers_today"],
                "open_orders": stats["open_orders"],
                "full": stats["customers_today"] >= cap,
                "percent": min(100, round(100 * stats["customers_today"] / cap)) if cap else 100,
                "skills": ", ".join(s.name for s in tech.skills.all()),
            }
        )
    rows = [
        {"ticket": t, "sla": ticket_sla(t, now), "warranty": warranty.Decision.LABELS.get(t.warranty_decision, "")}
        for t in queue
    ]
    return TemplateResponse(
        request,
        "admin/tickets/ticket/board.html",
        _context(
            model_admin, request, title=_("Dispatch board"), rows=rows, more=more, limit=BOARD_LIMIT, crew=crew, cap=cap,
            today=today, can_dispatch=model_admin.has_dispatch_permission(request), countdown=countdown_i18n(now, refresh=True),
            media=model_admin.media,
        ),
    )


# --- registering a call -------------------------------------------------------------------------

REGISTER_FIELDSETS = [
    (gettext_lazy("Caller"), {"fields": [("customer", "unit"), ("caller_name", "caller_phone"), "address"]}),
    (
        gettext_lazy("Request"),
        {"fields": [("channel", "kind", "service_type"), "description", "fault_code", ("urgency", "severity"), "appointment_at", "needs_manufacturer"]},
    ),
]
REGISTER_FIELDS = [
    "customer", "unit", "caller_name", "caller_phone", "address", "channel", "kind", "service_type", "description",
    "fault_code", "urgency", "severity", "appointment_at", "needs_manufacturer",
]


class RegisterTicketBaseForm(forms.Form):
    def clean(self):
        data = super().clean()
        if data.get("kind") and data["kind"] != TicketKind.SERVICE:
            # The form offers a service type to every call; only a service request keeps it.
            data["service_type"] = ""
        if data.get("customer") is None and "customer" not in self.errors:
            unit = data.get("unit")
            if unit is not None:
                # The caller read out the serial number: the unit names its customer.
                data["customer"] = unit.customer
            else:
                self.add_error("customer", _("Choose the customer, or the unit (its customer is taken)."))
        return data


def register_form_class(model_admin, request) -> type[forms.Form]:
    """Fields as the admin builds them (autocomplete, “+” to add a customer, date widgets)."""
    attrs = {name: model_admin.formfield_for_dbfield(Ticket._meta.get_field(name), request) for name in REGISTER_FIELDS}
    attrs["customer"].required = False
    attrs["address"].required = False
    attrs["address"].help_text = _("Empty: the customer's address.")
    return type("RegisterTicketForm", (RegisterTicketBaseForm,), attrs)


WARRANTY_DATE_LABELS = {
    "purchase_date": gettext_lazy("bought"),
    "fault_date": gettext_lazy("fault reported"),
    "return_until": gettext_lazy("return until"),
    "exchange_until": gettext_lazy("exchange until"),
    "last_repair": gettext_lazy("last repair"),
    "free_until": gettext_lazy("free until"),
    "warranty_end": gettext_lazy("warranty until"),
    "contract_end": gettext_lazy("contract until"),
}


def warranty_dates(answer) -> list[tuple[str, str]]:
    """The dates that decided the answer, labelled for people."""
    return [(str(WARRANTY_DATE_LABELS.get(key, key)), value) for key, value in (answer.dates or {}).items()]


def warranty_today(unit, fault_code: str = ""):
    """The 三包 answer for a fault reported today (None if the unit's purchase date is in the future)."""
    try:
        return services.warranty_answer(unit=unit, on=timezone.localdate(), fault_code=fault_code)
    except ValueError:
        return None


def register_call(model_admin, request):
    """登记来电: one form, one call to ``services.register_ticket``; errors on the field they name."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    form_class = register_form_class(model_admin, request)
    answer = None
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in REGISTER_FIELDS}
            if "_check_warranty" in request.POST:
                if data["unit"] is None:
                    form.add_error("unit", _("Choose the unit to check its warranty."))
                else:
                    answer = warranty_today(data["unit"], data["fault_code"])
            else:
                data["address"] = data["address"] or ""
                try:
                    ticket = services.register_ticket(actor=request.user, **data)
                except DomainError as exc:
                    form.add_error(_field_for(form, exc.field), str(exc.message))
                else:
                    model_admin.message_user(
                        request, _("Ticket %(number)s registered.") % {"number": ticket.number}, messages.SUCCESS
                    )
                    return HttpResponseRedirect(_change_url(ticket))
    else:
        # Most calls are repair requests: the form starts there and the dispatcher changes what differs.
        initial = {"channel": "phone", "kind": TicketKind.SERVICE, "service_type": "repair", "urgency": Priority.NORMAL, "severity": Priority.NORMAL}
        customer = unit = None
        if request.GET.get("unit", "").isdigit():
            unit = selectors.units_visible_to(request.user).filter(pk=request.GET["unit"]).first()
        if request.GET.get("customer", "").isdigit():
            customer = selectors.customers_visible_to(request.user).filter(pk=request.GET["customer"]).first()
        if unit is not None:
            customer = customer or unit.customer
            initial["unit"] = unit.pk
            answer = warranty_today(unit)
        if customer is not None:
            initial["customer"] = customer.pk
            contact = customer.contacts.order_by("-is_primary", "name").first()
            initial["caller_name"] = contact.name if contact else customer.name
            initial["caller_phone"] = contact.phone if contact else customer.phone
        form = form_class(initial=initial)
    admin_form = helpers.AdminForm(form, REGISTER_FIELDSETS, {}, model_admin=model_admin)
    return TemplateResponse(
        request,
        "admin/tickets/ticket/register.html",
        _context(
            model_admin, request, title=_("Register a call"), adminform=admin_form, form=form,
            errors=helpers.AdminErrorList(form, []), media=model_admin.media + admin_form.media, answer=answer,
            answer_category=WorkOrder.Category(answer.category).label if answer else "",
            answer_dates=warranty_dates(answer) if answer else [],
        ),
    )
