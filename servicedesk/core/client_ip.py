"""The client's address behind our proxies, for login throttling (django-axes' AXES_CLIENT_IP_CALLABLE).

With ``TRUSTED_PROXY_COUNT`` = N proxies in front of gunicorn, each appending the address it got
the request from to X-Forwarded-For, the client is the address N hops back from gunicorn's peer:
whatever a client writes into the header itself stays to the left and is ignored. With N = 0 (no
proxy: the quick start, tests) the connection's own address is the client.
"""

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    hops = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if not hops:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    chain = [*forwarded, remote] if remote else forwarded
    if len(chain) <= hops:
        # Fewer addresses than proxies: the request did not come through all of them.
        return chain[0] if chain else None
    return chain[-(hops + 1)]
