from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.core.commands import DuchaCommand
from ducha.core.tables import ImportError_
from ducha.workcalendar.services import load_holiday_file


class Command(DuchaCommand):
    help = gettext_lazy(
        "Record the State Council's holiday notice for one or more years from a YAML, CSV or "
        "XLSX file (format in docs/holidays.md). All or nothing; each year in the file "
        "replaces what was recorded for it, and open rounds' deadlines are recounted."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("the holiday file"))
        parser.add_argument("--dry-run", action="store_true", help=_("check the file only"))

    def handle(self, *args, file, dry_run=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("%s: no such file") % file)
        try:
            report = load_holiday_file(None, path.name, path.read_bytes(), dry_run=dry_run)
        except ImportError_ as exc:
            raise CommandError(
                _("%(file)s was not loaded:\n%(problems)s")
                % {"file": file, "problems": "\n".join(f"  {p}" for p in exc.problems)}
            ) from None
        self.stdout.write(
            _("%(years)s: %(holidays)d holidays and %(workdays)d working weekend days%(dry)s.")
            % {
                "years": "、".join(str(y) for y in report.years),
                "holidays": report.holidays,
                "workdays": report.workdays,
                "dry": _(" (checked only: nothing recorded)") if dry_run else _(" recorded"),
            }
        )
        for rnd in report.rounds_recounted:
            self.stdout.write(
                _("Deadline of %(round)s recounted: %(day)s") % {"round": rnd, "day": rnd.deadline}
            )
