"""Who may see and write values, approvals and milestone reports (datavalues/policies.py), from
docs/architecture.md "Who may do what": the office everything, leaders read everything, a
unit reads its own values and those of the indicators (milestones) it leads and writes only
its own; an approval is never edited, not even by the office.

和平区's value of an indicator another unit leads, its approval and a milestone report, each
asked of every reader, by scope (`for_user`) and object (`allows`) alike.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from ducha.core.tests.rules import account, policy_may
from ducha.datavalues.models import ApprovedValue, DataValue, MilestoneProgress, MilestoneReport

READERS = ["office", "leader", "own", "own head", "other", "lead", "no unit", "anonymous"]
# reader -> may (view, add, change, submit, approve, delete)
VALUE = {
    "office": "Y Y Y Y Y Y",
    "leader": "Y . . . . .",
    "own": "Y Y Y Y . .",
    "own head": "Y Y Y Y . .",
    "other": ". . . . . .",
    "lead": "Y . . . . .",  # leading an indicator is reading every unit's figure, not writing it
    "no unit": ". . . . . .",
    "anonymous": ". . . . . .",
}
ACTIONS = ["view", "add", "change", "submit", "approve", "delete"]


@pytest.fixture
def world(tianjin_units, tianjin_plan):
    heping, binhai = tianjin_units["120101"], tianjin_units["120116"]
    indicator = tianjin_plan.indicators.exclude(lead_unit=None).exclude(lead_unit=heping).first()
    lead = indicator.lead_unit
    milestone = (
        tianjin_plan.milestones.exclude(lead_unit=None)
        .exclude(lead_unit__in=[heping, lead])
        .first()
    )

    user = account

    readers = {
        "office": user("o", "office", tianjin_units["TJ-OFFICE"]),
        "leader": user("l", "leader", None),
        "own": user("r", "reporter", heping),
        "own head": user("h", "unit_head", heping),
        "other": user("b", "reporter", binhai),
        "lead": user("d", "reporter", lead),
        "no unit": user("n", "reporter", None),
        "anonymous": AnonymousUser(),
    }
    value = DataValue.objects.create(
        indicator=indicator, org_unit=heping, period="2019", period_end=dt.date(2019, 12, 31),
        value=3,
    )  # fmt: skip
    approval = ApprovedValue.objects.create(
        data_value=value, indicator=indicator, org_unit=heping, period="2019",
        period_end=dt.date(2019, 12, 31), value=3,
        approved_at=dt.datetime(2020, 1, 2, tzinfo=dt.UTC),
    )  # fmt: skip
    report = MilestoneReport.objects.create(
        milestone=milestone, org_unit=heping, period="2019", period_end=dt.date(2019, 12, 31),
        progress=MilestoneProgress.values[0],
    )  # fmt: skip
    milestone_lead = user("m", "reporter", milestone.lead_unit)
    return readers, value, approval, report, milestone_lead


@pytest.mark.parametrize("reader", READERS)
def test_who_may_see_and_write_a_units_value(world, reader):
    readers, value, *_ = world
    wanted = dict(zip(ACTIONS, VALUE[reader].split(), strict=True))
    got = {a: "Y" if policy_may(value, readers[reader], a) else "." for a in ACTIONS}
    assert got == wanted


@pytest.mark.parametrize("reader", READERS)
def test_an_approval_is_read_like_its_value_and_written_by_nobody(world, reader):
    readers, _value, approval, *_ = world
    assert policy_may(approval, readers[reader], "view") == VALUE[reader].startswith("Y")
    for action in ACTIONS[1:]:
        assert not policy_may(approval, readers[reader], action), action


@pytest.mark.parametrize("reader", READERS)
def test_a_milestone_report_is_read_by_its_unit_and_the_milestones_lead(world, reader):
    readers, _value, _approval, report, milestone_lead = world
    # the indicator's lead unit leads no milestone here: it reads no report
    sees = reader in {"office", "leader", "own", "own head"}
    assert policy_may(report, readers[reader], "view") == sees
    assert policy_may(report, readers[reader], "change") == (
        reader in {"office", "own", "own head"}
    )
    assert policy_may(report, milestone_lead, "view")
    assert not policy_may(report, milestone_lead, "change")
