"""The final evaluation (终期评估) of a plan as of a date: every target whose deadline has
passed, met or missed, with the value it rests on, that value's period and where it came from
(the units whose approved figures make it up, the reporting round of that period, the day of
the last approval). Read by the plan's final-evaluation page and the bulletin's section.

The statuses themselves come from ``services.assess_plan`` (the engine's final evaluation);
this module only gathers the provenance of the values they rest on.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from ducha.assessments.services import (
    IndicatorResult,
    MilestoneResult,
    PlanAssessment,
    assess_plan,
)
from ducha.datavalues.models import ApprovedValue
from ducha.engine.assessment import MISSED_STATUSES, Status
from ducha.orgunits.models import OrgUnit
from ducha.plans.models import Plan
from ducha.reporting.models import Round


@dataclass
class Source:
    units: list[str]  # the units whose approved figures make up the value
    round: str | None  # the reporting round of that period, if there was one
    approved_on: dt.date | None  # the day of the last approval among them


@dataclass
class FinalIndicator:
    result: IndicatorResult
    source: Source | None

    @property
    def a(self):
        return self.result.result


@dataclass
class FinalEvaluation:
    plan: Plan
    assessment: PlanAssessment
    ended: bool  # the plan period is over as of the date
    indicators: list[FinalIndicator]  # past their deadline, in plan order
    milestones: list[MilestoneResult]  # past their due date
    running: list[IndicatorResult | MilestoneResult] = field(default_factory=list)

    @property
    def counts(self) -> dict[Status, int]:
        out: dict[Status, int] = defaultdict(int)
        for item in [*(i.result for i in self.indicators), *self.milestones]:
            out[item.status] += 1
        return dict(out)

    @property
    def met(self) -> int:
        return sum(
            n for s, n in self.counts.items() if s in (Status.ACHIEVED, Status.ACHIEVED_LATE)
        )

    @property
    def missed(self) -> int:
        return sum(n for s, n in self.counts.items() if s in MISSED_STATUSES)

    @property
    def total(self) -> int:
        return len(self.indicators) + len(self.milestones)


def final_evaluation(plan: Plan, as_of: dt.date, result: PlanAssessment | None = None):
    """The plan's final evaluation as of ``as_of`` (from ``result`` when the caller has it)."""
    result = result or assess_plan(plan, as_of)
    done = [r for r in result.indicators if r.result.final]
    sources = sources_of(done, result.as_of)
    return FinalEvaluation(
        plan=plan,
        assessment=result,
        ended=plan.has_ended(result.as_of),
        indicators=[FinalIndicator(r, sources.get(r.indicator.pk)) for r in done],
        milestones=[m for m in result.milestones if m.final],
        running=[r for r in result.indicators if not r.result.final]
        + [m for m in result.milestones if not m.final],
    )


def sources_of(results: list[IndicatorResult], as_of: dt.date) -> dict[int, Source]:
    """Where each final value came from: two queries for all of them."""
    wanted = {r.indicator.pk: r.final_period for r in results if r.final_period}
    if not wanted:
        return {}
    cutoff = timezone.make_aware(dt.datetime.combine(as_of, dt.time.max))
    rows = ApprovedValue.objects.filter(
        indicator_id__in=wanted, period__in=set(wanted.values()), approved_at__lte=cutoff
    ).values_list("indicator_id", "period", "org_unit_id", "approved_at")
    units: dict[int, set[int]] = defaultdict(set)
    latest: dict[int, dt.datetime] = {}
    for ind, period, unit, approved_at in rows:
        if wanted[ind] != period:
            continue
        units[ind].add(unit)
        latest[ind] = max(latest.get(ind, approved_at), approved_at)
    names = dict(
        OrgUnit.objects.filter(pk__in={u for us in units.values() for u in us}).values_list(
            "pk", "name"
        )
    )
    plan_ids = {r.indicator.plan_id for r in results}
    rounds = dict(
        Round.objects.filter(plan_id__in=plan_ids, period__in=set(wanted.values())).values_list(
            "period", "title"
        )
    )
    # Only the units that count in the plan-wide value (the city's own figure stands alone).
    points = {r.indicator.pk: _final_point(r) for r in results}
    out = {}
    for ind, period in wanted.items():
        point = points.get(ind)
        pks = units.get(ind, set())
        if point is not None:
            pks = {u for u in pks if point.counts(u)}
        out[ind] = Source(
            units=sorted(names[u] for u in pks if u in names),
            round=rounds.get(period),
            approved_on=timezone.localdate(latest[ind]) if ind in latest else None,
        )
    return out


def _final_point(r: IndicatorResult):
    return next((p for p in r.series if p.period == r.final_period), None)
