from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlignmentConfig(AppConfig):
    name = "ducha.alignment"
    label = "alignment"
    verbose_name = _("Plan alignment")

    def ready(self):
        from ducha.alignment import policies  # noqa: F401
        from ducha.alignment.services import on_plan_loaded
        from ducha.plans.services import LOAD_HOOKS

        if on_plan_loaded not in LOAD_HOOKS:
            LOAD_HOOKS.append(on_plan_loaded)
