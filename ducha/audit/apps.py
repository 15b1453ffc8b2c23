from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "ducha.audit"
    verbose_name = _("Audit log")

    def ready(self):
        from ducha.audit import policies  # noqa: F401
