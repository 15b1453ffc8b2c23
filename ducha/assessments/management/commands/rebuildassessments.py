import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from ducha.assessments import store


class Command(BaseCommand):
    @property
    def help(self):  # argparse needs a str, in the language of the run
        return _(
            "Rebuild the assessment store (each indicator's plan-wide values by approval "
            "time) from the approved values."
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        count = store.rebuild()
        self.stdout.write(
            _("%(count)d indicators rebuilt in %(seconds).1f s")
            % {"count": count, "seconds": time.perf_counter() - started}
        )
