"""Every rule of a 督办 case as a table (docs/reporting.md, "督办").

A rectification for 和平区 is put in each state and every move is tried by every actor on
the case page (cases have no API, and no command moves them). The table is written by hand
from the docs; ``ducha/core/tests/rules.py`` says how to read a row.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ducha.core.tests import rules
from ducha.core.tests.rules import NOBODY, grid
from ducha.supervision.models import Case, CaseState

C = CaseState
# A move is named by the state it leads to; "open" records a new case (from no case).
MOVES = [C.IN_PROGRESS, C.REPORTED, C.CLOSED, C.WITHDRAWN]
PAIRS = [("open", "new"), *rules.pairs(MOVES, C.values)]

UNIT = "Y . .  . . .  Y . .  Y . .  ."  # the case's own unit (an office account in it too)
OFFICE = "Y Y Y  . . .  . . .  . . .  ."

# (move, state): who may.
#                                      office  leader  head    reporter anon
#                                      o x -   o x -   o x -   o x -    -
RULES = {
    ("open", "new"): OFFICE,  # the office records an instruction or orders a rectification
    (C.IN_PROGRESS, C.OPEN): UNIT,  # the unit starts handling it
    (C.REPORTED, C.OPEN): UNIT,  # ... or reports it done at once
    (C.REPORTED, C.IN_PROGRESS): UNIT,
    (C.IN_PROGRESS, C.REPORTED): OFFICE,  # the office sends it back: not done yet
    (C.CLOSED, C.REPORTED): OFFICE,  # the office checks and closes it
    (C.WITHDRAWN, C.OPEN): OFFICE,  # the office withdraws an open case
    (C.WITHDRAWN, C.IN_PROGRESS): OFFICE,
}
RULES |= {pair: NOBODY for pair in PAIRS if pair not in RULES}

COMMENT = "已按要求整改并报送材料"
VERSION = 4


def test_the_table_has_a_row_for_every_move_and_state():
    rules.complete(RULES, PAIRS)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from ducha.supervision import services

    def build():
        units, _plan = rules.tianjin(with_plan=False)
        actors = rules.tianjin_actors(units)
        case = services.open_case(
            actors["office/other"],
            kind="rectification",
            title="整改供应商数据",
            body="请核实并整改",
            org_unit=units["120101"],
            due=dt.date(2030, 1, 1),
        )
        return {"actors": actors, "case": case, "unit": units["120101"]}

    yield from rules.module_data(django_db_blocker, build)


def put_in(world, state) -> Case:
    Case.objects.filter(pk=world["case"].pk).update(state=state, version=VERSION, response="")
    return Case.objects.get(pk=world["case"].pk)


def act(client, world, case, move, version):
    if move == "open":
        return client.post(
            reverse("supervision:case_new"),
            {
                "kind": "rectification",
                "title": "新的整改",
                "body": "请整改",
                "org_unit": world["unit"].pk,
                "due": "2030-01-01",
            },
        )
    url = reverse("supervision:case_move", args=[case.pk, move])
    return client.post(url, {"version": version, "comment": COMMENT})


@pytest.mark.parametrize("move,state", PAIRS)
def test_case_rules(world, db, move, state):
    allowed = grid(RULES[(move, state)])

    def run(name, user):
        case = put_in(world, C.OPEN if state == "new" else state)
        mark = rules.audit_mark()
        response = act(rules.client_for(user), world, case, move, VERSION)
        if move == "open":
            new = Case.objects.filter(title="新的整改").first()
            if (new is not None) != (name in allowed):
                return f"{'done' if new else 'refused'} ({response.status_code})"
            if new is None:
                return None
            return rules.audit_problem(
                new,
                "supervision.rectification.opened",
                user,
                {
                    "kind": "rectification",
                    "title": "新的整改",
                    "body": "请整改",
                    "leader_name": "",
                    "org_unit_id": world["unit"].pk,
                    "due": "2030-01-01",
                    "state": "open",
                    "response": "",
                },
                mark,
            )
        after = Case.objects.get(pk=case.pk)
        did = after.state != case.state
        changes = {"state": [state, move]}
        if move == C.REPORTED:
            changes["response"] = ["", COMMENT]
        action = f"supervision.rectification.{move}"
        return rules.verdict(
            name in allowed,
            did,
            response,
            case,
            mark,
            lambda: rules.audit_problem(case, action, user, changes, mark),
        )

    assert rules.each_actor(world["actors"], run) == []


# A stale version: every allowed move, sent with the version before, is a conflict (409).
STALE = [
    (C.IN_PROGRESS, C.OPEN, "reporter/own"),
    (C.REPORTED, C.IN_PROGRESS, "head/own"),
    (C.IN_PROGRESS, C.REPORTED, "office/other"),
    (C.CLOSED, C.REPORTED, "office/other"),
    (C.WITHDRAWN, C.OPEN, "office/other"),
]


@pytest.mark.parametrize("move,state,actor", STALE)
def test_a_stale_version_is_a_conflict(world, db, move, state, actor):
    assert actor in grid(RULES[(move, state)])
    case = put_in(world, state)
    mark = rules.audit_mark()
    response = act(rules.client_for(world["actors"][actor]), world, case, move, VERSION - 1)
    assert response.status_code == 409
    assert "此事项已被他人修改" in response.content.decode()
    after = Case.objects.get(pk=case.pk)
    assert (after.state, after.version) == (state, VERSION)
    assert rules.writes_since(case, mark) == []
