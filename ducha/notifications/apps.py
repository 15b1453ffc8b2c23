from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "ducha.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from ducha.notifications import policies  # noqa: F401
