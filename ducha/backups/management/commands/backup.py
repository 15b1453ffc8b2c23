from pathlib import Path

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.backups.services import BackupError, backup
from ducha.core.commands import DuchaCommand


class Command(DuchaCommand):
    help = gettext_lazy(
        "Back up the database (pg_dump, or SQLite's online backup) and the uploaded files into "
        "one .tar.gz with a manifest of checksums. Safe while the site runs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-o", "--output", help=_("the backup file (default: ducha-backup-<time>.tar.gz here)")
        )

    def handle(self, *args, output=None, **options):
        if not output:
            output = f"ducha-backup-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"
        path = Path(output)
        if path.exists():
            raise CommandError(_("%s exists already; choose another name") % path)
        if not path.parent.is_dir():
            raise CommandError(_("%s: no such directory") % path.parent)
        try:
            report = backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            _("Backup written: %(path)s (%(vendor)s database and %(files)d files, %(mb).1f MB).")
            % {
                "path": report.path,
                "vendor": report.vendor,
                "files": report.files,
                "mb": report.size / 1024 / 1024,
            }
        )
