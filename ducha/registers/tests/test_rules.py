"""Every rule of archiving a register record as a table (docs/registers.md: records are
archived and restored, never deleted; the office's work).

An enterprise of 和平区 is put in each state (current, archived) and every step is tried by
every actor: archiving from the record's page and from the admin's list, restoring from the
admin's list; the command line restores a record by importing it again
(``ducha importregister``). The table is written by hand; ``ducha/core/tests/rules.py`` says
how to read a row. Registers have no writing API.
"""

from __future__ import annotations

import io
from unittest.mock import ANY

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ducha.audit.services import history
from ducha.core.tests import rules
from ducha.core.tests.rules import NOBODY, grid
from ducha.enterprises.models import Enterprise
from ducha.registers.tests.conftest import code

STATES = ["current", "archived"]
OFFICE = "Y Y Y  . . .  . . .  . . .  ."

# (step, channel, state): who may. The office accounts are staff (as `ducha demo` makes them);
# nobody else may open the admin.
#                                               office  leader  head    reporter anon
#                                               o x -   o x -   o x -   o x -    -
RULES = {
    ("archive", "page", "current"): OFFICE,
    ("archive", "page", "archived"): NOBODY,  # an archived record has no page to archive from
    ("archive", "admin", "current"): OFFICE,
    ("archive", "admin", "archived"): NOBODY,  # nothing to do
    ("restore", "admin", "current"): NOBODY,
    ("restore", "admin", "archived"): OFFICE,
}
# The command line imports the record again: an archived record comes back.
COMMAND = {("restore", "current"): False, ("restore", "archived"): True}
CREDIT = code("120101", "MA05JJ8K1")


def test_the_tables_have_a_row_for_every_step_channel_and_state():
    wanted = [("archive", c, s) for c in ("page", "admin") for s in STATES]
    wanted += [("restore", "admin", s) for s in STATES]
    assert set(RULES) == set(wanted)
    rules.complete(COMMAND, [("restore", s) for s in STATES])


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    def build():
        units, _plan = rules.tianjin(with_plan=False)
        actors = rules.tianjin_actors(units)
        firm = Enterprise.objects.create(
            name="和平智能软件有限公司", credit_code=CREDIT, district=units["120101"]
        )
        return {"actors": actors, "firm": firm}

    yield from rules.module_data(django_db_blocker, build)


def put_in(world, state) -> Enterprise:
    when = timezone.now() if state == "archived" else None
    Enterprise.all_objects.filter(pk=world["firm"].pk).update(archived_at=when)
    return Enterprise.all_objects.get(pk=world["firm"].pk)


def act(client, firm, step, channel):
    if channel == "page":
        return client.post(reverse("registers:archive", args=["enterprises", firm.pk]))
    return client.post(
        reverse("admin:enterprises_enterprise_changelist"),
        {"action": f"{step}_selected", "_selected_action": [firm.pk], "index": 0},
    )


@pytest.mark.parametrize("step,channel,state", list(RULES))
def test_archiving_rules(world, db, step, channel, state):
    allowed = grid(RULES[(step, channel, state)])

    def run(name, user):
        firm = put_in(world, state)
        mark = rules.audit_mark()
        response = act(rules.client_for(user), firm, step, channel)
        after = Enterprise.all_objects.get(pk=firm.pk)
        did = (after.archived_at is None) != (firm.archived_at is None)
        changes = {"archived_at": [None, ANY] if step == "archive" else [ANY, None]}
        action = f"enterprises.enterprise.{step}d"
        return rules.verdict(
            name in allowed,
            did,
            response,
            firm,
            mark,
            lambda: rules.audit_problem(firm, action, user, changes, mark),
        )

    assert rules.each_actor(world["actors"], run) == []


@pytest.mark.parametrize("step,state", list(COMMAND))
def test_archiving_rules_on_the_command_line(world, db, step, state, tmp_path):
    firm = put_in(world, state)
    mark = rules.audit_mark()
    path = tmp_path / "firms.csv"
    path.write_text(f"统一社会信用代码,2019年营业收入(亿元)\n{CREDIT},20\n", encoding="utf-8")
    call_command("importregister", "enterprises", str(path), stdout=io.StringIO())
    after = Enterprise.all_objects.get(pk=firm.pk)
    restored = after.archived_at is None and firm.archived_at is not None
    assert restored == COMMAND[(step, state)]
    entries = history(firm).filter(pk__gt=mark, action="enterprises.enterprise.updated")
    if restored:
        [entry] = entries
        assert entry.actor is None  # the operator
        assert entry.changes["archived_at"] == [ANY, None]
    else:
        assert not any("archived_at" in e.changes for e in entries)
