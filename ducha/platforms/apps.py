from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformsConfig(AppConfig):
    name = "ducha.platforms"
    label = "platforms"
    verbose_name = _("Innovation platforms")

    def ready(self):
        from ducha.platforms import policies, register  # noqa: F401
