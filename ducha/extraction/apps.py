from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExtractionConfig(AppConfig):
    name = "ducha.extraction"
    label = "extraction"
    verbose_name = _("Plan extraction")

    def ready(self):
        from ducha.extraction import policies  # noqa: F401
        from ducha.extraction.services import unreviewed_problem
        from ducha.plans.services import STATE_CHECKS

        if unreviewed_problem not in STATE_CHECKS:
            STATE_CHECKS.append(unreviewed_problem)
