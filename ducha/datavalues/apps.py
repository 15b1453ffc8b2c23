from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataValuesConfig(AppConfig):
    name = "ducha.datavalues"
    label = "datavalues"
    verbose_name = _("Reported values")

    def ready(self):
        from ducha.datavalues import policies  # noqa: F401
