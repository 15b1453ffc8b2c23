"""Every rule of the reporting workflow as a table (docs/reporting.md, "Workflow").

One assignment of 和平区 (its own figure for TJ-IND-SUPPLIER50) is put in each state, and
every transition is tried by every actor through the assignment page and the API. The table
below is written by hand from the docs, never computed from the services; see
``ducha/core/tests/rules.py`` for how to read a row. No command moves an assignment (the
command line writes values directly: ``datavalues/tests/test_rules.py``).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ducha.core.tests import rules
from ducha.core.tests.rules import NOBODY, grid
from ducha.reporting.models import Assignment, AssignmentStatus, RoundState, Transition

S = AssignmentStatus

# The states an assignment is put in. "·closed": the round is closed. The separation of
# duties depends on who submitted and on the unit: "by the head" (the unit head submitted
# it himself), "one-person unit" (the office allows its head to approve his own submission),
# "no head" (the unit has no active unit head: its head account is deactivated, so the
# head/own actor cannot sign in), "by the office" (the usual office account submitted it).
STATES = [
    "draft",
    "returned",
    "submitted",
    "submitted by the head",
    "submitted by the head, one-person unit",
    "submitted, no head",
    "submitted by the office, no head",
    "unit_approved",
    "approved",
    "draft·closed",
    "returned·closed",
    "submitted·closed",
    "unit_approved·closed",
    "approved·closed",
]
TRANSITIONS = [
    "save",
    "submit",
    "withdraw",
    "attach",
    "unit_approve",
    "approve",
    "return",
    "reopen",
]

FILLERS = "Y Y Y  . . .  Y . .  Y . .  ."  # the office, and the unit's own head and reporter
OFFICE = "Y Y Y  . . .  . . .  . . .  ."
HEAD = ". . .  . . .  Y . .  . . .  ."
OFFICE_AND_HEAD = "Y Y Y  . . .  Y . .  . . .  ."
UNIT = ". . .  . . .  Y . .  Y . .  ."  # the unit's own head and reporter
REPORTER = ". . .  . . .  . . .  Y . .  ."  # the unit's own reporter (its head is deactivated)

# (transition, state): who may.
#                                                  office  leader  head    reporter anon
#                                                  o x -   o x -   o x -   o x -    -
RULES = {
    # filling in and submitting: a draft or returned assignment of an open round
    ("save", "draft"): FILLERS,
    ("save", "returned"): FILLERS,
    ("submit", "draft"): FILLERS,
    ("submit", "returned"): FILLERS,
    # withdrawing (撤回): the unit's own people take back a submission that waits for its
    # first review, in an open round; never the office (it returns, with a reason)
    ("withdraw", "submitted"): UNIT,
    ("withdraw", "submitted by the head"): UNIT,
    ("withdraw", "submitted by the head, one-person unit"): UNIT,
    ("withdraw", "submitted, no head"): REPORTER,
    ("withdraw", "submitted by the office, no head"): REPORTER,
    # attaching evidence: while it is filled in, and after submission until review starts,
    # by those who fill it in; the office at any time while the round is open
    ("attach", "draft"): FILLERS,
    ("attach", "returned"): FILLERS,
    ("attach", "submitted"): FILLERS,
    ("attach", "submitted by the head"): FILLERS,
    ("attach", "submitted by the head, one-person unit"): FILLERS,
    ("attach", "submitted, no head"): "Y Y Y  . . .  . . .  Y . .  .",
    ("attach", "submitted by the office, no head"): "Y Y Y  . . .  . . .  Y . .  .",
    ("attach", "unit_approved"): OFFICE,
    ("attach", "approved"): OFFICE,
    # the unit's approval: the unit head, never the office, never the submitter himself
    # (unless the unit is a one-person unit); also after the round has closed
    ("unit_approve", "submitted"): HEAD,
    ("unit_approve", "submitted by the head"): NOBODY,
    ("unit_approve", "submitted by the head, one-person unit"): HEAD,
    ("unit_approve", "submitted·closed"): HEAD,
    # the office's approval: after the unit's, or straight from submitted where the unit has
    # no head, by an office account other than the submitter; also after the round has closed
    ("approve", "unit_approved"): OFFICE,
    ("approve", "unit_approved·closed"): OFFICE,
    ("approve", "submitted, no head"): OFFICE,
    ("approve", "submitted by the office, no head"): "Y . Y  . . .  . . .  . . .  .",
    # returning: the unit head while it waits for him, the office until it approves;
    # in an open round only
    ("return", "submitted"): OFFICE_AND_HEAD,
    ("return", "submitted by the head"): OFFICE_AND_HEAD,
    ("return", "submitted by the head, one-person unit"): OFFICE_AND_HEAD,
    ("return", "submitted, no head"): OFFICE,
    ("return", "submitted by the office, no head"): OFFICE,
    ("return", "unit_approved"): OFFICE,
    # reopening an approved assignment: the office, in an open round
    ("reopen", "approved"): OFFICE,
}
# Everything else is refused for everyone: written out, so the table has every row.
RULES |= {(t, s): NOBODY for t in TRANSITIONS for s in STATES if (t, s) not in RULES}

# What an allowed move writes to the audit log: (action, changes given the old status).
AUDIT = {
    "save": ("reporting.assignment.saved", lambda old: {"value": ["3", "5"]}),
    "submit": ("reporting.assignment.submitted", lambda old: {"status": [old, S.SUBMITTED]}),
    "withdraw": ("reporting.assignment.withdrawn", lambda old: {"status": [old, S.DRAFT]}),
    "attach": (
        "reporting.evidence.added",
        lambda old: {"evidence": [None, "佐证.pdf"], "size": len(PDF), "type": "application/pdf"},
    ),
    "unit_approve": (
        "reporting.assignment.unit_approved",
        lambda old: {"status": [old, S.UNIT_APPROVED]},
    ),
    "approve": ("reporting.assignment.approved", lambda old: {"status": [old, S.APPROVED]}),
    "return": ("reporting.assignment.returned", lambda old: {"status": [old, S.RETURNED]}),
    "reopen": ("reporting.assignment.reopened", lambda old: {"status": [old, S.RETURNED]}),
}
VERSION = 7  # the version every state is put in at
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
REFUSED = (400, 401, 403, 404)  # the API's answers to a refused step


def test_the_table_has_a_row_for_every_transition_and_state():
    rules.complete(RULES, rules.pairs(TRANSITIONS, STATES))
    assert {s.split(" ")[0].split("·")[0].rstrip(",") for s in STATES} == set(S.values)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The Tianjin plan, a 2019Q3 round and one user per actor, kept for the module."""
    from ducha.reporting import services

    def build():
        units, plan = rules.tianjin()
        actors = rules.tianjin_actors(units)
        rnd = services.open_round(
            actors["office/other"], plan, "2019Q3", opened_on=dt.date(2019, 10, 8)
        )
        a = rnd.assignments.get(org_unit=units["120101"], indicator__code="TJ-IND-SUPPLIER50")
        return {"actors": actors, "a": a, "round": rnd}

    yield from rules.module_data(django_db_blocker, build)


