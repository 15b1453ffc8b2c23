from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "ducha.supervision"
    label = "supervision"
    verbose_name = _("Supervision (督办)")

    def ready(self):
        from ducha.supervision import policies  # noqa: F401
