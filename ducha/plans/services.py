"""Writes to plans: loading a plan file, changing a plan's state.

`load_plan` is idempotent: loading the same file twice changes nothing; an edited file updates
rows in place (matched by plan code, node key, indicator and milestone code), so every value
already reported stays attached to its indicator.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from ducha.audit.services import diff, record, snapshot
from ducha.core.filespec import FileSpecError, Problem
from ducha.core.policies import require
from ducha.engine.units import default_trajectory, normalise_unit
from ducha.orgunits.models import OrgUnit
from ducha.plans.models import PLAN_TRANSITIONS, Indicator, Milestone, Plan, PlanNode, PlanState
from ducha.plans.planfile import (
    IndicatorSpec,
    MilestoneSpec,
    PlanFile,
    as_date,
    baseline_period_code,
    read_plan_file,
)


@dataclass
class LoadReport:
    plan: Plan | None = None
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)

    def count(self, bucket: str, what: str) -> None:
        counts = getattr(self, bucket)
        counts[what] = counts.get(what, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


def load_plan_file(path: Path | str, actor=None, *, state: str | None = None) -> LoadReport:
    spec, source_text = read_plan_file(path)
    return load_plan(spec, source_text, actor, source=str(path), state=state)


def load_plan(
    spec: PlanFile, source_text: str, actor=None, *, source: str = "", state: str | None = None
) -> LoadReport:
    """Create or update the plan described by `spec`, all or nothing.

    `actor` None means the command line (a trusted operator); a user must be allowed to change
    plans. `state` overrides the file's state (the extractor's drafts load as drafts).
    """
    if actor is not None:
        require(actor, "change", Plan)
    units = _resolve_units(spec, source)
    report = LoadReport()
    with transaction.atomic():
        plan = _upsert_plan(spec, source_text, state, report, units)
        nodes = _upsert_nodes(plan, spec, report)
        for position, ind in enumerate(spec.indicators):
            _upsert_indicator(plan, nodes, ind, position, units, report)
        for position, ms in enumerate(spec.milestones):
            _upsert_milestone(plan, nodes, ms, position, units, report)
        _delete_absent(plan, spec, source, report)
        for hook in LOAD_HOOKS:
            hook(plan, spec, actor, source, report)
        if report.changed:
            record(
                actor,
                "plans.plan.loaded",
                plan,
                changes={
                    "created": report.created,
                    "updated": report.updated,
                    "deleted": report.deleted,
                },
                comment=Path(source).name,  # the file's name, not the server's path
            )
    report.plan = plan
    return report


def _resolve_units(spec: PlanFile, source: str) -> dict[str, OrgUnit]:
    """Every lead/support reference -> its org unit; unknown or ambiguous ones are errors."""
    mapping = OrgUnit.objects.reference_map()
    problems: list[Problem] = []
    resolved: dict[str, OrgUnit] = {}
    if region := spec.plan.region:
        if mapping.get(region) is None:
            problems.append(Problem("plan.region", _("no org unit is called %s") % region))
        else:
            resolved[region] = mapping[region]
    for kind, items in (("indicators", spec.indicators), ("milestones", spec.milestones)):
        for i, item in enumerate(items):
            refs = [("lead", item.lead)] if item.lead else []
            refs += [(f"support[{j}]", ref) for j, ref in enumerate(item.support)]
            for where, ref in refs:
                if ref not in mapping:
                    msg = _("no org unit is called %s") % ref
                elif mapping[ref] is None:
                    msg = _("%s names more than one org unit; use its code") % ref
                else:
                    resolved[ref] = mapping[ref]
                    continue
                problems.append(Problem(f"{kind}[{i}] ({item.code}).{where}", msg))
    if problems:
        raise FileSpecError(source, problems)
    return resolved


def _apply(obj, values: dict, report: LoadReport, what: str) -> bool:
    """Set `values` on `obj` and save only when something differs (idempotent loads).

    Returns whether the object is new.
    """
    is_new = obj.pk is None
    before = {} if is_new else snapshot(obj, list(values))
    for name, value in values.items():
        setattr(obj, name, value)
    if is_new:
        obj.save()
        report.count("created", what)
    elif diff(before, snapshot(obj, list(values))):
        obj.save()
        report.count("updated", what)
    return is_new


def _upsert_plan(spec: PlanFile, source_text: str, state: str | None, report, units) -> Plan:
    header = spec.plan
    plan = Plan.objects.filter(code=header.code).first() or Plan(code=header.code)
    values = {
        "title": header.title,
        "short_title": header.short_title,
        "issuer": header.issuer,
        "issued_on": header.issued_on,
        "period_start": header.period_start,
        "period_end": header.period_end,
        "outlook_year": header.outlook_year,
        "final_grace_months": header.final_grace_months,
        "preamble": header.preamble,
        "source_text": source_text,
        "region_id": units[header.region].pk if header.region else None,
    }
    # A reload keeps the state the office has set in the platform unless told otherwise.
    values["state"] = state or (plan.state if plan.pk else header.state)
    _apply(plan, values, report, "plan")
    return plan


def _upsert_nodes(plan: Plan, spec: PlanFile, report: LoadReport) -> dict[str, PlanNode]:
    existing = {n.key: n for n in plan.nodes.all()}
    nodes: dict[str, PlanNode] = {}
    for position, (node, parent_key, depth) in enumerate(spec.walk_nodes()):
        obj = existing.get(node.key) or PlanNode(plan=plan, key=node.key)
        values = {
            "parent_id": nodes[parent_key].pk if parent_key else None,
            "label": node.label,
            "title": node.title,
            "text": node.text,
            "depth": depth,
            "position": position,
        }
        _apply(obj, values, report, "nodes")
        nodes[node.key] = obj
    return nodes


def _indicator_values(ind: IndicatorSpec, plan: Plan, nodes, position: int, units) -> dict:
    unit = normalise_unit(ind.unit)
    target_max = ind.target.max if ind.target.max is not None else ind.target.min
    return {
        "node_id": nodes[ind.node].pk,
        "name": ind.name,
        "unit": unit,
        "kind": ind.kind,
        "direction": 1 if ind.direction == "increase" else -1,
        "trajectory": ind.trajectory or default_trajectory(unit),
        "aggregation": ind.aggregation,
        "baseline_value": ind.baseline.value if ind.baseline else None,
        "baseline_period": baseline_period_code(ind.baseline),
        "target_min": ind.target.min,
        "target_max": target_max,
        "comparator": ind.target.comparator,
        "deadline": as_date(ind.deadline, plan.period_end),
        "lead_unit_id": units[ind.lead].pk if ind.lead else None,
        "frequency": ind.frequency,
        "source": ind.source,
        "computation": ind.computation or {},
        "sentence": ind.sentence,
        "weight": ind.weight,
        "headline": ind.headline,
        "position": position,
    }


def _upsert_indicator(plan, nodes, ind: IndicatorSpec, position, units, report) -> None:
    obj = plan.indicators.filter(code=ind.code).first() or Indicator(plan=plan, code=ind.code)
    is_new = _apply(obj, _indicator_values(ind, plan, nodes, position, units), report, "indicators")
    _set_support(obj, [units[r] for r in ind.support], report, "indicators", is_new)


def _upsert_milestone(plan, nodes, ms: MilestoneSpec, position, units, report) -> None:
    obj = plan.milestones.filter(code=ms.code).first() or Milestone(plan=plan, code=ms.code)
    values = {
        "node_id": nodes[ms.node].pk,
        "title": ms.title,
        "due": as_date(ms.due, plan.period_end),
        "lead_unit_id": units[ms.lead].pk if ms.lead else None,
        "sentence": ms.sentence,
        "weight": ms.weight,
        "position": position,
    }
    is_new = _apply(obj, values, report, "milestones")
    _set_support(obj, [units[r] for r in ms.support], report, "milestones", is_new)


def _set_support(obj, wanted: list[OrgUnit], report: LoadReport, what: str, is_new: bool):
    current = set(obj.supporting_units.values_list("pk", flat=True))
    if current != {u.pk for u in wanted}:
        obj.supporting_units.set(wanted)
        if not is_new:
            report.count("updated", f"{what}.support")


def _delete_absent(plan: Plan, spec: PlanFile, source: str, report: LoadReport) -> None:
    """Remove what the file no longer has; refuse where values would be lost."""
    from ducha.datavalues.models import DataValue, MilestoneReport

    codes = {i.code for i in spec.indicators}
    gone = plan.indicators.exclude(code__in=codes)
    gone_milestones = plan.milestones.exclude(code__in={m.code for m in spec.milestones})
    problems = [
        Problem(
            "indicators",
            _("indicator %s is no longer in the file but has reported values: keep it") % code,
        )
        for code in sorted(
            set(
                DataValue.objects.filter(indicator__in=gone).values_list(
                    "indicator__code", flat=True
                )
            )
        )
    ]
    problems += [
        Problem(
            "milestones",
            _("milestone %s is no longer in the file but has progress reports: keep it") % code,
        )
        for code in sorted(
            set(
                MilestoneReport.objects.filter(milestone__in=gone_milestones).values_list(
                    "milestone__code", flat=True
                )
            )
        )
    ]
    if problems:
        raise FileSpecError(source, problems)
    for what, queryset in (
        ("indicators", gone),
        ("milestones", gone_milestones),
    ):
        for obj in queryset:
            obj.delete()
            report.count("deleted", what)
    keys = {node.key for node, _parent, _depth in spec.walk_nodes()}
    # Children first, so no node is deleted while another absent node still points at it.
    for node in plan.nodes.exclude(key__in=keys).order_by("-depth"):
        node.delete()
        report.count("deleted", "nodes")


def change_plan_state(plan: Plan, new_state: str, actor) -> Plan:
    """Move a plan along its workflow (draft -> active -> archived), or refuse."""
    require(actor, "change", plan)
    if new_state not in PLAN_TRANSITIONS.get(plan.state, set()):
        new_label = PlanState(new_state).label if new_state in PlanState.values else new_state
        raise ValueError(
            _("A plan that is %(old)s cannot become %(new)s.")
            % {"old": plan.get_state_display(), "new": new_label}
        )
    with transaction.atomic():
        old = plan.state
        for check in STATE_CHECKS:
            if problem := check(plan, new_state):
                raise ValueError(problem)
        plan.state = new_state
        plan.save(update_fields=["state", "updated_at"])
        record(actor, "plans.plan.state_changed", plan, changes={"state": [old, new_state]})
    return plan


# What other apps do inside a plan's load, after its rows are written (from their
# AppConfig.ready): hook(plan, spec, actor, source, report); a FileSpecError undoes the load.
# ducha.alignment: the file's links to other plans' targets, and suggestions for the rest.
LOAD_HOOKS: list[Callable] = []


# Checks that other apps add (from their AppConfig.ready) before a plan changes state: each
# returns "" or why the change must wait. ducha.extraction: every indicator of a draft plan is
# reviewed before the plan becomes active.
STATE_CHECKS: list[Callable[[Plan, str], str]] = []


# --- editing the indicators of a draft plan (the extraction review screen) --------------------

# What update_indicator may change; supporting units are passed on their own.
EDITABLE_INDICATOR_FIELDS = frozenset(
    {
        "node",
        "name",
        "unit",
        "kind",
        "direction",
        "trajectory",
        "aggregation",
        "baseline_value",
        "baseline_period",
        "target_min",
        "target_max",
        "comparator",
        "deadline",
        "lead_unit",
        "frequency",
        "sentence",
    }
)


def _require_draft(plan: Plan) -> None:
    if plan.state != PlanState.DRAFT:
        raise ValueError(
            _("Only the indicators of a draft plan can be edited here; %(plan)s is %(state)s.")
            % {"plan": plan.code, "state": plan.get_state_display()}
        )


def indicator_problems(indicator: Indicator) -> list[tuple[str, str]]:
    """(field, message) for what the plan file would refuse: the same rules as check_plan."""
    problems = []
    if not indicator.name.strip():
        problems.append(("name", _("A name is required.")))
    if normalise_unit(indicator.unit) != indicator.unit:
        problems.append(("unit", _("%s is not a known unit.") % indicator.unit))
    elif indicator.kind == "change" and indicator.unit != "%":
        problems.append(("unit", _("A change target is given in %.")))
    if indicator.target_min is None or indicator.target_min < 0:
        problems.append(("target_min", _("The target must be a number of at least 0.")))
    elif indicator.target_max is not None and indicator.target_max < indicator.target_min:
        problems.append(("target_max", _("The upper bound must not be below the target.")))
    if indicator.node_id is not None and indicator.node.plan_id != indicator.plan_id:
        problems.append(("node", _("The node belongs to another plan.")))
    return problems


def _check_indicator(indicator: Indicator) -> None:
    problems = indicator_problems(indicator)
    if problems:
        raise ValueError(" ".join(message for _field, message in problems))


def _indicator_state(indicator: Indicator) -> dict:
    state = snapshot(
        indicator,
        sorted(f"{f}_id" if f in ("node", "lead_unit") else f for f in EDITABLE_INDICATOR_FIELDS),
    )
    state["supporting_units"] = sorted(indicator.supporting_units.values_list("pk", flat=True))
    return state


def update_indicator(
    indicator: Indicator, actor, *, supporting_units=None, **values
) -> dict[str, list]:
    """Change fields of an indicator of a draft plan; returns the audited diff.

    A range is stored as min and max, a single target with max equal to min (as load_plan
    does); the trajectory follows the unit unless given.
    """
    if actor is not None:
        require(actor, "change", indicator)
    _require_draft(indicator.plan)
    unknown = set(values) - EDITABLE_INDICATOR_FIELDS
    if unknown:
        raise TypeError(f"update_indicator cannot change {', '.join(sorted(unknown))}")
    with transaction.atomic():
        before = _indicator_state(indicator)
        unit_changed = "unit" in values and values["unit"] != indicator.unit
        for name, value in values.items():
            setattr(indicator, name, value)
        if indicator.target_max is None:
            indicator.target_max = indicator.target_min
        if unit_changed and "trajectory" not in values:
            indicator.trajectory = default_trajectory(indicator.unit)
        _check_indicator(indicator)
        indicator.save()
        if supporting_units is not None:
            indicator.supporting_units.set(supporting_units)
        changes = diff(before, _indicator_state(indicator))
        if changes:
            record(actor, "plans.indicator.updated", indicator, changes=changes)
    return changes


def next_indicator_code(plan: Plan, prefix: str = "T") -> str:
    """The next free code in the extractor's series (T01, T02 … T100)."""
    numbers = [
        int(code[len(prefix) :])
        for code in plan.indicators.values_list("code", flat=True)
        if code.startswith(prefix) and code[len(prefix) :].isdigit()
    ]
    number = max(numbers, default=0) + 1
    return f"{prefix}{number:02d}"


