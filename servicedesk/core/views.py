"""``/`` sends each signed-in user to the home page of his role; ``role_required`` guards those pages.

The role homes themselves read customers, units and contracts, so they live in ``reports.homes``
(the top app); this module only knows their URL names.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from servicedesk.org.models import Role
from servicedesk.org.roles import has_role

# Where "/" sends a user, first matching role wins (a person may hold several).
HOME_BY_ROLE: list[tuple[tuple[str, ...], str]] = [
    ((Role.ADMIN,), "admin:index"),
    ((Role.MANAGER, Role.GENERAL_MANAGER), "manager_home"),
    ((Role.STATION_HEAD,), "station_home"),
    ((Role.SUPERVISOR,), "supervisor_home"),
    ((Role.DISPATCHER,), "admin:index"),
    ((Role.WAREHOUSE_KEEPER,), "admin:index"),
    ((Role.FINANCE,), "finance_home"),
    ((Role.TECHNICIAN,), "tablet_home"),
]


def home_url_name(user) -> str | None:
    for roles, url_name in HOME_BY_ROLE:
        if has_role(user, *roles):
            return url_name
    return None


def role_required(*roles: str):
    """Signed-in users holding one of ``roles``; anyone else gets the 403 page, anonymous the login page."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                raise PermissionDenied(_("This page is for another role."))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


@login_required
def home(request):
    url_name = home_url_name(request.user)
    if url_name is None:
        return render(request, "core/no_role.html")
    return redirect(url_name)
