"""Who may see and change plans, their nodes, indicators and milestones (plans/policies.py):
the plan's structure is no secret inside the platform, so everyone signed in reads active
plans; leaders also read archived ones (never a draft still being reviewed); only the office
sees drafts and writes; the public sees nothing here (its portal shows what is published).
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from ducha.core.tests.rules import account, policy_may
from ducha.plans.models import Indicator, Milestone, Plan, PlanNode, PlanState

pytestmark = pytest.mark.django_db
STATES = [PlanState.DRAFT, PlanState.ACTIVE, PlanState.ARCHIVED]
# reader -> sees a plan (draft, active, archived); nobody but the office changes one
SEES = {
    "office": "Y Y Y",
    "leader": ". Y Y",
    "head": ". Y .",
    "reporter": ". Y .",
    "anonymous": ". . .",
}


@pytest.fixture
def readers(tianjin_units):
    user = account

    return {
        "office": user("o", "office", tianjin_units["TJ-OFFICE"]),
        "leader": user("l", "leader", None),
        "head": user("h", "unit_head", tianjin_units["120101"]),
        "reporter": user("r", "reporter", tianjin_units["120101"]),
        "anonymous": AnonymousUser(),
    }


@pytest.mark.parametrize("reader", list(SEES))
@pytest.mark.parametrize("state", STATES)
def test_who_sees_a_plan_and_its_parts_in_each_state_and_who_changes_them(
    tianjin_plan, readers, reader, state
):
    tianjin_plan.state = state
    tianjin_plan.save(update_fields=["state"])
    parts = (
        Plan.objects.get(pk=tianjin_plan.pk),
        PlanNode.objects.filter(plan=tianjin_plan).first(),
        Indicator.objects.filter(plan=tianjin_plan).first(),
        Milestone.objects.filter(plan=tianjin_plan).first(),
    )
    sees = dict(zip(STATES, SEES[reader].split(), strict=True))[state] == "Y"
    user = readers[reader]
    for part in parts:
        assert policy_may(part, user, "view") == sees, part
        assert policy_may(part, user, "change") == (reader == "office"), part
