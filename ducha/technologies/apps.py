from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TechnologiesConfig(AppConfig):
    name = "ducha.technologies"
    label = "technologies"
    verbose_name = _("Key technologies")

    def ready(self):
        from ducha.technologies import policies, register  # noqa: F401
