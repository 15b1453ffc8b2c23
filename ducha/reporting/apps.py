from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "ducha.reporting"
    label = "reporting"
    verbose_name = _("Reporting rounds")

    def ready(self):
        from ducha.reporting import policies  # noqa: F401
