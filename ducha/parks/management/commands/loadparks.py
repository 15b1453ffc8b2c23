from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.core.commands import DuchaCommand
from ducha.core.filespec import FileSpecError
from ducha.parks.services import TIANJIN_PARKS, load_park_file


class Command(DuchaCommand):
    help = gettext_lazy(
        "Create or update the parks from a park file (default: the parks of the Tianjin plan)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            nargs="?",
            default=str(TIANJIN_PARKS),
            help=_("the park file (default: the parks of the Tianjin plan)"),
        )

    def handle(self, *args, file, **options):
        try:
            counts = load_park_file(file)
        except FileSpecError as exc:
            raise CommandError(_("nothing was loaded:") + "\n" + str(exc)) from None
        self.stdout.write(
            _("%(created)d parks created, %(updated)d updated, %(unchanged)d unchanged") % counts
        )
