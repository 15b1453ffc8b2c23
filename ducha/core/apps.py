from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ducha.core"
    verbose_name = _("Core")

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_login_failed

        from ducha.core import security

        # Refused sign-ins and lockouts go to the audit log (security.*).
        user_login_failed.connect(security.on_login_failed, dispatch_uid="ducha-login-failed")
        user_locked_out.connect(security.on_locked_out, dispatch_uid="ducha-locked-out")