def create_indicator(
    plan: Plan, node: PlanNode, actor, *, code: str = "", supporting_units=(), **values
) -> Indicator:
    """Add an indicator to a draft plan (one the extractor missed)."""
    if actor is not None:
        require(actor, "change", plan)
    _require_draft(plan)
    unknown = set(values) - EDITABLE_INDICATOR_FIELDS
    if unknown:
        raise TypeError(f"create_indicator cannot set {', '.join(sorted(unknown))}")
    with transaction.atomic():
        code = code or next_indicator_code(plan)
        if plan.indicators.filter(code=code).exists():
            raise ValueError(_("The plan already has an indicator %s.") % code)
        last = plan.indicators.order_by("-position").values_list("position", flat=True).first()
        indicator = Indicator(plan=plan, node=node, code=code, **values)
        indicator.position = (last or 0) + 1
        if indicator.target_max is None:
            indicator.target_max = indicator.target_min
        if not indicator.trajectory:
            indicator.trajectory = default_trajectory(indicator.unit)
        if indicator.deadline is None:
            indicator.deadline = as_date(None, plan.period_end)
        _check_indicator(indicator)
        indicator.save()
        indicator.supporting_units.set(supporting_units)
        record(actor, "plans.indicator.created", indicator, changes=_indicator_state(indicator))
    return indicator


