"""The quality gate: is a reported figure an outlier, does it break a rule between indicators?

DHIS2's outlier detection and validation rules, built for this plan. Four checks, the
statistics in `ducha.engine.quality`:

- **history**: a unit's figure against its own earlier figures of the same indicator
  (modified z-score above 3.5);
- **peers**: a district's change on its previous figure against the other districts' changes,
  same indicator and period;
- **rule**: the plan-wide values of a `SumRule`'s parts add up to more than its whole (the six
  industry scales and 智能科技产业规模), period by period;
- **districts**: the districts' figures add up to more than the office's tolerance away from
  the city's own figure (an indicator that adds up, once every district that reports it has a
  figure for the period).

The figures checked are the approved values, with a round's reported figures put in their
place (`Figures`): the gate checks one assignment on submission (`flags_for`, asked by
`ducha.reporting.checks.explanation_reasons`, so a flagged figure needs an explanation), and
the quality page checks whole rounds (`ducha.quality.selectors`). A flag is stored on the
assignment when it is submitted, for the reviewers (`stored`), and read back by `message`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.assessments.services import UnitTree, approved_values, plan_wide_series
from ducha.engine import quality as stats
from ducha.engine.periods import parse_period
from ducha.orgunits.models import OrgUnit, OrgUnitKind
from ducha.plans.models import Aggregation, Indicator, Source
from ducha.quality.models import DEFAULT_TOLERANCE, QualitySettings, SumRule

HISTORY, PEERS, RULE, DISTRICTS = "history", "peers", "rule", "districts"
KINDS = (HISTORY, PEERS, RULE, DISTRICTS)


@dataclass
class Flag:
    kind: str
    indicator_id: int
    org_unit_id: int | None  # None for a rule about plan-wide values
    period: str
    params: dict = field(default_factory=dict)  # numbers and names for the message

    def stored(self) -> dict:
        return {"kind": self.kind, "period": self.period, "params": self.params}


def _end(period: str) -> dt.date:
    return parse_period(period).end


def _period_words(code: str) -> str:
    """2020Q3 → 2020年第三季度, as round titles read."""
    # reporting.services calls the gate at submission, so its helper is imported here
    from ducha.reporting.services import round_title

    try:
        return round_title(parse_period(code))
    except ValueError:
        return code


def _num(x: float) -> str:
    return format(round(x, 4), "g") if abs(x) < 1e15 else str(x)


class Figures:
    """Approved values of some indicators (as of today), with reported figures laid over them:
    {indicator: {period: {org unit: value}}}."""

    def __init__(self, indicators: list[Indicator], overlay: dict | None = None, tree=None):
        self.indicators = {i.pk: i for i in indicators}
        self.values = approved_values(list(self.indicators), timezone.localdate())
        for (ind, unit, period), value in (overlay or {}).items():
            self.values.setdefault(ind, {}).setdefault(period, {})[unit] = float(value)
        self.tree = tree or UnitTree.load()

    def history(self, ind: int, unit: int, period: str) -> list[tuple[dt.date, float]]:
        """The unit's figures for periods ending before `period`'s end, oldest first."""
        end = _end(period)
        out = [
            (_end(p), cell[unit])
            for p, cell in self.values.get(ind, {}).items()
            if unit in cell and _end(p) < end
        ]
        return sorted(out)

    def plan_wide(self, ind: int) -> dict[str, float]:
        series = plan_wide_series(self.indicators[ind], self.values.get(ind, {}), self.tree)
        return {p.period: p.value for p in series if p.complete}


def _districts() -> set[int]:
    return set(
        OrgUnit.objects.filter(kind=OrgUnitKind.DISTRICT, is_active=True).values_list(
            "pk", flat=True
        )
    )


def unit_flags(figs: Figures, ind: int, unit: int, period: str, districts: set[int]) -> list[Flag]:
    """History and peer outliers of one unit's figure."""
    cell = figs.values.get(ind, {}).get(period, {})
    if unit not in cell:
        return []
    value = cell[unit]
    out = []
    earlier = figs.history(ind, unit, period)
    found = stats.history_outlier([v for _d, v in earlier], value)
    if found:
        out.append(
            Flag(
                HISTORY,
                ind,
                unit,
                period,
                {"value": value, "median": found.median, "score": found.score, "n": found.n},
            )
        )
    if unit in districts and figs.indicators[ind].aggregation != Aggregation.NONE:
        own = stats.change(value, earlier[-1][1] if earlier else None)
        peers = []
        for other, other_value in cell.items():
            if other == unit or other not in districts:
                continue
            before = figs.history(ind, other, period)
            peers.append(stats.change(other_value, before[-1][1] if before else None))
        found = stats.peer_outlier([c for c in peers if c is not None], own)
        if found:
            out.append(
                Flag(
                    PEERS,
                    ind,
                    unit,
                    period,
                    {"change": own, "median": found.median, "score": found.score, "n": found.n},
                )
            )
    return out


