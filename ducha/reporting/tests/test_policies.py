"""Who may see and act on rounds, assignments, their steps and their evidence
(reporting/policies.py), from docs/reporting.md "Who may do what": the office everything; a
leader reads everything and writes nothing; a unit's reporter views, fills in and submits its
own assignments, its head also reviews them first; a disabled account and the public nothing.

Which *state* a step needs is the workflow's (the rule table, ``test_rules.py``); here only
who, asked of 和平区's assignment by scope (`for_user`) and object (`allows`) alike.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from ducha.core.tests.rules import account, policy_marks
from ducha.reporting.models import Assignment, Evidence, Round, Transition

ACTIONS = ["view", "change", "submit", "unit_review", "approve", "delete"]
# reader -> may (view, change, submit, unit_review, approve, delete) 和平区's assignment
ASSIGNMENT = {
    "office": "Y Y Y Y Y Y",
    "leader": "Y . . . . .",
    "reporter": "Y Y Y . . .",
    "head": "Y Y Y Y . .",
    "other reporter": ". . . . . .",
    "other head": ". . . . . .",
    "reporter, no unit": ". . . . . .",
    "no role, own unit": ". . . . . .",  # an account not given a role yet
    "disabled head": ". . . . . .",
    "anonymous": ". . . . . .",
}
# who sees the round (its existence and deadline are no secret to any unit), and changes it
ROUND = {
    "office": "Y Y",
    "leader": "Y .",
    "reporter": "Y .",
    "head": "Y .",
    "other reporter": "Y .",
    "other head": "Y .",
    "reporter, no unit": ". .",  # nothing to report: no round
    "no role, own unit": ". .",
    "disabled head": ". .",
    "anonymous": ". .",
}


@pytest.fixture
def world(heping_suppliers, tianjin_units, office):
    heping, binhai = tianjin_units["120101"], tianjin_units["120116"]

    user = account

    readers = {
        "office": office,
        "leader": user("l", "leader", None),
        "reporter": user("r", "reporter", heping),
        "head": user("h", "unit_head", heping),
        "other reporter": user("br", "reporter", binhai),
        "other head": user("bh", "unit_head", binhai),
        "reporter, no unit": user("n", "reporter", None),
        "no role, own unit": user("nr", "", heping),
        "disabled head": user("dh", "unit_head", heping, active=False),
        "anonymous": AnonymousUser(),
    }
    a = heping_suppliers
    step = Transition.objects.create(
        assignment=a, actor=office, from_status=a.status, to_status=a.status, action="note"
    )
    evidence = Evidence.objects.create(
        assignment=a, file="e.pdf", original_name="e.pdf", content_type="application/pdf",
        extension="pdf", sha256="0" * 64, size=1,
    )  # fmt: skip
    return readers, a, step, evidence


@pytest.mark.parametrize("reader", list(ASSIGNMENT))
def test_who_may_do_what_with_a_units_assignment(world, reader):
    readers, assignment, _step, _evidence = world
    assert isinstance(assignment, Assignment)
    assert policy_marks(assignment, readers[reader], ACTIONS) == ASSIGNMENT[reader]


@pytest.mark.parametrize("reader", list(ROUND))
def test_who_may_see_and_change_a_round(world, reader):
    readers, assignment, _step, _evidence = world
    assert isinstance(assignment.round, Round)
    assert policy_marks(assignment.round, readers[reader], ["view", "change"]) == ROUND[reader]


@pytest.mark.parametrize("reader", list(ASSIGNMENT))
def test_the_steps_are_read_like_their_assignment_and_written_by_nobody(world, reader):
    readers, _assignment, step, _evidence = world
    sees = ASSIGNMENT[reader].startswith("Y")
    assert policy_marks(step, readers[reader], ["view", "change", "delete"]) == (
        "Y . ." if sees else ". . ."
    )


@pytest.mark.parametrize("reader", list(ASSIGNMENT))
def test_evidence_is_read_like_its_assignment_and_added_by_whoever_may_change_it(world, reader):
    readers, _assignment, _step, evidence = world
    view, change = ASSIGNMENT[reader].split()[:2]
    # adding or removing evidence is changing the assignment
    assert (
        policy_marks(evidence, readers[reader], ["view", "add", "delete"])
        == f"{view} {change} {change}"
    )
