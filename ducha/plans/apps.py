from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "ducha.plans"
    verbose_name = _("Plans")

    def ready(self):
        from ducha.plans import policies  # noqa: F401
