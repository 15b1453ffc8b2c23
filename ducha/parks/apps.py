from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParksConfig(AppConfig):
    name = "ducha.parks"
    label = "parks"
    verbose_name = _("Parks")

    def ready(self):
        from ducha.parks import policies, register  # noqa: F401
