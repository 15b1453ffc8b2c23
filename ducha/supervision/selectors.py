"""What the 督办 pages show: overdue assignments per unit, lagging indicators and milestones."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from ducha.assessments.services import assess_plan
from ducha.engine.assessment import Status
from ducha.plans.models import Plan, PlanState
from ducha.reporting.models import Assignment
from ducha.reporting.workdays import working_days_between

# Behind, or missed at the final evaluation: both call for 督办 (or 整改).
LAGGING_ORDER = [
    Status.NOT_ACHIEVED,
    Status.NOT_ACHIEVED_NO_DATA,
    Status.DETERIORATION,
    Status.LIMITED_PROGRESS,
    Status.STALE,
    Status.NEEDS_ACCELERATION,
]
LAGGING = set(LAGGING_ORDER)


@dataclass
class OverdueUnit:
    unit: object
    count: int
    worst_days: int
    round_ids: set


def overdue_by_unit(user, today=None) -> list[OverdueUnit]:
    today = today or timezone.localdate()
    rows = defaultdict(lambda: [0, 0, set()])
    qs = (
        Assignment.objects.for_user(user, "view")
        .overdue(today)
        .select_related("org_unit", "round")
        .only("org_unit", "round__deadline", "round__id")
    )
    deadlines = {}
    for a in qs:
        row = rows[a.org_unit]
        row[0] += 1
        if a.round.deadline not in deadlines:
            deadlines[a.round.deadline] = working_days_between(a.round.deadline, today)
        row[1] = max(row[1], deadlines[a.round.deadline])
        row[2].add(a.round_id)
    out = [OverdueUnit(unit, n, days, rounds) for unit, (n, days, rounds) in rows.items()]
    return sorted(out, key=lambda r: (-r.worst_days, -r.count, r.unit.position))


@dataclass
class LaggingItem:
    plan: Plan
    kind: str  # "indicator" | "milestone"
    obj: object
    status: str
    lead_unit: object


def lagging_items(user) -> list[LaggingItem]:
    out = []
    for plan in Plan.objects.for_user(user, "view").filter(state=PlanState.ACTIVE):
        result = assess_plan(plan)
        for r in result.indicators:
            if r.status in LAGGING:
                out.append(
                    LaggingItem(plan, "indicator", r.indicator, r.status, r.indicator.lead_unit)
                )
        for r in result.milestones:
            if r.status in LAGGING:
                out.append(
                    LaggingItem(plan, "milestone", r.milestone, r.status, r.milestone.lead_unit)
                )
    order = {s: i for i, s in enumerate(LAGGING_ORDER)}
    return sorted(out, key=lambda x: order.get(x.status, 9))
