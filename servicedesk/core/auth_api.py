"""Token sign-in for devices and integrations, throttled by django-axes like the login page."""

from axes.exceptions import AxesBackendPermissionDenied
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response


class ObtainTokenView(ObtainAuthToken):
    """POST username + password → a token for the ``Authorization: Token …`` header."""

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except AxesBackendPermissionDenied:
            return Response(
                {
                    "detail": _("Too many failed sign-ins. This account is locked for a while; try again later."),
                    "code": "locked_out",
                    "errors": {},
                },
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
