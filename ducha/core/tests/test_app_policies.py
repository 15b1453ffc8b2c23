"""The policies of the apps without a workflow, each as a table of the rows it gives every
reader (who the docstring of its ``policies.py`` says may do what), decided from the account
alone; the public sees nothing of these. No database: a scope is a Q object, compared with
the one the rule names. A disabled account is nobody in every policy (``core.policies``
asks every scope about it as the anonymous visitor), whatever its role and unit.

The workflows' policies have their own tables (``<app>/tests/test_policies.py`` and the
rule tables); the pages and API of every app are in ``test_permission_matrix.py``.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from ducha.accounts.models import User
from ducha.alignment.models import Alignment
from ducha.audit.models import AuditEntry
from ducha.core.policies import EVERYTHING, NOTHING, policy_for
from ducha.dashboards.policies import UnitScorecard
from ducha.enterprises.models import Enterprise
from ducha.extraction.models import DocumentUpload, IndicatorReview
from ducha.figures.models import FigureLink, PublishedFigure
from ducha.incentives.models import Budget, Scheme
from ducha.jobs.models import Job
from ducha.orgunits.models import OrgUnit
from ducha.plans.models import PlanState
from ducha.platforms.models import Platform
from ducha.projects.models import Project
from ducha.quality.models import QualitySettings, SumRule
from ducha.reporting.models import ReportingEffort
from ducha.scorecards.policies import Objection, RankingWeights, ScoredUnit
from ducha.talents.models import Talent, Team
from ducha.technologies.models import KeyTechnology
from ducha.workcalendar.models import CalendarDay, HolidayYear

UNIT = 42  # the reader's own org unit
ME = 7  # the reader's own account

READERS = {
    "office": {"role": "office", "org_unit_id": 1},
    "superuser": {"role": "reporter", "is_superuser": True},
    "disabled office": {"role": "office", "org_unit_id": 1, "is_active": False},
    "leader": {"role": "leader"},
    "head": {"role": "unit_head", "org_unit_id": UNIT},
    "reporter": {"role": "reporter", "org_unit_id": UNIT},
    "reporter, no unit": {"role": "reporter"},
    "disabled reporter": {"role": "reporter", "org_unit_id": UNIT, "is_active": False},
}


def reader(name):
    if name == "anonymous":
        return AnonymousUser()
    return User(pk=ME, username=name, **({"is_active": True} | READERS[name]))


SECURITY = Q(action__startswith="security.")
ZONES = Q(pk=UNIT) | Q(parent_id=UNIT)  # one's own unit and the zones inside it
MINE = Q(created_by=User(pk=ME))
E, N = EVERYTHING, NOTHING
# an alignment link is seen by whoever reads both plans: leaders every plan but a draft,
# everyone else signed in the active ones (plans/policies.py)
UNDRAFTED = ~Q(source__plan__state__in=[PlanState.DRAFT]) & ~Q(
    target__plan__state__in=[PlanState.DRAFT]
)
LIVE = Q(source__plan__state=PlanState.ACTIVE, target__plan__state=PlanState.ACTIVE)
OWN = Q(org_unit=UNIT)
OWN_EFFORT = Q(assignment__org_unit=UNIT)  # the burden of one's own unit's assignments

# (model, action) -> what each reader gets, in the order of COLUMNS
COLUMNS = [*READERS, "anonymous"]
#                               office superuser disabled leader head reporter no-unit disabled anon
TABLE = {
    (OrgUnit, "view"):                  [E, E, N, E, E, E, E, N, N],
    (OrgUnit, "change"):                [E, E, N, N, N, N, N, N, N],
    (AuditEntry, "view"):               [E, E, N, ~SECURITY, N, N, N, N, N],
    (AuditEntry, "security"):           [SECURITY, SECURITY, N, N, N, N, N, N, N],
    (AuditEntry, "change"):             [N, N, N, N, N, N, N, N, N],
    (UnitScorecard, "view"):            [E, E, N, E, ZONES, ZONES, N, N, N],
    (UnitScorecard, "change"):          [N, N, N, N, N, N, N, N, N],
    (ScoredUnit, "view"):               [E, E, N, E, Q(pk=UNIT), Q(pk=UNIT), N, N, N],
    (ScoredUnit, "change"):             [N, N, N, N, N, N, N, N, N],
    (RankingWeights, "view"):           [E, E, N, E, N, N, N, N, N],
    (RankingWeights, "change"):         [E, E, N, N, N, N, N, N, N],
    (QualitySettings, "view"):          [E, E, N, E, N, N, N, N, N],
    (QualitySettings, "change"):        [E, E, N, N, N, N, N, N, N],
    (SumRule, "view"):                  [E, E, N, E, N, N, N, N, N],
    (SumRule, "change"):                [E, E, N, N, N, N, N, N, N],
    (PublishedFigure, "view"):          [E, E, N, E, E, E, E, N, N],
    (PublishedFigure, "change"):        [N, N, N, N, N, N, N, N, N],
    (FigureLink, "view"):               [E, E, N, E, E, E, E, N, N],
    (FigureLink, "change"):             [N, N, N, N, N, N, N, N, N],
    (Job, "view"):                      [E, E, N, MINE, MINE, MINE, MINE, N, N],
    (Job, "change"):                    [N, N, N, N, N, N, N, N, N],
    (IndicatorReview, "view"):          [E, E, N, N, N, N, N, N, N],
    (IndicatorReview, "change"):        [E, E, N, N, N, N, N, N, N],
    (DocumentUpload, "view"):           [E, E, N, N, N, N, N, N, N],
    (DocumentUpload, "change"):         [E, E, N, N, N, N, N, N, N],
    # alignment links: seen with both plans, decided by the office alone
    (Alignment, "view"):                [E, E, N, UNDRAFTED, LIVE, LIVE, LIVE, N, N],
    (Alignment, "change"):              [E, E, N, N, N, N, N, N, N],
    # objections (申诉) to scores: a unit files and reads its own, leaders read, the office answers
    (Objection, "view"):                [E, E, N, E, OWN, OWN, N, N, N],
    (Objection, "add"):                 [E, E, N, N, OWN, OWN, N, N, N],
    (Objection, "change"):              [E, E, N, N, N, N, N, N, N],
    # the reporting burden: read like the assignments, written by the services alone
    (ReportingEffort, "view"):          [E, E, N, E, OWN_EFFORT, OWN_EFFORT, N, N, N],
    (ReportingEffort, "change"):        [N, N, N, N, N, N, N, N, N],
}  # fmt: skip
# reference data (the holiday calendar, award schemes and budgets): read by everyone signed
# in, written by the office (core.policies.reference_scope)
for reference in (HolidayYear, CalendarDay, Scheme, Budget):
    TABLE[(reference, "view")] = [E, E, N, E, E, E, E, N, N]
    TABLE[(reference, "change")] = [E, E, N, N, N, N, N, N, N]


@pytest.mark.parametrize(("model", "action"), list(TABLE), ids=lambda v: getattr(v, "__name__", v))
def test_each_reader_gets_the_rows_the_rule_gives(model, action):
    got = {name: policy_for(model).scope(reader(name), action) for name in COLUMNS}
    assert got == dict(zip(COLUMNS, TABLE[(model, action)], strict=True))


# the accounts: the office manages every account but the operators' (a superuser's), an
# operator all; leaders see everyone; a unit sees its colleagues and itself
COLLEAGUES = Q(pk=ME) | Q(org_unit=UNIT)
ACCOUNTS = {
    "office": (E, Q(is_superuser=False)),
    "superuser": (E, E),
    "disabled office": (N, N),
    "leader": (E, N),
    "head": (COLLEAGUES, N),
    "reporter": (COLLEAGUES, N),
    "reporter, no unit": (Q(pk=ME) | N, N),
    "disabled reporter": (N, N),
    "anonymous": (N, N),
}


@pytest.mark.parametrize("name", list(ACCOUNTS))
def test_who_sees_and_manages_which_accounts(name):
    policy = policy_for(User)
    assert (policy.scope(reader(name), "view"), policy.scope(reader(name), "change")) == ACCOUNTS[
        name
    ]


REGISTERS = [Enterprise, Talent, Team, Platform, Project, KeyTechnology]


@pytest.mark.parametrize("model", REGISTERS, ids=lambda m: m.__name__)
def test_every_register_is_read_by_leaders_and_written_by_the_office_alone(model):
    # which district's records a unit reads is registers/tests/test_policies.py's table
    scope = policy_for(model).scope
    assert (scope(reader("office"), "view"), scope(reader("office"), "change")) == (E, E)
    assert (scope(reader("leader"), "view"), scope(reader("leader"), "change")) == (E, N)
    assert (scope(reader("anonymous"), "view"), scope(reader("anonymous"), "change")) == (N, N)
