"""Every rule of an award or subsidy application as a table (docs/architecture.md, "Awards
and subsidies"; ``incentives/policies.py`` says who is who).

An application of a 和平区 enterprise, for a scheme that 工业和信息化局 manages, is put in each
state (``AppState``) and every step is tried by every actor on the application's pages, and
by ``ducha importregister incentives`` (the command line's way to change and submit one).
Besides the usual actors, the managing unit's head and reporter review ("/manager"). The
table is written by hand; ``ducha/core/tests/rules.py`` says how to read a row.
Applications have no API.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from ducha.core.tests import rules
from ducha.core.tests.rules import grid
from ducha.incentives.models import Application, AppState
from ducha.registers.tests.conftest import code, csv_bytes, run_import

A = AppState
ACTORS15 = (*rules.ACTORS, "head/manager", "reporter/manager")
STEPS = ["edit", "submit", "withdraw", "review", "return", "reject", "approve", "pay"]
PAIRS = rules.pairs(STEPS, A.values)


def row(marks: str) -> frozenset[str]:
    return grid(marks, ACTORS15)


NOBODY = " ".join("." for _ in ACTORS15)
DISTRICT = "Y Y Y  . . .  Y . .  Y . .  .  . ."  # the office and the applicant's district
REVIEWERS = "Y Y Y  . . .  . . .  . . .  .  Y Y"  # the office and the managing unit
OFFICE = "Y Y Y  . . .  . . .  . . .  .  . ."

# (step, state): who may.
#                                     office  leader  head    reporter anon  manager
#                                     o x -   o x -   o x -   o x -    -     head rep.
RULES = {
    ("edit", A.DRAFT): DISTRICT,
    ("edit", A.RETURNED): DISTRICT,
    ("submit", A.DRAFT): DISTRICT,
    ("submit", A.RETURNED): DISTRICT,
    ("withdraw", A.DRAFT): DISTRICT,
    ("withdraw", A.RETURNED): DISTRICT,
    # the managing unit reviews, returns or rejects while it waits for its review
    ("review", A.SUBMITTED): REVIEWERS,
    ("return", A.SUBMITTED): REVIEWERS,
    ("reject", A.SUBMITTED): REVIEWERS,
    # then the office alone
    ("return", A.REVIEWED): OFFICE,
    ("reject", A.REVIEWED): OFFICE,
    ("approve", A.REVIEWED): OFFICE,
    ("pay", A.APPROVED): OFFICE,
    ("pay", A.PARTLY_PAID): OFFICE,
}
RULES |= {pair: NOBODY for pair in PAIRS if pair not in RULES}

# The command line (an operator, no account) changes and submits through the register import.
COMMAND = {(step, state): False for step in ("edit", "submit") for state in A.values}
COMMAND |= {
    ("edit", A.DRAFT): True,
    ("edit", A.RETURNED): True,
    ("submit", A.DRAFT): True,
    ("submit", A.RETURNED): True,
}
VERSION = 6


def test_the_tables_have_a_row_for_every_step_and_state():
    rules.complete(RULES, PAIRS)
    rules.complete(COMMAND, rules.pairs(["edit", "submit"], A.values))


def audited(obj, expected: tuple[str, dict], actor, mark) -> str | None:
    """The audit entry of an allowed move: `expected` is its (action, changes)."""
    action, changes = expected
    return rules.audit_problem(obj, action, actor, changes, mark)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from ducha.enterprises.models import Enterprise
    from ducha.incentives import services
    from ducha.incentives.tests.conftest import make_scheme

    def build():
        units, _plan = rules.tianjin(with_plan=False)
        actors = rules.tianjin_actors(
            units,
            extra={
                "head/manager": ("head", units["TJ-GXJ"]),
                "reporter/manager": ("reporter", units["TJ-GXJ"]),
            },
        )
        scheme = make_scheme(units, "ZNGZ", name="智能化改造补助")
        firm = Enterprise.objects.create(
            name="和平智能软件有限公司",
            credit_code=code("120101", "MA05JJ8K1"),
            district=units["120101"],
        )
        app = services.create_application(
            None, scheme=scheme, enterprise=firm, year=2019, requested="300", base_amount="3000"
        )
        return {"actors": actors, "app": app, "firm": firm}

    yield from rules.module_data(django_db_blocker, build)


PAID = {A.APPROVED: 0, A.PARTLY_PAID: 40, A.PAID: 100}


def put_in(world, state) -> Application:
    Application.objects.filter(pk=world["app"].pk).update(
        state=state,
        version=VERSION,
        requested=Decimal(300),
        approved=Decimal(100) if state in PAID else None,
        paid=Decimal(PAID.get(state, 0)),
        reason="",
    )
    return Application.objects.get(pk=world["app"].pk)


def act(client, app, step, version):
    if step == "edit":
        url = reverse("incentives:edit", args=[app.pk])
        return client.post(url, {"requested": "250", "base_amount": "3000", "version": version})
    if step == "pay":
        return client.post(
            reverse("incentives:pay", args=[app.pk]),
            {"version": version, "paid_on": "2019-08-01", "amount": "10", "voucher": "MX-1"},
        )
    body = {"version": version, "comment": "", "reason": "材料不全", "amount": "100"}
    return client.post(reverse("incentives:act", args=[app.pk, step]), body)


def happened(before: Application, after: Application, step: str) -> bool:
    if step == "edit":
        return after.requested == 250
    if step == "pay":
        return after.paid != before.paid
    return after.state != before.state


def expected_audit(before: Application, step: str):
    state = before.state
    if step == "edit":
        return "incentives.application.changed", {"requested": ["300", "250"]}
    if step == "pay":
        paid = [str(PAID[state]), str(PAID[state] + 10)]
        if state == A.APPROVED:
            return "incentives.application.paid_part", {
                "state": [state, A.PARTLY_PAID],
                "paid": paid,
            }
        return "incentives.application.paid_part", {"paid": paid}
    verb, to = {
        "submit": ("submitted", A.SUBMITTED),
        "withdraw": ("withdrawn", A.WITHDRAWN),
        "review": ("reviewed", A.REVIEWED),
        "return": ("returned", A.RETURNED),
        "reject": ("rejected", A.REJECTED),
        "approve": ("approved", A.APPROVED),
    }[step]
    changes = {"state": [state, to]}
    if step == "approve":
        changes["approved"] = [None, "100"]
    return f"incentives.application.{verb}", changes


@pytest.mark.parametrize("step,state", PAIRS)
def test_application_rules(world, db, step, state):
    allowed = row(RULES[(step, state)])

    def run(name, user):
        app = put_in(world, state)
        mark = rules.audit_mark()
        response = act(rules.client_for(user), app, step, VERSION)
        did = happened(app, Application.objects.get(pk=app.pk), step)
        return rules.verdict(
            name in allowed,
            did,
            response,
            app,
            mark,
            lambda: audited(app, expected_audit(app, step), user, mark),
        )

    assert rules.each_actor(world["actors"], run) == []


@pytest.mark.parametrize("step,state", list(COMMAND))
def test_application_rules_on_the_command_line(world, db, step, state):
    from ducha.core.tables import ImportError_

    app = put_in(world, state)
    mark = rules.audit_mark()
    status = "已提交" if step == "submit" else "草稿"
    data = csv_bytes(
        "奖补政策,申请企业,年度,基数金额(万元),申请金额(万元),状态\n"
        f"ZNGZ,{world['firm'].credit_code},2019,3000,250,{status}\n"
    )
    refused = None
    try:
        run_import("incentives", data, actor=None)
    except ImportError_ as exc:
        refused = exc
    after = Application.objects.get(pk=app.pk)
    did = after.state != app.state if step == "submit" else after.requested == 250
    # (a withdrawn application is left alone and the row makes a new one: not a refusal)
    assert did == COMMAND[(step, state)], refused
    if not did:
        assert rules.writes_since(app, mark) == []
        return
    action, changes = expected_audit(app, step)
    assert rules.audit_problem(app, action, None, changes, mark) is None


# Every write with a version the page read before: a conflict (409), nothing changed.
STALE = [
    ("edit", A.DRAFT, "reporter/own"),
    ("submit", A.RETURNED, "head/own"),
    ("withdraw", A.DRAFT, "reporter/own"),
    ("review", A.SUBMITTED, "head/manager"),
    ("return", A.REVIEWED, "office/other"),
    ("reject", A.SUBMITTED, "reporter/manager"),
    ("approve", A.REVIEWED, "office/other"),
    ("pay", A.APPROVED, "office/other"),
]


@pytest.mark.parametrize("step,state,actor", STALE)
def test_a_stale_version_is_a_conflict(world, db, step, state, actor):
    assert actor in row(RULES[(step, state)])
    app = put_in(world, state)
    mark = rules.audit_mark()
    response = act(rules.client_for(world["actors"][actor]), app, step, VERSION - 1)
    assert response.status_code == 409
    assert "修改了此申请" in response.content.decode()
    after = Application.objects.get(pk=app.pk)
    assert (after.state, after.requested, after.paid, after.version) == (
        app.state,
        app.requested,
        app.paid,
        VERSION,
    )
    assert rules.writes_since(app, mark) == []
