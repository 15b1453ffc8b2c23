"""Assessment results as plain dicts, for `ducha assess`, the API and CSV/JSON exports."""

from __future__ import annotations

from ducha.assessments.labels import note_label, rollup_explanation, status_label
from ducha.assessments.services import IndicatorResult, MilestoneResult, NodeResult


def _num(value):
    if value is None:
        return None
    return round(float(value), 6)


def indicator_row(r: IndicatorResult) -> dict:
    ind, a = r.indicator, r.result
    return {
        "type": "indicator",
        "code": ind.code,
        "name": ind.name,
        "unit": ind.unit,
        "node": ind.node.key,
        "lead_unit": ind.lead_unit.name if ind.lead_unit else None,
        "direction": "increase" if ind.direction > 0 else "decrease",
        "kind": ind.kind,
        "method": a.method,
        "baseline": _num(a.baseline),
        "baseline_source": a.baseline_source,
        "target_min": _num(ind.target_min),
        "target_max": _num(ind.target_max),
        "target_value": _num(a.target_value),
        "comparator": ind.comparator,
        "deadline": ind.deadline.isoformat(),
        "value": _num(a.value),
        "period": r.latest_period,
        "expected": _num(a.expected_value),
        "time_share": _num(a.time_share),
        "progress_share": _num(a.progress_share),
        "ratio": _num(a.ratio),
        "status": str(a.status),
        "status_label": status_label(a.status),
        "exceeded": a.exceeded,
        "stale": a.stale,
        # After the deadline nothing is forecast: R and the forecast are null, and the final
        # evaluation says what the status rests on.
        "forecast": _num(a.forecast),
        "forecast_meets": a.forecast_meets,
        "final": a.final,
        "final_value": _num(a.final_value),
        "final_period": r.final_period,
        "gap": _num(a.gap),
        "notes": [note_label(n) for n in r.notes],
    }


def milestone_row(r: MilestoneResult) -> dict:
    ms = r.milestone
    return {
        "type": "milestone",
        "code": ms.code,
        "name": ms.title,
        "node": ms.node.key,
        "lead_unit": ms.lead_unit.name if ms.lead_unit else None,
        "deadline": ms.due.isoformat(),
        "progress": r.report.progress if r.report else None,
        "progress_label": r.report.get_progress_display() if r.report else None,
        "period": r.report.period if r.report else None,
        "status": str(r.status),
        "status_label": status_label(r.status),
        "final": r.final,
    }


def node_row(r: NodeResult, depth: int) -> dict:
    return {
        "type": "node",
        "code": r.node.key,
        "name": f"{r.node.label}{r.node.title}",
        "depth": depth,
        "status": str(r.status),
        "status_label": status_label(r.status),
        "score": _num(r.rollup.score),
        "counts": {str(k): v for k, v in r.rollup.counts.items()},
        "indicators": len(r.indicators),
        "milestones": len(r.milestones),
        "rule": r.rollup.rule,
        "final": r.rollup.final,
        "explanation": rollup_explanation(r),
    }


def assessment_document(plan, rule, result) -> dict:
    """The whole assessment of a plan as one JSON-ready dict (`ducha assess --format json`
    and the API print the same document)."""
    return {
        "plan": plan.code,
        "as_of": result.as_of.isoformat(),
        "as_of_reason": rule.reason,
        "plan_ended": result.plan.has_ended(result.as_of),
        "status": str(result.overall.status),
        "score": _num(result.overall.score),
        "indicators": [indicator_row(r) for r in result.indicators],
        "milestones": [milestone_row(r) for r in result.milestones],
        "nodes": [node_row(r, depth) for r, depth in result.walk()],
    }
