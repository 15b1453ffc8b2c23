import logging
import sys

from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.core.commands import DuchaCommand
from ducha.jobs.worker import Worker


class Command(DuchaCommand):
    help = gettext_lazy(
        "Run background jobs (imports, bulletins, recomputing, reminders) as they are queued. "
        "Stops after the running job on SIGTERM or Ctrl-C; run one or more under systemd."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=1.0, help=_("seconds between looks at an empty queue")
        )
        parser.add_argument("--batch", action="store_true", help=_("run what is queued, then stop"))
        parser.add_argument("--max-jobs", type=int, default=None, help=_("stop after this many"))

    def handle(self, *args, interval, batch, max_jobs, verbosity=1, **options):
        log = logging.getLogger("django_tasks_db")
        if verbosity >= 1 and not log.handlers:
            log.addHandler(logging.StreamHandler(sys.stderr))
            log.setLevel(logging.INFO)
        worker = Worker(
            queue_names=["default"],
            interval=max(interval, 0.05),
            batch=batch,
            backend_name="default",
            startup_delay=not batch,
            max_tasks=max_jobs,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        if verbosity >= 1:
            self.stderr.write(_("ducha worker %s is waiting for jobs") % worker.worker_id)
        worker.configure_signals()
        worker.run()
