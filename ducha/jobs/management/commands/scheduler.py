import logging
import signal
import threading

from django.db import DatabaseError, close_old_connections
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.core.commands import DuchaCommand
from ducha.jobs import schedule

logger = logging.getLogger("ducha.jobs")


class Command(DuchaCommand):
    help = gettext_lazy(
        "Queue the periodic jobs (reminders on working days, nightly recomputing, clearing old "
        "jobs) when they are due, and requeue the jobs of workers that died. One per site "
        "(a second one is harmless); `ducha worker` runs what it queues."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=30.0, help=_("seconds between looks"))
        parser.add_argument("--once", action="store_true", help=_("look once, then stop"))

    def handle(self, *args, interval, once, **options):
        stop = threading.Event()
        if not once:
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda *_a: stop.set())
            self.stderr.write(_("ducha scheduler started"))
        while True:
            close_old_connections()
            try:
                for job in schedule.tick():
                    logger.info("queued %s", job.title)
                    self.stdout.write(_("queued: %s") % job.title)
            except DatabaseError:
                # The database restarting, or SQLite busy with a long import: next time.
                logger.exception("scheduler: the database did not answer; trying again")
            if once or stop.wait(max(interval, 0.1)):
                break
        close_old_connections()
