"""The plans as data: each plan the caller may see, its node tree, indicators and
milestones, as the plan file defines them (read only; plans change through `loadplan`,
the extraction review and the admin)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from ducha.core.apiauth import READ_AUTH
from ducha.plans.models import Plan

router = Router(tags=["plans"], auth=READ_AUTH)


class PlanOut(Schema):
    code: str
    title: str
    short_title: str
    issuer: str
    issued_on: dt.date | None
    period_start: int
    period_end: int
    outlook_year: int | None
    state: str
    region: str | None = Field(description="org-unit code of the area it covers; none: the city")

    @staticmethod
    def of(plan: Plan) -> dict:
        fields = {name: getattr(plan, name) for name in PlanOut.model_fields if name != "region"}
        return {**fields, "region": plan.region.code if plan.region_id else None}


class NodeOut(Schema):
    key: str
    parent: str | None = Field(description="the parent node's key; none for a chapter")
    label: str = Field(description="the heading number as written: 一、 (一) 1.")
    title: str
    depth: int
    text: str


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    kind: str = Field(description="level or change")
    direction: str = Field(description="increase or decrease")
    aggregation: str = Field(description="how values add up across org units")
    baseline_value: Decimal | None
    baseline_period: str
    target_min: Decimal
    target_max: Decimal | None
    comparator: str
    deadline: dt.date
    node: str = Field(description="key of the plan node")
    lead_unit: str | None = Field(description="org-unit code")
    supporting_units: list[str] = Field(description="org-unit codes")
    frequency: str
    source: str = Field(description="manual (reported) or computed (from a register)")
    headline: bool
    weight: Decimal
    sentence: str = Field(description="the sentence of the plan that sets the target")


class MilestoneOut(Schema):
    code: str
    title: str
    due: dt.date
    node: str
    lead_unit: str | None
    supporting_units: list[str]
    sentence: str


class PlanDetailOut(PlanOut):
    nodes: list[NodeOut]
    indicators: list[IndicatorOut]
    milestones: list[MilestoneOut]


def visible_plan(request, code: str) -> Plan:
    return get_object_or_404(Plan.objects.for_user(request.user, "view"), code=code)


@router.get("", response=list[PlanOut], summary="The plans I may see")
def list_plans(request):
    plans = Plan.objects.for_user(request.user, "view").select_related("region")
    return [PlanOut.of(p) for p in plans.order_by("-period_start", "code")]


@router.get("/{code}", response=PlanDetailOut, summary="A plan with its tree and targets")
def get_plan(request, code: str):
    plan = visible_plan(request, code)
    nodes = list(plan.nodes.order_by("position", "pk"))
    keys = {n.pk: n.key for n in nodes}
    indicators = plan.indicators.select_related("node", "lead_unit").prefetch_related(
        "supporting_units"
    )
    milestones = plan.milestones.select_related("node", "lead_unit").prefetch_related(
        "supporting_units"
    )
    return {
        **PlanOut.of(plan),
        "nodes": [
            {
                "key": n.key,
                "parent": keys.get(n.parent_id),
                "label": n.label,
                "title": n.title,
                "depth": n.depth,
                "text": n.text,
            }
            for n in nodes
        ],
        "indicators": [_indicator(i) for i in indicators.order_by("position", "pk")],
        "milestones": [_milestone(m) for m in milestones.order_by("position", "pk")],
    }


def _codes(units) -> list[str]:
    return sorted(u.code for u in units.all())


def _indicator(i) -> dict:
    return {
        **{
            name: getattr(i, name)
            for name in [
                "code",
                "name",
                "unit",
                "kind",
                "aggregation",
                "baseline_value",
                "baseline_period",
                "target_min",
                "target_max",
                "comparator",
                "deadline",
                "frequency",
                "source",
                "headline",
                "weight",
                "sentence",
            ]
        },
        "direction": "increase" if i.direction > 0 else "decrease",
        "node": i.node.key,
        "lead_unit": i.lead_unit.code if i.lead_unit else None,
        "supporting_units": _codes(i.supporting_units),
    }


def _milestone(m) -> dict:
    return {
        "code": m.code,
        "title": m.title,
        "due": m.due,
        "node": m.node.key,
        "lead_unit": m.lead_unit.code if m.lead_unit else None,
        "supporting_units": _codes(m.supporting_units),
        "sentence": m.sentence,
    }
