"""`ducha demo` gives every reporting, 督办 and portal page something to show."""

import pytest
from django.core import mail

from ducha.accounts.models import User
from ducha.datavalues.models import DataValue
from ducha.demo.reporting import load_reporting_demo
from ducha.demo.services import load_demo
from ducha.portal.models import Bulletin
from ducha.reporting.models import Assignment, AssignmentStatus, Evidence, Round, RoundState
from ducha.supervision.models import Case, CaseKind, Reminder

pytestmark = pytest.mark.django_db


def test_demo_has_rounds_in_every_state_and_sends_no_mail(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = load_demo()
        computed, story = _computed_values(), _story()
        office = User.objects.get(username="office")
        load_reporting_demo(report.plan, office, 2018)  # again: replaces, still mails nobody
    assert mail.outbox == []
    assert _story() == story  # loading the rounds again tells the same story
    # the rounds report the manual indicators only and leave the computed ones' values alone,
    # the open quarter's and the closed quarters' city totals included
    assert computed == _computed_values()
    assert {"2020Q3", "2020Q4"} <= {period for _i, _u, period, _v, _s in computed}
    assert not Assignment.objects.filter(indicator__source="computed").exists()
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


def _computed_values() -> set:
    return set(
        DataValue.objects.filter(indicator__source="computed").values_list(
            "indicator", "org_unit", "period", "value", "source"
        )
    )


def _story() -> list:
    return sorted(
        Assignment.objects.values_list(
            "round__period",
            "org_unit__code",
            "indicator__code",
            "milestone__code",
            "status",
            "value",
        ),
        key=repr,
    )
