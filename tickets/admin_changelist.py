"""The ticket changelist's rows, written straight out from one query.

Django's changelist builds model instances (ticket, customer, station, prefetched clocks) and then
renders every cell through ``items_for_result`` — field lookups, ``display_for_field``,
``format_html`` — which at 50 rows cost thirty times the query that fetches the page. Here the
page's rows come from :func:`tickets.selectors.ticket_list_rows` (one query, the nearest clock
included) and each row is one string; the markup is the admin's own (the same classes, the action
checkbox its JavaScript looks for, the change link with the preserved filters), so the page looks
and works as before. Anything this does not know how to write (a popup, another set of columns)
falls back to Django's own rows.
"""

from __future__ import annotations

from html import escape as html_escape

from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_list import items_for_result, result_headers
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.views.main import ChangeList
from django.template.defaultfilters import urlencode
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from . import selectors, views
from .models import Ticket

# The columns the lean rows know how to write (TicketAdmin.list_display, in this order).
LEAN_COLUMNS = ["number", "customer", "kind", "status", "zone", "is_key_customer", "registered", "sla_countdown"]

# Django's own message (its catalogues translate it): named, not a literal, so makemessages leaves
# it out of ours.
ACTION_CHECKBOX_LABEL = "Select this object for an action - {}"

# A pk no ticket has: the change link is reversed once per page with it, then filled in per row.
_PK_SLOT = "918273645546372819"


def registered_html(at, *, tz, this_year: int) -> SafeString:
    """Compact (the countdown needs the width): month-day and time, the year only when not this one."""
    local = at.astimezone(tz)
    shown = local.strftime("%m-%d %H:%M" if local.year == this_year else "%Y-%m-%d %H:%M")
    return SafeString(f'<time datetime="{local.isoformat()}">{shown}</time>')


class TicketChangeList(ChangeList):
    """The admin's changelist with the page fetched as plain rows when the lean rows can show it."""

    @property
    def lean(self) -> bool:
        columns = list(self.list_display)
        if columns[:1] == ["action_checkbox"]:
            columns = columns[1:]
        return (
            columns == LEAN_COLUMNS and list(self.list_display_links or []) == ["number"]
            and not self.is_popup and not self.to_field and not self.list_editable
        )

    def get_results(self, request):
        super().get_results(request)
        if self.lean:
            # Still lazy (a POST with an action never runs it); one query when the page renders.
            self.result_list = selectors.ticket_list_rows(self.result_list)

    def rows(self) -> list[SafeString]:
        if not self.lean:
            return [mark_safe("<tr>" + "".join(items_for_result(self, obj, None)) + "</tr>") for obj in self.result_list]
        return LeanRows(self)(self.result_list)


class LeanRows:
    """Writes the rows of one page; what every row shares is worked out once here."""

    def __init__(self, cl: TicketChangeList):
        self.checkbox = "action_checkbox" in cl.list_display
        self.checkbox_label = _(ACTION_CHECKBOX_LABEL)
        url = add_preserved_filters(
            {"preserved_filters": cl.preserved_filters, "opts": cl.opts}, cl.url_for_result(_Pk(_PK_SLOT))
        )
        before, _slot, after = url.partition(_PK_SLOT)
        self.url_before, self.url_after = escape(before), escape(after)
        empty = escape(cl.model_admin.get_empty_value_display())
        self.empty = empty
        self.choices = {
            name: {value: html_escape(str(label)) for value, label in Ticket._meta.get_field(name).flatchoices}
            for name in ("kind", "status", "zone")
        }
        self.icons = {
            value: f'<img src="{escape(static("admin/img/icon-%s.svg" % icon))}" alt="{value}">'
            for value, icon in ((True, "yes"), (False, "no"), (None, "unknown"))
        }
        self.tz = timezone.get_current_timezone()
        self.this_year = timezone.localdate().year
        self.countdown = views.CountdownCells(timezone.now())

    def __call__(self, rows) -> list[SafeString]:
        choices, empty, countdown = self.choices, self.empty, self.countdown
        kinds, statuses, zones = choices["kind"], choices["status"], choices["zone"]
        out = []
        for row in rows:
            pk = row["id"]
            number = html_escape(row["number"])
            checkbox = (
                f'<td class="action-checkbox"><input type="checkbox" name="{helpers.ACTION_CHECKBOX_NAME}" value="{pk}" '
                f'class="action-select" aria-label="{self.checkbox_label.format(number)}"></td>'
                if self.checkbox else ""
            )
            out.append(SafeString(
                f"<tr>{checkbox}"
                f'<th class="field-number"><a href="{self.url_before}{pk}{self.url_after}">{number}</a></th>'
                f'<td class="field-customer nowrap">{html_escape(row["customer_name"])}</td>'
                f'<td class="field-kind">{kinds.get(row["kind"], empty)}</td>'
                f'<td class="field-status">{statuses.get(row["status"], empty)}</td>'
                f'<td class="field-zone">{zones.get(row["zone"], empty)}</td>'
                f'<td class="field-is_key_customer">{self.icons[row["is_key_customer"]]}</td>'
                f'<td class="field-registered">{registered_html(row["registered_at"], tz=self.tz, this_year=self.this_year)}</td>'
                f'<td class="field-sla_countdown">{countdown(row["clock"])}</td></tr>'
            ))
        return out