def rule_flags(figs: Figures, rule: SumRule, parts: list[int], period_end=None) -> list[Flag]:
    """The periods (ending on `period_end`, or all) in which the rule's parts exceed its whole."""
    whole = figs.plan_wide(rule.whole_id)
    by_part = {p: figs.plan_wide(p) for p in parts}
    out = []
    for period, whole_value in sorted(whole.items(), key=lambda kv: _end(kv[0])):
        if period_end is not None and _end(period) != period_end:
            continue
        values = [by_part[p][period] for p in parts if period in by_part[p]]
        if not values:
            continue
        over = stats.excess(values, whole_value)
        if over is not None:
            out.append(
                Flag(
                    RULE,
                    rule.whole_id,
                    None,
                    period,
                    {
                        "rule": rule.title,
                        "whole": figs.indicators[rule.whole_id].name,
                        "whole_value": whole_value,
                        "parts_total": sum(values),
                        "parts": len(values),
                        "excess": over,
                        "unit": figs.indicators[rule.whole_id].unit,
                    },
                )
            )
    return out


def district_flags(
    figs: Figures, ind: int, tolerance: float, districts: set[int], period_end=None
) -> list[Flag]:
    """Periods where the districts' sum misses the city's own figure by more than `tolerance`.

    Only once every district that ever reported the indicator has a figure for the period:
    before that the sum is simply incomplete."""
    indicator = figs.indicators[ind]
    if indicator.aggregation != Aggregation.SUM:
        return []
    by_period = figs.values.get(ind, {})
    reporting = {u for cell in by_period.values() for u in cell if u in districts}
    if not reporting:
        return []
    out = []
    for period, cell in by_period.items():
        if period_end is not None and _end(period) != period_end:
            continue
        city = _city_figure(indicator, cell, figs.tree)
        if city is None or not reporting <= set(cell):
            continue
        total = sum(cell[u] for u in reporting)
        share = stats.gap(total, city, tolerance)
        if share is not None:
            out.append(
                Flag(
                    DISTRICTS,
                    ind,
                    None,
                    period,
                    {
                        "sum": total,
                        "city": city,
                        "gap": share,
                        "tolerance": tolerance,
                        "districts": len(reporting),
                        "unit": indicator.unit,
                    },
                )
            )
    return out


def _city_figure(indicator, cell: dict[int, float], tree) -> float | None:
    """The city's own figure: the top unit's, or the lead department's (which answers for the
    whole city), as the assessment reads it."""
    top = sorted(tree.roots.intersection(cell))
    if top:
        return cell[top[0]]
    lead = indicator.lead_unit_id
    if lead in cell and tree.is_department(lead):
        return cell[lead]
    return None


def settings_for(plan) -> QualitySettings:
    found = QualitySettings.objects.filter(plan=plan).first()
    return found or QualitySettings(plan=plan, district_tolerance=DEFAULT_TOLERANCE)


def active_rules(plan) -> list[tuple[SumRule, list[int]]]:
    rules = SumRule.objects.filter(plan=plan, is_active=True).prefetch_related("parts")
    return [(r, [p.pk for p in r.parts.all()]) for r in rules]


# --- one assignment --------------------------------------------------------------------------


