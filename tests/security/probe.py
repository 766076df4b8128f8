"""Calling one route as one person and reading the answer as allowed / denied."""

from __future__ import annotations

from django.db import transaction
from django.test import Client
from django.urls import reverse

ALLOW, DENY, ERROR, MISSING = "allow", "deny", "ERROR", "?"

# Route parameters that are not the object under test.
FIXED_PARAMS = {
    "version": "v1",
    "action": "accept",          # tablet:step — any step; the order decides access first
    "key": "orders_closed",      # appraisal:drill
    "source": "tickets",         # reports:statistics_records
    "name": "tickets",           # reports:list_export
    "slug": "x",
    "url": "no-such-page/",     # the admin's catch-all
    "app_label": "tickets",      # admin:app_list
}
PK_PARAMS = ("pk", "object_id", "order_id")
LOGIN_PATHS = ("/accounts/login/", "/admin/login/")


def classify(response, url: str = "") -> str:
    for location, _status in getattr(response, "redirect_chain", ()):
        path = location.split("?")[0]
        if path.endswith(LOGIN_PATHS):
            return DENY
        # The admin answers an object it will not show with a redirect to its index ("does not exist").
        if url.startswith("/admin/") and url.count("/") > 4 and path in ("/admin/", "http://testserver/admin/"):
            return DENY
    code = response.status_code
    if code >= 500:
        return ERROR
    if code in (401, 403, 404):
        return DENY
    if code in (301, 302, 303) and response.get("Location", "").split("?")[0].endswith(LOGIN_PATHS):
        return DENY
    return ALLOW


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


# A body that passes the validation of most actions (a reason, a text, a comment …), so that the
# answer shows the permission decision rather than a 400 for a missing field.
BODY = {
    "reason": "权限矩阵检查", "text": "权限矩阵检查", "comment": "权限矩阵检查", "note": "权限矩阵检查",
    "resolution": "权限矩阵检查", "narrative": "权限矩阵检查", "reply": "权限矩阵检查", "points": "1",
}


def call(client: Client, method: str, url: str, *, json_body: bool):
    """One request, rolled back afterwards: a POST that succeeds must not change what the next role sees."""
    with transaction.atomic():
        if method == "GET":
            # Followed: a redirect is judged by where it lands (the admin's /<id>/ → /<id>/change/).
            response = client.get(url, follow=True)
        elif json_body:
            response = getattr(client, method.lower())(url, data=BODY, content_type="application/json")
        else:
            response = getattr(client, method.lower())(url, data=BODY)
        transaction.set_rollback(True)
    return response


def url_for(route, pk=None, extra=None) -> str:
    kwargs = {}
    for param in route.params:
        if param == "format":
            continue
        if param in PK_PARAMS:
            kwargs[param] = pk if pk is not None else 0
        elif extra and param in extra:
            kwargs[param] = extra[param]
        elif param == "content_type_id":  # admin:view_on_site — the content type of a customer
            from django.contrib.contenttypes.models import ContentType

            from tickets.models import Customer

            kwargs[param] = ContentType.objects.get_for_model(Customer).pk
        elif param in FIXED_PARAMS:
            kwargs[param] = FIXED_PARAMS[param]
        else:
            kwargs[param] = 0
    if ":" in route.key or not route.key.startswith(("admin/", "api/")) and "/" not in route.key:
        try:
            return reverse(route.key, kwargs=kwargs)
        except Exception:  # noqa: BLE001 — unnamed or ambiguous: build from the pattern below
            pass
    return _fill(route.pattern, kwargs)


def _fill(pattern: str, kwargs: dict) -> str:
    import re

    out = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs.get(m.group(1), 0)), pattern)
    out = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs.get(m.group(1), 0)), out)
    out = out.replace("^", "").replace("$", "").replace("\\", "")
    return "/" + out
