from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgUnitsConfig(AppConfig):
    name = "ducha.orgunits"
    verbose_name = _("Org units")

    def ready(self):
        from ducha.orgunits import policies  # noqa: F401
