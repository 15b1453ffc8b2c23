import time

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.assessments import store
from ducha.core.commands import DuchaCommand


class Command(DuchaCommand):
    help = gettext_lazy(
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
