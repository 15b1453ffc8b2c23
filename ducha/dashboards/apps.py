from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "ducha.dashboards"
    label = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self):
        from ducha.dashboards import (
            policies,  # noqa: F401
            wiring,
        )

        wiring.connect()
