from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "ducha.portal"
    label = "portal"
    verbose_name = _("Public portal")

    def ready(self):
        from ducha.portal import policies  # noqa: F401
