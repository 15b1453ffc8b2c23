"""A plan's assessment as of any date: the document `ducha assess --format json` prints,
for the dashboards of other systems (Open SDG-style progress, a leader's own reports)."""

import datetime as dt

from ninja import Field, Query, Router, Schema

from ducha.assessments.serializers import assessment_document
from ducha.assessments.services import assess_plan, choose_as_of
from ducha.core import pagecache
from ducha.core.apiauth import READ_AUTH
from ducha.core.params import FIRST_DAY, LAST_DAY
from ducha.plans.api import visible_plan

router = Router(tags=["assessments"], auth=READ_AUTH)


class IndicatorAssessmentOut(Schema):
    type: str
    code: str
    name: str
    unit: str
    node: str
    lead_unit: str | None
    direction: str
    kind: str
    method: str = Field(description="growth (CAGR) or linear, as the BRIEF's method says")
    baseline: float | None
    baseline_source: str | None
    target_min: float | None
    target_max: float | None
    target_value: float | None
    comparator: str
    deadline: str
    value: float | None = Field(description="the latest approved value by the as-of date")
    period: str | None
    expected: float | None = Field(description="where the value should be by now")
    time_share: float | None
    progress_share: float | None
    ratio: float | None = Field(description="R: actual progress against the time gone")
    status: str
    status_label: str
    exceeded: bool
    stale: bool
    forecast: float | None = Field(
        description="the value projected at the deadline; null once the deadline has passed"
    )
    forecast_meets: bool | None
    final: bool = Field(description="the deadline has passed: a final evaluation")
    final_value: float | None = Field(description="the value the final status rests on")
    final_period: str | None
    gap: float | None = Field(description="how far the final value falls short of the target")
    notes: list[str]


class MilestoneAssessmentOut(Schema):
    type: str
    code: str
    name: str
    node: str
    lead_unit: str | None
    deadline: str
    progress: str | None
    progress_label: str | None
    period: str | None
    status: str
    status_label: str
    final: bool


class NodeAssessmentOut(Schema):
    type: str
    code: str
    name: str
    depth: int
    status: str
    status_label: str
    score: float | None = Field(description="weighted mean of the children's scores, 0–4")
    counts: dict[str, int]
    indicators: int
    milestones: int
    rule: str = Field(description="which roll-up rule gave the status (docs/assessment.md)")
    final: bool
    explanation: str = Field(description="how the status was reached, in words")


class AssessmentOut(Schema):
    plan: str
    as_of: str
    as_of_reason: str
    plan_ended: bool
    status: str
    score: float | None
    indicators: list[IndicatorAssessmentOut]
    milestones: list[MilestoneAssessmentOut]
    nodes: list[NodeAssessmentOut]


class AsOfIn(Schema):
    as_of: dt.date | None = Field(
        None,
        ge=FIRST_DAY,
        le=LAST_DAY,
        description="YYYY-MM-DD; default: the latest complete period the plan reports",
    )


@router.get("/{plan}", response=AssessmentOut, summary="Where each target of a plan stands")
def get_assessment(request, plan: str, query: Query[AsOfIn]):
    found = visible_plan(request, plan)
    rule = choose_as_of(found, query.as_of)
    # The same document for everyone who may see the plan: built once per state of the data
    # and shared by every process (core/pagecache.py).
    return pagecache.cached(
        ("api/assessments", found.pk, found.updated_at.timestamp(), rule),
        lambda: assessment_document(found, rule, assess_plan(found, rule.date)),
    )
