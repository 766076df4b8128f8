"""System checks: the renewal notice period must make sense before any task is opened with it."""

from django.conf import settings
from django.core.checks import Error, register
from django.utils.translation import gettext as _


@register()
def check_renewal_notice_period(app_configs=None, **kwargs):
    months = getattr(settings, "RENEWAL_NOTICE_MONTHS", None)
    if isinstance(months, int) and not isinstance(months, bool) and 0 <= months <= 12:
        return []
    return [
        Error(
            _("RENEWAL_NOTICE_MONTHS is %(value)r; it must be a whole number of months from 0 to 12.") % {"value": months},
            hint=_("Set RENEWAL_NOTICE_MONTHS in the environment (the default is 1: one month before expiry)."),
            id="visits.E001",
        )
    ]
