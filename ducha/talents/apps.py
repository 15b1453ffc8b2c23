from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentsConfig(AppConfig):
    name = "ducha.talents"
    label = "talents"
    verbose_name = _("Talent database")

    def ready(self):
        from ducha.talents import policies, register  # noqa: F401
