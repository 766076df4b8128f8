from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _keep_foreign_triggers_out_of_migrations():
    """Triggers on other packages' models (Django's auth tables) stay out of migrations.

    makemigrations would otherwise write a migration into site-packages, which no other machine
    has; those triggers are installed after every migrate instead (PGTRIGGER_INSTALL_ON_MIGRATE).
    """
    from django.apps import apps
    from django.conf import settings
    from pgtrigger import registry

    base = str(settings.BASE_DIR)
    ours = {
        cfg.label for cfg in apps.get_app_configs() if cfg.path.startswith(base) and "site-packages" not in cfg.path
    }
    for model, trigger in registry.registered():
        if model._meta.app_label in ours:
            continue
        for triggers in (getattr(model._meta, "triggers", None), model._meta.original_attrs.get("triggers")):
            if triggers and trigger in triggers:
                triggers.remove(trigger)


class AuditConfig(AppConfig):
    name = "servicedesk.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from . import checks  # noqa: F401  (registers the system check)

        _keep_foreign_triggers_out_of_migrations()
