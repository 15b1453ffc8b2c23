from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.core.commands import DuchaCommand
from ducha.core.tables import ImportError_
from ducha.registers import base
from ducha.registers.services import import_register


class Command(DuchaCommand):
    help = gettext_lazy(
        "Import a register file (XLSX or CSV): `ducha importregister enterprises FILE`. "
        "Every row is checked first; a file with any error imports nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "register", choices=sorted(base.CATALOGUE), help=_("which register to import into")
        )
        parser.add_argument("file", help=_("the file to import (.xlsx or .csv)"))
        parser.add_argument("--dry-run", action="store_true", help=_("check only, write nothing"))

    def handle(self, *args, register, file, dry_run=False, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("cannot read %(file)s: %(error)s") % {"file": file, "error": exc.strerror}
            ) from None
        try:
            report = import_register(None, base.get(register), path.name, data, dry_run=dry_run)
        except ImportError_ as exc:
            lines = [f"{path.name}: {p}" for p in exc.problems]
            raise CommandError(_("nothing was imported:") + "\n" + "\n".join(lines)) from None
        prefix = _("checked, nothing written: ") if dry_run else ""
        self.stdout.write(
            prefix
            + _(
                "%(file)s: %(created)d new, %(updated)d changed, %(unchanged)d unchanged; "
                "%(recomputed)d computed values changed"
            )
            % {
                "file": path.name,
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "recomputed": report.recomputed,
            }
        )
