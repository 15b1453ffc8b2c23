"""The daily reminders as a background job, queued by `ducha scheduler` (`ducha.jobs`)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from ducha.supervision.services import send_reminders
from ducha.workcalendar.selectors import missing_next_year


def remind(job, progress) -> dict:
    day = job.params.get("day")
    report = send_reminders(None, today=dt.date.fromisoformat(day) if day else None)
    problems = []
    missing = missing_next_year(report.day)
    if missing:
        problems.append(
            _(
                "The holiday calendar for %(year)d is not recorded; deadlines in %(year)d count "
                "Monday to Friday only. Record the State Council's notice on the holiday "
                "calendar page."
            )
            % {"year": missing}
        )
    if report.skipped_holiday:
        return {
            "message": _("%s is not a working day: no reminders.") % report.day,
            "problems": problems,
        }
    return {
        "message": _(
            "%(day)s: %(overdue)d overdue assignments; %(reminders)d reminders in "
            "%(emails)d e-mails; %(already)d already sent today."
        )
        % {
            "day": report.day,
            "overdue": report.overdue,
            "reminders": report.reminders,
            "emails": report.emails,
            "already": report.already_sent,
        },
        "problems": problems + [_("No e-mail address for: %s") % who for who in report.no_address],
    }
