"""`ducha remind`: reminders for overdue assignments, escalation, once a day."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from ducha.reporting import services as reporting
from ducha.supervision.models import Reminder, ReminderLevel
from ducha.supervision.services import send_reminders

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(reporter_heping, head_heping, office):
    for user, address in [
        (reporter_heping, "heping@example.org"),
        (head_heping, "head@example.org"),
        (office, "office@example.org"),
    ]:
        user.email = address
        user.save()


def _remind(day, capture):
    with capture(execute=True):
        return send_reminders(None, today=day)


def test_nothing_before_the_deadline(round_, people, django_capture_on_commit_callbacks):
    report = _remind(dt.date(2019, 10, 21), django_capture_on_commit_callbacks)
    assert report.overdue == 0 and not mail.outbox


def test_late_units_get_one_reminder_a_day(round_, people, django_capture_on_commit_callbacks):
    day = dt.date(2019, 10, 22)  # one working day late
    report = _remind(day, django_capture_on_commit_callbacks)
    assert report.overdue == round_.assignments.count()
    to_heping = [m for m in mail.outbox if m.to == ["heping@example.org"]]
    assert len(to_heping) == 1 and "TJ-IND-SUPPLIER50" in to_heping[0].body
    assert not [m for m in mail.outbox if m.to == ["head@example.org"]]
    sent = len(mail.outbox)
    again = _remind(day, django_capture_on_commit_callbacks)
    assert again.reminders == 0 and len(mail.outbox) == sent  # idempotent per day


def test_escalation_to_the_head_then_the_office(
    round_, people, settings, django_capture_on_commit_callbacks
):
    settings.DUCHA_ESCALATE_HEAD_DAYS, settings.DUCHA_ESCALATE_OFFICE_DAYS = 3, 5
    _remind(dt.date(2019, 10, 24), django_capture_on_commit_callbacks)  # 3 working days late
    levels = set(Reminder.objects.values_list("level", flat=True))
    assert levels == {ReminderLevel.REMINDER, ReminderLevel.HEAD}
    assert [m for m in mail.outbox if m.to == ["head@example.org"]]
    _remind(dt.date(2019, 10, 28), django_capture_on_commit_callbacks)  # 5 working days late
    assert Reminder.objects.filter(level=ReminderLevel.OFFICE).exists()
    assert [m for m in mail.outbox if m.to == ["office@example.org"]]


def test_submitted_assignments_are_not_chased(
    round_, people, reporter_heping, django_capture_on_commit_callbacks
):
    for a in round_.assignments.filter(org_unit=reporter_heping.org_unit):
        a = reporting.save_assignment(
            None, a, expected_version=None, value="1", progress="in_progress", explanation="x"
        )
        reporting.submit(None, a, expected_version=None)
    _remind(dt.date(2019, 10, 22), django_capture_on_commit_callbacks)
    assert not [m for m in mail.outbox if m.to == ["heping@example.org"]]


def test_no_reminders_on_a_holiday(round_, people):
    assert send_reminders(None, today=dt.date(2019, 10, 26)).skipped_holiday  # a Saturday


def test_command_reports_what_it_did(round_, people, capsys):
    call_command("remind", "--date", "2019-10-22", "--dry-run")
    out = capsys.readouterr().out
    assert "dry run" in out and not Reminder.objects.exists()
    with pytest.raises(Exception, match="not a date"):
        call_command("remind", "--date", "22/10/2019")
