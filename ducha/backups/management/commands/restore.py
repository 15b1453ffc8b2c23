from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.backups.services import BackupError, restore
from ducha.core.commands import DuchaCommand


class Command(DuchaCommand):
    help = gettext_lazy(
        "Restore a backup made by `ducha backup` into this site's database and media "
        "directory. Checks every checksum first; refuses a database that is not empty unless "
        "--force. Stop the site while restoring."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("the backup file (.tar.gz)"))
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("replace the data of a database that is not empty"),
        )

    def handle(self, *args, file, force=False, **options):
        try:
            report = restore(Path(file), force=force)
        except BackupError as exc:
            raise CommandError(_("Nothing was restored: %s") % exc) from None
        self.stdout.write(
            _(
                "Restored the backup of %(created)s (ducha %(version)s): the %(vendor)s "
                "database and %(files)d files."
            )
            % {
                "created": report.created_at,
                "version": report.app_version,
                "vendor": report.vendor,
                "files": report.files,
            }
        )
        if report.media_kept:
            self.stdout.write(_("The files that were there are kept in %s.") % report.media_kept)
        if report.pending_migrations:
            self.stdout.write(
                _("The backup is from an older version: run `ducha migrate` now (%d steps).")
                % len(report.pending_migrations)
            )
