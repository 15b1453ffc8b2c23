from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ducha.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from ducha.accounts import policies  # noqa: F401  (registers the policies)
