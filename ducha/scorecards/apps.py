from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScorecardsConfig(AppConfig):
    name = "ducha.scorecards"
    label = "scorecards"
    verbose_name = _("Scorecards and ranking")

    def ready(self):
        from ducha.scorecards import policies  # noqa: F401
