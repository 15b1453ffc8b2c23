from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.core.commands import DuchaCommand
from ducha.core.filespec import FileSpecError
from ducha.orgunits.services import TIANJIN_FILE, load_orgunit_file


class Command(DuchaCommand):
    help = gettext_lazy(
        "Create or update org units from a ducha-orgunits/1 YAML file (idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            nargs="?",
            default=str(TIANJIN_FILE),
            help=_("the YAML file (default: the Tianjin units)"),
        )

    def handle(self, *args, file, **options):
        try:
            counts = load_orgunit_file(file)
        except FileSpecError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            _("%(file)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged")
            % {"file": file, **counts}
        )
