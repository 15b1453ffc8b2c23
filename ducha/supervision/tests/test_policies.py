"""Who may see and act on 督办 cases, their steps and the reminders (supervision/policies.py),
from its docstring and docs/architecture.md "Who may do what": the office runs it; leaders
read it; a unit sees and answers ("respond") its own cases and sees the reminders sent about
its assignments; opening, checking and closing is the office's; a disabled account and the
public see nothing. Which *state* a move needs is the rule table's (``test_rules.py``).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from ducha.core.tests.rules import account, policy_marks
from ducha.supervision.models import Case, CaseEvent, CaseKind, Reminder, ReminderLevel

ACTIONS = ["view", "respond", "add", "change", "close"]
# reader -> may (view, respond, add, change, close) a case of 和平区
CASE = {
    "office": "Y Y Y Y Y",
    "leader": "Y . . . .",
    "reporter": "Y Y . . .",
    "head": "Y Y . . .",
    "other head": ". . . . .",
    "reporter, no unit": ". . . . .",
    "disabled head": ". . . . .",
    "anonymous": ". . . . .",
}


@pytest.fixture
def world(round_, tianjin_units, office):
    heping, binhai = tianjin_units["120101"], tianjin_units["120116"]

    user = account

    readers = {
        "office": office,
        "leader": user("l", "leader", None),
        "reporter": user("r", "reporter", heping),
        "head": user("h", "unit_head", heping),
        "other head": user("bh", "unit_head", binhai),
        "reporter, no unit": user("n", "reporter", None),
        "disabled head": user("dh", "unit_head", heping, active=False),
        "anonymous": AnonymousUser(),
    }
    case = Case.objects.create(
        kind=CaseKind.values[0], title="t", body="b", org_unit=heping, due=dt.date(2019, 12, 31)
    )
    step = CaseEvent.objects.create(case=case, actor=office, to_state=case.state)
    assignment = round_.assignments.filter(org_unit=heping).first()
    reminder = Reminder.objects.create(
        assignment=assignment, level=ReminderLevel.REMINDER, sent_on=dt.date(2019, 10, 22),
        working_days_late=1,
    )  # fmt: skip
    return readers, case, step, reminder


@pytest.mark.parametrize("reader", list(CASE))
def test_who_may_do_what_with_a_units_case(world, reader):
    readers, case, _step, _reminder = world
    assert policy_marks(case, readers[reader], ACTIONS) == CASE[reader]


@pytest.mark.parametrize("reader", list(CASE))
def test_a_cases_steps_and_a_units_reminders_are_read_like_the_case_and_written_by_nobody(
    world, reader
):
    readers, _case, step, reminder = world
    sees = CASE[reader][0]
    assert policy_marks(step, readers[reader], ["view", "change", "add"]) == f"{sees} . ."
    assert policy_marks(reminder, readers[reader], ["view", "change", "add"]) == f"{sees} . ."
