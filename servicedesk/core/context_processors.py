from django.conf import settings
from django.utils.translation import gettext as _


def servicedesk(request):
    """Company name for every page; warnings for admins (e.g. a year without holiday data)."""
    from servicedesk.core.banners import banners_for

    return {
        "company_name": settings.COMPANY_NAME or _("After-sales Service Department"),
        "admin_banners": banners_for(getattr(request, "user", None)),
    }
