import os
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


class Command(BaseCommand):
    requires_system_checks = []  # runs at set-up, before anything else needs to work
    help = "Collect the static files, then serve ducha with gunicorn (what `make demo` runs)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("DUCHA_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("DUCHA_WORKERS", 3)))

    def handle(self, *args, bind, workers, **options):
        # WhiteNoise serves the collected, compressed files (settings: no finders outside
        # DUCHA_DEBUG): collect them now, so a fresh install or an upgrade serves current ones.
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(_("ducha is serving on http://%s/ (Ctrl-C stops it)") % bind)
        sys.stdout.flush()
        argv = [
            "gunicorn",
            "ducha.wsgi:application",
            f"--bind={bind}",
            f"--workers={workers}",
            # Sync workers: gunicorn's timeout kills a worker stuck in one request only when
            # the worker handles requests in its main thread; threaded workers keep reporting
            # alive while a request thread spins, and the timeout never fires.
            "--worker-class=sync",
            "--access-logfile=-",
            f"--timeout={os.environ.get('DUCHA_REQUEST_TIMEOUT', '120')}",
        ]
        os.execvp(sys.executable, [sys.executable, "-m", *argv])
