from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncentivesConfig(AppConfig):
    name = "ducha.incentives"
    label = "incentives"
    verbose_name = _("Awards and subsidies")

    def ready(self):
        from ducha.incentives import policies, register  # noqa: F401
