import datetime as dt

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.core.commands import DuchaCommand
from ducha.supervision.services import send_reminders
from ducha.workcalendar.selectors import missing_next_year


class Command(DuchaCommand):
    help = gettext_lazy(
        "Send today's reminders for overdue reporting assignments, escalating to unit heads "
        "and the office after the set number of working days. Safe to run as often as cron "
        "likes: each reminder goes out once a day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help=_("act as if today were this date (YYYY-MM-DD)"))
        parser.add_argument("--dry-run", action="store_true", help=_("say what would be sent"))
        parser.add_argument(
            "--any-day", action="store_true", help=_("also on weekends and public holidays")
        )

    def handle(self, *args, date=None, dry_run=False, any_day=False, **options):
        today = None
        if date:
            try:
                today = dt.date.fromisoformat(date)
            except ValueError:
                raise CommandError(_("--date: %s is not a date (YYYY-MM-DD)") % date) from None
        report = send_reminders(None, today=today, dry_run=dry_run, include_non_working=any_day)
        missing = missing_next_year(report.day)
        if missing:
            self.stderr.write(
                _(
                    "Warning: the holiday calendar for %(year)d is not recorded; deadlines in "
                    "%(year)d count Monday to Friday only. Record the State Council's notice "
                    "with `ducha loadholidays FILE` or on the holiday calendar page."
                )
                % {"year": missing}
            )
        if report.skipped_holiday:
            self.stdout.write(
                _("%s is not a working day: no reminders (use --any-day to send anyway).")
                % report.day
            )
            return
        self.stdout.write(
            _(
                "%(day)s: %(overdue)d overdue assignments; %(reminders)d reminders in "
                "%(emails)d e-mails%(dry)s; %(already)d already sent today."
            )
            % {
                "day": report.day,
                "overdue": report.overdue,
                "reminders": report.reminders,
                "emails": report.emails,
                "dry": _(" (dry run: nothing sent)") if dry_run else "",
                "already": report.already_sent,
            }
        )
        for who in report.no_address:
            self.stderr.write(_("No e-mail address for: %s") % who)
