from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FiguresConfig(AppConfig):
    name = "ducha.figures"
    label = "figures"
    verbose_name = _("Published figures")

    def ready(self):
        from ducha.figures import policies  # noqa: F401
