from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, using, **kwargs):
    from .roles import sync_role_permissions

    sync_role_permissions(using=using)


class OrgConfig(AppConfig):
    name = "servicedesk.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self):
        # After every migrate, for each app (Django creates an app's permissions in that app's own
        # post_migrate): permissions of models added by later migrations reach the role groups
        # without another data migration. Idempotent and cheap.
        post_migrate.connect(_sync_roles, dispatch_uid="servicedesk.org.sync_roles")