def put_in(world, state: str) -> Assignment:
    """The assignment in `state` (written directly: this is the test's setting, not a move)."""
    actors = world["actors"]
    a = world["a"]
    base, _, closed = state.partition("·")
    status = base.split(" ")[0].rstrip(",")
    Assignment.objects.filter(pk=a.pk).update(status=status, value=3, version=VERSION)
    if "no head" in base:
        type(actors["head/own"]).objects.filter(pk=actors["head/own"].pk).update(is_active=False)
    if "one-person unit" in base:
        type(a.org_unit).objects.filter(pk=a.org_unit_id).update(allow_self_approval=True)
    if status != S.DRAFT:
        submitter = "reporter/own"
        if "by the head" in base:
            submitter = "head/own"
        elif "by the office" in base:
            submitter = "office/other"
        Transition.objects.create(
            assignment=a,
            actor=actors[submitter],
            from_status=S.DRAFT,
            to_status=S.SUBMITTED,
            action="submitted",
        )
    if closed:
        type(a.round).objects.filter(pk=a.round_id).update(state=RoundState.CLOSED)
    return Assignment.objects.select_related("round", "org_unit").get(pk=a.pk)


# --- the channels ------------------------------------------------------------------------------


def by_page(client, a, transition, version):
    if transition == "attach":
        url = reverse("reporting:evidence_upload", args=[a.pk])
        return client.post(url, {"file": SimpleUploadedFile("佐证.pdf", PDF)})
    if transition == "save":
        url = reverse("reporting:assignment", args=[a.pk])
        return client.post(url, {"value": "5", "version": version})
    url = reverse("reporting:action", args=[a.pk, transition])
    return client.post(url, {"version": version, "comment": "请按统计口径更正"})


