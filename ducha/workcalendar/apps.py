from django.apps import AppConfig
from django.core.signals import request_started
from django.utils.translation import gettext_lazy as _


class WorkCalendarConfig(AppConfig):
    name = "ducha.workcalendar"
    label = "workcalendar"
    verbose_name = _("Working-day calendar")

    def ready(self):
        from ducha.reporting import workdays
        from ducha.workcalendar import policies, selectors  # noqa: F401

        workdays.set_recorded_source(selectors.recorded_calendar)
        # another server's write counts from this process's next request
        request_started.connect(selectors.recheck, dispatch_uid="workcalendar-recheck")
