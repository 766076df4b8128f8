from django.core.checks import Warning, register
from django.db import connections
from django.utils.translation import gettext_lazy as _


@register()
def audit_needs_postgresql(app_configs, **kwargs):
    if connections["default"].vendor == "postgresql":
        return []
    return [
        Warning(
            _("The audit trail is recorded by PostgreSQL triggers; on this database no history is kept."),
            hint=_("Set DATABASE_URL to a PostgreSQL database for production use."),
            id="audit.W001",
        )
    ]