class _Pk:
    """Stands in for a ticket where only its pk is read (``ChangeList.url_for_result``)."""

    def __init__(self, pk):
        self.pk = self.id = pk


def result_table(cl) -> dict:
    """The context of ``admin/tickets/ticket/change_list_results.html``."""
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "rows": cl.rows(),
    }


# --- the page around the rows ---------------------------------------------------------------------
# Django's templates for the sidebar and the action picker loop over dozens of models and options
# through the template engine (a quarter of the page's time); written here with the same markup
# (tests/tickets/test_admin_changelist.py holds them equal to Django's own templates).


# The admin templates' own messages (Django's catalogues translate them): named, not literals, so
# makemessages leaves them out of ours.
DJANGO_MESSAGES = {
    "toggle": "Toggle navigation", "sidebar": "Sidebar", "typing": "Start typing to filter…",
    "filter": "Filter navigation items", "model": "Model name", "add_link": "Add link",
    "list_link": "Change or view list link", "add": "Add", "in_app": "Models in the %(name)s application",
    "nothing": "You don’t have permission to view or edit anything.",
}


def nav_sidebar(available_apps, path: str) -> SafeString:
    """``admin/nav_sidebar.html`` with ``admin/app_list.html`` (show_changelinks=False)."""
    say = {key: _(message) for key, message in DJANGO_MESSAGES.items()}
    path = urlencode(path)
    out = [
        f'<button class="sticky toggle-nav-sidebar" id="toggle-nav-sidebar" aria-label="{escape(say["toggle"])}"></button>'
        f'<nav class="sticky" id="nav-sidebar" aria-label="{escape(say["sidebar"])}">'
        f'<input type="search" id="nav-filter" placeholder="{escape(say["typing"])}" aria-label="{escape(say["filter"])}">'
    ]
    if not available_apps:
        out.append(f'<p>{escape(say["nothing"])}</p></nav>')
        return mark_safe("".join(out))
    head = (
        f'<thead class="visually-hidden"><tr><th scope="col">{escape(say["model"])}</th>'
        f'<th scope="col">{escape(say["add_link"])}</th><th scope="col">{escape(say["list_link"])}</th></tr></thead>'
    )
    add, in_app = escape(say["add"]), say["in_app"]
    for app in available_apps:
        label, app_url = escape(app["app_label"]), app["app_url"]
        out.append(
            f'<div class="app-{label} module{" current-app" if app_url in path else ""}"><table>'
            f'<caption><a href="{escape(app_url)}" class="section" title="{in_app % {"name": escape(app["name"])}}">'
            f'{escape(app["name"])}</a></caption>{head}'
        )
        for model in app["models"]:
            name = escape(model["object_name"].lower())
            admin_url, current = model.get("admin_url"), False
            if admin_url:
                current = admin_url in path
                aria = ' aria-current="page"' if current else ""
                shown = f'<a href="{escape(admin_url)}"{aria}>{escape(model["name"])}</a>'
            else:
                shown = escape(model["name"])
            add_cell = (
                f'<td><a href="{escape(model["add_url"])}" class="addlink" aria-describedby="{label}-{name}">{add}</a></td>'
                if model.get("add_url") else "<td></td>"
            )
            out.append(
                f'<tr class="model-{name}{" current-model" if current else ""}">'
                f'<th scope="row" id="{label}-{name}">{shown}</th>{add_cell}</tr>'
            )
        out.append("</table></div>")
    out.append("</nav>")
    return mark_safe("".join(out))


def action_fields(action_form) -> SafeString:
    """The fields of ``admin/actions.html`` (the action picker and the hidden select-across)."""
    if action_form.is_bound:
        return mark_safe("".join(f"<label>{f.label} {f}</label>" if f.label else str(f) for f in action_form))
    field = action_form.fields["action"]
    initial = action_form.initial.get("action", field.initial)
    initial = "" if initial is None else str(initial)
    options = "".join(
        f'<option value="{escape(value)}"{" selected" if str(value) == initial else ""}>{escape(label)}</option>'
        for value, label in field.choices
    )
    across = action_form["select_across"].value()
    across = "" if across in ("", None) else f' value="{escape(across)}"'
    return mark_safe(
        f'<label>{escape(field.label)} <select name="action" required>{options}</select></label>'
        f'<input type="hidden" name="select_across"{across} class="select-across">'
    )
