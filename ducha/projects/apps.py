from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "ducha.projects"
    label = "projects"
    verbose_name = _("Projects")

    def ready(self):
        from ducha.projects import policies, register  # noqa: F401
