"""The data-quality report of a plan: completeness, timeliness, outliers and rule violations,
by round and by unit. Read by the quality page and `ducha quality`; computed, never stored.

Completeness and timeliness are the scorecards' own tallies (DHIS2 reporting rates: reported
and on time over expected). Outliers and violations are the quality gate's checks
(`ducha.quality.gate`) run over each round's reported figures (every assignment with a figure
that has been submitted at least once), laid over the approved values.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ducha.orgunits.models import OrgUnit
from ducha.plans.models import Indicator, Source
from ducha.quality import gate
from ducha.reporting.models import Assignment, Round
from ducha.scorecards.scoring import Tally, share
from ducha.scorecards.services import tallies_by_round


@dataclass
class Item:
    """One outlier or violation, with the report it concerns (outliers) and its explanation."""

    round: Round
    flag: gate.Flag
    indicator: Indicator
    unit: OrgUnit | None  # the reporting unit; for a violation, the lead unit of the indicator
    assignment: Assignment | None = None
    # for a violation: the reports that were submitted with it flagged, and explained
    explained_by: list[Assignment] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.flag.kind

    @property
    def kind_label(self) -> str:
        return gate.kind_label(self.flag.kind)

    @property
    def message(self) -> str:
        return gate.message(self.flag)

    @property
    def explanation(self) -> str:
        if self.assignment and self.assignment.explanation:
            return self.assignment.explanation
        return "；".join(f"{a.org_unit.label}：{a.explanation}" for a in self.explained_by)

    def as_dict(self) -> dict:
        a = self.assignment
        return {
            "round": self.round.title,
            "period": self.flag.period,
            "kind": self.flag.kind,
            "indicator": self.indicator.code,
            "indicator_name": self.indicator.name,
            "org_unit": self.unit.code if self.unit else None,
            "org_unit_name": self.unit.name if self.unit else None,
            "message": self.message,
            "explanation": self.explanation,
            "assignment": a.pk if a else None,
            "explained_by": [x.pk for x in self.explained_by],
            "status": a.status if a else None,
            "params": self.flag.params,
        }


@dataclass
class Row:
    """Counts for one round or one unit."""

    key: object  # a Round or an OrgUnit
    tally: Tally = field(default_factory=Tally)
    outliers: int = 0
    violations: int = 0

    @property
    def completeness(self) -> float | None:
        return share(self.tally.reported, self.tally.expected)

    @property
    def timeliness(self) -> float | None:
        return share(self.tally.on_time, self.tally.expected)

    def as_dict(self) -> dict:
        t = self.tally
        out = {
            "expected": t.expected,
            "reported": t.reported,
            "on_time": t.on_time,
            "approved": t.approved,
            "completeness": self.completeness,
            "timeliness": self.timeliness,
            "outliers": self.outliers,
            "violations": self.violations,
        }
        if isinstance(self.key, Round):
            return {"round": self.key.title, "period": self.key.period, **out}
        return {"org_unit": self.key.code, "org_unit_name": self.key.name, **out}


@dataclass
class Report:
    plan: object
    rounds: list[Round]
    by_round: list[Row]
    by_unit: list[Row]
    outliers: list[Item]
    violations: list[Item]
    tolerance: float
    rules: list

    def as_dict(self) -> dict:
        return {
            "plan": self.plan.code,
            "rounds": [r.as_dict() for r in self.by_round],
            "units": [r.as_dict() for r in self.by_unit],
            "outliers": [i.as_dict() for i in self.outliers],
            "violations": [i.as_dict() for i in self.violations],
            "district_tolerance": self.tolerance,
            "rules": [
                {"title": r.title, "whole": r.whole.code, "parts": [p.code for p in r.parts.all()]}
                for r in self.rules
            ],
        }


def round_items(rnd: Round, rules, tolerance: float, districts: set[int]) -> list[Item]:
    """The gate's flags over one round's reported figures."""
    indicators = list(
        Indicator.objects.filter(plan=rnd.plan_id).select_related("lead_unit").order_by("position")
    )
    by_pk = {i.pk: i for i in indicators}
    reported = gate.reported_in(rnd)
    overlay = gate.overlay_of(reported)
    by_key = {(a.indicator_id, a.unit_of_value.pk): a for a in reported}
    figs = gate.Figures(indicators, overlay)
    units = {u.pk: u for u in OrgUnit.objects.all()}
    items = []
    for (ind, unit), a in by_key.items():
        if by_pk[ind].source != Source.MANUAL:
            continue
        for flag in gate.unit_flags(figs, ind, unit, rnd.period, districts):
            items.append(Item(rnd, flag, by_pk[ind], a.org_unit, a))
    for rule, parts in rules:
        for flag in gate.rule_flags(figs, rule, parts, rnd.period_end):
            whole = by_pk[rule.whole_id]
            explained = _explained(flag, reported)
            items.append(Item(rnd, flag, whole, whole.lead_unit, explained_by=explained))
    for ind in indicators:
        if ind.source != Source.MANUAL:
            continue
        for flag in gate.district_flags(figs, ind.pk, tolerance, districts, rnd.period_end):
            lead = by_key.get((ind.pk, _city_unit(ind, units)))
            explained = _explained(flag, reported)
            items.append(Item(rnd, flag, ind, ind.lead_unit, lead, explained))
    return items


def _explained(flag: gate.Flag, reported: list[Assignment]) -> list[Assignment]:
    """The round's reports that were submitted with this violation flagged and explained (a
    district whose figure breaks the districts' sum, a part that breaks a rule)."""

    def same(stored: dict) -> bool:
        if stored.get("kind") != flag.kind or stored.get("period") != flag.period:
            return False
        if flag.kind == gate.RULE:
            return stored.get("params", {}).get("rule") == flag.params.get("rule")
        return True

    return [
        a
        for a in reported
        if a.explanation
        and (flag.kind == gate.RULE or a.indicator_id == flag.indicator_id)
        and any(same(f) for f in a.quality_flags or [])
    ]