API = "/api/reporting/assignments"
API_STEPS = {
    "submit": "submit",
    "unit_approve": "unit-approve",
    "approve": "approve",
    "return": "return",
    "reopen": "reopen",
    "withdraw": "withdraw",
}


def by_api(client, a, transition, version):
    if transition == "save":
        return client.put(
            f"{API}/{a.pk}", {"version": version, "value": "5"}, content_type="application/json"
        )
    body = {"version": version}
    body |= (
        {"reason": "请按统计口径更正"} if transition in ("return", "reopen") else {"comment": ""}
    )
    return client.post(
        f"{API}/{a.pk}/{API_STEPS[transition]}", body, content_type="application/json"
    )


CHANNELS = {"page": by_page, "api": by_api}


def happened(before: Assignment, after: Assignment, transition: str) -> bool:
    if transition == "save":
        return after.value == 5
    if transition == "attach":
        return after.evidence.exists()
    return after.status != before.status


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("transition", TRANSITIONS)
def test_assignment_rules(world, db, transition, state, channel):
    if transition == "attach" and channel == "api":
        pytest.skip("the API uploads no files: evidence is attached on the page")
    allowed = grid(RULES[(transition, state)])

    def run(name, user):
        a = put_in(world, state)
        mark = rules.audit_mark()
        response = CHANNELS[channel](rules.client_for(user), a, transition, VERSION)
        after = Assignment.objects.get(pk=a.pk)
        did = happened(a, after, transition)
        if channel == "api" and response.status_code not in ((200,) if did else REFUSED):
            return f"{'done' if did else 'refused'}, but answered {response.status_code}"
        action, changes = AUDIT[transition]
        return rules.verdict(
            name in allowed,
            did,
            response,
            a,
            mark,
            lambda: rules.audit_problem(a, action, user, changes(a.status), mark),
        )

    assert rules.each_actor(world["actors"], run) == []


# --- a stale version is a conflict on every write -------------------------------------------

# (transition, state, actor) where the move is allowed: sent with the version before, it is
# refused with 409 and nothing changes.
STALE = [
    ("save", "draft", "reporter/own"),
    ("submit", "returned", "reporter/own"),
    ("withdraw", "submitted", "reporter/own"),
    ("unit_approve", "submitted", "head/own"),
    ("approve", "unit_approved", "office/other"),
    ("return", "submitted", "head/own"),
    ("return", "unit_approved", "office/other"),
    ("reopen", "approved", "office/other"),
]
CONFLICT_ZH = "修改了此任务"


