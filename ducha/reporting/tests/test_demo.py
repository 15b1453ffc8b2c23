"""`ducha demo` gives every reporting, 督办 and portal page something to show."""

import pytest
from django.core import mail

from ducha.accounts.models import User
from ducha.demo.reporting import load_reporting_demo
from ducha.demo.services import load_demo
from ducha.portal.models import Bulletin
from ducha.reporting.models import Assignment, AssignmentStatus, Evidence, Round, RoundState
from ducha.supervision.models import Case, CaseKind, Reminder

pytestmark = pytest.mark.django_db


def test_demo_has_rounds_in_every_state_and_sends_no_mail(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = load_demo()
        office = User.objects.get(username="office")
        load_reporting_demo(report.plan, office, 2018)  # again: replaces, still mails nobody
    assert mail.outbox == []
    rounds = Round.objects.order_by("period")
    assert [r.state for r in rounds] == [RoundState.CLOSED] * 3 + [RoundState.OPEN]
    open_round = rounds.last()
    states = set(open_round.assignments.values_list("status", flat=True))
    assert states == set(AssignmentStatus.values)
    assert open_round.assignments.overdue().exists()
    assert Assignment.objects.filter(
        round=open_round, org_unit__code="120101", status=AssignmentStatus.DRAFT
    ).exists()
    assert Evidence.objects.exists() and Reminder.objects.exists()
    assert set(Case.objects.values_list("kind", flat=True)) == set(CaseKind.values)
    assert Bulletin.objects.filter(published=True).exists()