def _city_unit(ind, units) -> int | None:
    """The unit the city-wide figure is recorded for (the top unit)."""
    return next((pk for pk, u in units.items() if u.parent_id is None), None)


def report(
    plan, *, rnd: Round | None = None, unit: OrgUnit | None = None, kind: str = ""
) -> Report:
    rounds = list(Round.objects.filter(plan=plan).order_by("-period_end"))
    chosen = [rnd] if rnd is not None else rounds
    rules = gate.active_rules(plan)
    tolerance = float(gate.settings_for(plan).district_tolerance)
    districts = gate._districts()
    tallies = tallies_by_round(chosen, [unit.pk] if unit else None)
    by_round, by_unit_rows = [], {}
    outliers, violations = [], []
    units = {u.pk: u for u in OrgUnit.objects.all()}
    for r in chosen:
        row = Row(r)
        for unit_pk, tally in tallies.get(r.pk, {}).items():
            row.tally.add(tally)
            by_unit_rows.setdefault(unit_pk, Row(units[unit_pk])).tally.add(tally)
        for item in round_items(r, [x for x in rules], tolerance, districts):
            if kind and item.kind != kind:
                continue
            if unit is not None and (item.unit is None or item.unit.pk != unit.pk):
                continue
            is_outlier = item.kind in (gate.HISTORY, gate.PEERS)
            (outliers if is_outlier else violations).append(item)
            if is_outlier:
                row.outliers += 1
            else:
                row.violations += 1
            if item.unit is not None:
                target = by_unit_rows.setdefault(item.unit.pk, Row(item.unit))
                if is_outlier:
                    target.outliers += 1
                else:
                    target.violations += 1
        by_round.append(row)
    by_unit = sorted(by_unit_rows.values(), key=lambda row: (row.key.position, row.key.code))
    return Report(
        plan,
        rounds,
        by_round,
        by_unit,
        outliers,
        violations,
        tolerance,
        [r for r, _parts in rules],
    )