def reported_in(rnd, indicator_ids=None) -> list:
    """The assignments of a round whose figure counts as reported: submitted at least once,
    with a figure, and not back to draft."""
    from ducha.reporting.models import Assignment, AssignmentStatus

    qs = (
        Assignment.objects.filter(
            round=rnd,
            indicator__isnull=False,
            value__isnull=False,
            first_submitted_at__isnull=False,
        )
        .exclude(status=AssignmentStatus.DRAFT)
        .select_related("org_unit__parent__parent", "indicator", "round")
    )
    if indicator_ids is not None:
        qs = qs.filter(indicator__in=indicator_ids)
    return list(qs)


def overlay_of(assignments) -> dict:
    """Their figures by (indicator, org unit the value is recorded for, period)."""
    return {(a.indicator_id, a.unit_of_value.pk, a.round.period): a.value for a in assignments}


def flags_for(a) -> list[Flag]:
    """What the gate flags about assignment `a`'s figure (its indicator, unit and round)."""
    if a.is_milestone or a.value is None or a.indicator.source != Source.MANUAL:
        return []
    plan = a.round.plan
    rules = [
        (rule, parts)
        for rule, parts in active_rules(plan)
        if a.indicator_id == rule.whole_id or a.indicator_id in parts
    ]
    needed = {a.indicator_id} | {r.whole_id for r, _p in rules}
    needed |= {p for _r, parts in rules for p in parts}
    indicators = list(Indicator.objects.filter(pk__in=needed))
    unit = a.unit_of_value.pk
    period = a.round.period
    overlay = overlay_of(reported_in(a.round, list(needed)))
    overlay[(a.indicator_id, unit, period)] = a.value  # this figure, as it stands now
    figs = Figures(indicators, overlay)
    districts = _districts()
    out = unit_flags(figs, a.indicator_id, unit, period, districts)
    for rule, parts in rules:
        out += rule_flags(figs, rule, parts, a.round.period_end)
    tolerance = float(settings_for(plan).district_tolerance)
    out += district_flags(figs, a.indicator_id, tolerance, districts, a.round.period_end)
    return out


def stored(a) -> list[dict]:
    """The flags of `a` as kept on the assignment when it is submitted."""
    return [f.stored() for f in flags_for(a)]


# --- words -----------------------------------------------------------------------------------


def message(flag: Flag | dict) -> str:
    """A flag in the reader's language (stored flags are dicts)."""
    f = asdict(flag) if isinstance(flag, Flag) else flag
    p, kind = f.get("params", {}), f.get("kind")
    if kind == HISTORY:
        return _(
            "far from the unit's earlier figures (their median is %(median)s; "
            "modified z-score %(score).1f, above 3.5)"
        ) % {"median": _num(p["median"]), "score": p["score"]}
    if kind == PEERS:
        return _(
            "its change on the last period (%(change)+.0f%%) is far from the other "
            "districts' (median %(median)+.0f%%; modified z-score %(score).1f, above 3.5)"
        ) % {"change": p["change"] * 100, "median": p["median"] * 100, "score": p["score"]}
    if kind == RULE:
        return _(
            "%(rule)s: in %(period)s the parts add up to %(total)s %(unit)s, more than "
            "%(whole)s (%(value)s %(unit)s)"
        ) % {
            "rule": p["rule"],
            "period": _period_words(f.get("period", "")),
            "total": _num(p["parts_total"]),
            "whole": p["whole"],
            "value": _num(p["whole_value"]),
            "unit": p.get("unit", ""),
        }
    if kind == DISTRICTS:
        return _(
            "in %(period)s the districts add up to %(sum)s %(unit)s against the city's "
            "%(city)s %(unit)s: %(gap).1f%% apart, more than the %(tolerance).1f%% allowed"
        ) % {
            "period": _period_words(f.get("period", "")),
            "sum": _num(p["sum"]),
            "city": _num(p["city"]),
            "unit": p.get("unit", ""),
            "gap": p["gap"] * 100,
            "tolerance": p["tolerance"] * 100,
        }
    return str(kind)


def kind_label(kind: str) -> str:
    return {
        HISTORY: _("Outlier against its own history"),
        PEERS: _("Outlier against its peers"),
        RULE: _("Rule between indicators"),
        DISTRICTS: _("Districts against the city"),
    }.get(kind, kind)


def by_kind(flags) -> dict[str, list]:
    out = defaultdict(list)
    for f in flags:
        out[f.kind if isinstance(f, Flag) else f.get("kind")].append(f)
    return out
