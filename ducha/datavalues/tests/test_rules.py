"""Every rule of writing a value directly as a table (docs/reporting.md, "Importing a file of
values"): the office, and ``ducha importvalues`` on the command line, write values as draft,
submitted or approved; a unit's import never writes a value (it fills the unit's assignments
in an open round: ``reporting/tests/test_rules.py`` and ``test_import.py``; here no round is
open, so it fills nothing).

和平区's value of TJ-IND-SUPPLIER50 for 2019Q3 is put in each state (or does not exist), then a
file with 8 for it is imported as each status by every actor on the import page, and by the
command. The table is written by hand; ``ducha/core/tests/rules.py`` says how to read a row.
"""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from ducha.core.tests import rules
from ducha.core.tests.rules import NOBODY, grid
from ducha.datavalues.models import ApprovedValue, DataValue, ValueStatus

V = ValueStatus
STATES = ["none", *V.values]  # "none": no value yet
STEPS = [f"import as {s}" for s in V.values]
OFFICE = "Y Y Y  . . .  . . .  . . .  ."

# (step, state of the value): who may.
#                                                office  leader  head    reporter anon
#                                                o x -   o x -   o x -   o x -    -
RULES = {
    ("import as draft", "none"): OFFICE,
    ("import as draft", V.DRAFT): OFFICE,
    ("import as draft", V.SUBMITTED): OFFICE,
    ("import as draft", V.APPROVED): NOBODY,  # approved is locked: reopen it first
    ("import as submitted", "none"): OFFICE,
    ("import as submitted", V.DRAFT): OFFICE,
    ("import as submitted", V.SUBMITTED): OFFICE,
    ("import as submitted", V.APPROVED): NOBODY,
    ("import as approved", "none"): OFFICE,
    ("import as approved", V.DRAFT): OFFICE,
    ("import as approved", V.SUBMITTED): OFFICE,
    ("import as approved", V.APPROVED): OFFICE,  # a correction, appended as a new approval
}
# The command line (an operator with the office's rights): the office's column.
COMMAND = {pair: "office/other" in grid(marks) for pair, marks in RULES.items()}
FILE = "指标代码,单位,期间,数值\nTJ-IND-SUPPLIER50,和平区,2019Q3,8\n"


def test_the_table_has_a_row_for_every_step_and_state():
    rules.complete(RULES, rules.pairs(STEPS, STATES))


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    def build():
        units, plan = rules.tianjin()
        actors = rules.tianjin_actors(units)
        return {
            "actors": actors,
            "plan": plan,
            "unit": units["120101"],
            "indicator": plan.indicators.get(code="TJ-IND-SUPPLIER50"),
        }

    yield from rules.module_data(django_db_blocker, build)


def put_in(world, state) -> DataValue | None:
    """The value in `state` (written directly, as the test's setting)."""
    from ducha.engine.periods import parse_period

    if state == "none":
        return None
    period = parse_period("2019Q3")
    value = DataValue.objects.create(
        indicator=world["indicator"],
        org_unit=world["unit"],
        period=period.code,
        period_end=period.end,
        value=3,
        status=state,
    )
    if state == V.APPROVED:
        ApprovedValue.objects.create(
            data_value=value,
            indicator_id=value.indicator_id,
            org_unit_id=value.org_unit_id,
            period=value.period,
            period_end=value.period_end,
            value=3,
            approved_at=value.created_at,
        )
    return DataValue.objects.get(pk=value.pk)  # as a service gets it: the figure a Decimal


def current(world) -> DataValue | None:
    return DataValue.objects.filter(indicator=world["indicator"], period="2019Q3").first()


def check_after(world, before, status, actor, mark) -> str | None:
    after = current(world)
    if after is None or after.value != 8 or after.status != status:
        return "the value was not written"
    changes = {"value": [None if before is None else "3", "8"]}
    problem = rules.audit_problem(after, "datavalues.value.imported", actor, changes, mark)
    if problem is None and status == V.APPROVED:
        approvals = list(ApprovedValue.objects.filter(data_value=after).values_list("value"))
        if approvals[-1:] != [(8,)]:
            return f"no approval of 8 appended: {approvals}"
    return problem


@pytest.mark.parametrize("step,state", rules.pairs(STEPS, STATES))
def test_value_rules(world, db, step, state):
    allowed = grid(RULES[(step, state)])
    status = step.removeprefix("import as ")

    def run(name, user):
        before = put_in(world, state)
        mark = rules.audit_mark()
        response = rules.client_for(user).post(
            reverse("datavalues:import"),
            {
                "plan": world["plan"].pk,
                "status": status,
                "file": SimpleUploadedFile("v.csv", FILE.encode()),
            },
        )
        after = current(world)
        did = after is not None and after.value == 8
        return rules.verdict(
            name in allowed,
            did,
            response,
            before,
            mark,
            lambda: check_after(world, before, status, user, mark),
        )

    assert rules.each_actor(world["actors"], run) == []


@pytest.mark.parametrize("step,state", list(COMMAND))
def test_value_rules_on_the_command_line(world, db, step, state, tmp_path):
    before = put_in(world, state)
    path = tmp_path / "v.csv"
    path.write_text(FILE, encoding="utf-8")
    mark = rules.audit_mark()
    status = step.removeprefix("import as ")
    refused = None
    try:
        call_command("importvalues", str(path), "--status", status, stdout=io.StringIO())
    except CommandError as exc:
        refused = exc
    assert (refused is None) == COMMAND[(step, state)], refused
    if refused is None:
        assert check_after(world, before, status, None, mark) is None
    else:
        assert "锁定" in str(refused) or "locked" in str(refused)
        assert current(world).value == 3 and rules.writes_since(before, mark) == []


def test_a_stale_version_is_a_conflict(world, db):
    """No page or API edits a value with its version (the reporting workflow does); the
    service still refuses a stale one as a conflict, like every workflow."""
    from ducha.core.conflicts import StaleVersion
    from ducha.datavalues import services
    from ducha.engine.periods import parse_period

    value = put_in(world, V.DRAFT)
    mark = rules.audit_mark()
    with pytest.raises(StaleVersion):
        services.save_value(
            world["actors"]["office/other"],
            world["indicator"],
            world["unit"],
            parse_period("2019Q3"),
            8,
            expected_version=value.version - 1,
        )
    assert current(world).value == 3 and rules.writes_since(value, mark) == []