def delete_indicator(indicator: Indicator, actor) -> None:
    """Remove an indicator from a draft plan; refused once anything refers to it (values)."""
    if actor is not None:
        require(actor, "delete", indicator)
    _require_draft(indicator.plan)
    state = _indicator_state(indicator)
    plan, code, label = indicator.plan, indicator.code, str(indicator)
    try:
        with transaction.atomic():
            indicator.delete()
            record(
                actor,
                "plans.indicator.deleted",
                plan,
                changes={"indicator": code, "before": state},
                comment=label,
            )
    except (ProtectedError, RestrictedError):
        raise ValueError(
            _("%s has reported values or other records and cannot be dropped.") % code
        ) from None


# What update_plan_details may change: the header a reviewer corrects after extraction.
PLAN_DETAIL_FIELDS = frozenset(
    {
        "title",
        "short_title",
        "issuer",
        "issued_on",
        "period_start",
        "period_end",
        "outlook_year",
        "region",
    }
)
# as the audit log records them (the region by its org unit's id)
_DETAIL_SNAPSHOT = sorted(f"{f}_id" if f == "region" else f for f in PLAN_DETAIL_FIELDS)


def update_plan_details(plan: Plan, actor, **values) -> dict[str, list]:
    """Correct the header of a draft plan (title, issuer, period); returns the audited diff."""
    if actor is not None:
        require(actor, "change", plan)
    _require_draft(plan)
    unknown = set(values) - PLAN_DETAIL_FIELDS
    if unknown:
        raise TypeError(f"update_plan_details cannot change {', '.join(sorted(unknown))}")
    with transaction.atomic():
        before = snapshot(plan, _DETAIL_SNAPSHOT)
        for name, value in values.items():
            setattr(plan, name, value)
        if not plan.title.strip():
            raise ValueError(_("A title is required."))
        if plan.period_end < plan.period_start:
            raise ValueError(_("The period must not end before it starts."))
        if plan.outlook_year is not None and plan.outlook_year < plan.period_end:
            raise ValueError(_("The outlook year must not be before the end of the period."))
        changes = diff(before, snapshot(plan, _DETAIL_SNAPSHOT))
        if changes:
            plan.save()
            record(actor, "plans.plan.updated", plan, changes=changes)
    return changes