def test_the_stale_rows_are_allowed_moves():
    for transition, state, actor in STALE:
        assert actor in grid(RULES[(transition, state)]), (transition, state, actor)


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("transition,state,actor", STALE)
def test_a_stale_version_is_a_conflict(world, db, transition, state, actor, channel):
    a = put_in(world, state)
    mark = rules.audit_mark()
    response = CHANNELS[channel](
        rules.client_for(world["actors"][actor]), a, transition, VERSION - 1
    )
    assert response.status_code == 409
    text = response.json()["detail"] if channel == "api" else response.content.decode()
    assert CONFLICT_ZH in text
    after = Assignment.objects.get(pk=a.pk)
    assert (after.status, after.value, after.version) == (a.status, a.value, VERSION)
    assert rules.writes_since(a, mark) == []


def test_a_stale_sheet_is_a_conflict_and_keeps_the_input(world, db):
    a = put_in(world, "draft")
    client = rules.client_for(world["actors"]["reporter/own"])
    response = client.post(
        reverse("reporting:assignments"),
        {"id": [a.pk], f"version-{a.pk}": VERSION - 1, f"value-{a.pk}": "5"},
    )
    assert response.status_code == 409
    assert CONFLICT_ZH in response.content.decode()
    assert Assignment.objects.get(pk=a.pk).value == 3


def test_every_actor_is_in_the_world(world):
    assert set(world["actors"]) == set(rules.ACTORS)


# --- rounds ----------------------------------------------------------------------------------

# A round is opened, closed and reopened by the office on the round pages (no API, no command).
#                                         office  leader  head    reporter anon
#                                         o x -   o x -   o x -   o x -    -
ROUND_RULES = {
    ("open", "new"): OFFICE,
    ("close", RoundState.OPEN): OFFICE,
    ("close", RoundState.CLOSED): NOBODY,
    ("reopen", RoundState.CLOSED): OFFICE,
    ("reopen", RoundState.OPEN): NOBODY,
}


def test_the_round_table_has_a_row_for_every_step_and_state():
    rules.complete(
        ROUND_RULES, [("open", "new"), *rules.pairs(["close", "reopen"], RoundState.values)]
    )


@pytest.mark.parametrize("step,state", list(ROUND_RULES))
def test_round_rules(world, db, step, state):
    from ducha.reporting.models import Round

    allowed = grid(ROUND_RULES[(step, state)])
    rnd = world["round"]

    def run(name, user):
        Round.objects.filter(pk=rnd.pk).update(state=RoundState.OPEN if state == "new" else state)
        mark = rules.audit_mark()
        client = rules.client_for(user)
        if step == "open":
            response = client.post(
                reverse("reporting:round_open"),
                {
                    "plan": rnd.plan_id,
                    "period": "2019Q4",
                    "opened_on": "2020-01-06",
                    "working_days": 10,
                    "change_threshold": "0.3",
                },
            )
            new = Round.objects.filter(period="2019Q4").first()
            if (new is not None) != (name in allowed):
                return f"{'done' if new else 'refused'} ({response.status_code})"
            if new is None:
                return None
            changes = {
                "plan_id": rnd.plan_id,
                "period": "2019Q4",
                "opened_on": "2020-01-06",
                "deadline": new.deadline.isoformat(),
                "working_days": 10,
                "assignments": new.assignments.count(),
            }
            return rules.audit_problem(new, "reporting.round.opened", user, changes, mark)
        target = RoundState.CLOSED if step == "close" else RoundState.OPEN
        response = client.post(
            reverse("reporting:round_state", args=[rnd.pk]), {"state": target, "reason": "补报"}
        )
        after = Round.objects.get(pk=rnd.pk).state
        did = after != (RoundState.OPEN if state == "new" else state)
        changes = {"state": [state, target]}
        action = {"close": "reporting.round.closed", "reopen": "reporting.round.reopened"}[step]
        return rules.verdict(
            name in allowed,
            did,
            response,
            rnd,
            mark,
            lambda: rules.audit_problem(rnd, action, user, changes, mark),
        )

    assert rules.each_actor(world["actors"], run) == []
