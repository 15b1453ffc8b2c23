"""`ducha serve`: the whole site on one machine (what `make demo` runs).

gunicorn for the pages, plus one job worker and the scheduler (`ducha worker`,
`ducha scheduler`) unless --no-jobs; Ctrl-C or SIGTERM stops all three. A production site
runs the same three as systemd services instead (`deploy/`, docs/deployment.md).
"""

import errno
import os
import signal
import socket
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.core import staticstamp
from ducha.core.commands import DuchaCommand


def split_bind(bind: str) -> tuple[str, int]:
    """ "127.0.0.1:8000", "[::1]:8000", ":8000" or "8000" → (host, port)."""
    host, _sep, port = bind.rpartition(":")
    host = host.strip("[]") or "0.0.0.0"
    try:
        number = int(port)
    except ValueError:
        raise CommandError(
            _("--bind %s: give an address and a port, e.g. 127.0.0.1:8000") % bind
        ) from None
    if not 0 < number < 65536:
        raise CommandError(_("--bind %s: the port must be between 1 and 65535") % bind)
    return host, number


def check_free(bind: str) -> None:
    """Fail at once, in plain words, when the address cannot be listened on."""
    if bind.startswith(("unix:", "fd://")):
        return
    host, port = split_bind(bind)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise CommandError(
            _("--bind %(bind)s: the address %(host)s is unknown") % {"bind": bind, "host": host}
        ) from None
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn does
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise CommandError(
                    _(
                        "Port %(port)s on %(host)s is already in use (is ducha already "
                        "running?). Stop what uses it, or serve on another port: "
                        "ducha serve --bind %(host)s:%(other)s"
                    )
                    % {"port": port, "host": host, "other": port + 1 if port < 65535 else 8001}
                ) from None
            if exc.errno == errno.EACCES:
                raise CommandError(
                    _("Port %(port)s needs administrator rights; use a port above 1023.")
                    % {"port": port}
                ) from None
            if exc.errno == errno.EADDRNOTAVAIL:
                raise CommandError(
                    _("%(host)s is not an address of this machine.") % {"host": host}
                ) from None
            raise


def gunicorn_argv(bind: str, workers: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "ducha.wsgi:application",
        f"--bind={bind}",
        f"--workers={workers}",
        # Sync workers: gunicorn's timeout kills a worker stuck in one request only when the
        # worker handles requests in its main thread; threaded workers keep reporting alive
        # while a request thread spins, and the timeout never fires.
        "--worker-class=sync",
        f"--timeout={os.environ.get('DUCHA_REQUEST_TIMEOUT', '120')}",
        # no gunicorn access log: ducha's own (`ducha.access`) also says who and how long
    ]


class Command(DuchaCommand):
    requires_system_checks = []  # runs at set-up, before anything else needs to work
    help = gettext_lazy(
        "Serve ducha with gunicorn on DUCHA_BIND (127.0.0.1:8000), with a job worker and the "
        "scheduler (what `make demo` runs)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind",
            default=os.environ.get("DUCHA_BIND") or "127.0.0.1:8000",
            help=_("address:port to listen on (default: DUCHA_BIND, else 127.0.0.1:8000)"),
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("DUCHA_WORKERS", 3)),
            help=_("web worker processes (default: DUCHA_WORKERS, else 3)"),
        )
        parser.add_argument(
            "--no-jobs",
            action="store_true",
            help=_("no job worker and scheduler (systemd runs them as services of their own)"),
        )

    def handle(self, *args, bind, workers, no_jobs, **options):
        check_free(bind)
        if staticstamp.is_stale():
            # Normally done once by `make install` / `ducha collectstatic`; an upgrade that
            # brought new files without collecting them gets them here, once.
            self.stdout.write(_("Collecting and compressing the static files (once)…"))
            sys.stdout.flush()
            call_command("collectstatic", interactive=False, verbosity=0)
        manage = [sys.executable, "-m", "ducha"]
        children = []
        if not no_jobs:
            # Their own sessions: Ctrl-C reaches this process only, which stops each once.
            children.append(subprocess.Popen([*manage, "worker", "-v0"], start_new_session=True))
            children.append(
                subprocess.Popen(
                    [*manage, "scheduler"], stdout=subprocess.DEVNULL, start_new_session=True
                )
            )
        web = subprocess.Popen(gunicorn_argv(bind, workers), start_new_session=True)
        children.append(web)
        self.stdout.write(_("ducha is serving on http://%s/ (Ctrl-C stops it)") % bind)
        sys.stdout.flush()

        def stop(signum, _frame):
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        code = web.wait()
        stop(signal.SIGTERM, None)
        for child in children:
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
        if code not in (0, -signal.SIGTERM, -signal.SIGINT):
            raise CommandError(_("gunicorn stopped with exit code %s") % code)
