from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "ducha.enterprises"
    label = "enterprises"
    verbose_name = _("Enterprises")

    def ready(self):
        from ducha.enterprises import policies, register  # noqa: F401
