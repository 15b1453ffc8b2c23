"""Every rule of an objection (申诉) to a score as a table (docs/reporting.md, "Scorecards").

和平区's objection to its score over the 2019Q3 round is put in each state (or there is none)
and every move is tried by every actor on the pages (objections have no API and no command).
The table is written by hand from the docs; ``ducha/core/tests/rules.py`` says how to read a
row.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from ducha.core.tests import rules
from ducha.core.tests.rules import NOBODY, grid
from ducha.scorecards.models import Objection, ObjectionState

OS = ObjectionState
STATES = ["none", *OS.values]  # "none": the unit has no objection to this score yet
MOVES = ["file", "accept", "reject"]
PAIRS = [("file", s) for s in STATES] + rules.pairs(["accept", "reject"], OS.values)

UNIT = ". . .  . . .  Y . .  Y . .  ."  # the unit's own head and reporter
OFFICE = "Y Y Y  . . .  . . .  . . .  ."

# (move, state): who may.
#                           office  leader  head    reporter anon
#                           o x -   o x -   o x -   o x -    -
RULES = {
    # the unit objects to its score; once its objection is answered it may object again,
    # never twice at once
    ("file", "none"): UNIT,
    ("file", OS.ACCEPTED): UNIT,
    ("file", OS.REJECTED): UNIT,
    # the office answers an open objection once: accepted with a note of the correction
    # made, or rejected with the reason
    ("accept", OS.OPEN): OFFICE,
    ("reject", OS.OPEN): OFFICE,
}
RULES |= {pair: NOBODY for pair in PAIRS if pair not in RULES}

REASON = "第三季度的数据已按时报送"
NOTE = "已核实并更正"
VERSION = 3


def test_the_table_has_a_row_for_every_move_and_state():
    rules.complete(RULES, PAIRS)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    yield from rules.module_data(django_db_blocker, rules.round_world)


def put_in(world, state) -> Objection | None:
    if state == "none":
        return None
    return Objection.objects.create(
        plan=world["plan"],
        round=world["round"],
        org_unit=world["unit"],
        reason="分数不对",
        state=state,
        version=VERSION,
        answer="" if state == OS.OPEN else "已答复",
    )


def act(client, world, objection, move):
    if move == "file":
        url = reverse("scorecards:objection_new", args=[world["unit"].code])
        return client.post(f"{url}?round={world['round'].pk}", {"reason": REASON})
    url = reverse("scorecards:objection_answer", args=[objection.pk])
    decision = {"accept": OS.ACCEPTED, "reject": OS.REJECTED}[move]
    return client.post(url, {"decision": decision, "note": NOTE, "version": VERSION})


@pytest.mark.parametrize("move,state", PAIRS)
def test_objection_rules(world, db, move, state):
    allowed = grid(RULES[(move, state)])

    def run(name, user):
        objection = put_in(world, state)
        before = set(Objection.objects.values_list("pk", flat=True))
        mark = rules.audit_mark()
        response = act(rules.client_for(user), world, objection, move)
        if move == "file":
            new = Objection.objects.exclude(pk__in=before).first()
            did, obj = new is not None, new
            action = "scorecards.objection.filed"
            changes = {"state": [None, OS.OPEN], "reason": REASON}
            if did and (new.filed_by_id, new.org_unit_id) != (user.pk, world["unit"].pk):
                return f"filed as {new.filed_by} for {new.org_unit}"
        else:
            after = Objection.objects.get(pk=objection.pk)
            did, obj = after.state != state, objection
            target = {"accept": OS.ACCEPTED, "reject": OS.REJECTED}[move]
            action = f"scorecards.objection.{target}"
            changes = {"state": [state, target], "answer": NOTE}
        return rules.verdict(
            name in allowed,
            did,
            response,
            obj,
            mark,
            lambda: rules.audit_problem(obj, action, user, changes, mark),
        )

    assert rules.each_actor(world["actors"], run) == []


def test_a_stale_answer_is_a_conflict(world, db):
    objection = put_in(world, OS.OPEN)
    mark = rules.audit_mark()
    client = rules.client_for(world["actors"]["office/other"])
    url = reverse("scorecards:objection_answer", args=[objection.pk])
    response = client.post(url, {"decision": OS.ACCEPTED, "note": NOTE, "version": VERSION - 1})
    assert response.status_code == 409
    assert Objection.objects.get(pk=objection.pk).state == OS.OPEN
    assert rules.writes_since(objection, mark) == []
