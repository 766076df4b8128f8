"""Token sign-in for devices and integrations, throttled by django-axes like the login page."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response


def _locked_out(request) -> bool:
    # django.contrib.auth.authenticate() swallows axes' PermissionDenied and reports a plain
    # failure; axes leaves its verdict on the request object it was given (DRF's wrapper here).
    return bool(getattr(request, "axes_locked_out", False) or getattr(request._request, "axes_locked_out", False))


class ObtainTokenView(ObtainAuthToken):
    """POST username + password → a token for the ``Authorization: Token …`` header."""

    # Anyone may ask (no authentication); the answer is the token, not the credentials that were sent.
    @extend_schema(
        auth=[],
        responses={200: inline_serializer("Token", {"token": serializers.CharField()})},
    )
    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except exceptions.ValidationError:
            if not _locked_out(request):
                raise
        return Response(
            {
                "detail": _("Too many failed sign-ins. This account is locked for a while; try again later."),
                "code": "locked_out",
                "errors": {},
            },
            status=status.HTTP_429_TOO_MANY_REQUESTS,
        )
