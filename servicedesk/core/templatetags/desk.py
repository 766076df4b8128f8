"""Template helpers for the page frame: the signed-in user's roles, navigation and unread count."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from servicedesk.notifications.selectors import unread_count
from servicedesk.org.models import Role
from servicedesk.org.roles import has_role, role_label, user_roles

register = template.Library()

# (url name, label, roles that may open it) — the role home pages (reports/homes/urls.py).
_NAV = [
    ("tablet_home", gettext_noop("My customers"), (Role.TECHNICIAN,)),
    ("supervisor_home", gettext_noop("Supervision"), (Role.SUPERVISOR,)),
    ("station_home", gettext_noop("My station"), (Role.STATION_HEAD,)),
    ("manager_home", gettext_noop("Department"), (Role.MANAGER, Role.GENERAL_MANAGER)),
    ("finance_home", gettext_noop("Contract fees"), (Role.FINANCE, Role.MANAGER, Role.GENERAL_MANAGER)),
    ("visits:mine", gettext_noop("My visits"), (Role.TECHNICIAN,)),
    ("visits:progress", gettext_noop("Visit progress"), (Role.MANAGER, Role.GENERAL_MANAGER, Role.SUPERVISOR, Role.STATION_HEAD)),
    ("appraisal:my_backups", gettext_noop("My backups"), tuple(Role)),
    ("appraisal:compliance", gettext_noop("Backup compliance"), (Role.SUPERVISOR, Role.STATION_HEAD, Role.MANAGER, Role.GENERAL_MANAGER)),
]


@register.simple_tag(takes_context=True)
def page_frame(context) -> dict:
    """Everything the header needs, computed once per page (two small queries at most)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": [], "roles": [], "unread": 0}
    path = request.path
    nav = []
    for url_name, label, roles in _NAV:
        if has_role(user, *roles):
            url = reverse(url_name)
            nav.append({"url": url, "label": _(label), "active": path.startswith(url)})
    if user.is_staff:
        url = reverse("admin:index")
        nav.append({"url": url, "label": _("Administration"), "active": path.startswith(url)})
    held = user_roles(user)
    staff = _staff_name(user)
    return {
        "nav": nav,
        "roles": [str(label) for value, label in Role.choices if value in held],
        "unread": unread_count(user),
        "notifications_active": path.startswith(reverse("notifications:list")),
        "display_name": staff or user.get_full_name() or user.get_username(),
    }


def _staff_name(user) -> str:
    from servicedesk.org.models import Staff

    try:
        return user.staff.name
    except Staff.DoesNotExist:
        return ""



register.filter("role_label", role_label)


@register.filter
def money(value, places: int = 2) -> str:
    """An amount in yuan as accountants write it in either language: 12,345.60 (3-digit groups)."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return f"{amount:,.{int(places)}f}"
