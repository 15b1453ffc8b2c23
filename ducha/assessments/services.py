"""Assessing a plan from the database: read approved values, hand them to the pure engine.

An assessment is computed on demand, for any "as of" date, from the values approved by then
(the latest approval of each indicator × unit × period wins). Pages, the API and ``ducha
assess`` read the plan-wide series from the assessment store (``store.py``), which keeps them
per approval time, so that a date costs one look-up per period however many values there
are; ``from_store=False`` computes the same from every approval (the full computation the
store is tested against). The engine in ``ducha.engine.assessment`` does the math; this
module only gathers its inputs and shapes its outputs.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import math
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connection
from django.db.models import Max
from django.utils import timezone

from ducha.assessments.labels import as_of_reason_label
from ducha.datavalues.models import ApprovedValue, MilestoneReport, ValueStatus
from ducha.engine import assessment as engine
from ducha.engine.periods import FREQUENCY_YEARS, decimal_year, parse_period
from ducha.orgunits.models import OrgUnit
from ducha.plans.models import Indicator, Milestone, Plan, PlanNode


@dataclass
class SeriesPoint:
    period: str
    time: float
    value: float
    units: int  # how many org units the plan-wide value was added up from
    # False when fewer units have been approved for this period than for an earlier one: a
    # sum over the units approved so far is not a fall, so the assessment leaves it out.
    complete: bool = True
    # Which org units make up ``value``: ``only`` when one figure stands for the whole city
    # (the city's own or a lead department's), else every unit approved for the period by
    # then except those ``hidden`` (a zone inside a district that reported).
    only: int | None = None
    hidden: frozenset[int] = frozenset()

    def counts(self, unit: int) -> bool:
        """Is ``unit``'s value (approved for this period by then) part of ``value``?"""
        return unit == self.only if self.only is not None else unit not in self.hidden


@dataclass
class IndicatorResult:
    indicator: Indicator
    result: engine.Assessment
    series: list[SeriesPoint]
    latest_period: str | None

    @property
    def partial_periods(self) -> list[SeriesPoint]:
        """Periods after the latest complete one that only some units have been approved for."""
        return [p for p in self.series if not p.complete and p.time > (self.result.time or 0)]

    @property
    def notes(self) -> tuple[str, ...]:
        """The engine's notes, and ours about periods left out."""
        extra = ("partial_period_left_out",) if self.partial_periods else ()
        return (*self.result.notes, *extra)

    @property
    def status(self) -> engine.Status:
        return self.result.status

    @property
    def final_period(self) -> str | None:
        """The period of the value the final evaluation rests on."""
        t = self.result.final_time
        if t is None:
            return None
        return next((p.period for p in self.series if abs(p.time - t) < 1e-9), None)


@dataclass
class MilestoneResult:
    milestone: Milestone
    status: engine.Status
    report: MilestoneReport | None
    final: bool = False  # past its due date: a final evaluation


@dataclass
class NodeResult:
    node: PlanNode
    rollup: engine.Rollup
    indicators: list[IndicatorResult] = field(default_factory=list)
    milestones: list[MilestoneResult] = field(default_factory=list)
    children: list[NodeResult] = field(default_factory=list)

    @property
    def status(self) -> engine.Status:
        return self.rollup.status


@dataclass
class PlanAssessment:
    plan: Plan
    as_of: dt.date
    as_of_time: float
    indicators: list[IndicatorResult]
    milestones: list[MilestoneResult]
    roots: list[NodeResult]
    overall: engine.Rollup

    def walk(self):
        """(node result, depth) in document order."""

        def visit(results, depth):
            for r in results:
                yield r, depth
                yield from visit(r.children, depth + 1)

        yield from visit(self.roots, 0)


# A finished plan is shown as of this long after its period ended, when the last quarter's
# figures have been reported and approved.
FINAL_ASSESSMENT_DELAY = dt.timedelta(days=90)


class AsOfReason:
    """Why a page shows the date it shows (``AsOf.reason``)."""

    ASKED = "asked"  # the user chose it (?as_of=, --as-of)
    TODAY = "today"  # the plan is running: as of today
    PLAN_ENDED = "plan_ended"  # the plan has ended: a quarter after its end
    LAST_APPROVAL = "last_approval"  # ended, but approvals went on: the day of the last one


@dataclass(frozen=True)
class AsOf:
    """The date an assessment is taken as of, and why that one."""

    date: dt.date
    reason: str  # an AsOfReason
    today: dt.date
    final: dt.date  # a quarter after the plan period's end
    period_end: int  # the plan period's last year

    @property
    def default(self) -> bool:
        """Nobody asked for a date: the rule chose it."""
        return self.reason != AsOfReason.ASKED

    @property
    def after_period(self) -> bool:
        """The rule moved the date back from today because the plan period is over."""
        return self.reason in (AsOfReason.PLAN_ENDED, AsOfReason.LAST_APPROVAL)

    @property
    def label(self) -> str:
        """Why this date, in words ("today", "the date chosen" …), for pages and commands."""
        return as_of_reason_label(self.reason, self.period_end)


def choose_as_of(plan: Plan, asked: dt.date | None = None, today: dt.date | None = None) -> AsOf:
    """The one rule for the default "as of" date (plan page, dashboards, ``ducha assess``).

    - A date asked for is taken as it is.
    - While the plan runs (today is at most a quarter after the end of its period): today.
    - Once it has ended: a quarter after the end of its period, when the last quarter's
      figures are in; or, when approvals went on after that (a late round, a correction),
      the day of the last one, so that no approved figure is left out. Never after today.

    Statuses do not decay after a plan's end (the engine judges staleness at the deadline),
    so the rule only decides which approvals count and which date the page names.
    """
    today = today or timezone.localdate()
    final = dt.date(plan.period_end, 12, 31) + FINAL_ASSESSMENT_DELAY
    if asked is not None:
        return AsOf(asked, AsOfReason.ASKED, today, final, plan.period_end)
    if today <= final:
        return AsOf(today, AsOfReason.TODAY, today, final, plan.period_end)
    latest = last_approval(plan)
    if latest is not None and latest > final:
        return AsOf(min(latest, today), AsOfReason.LAST_APPROVAL, today, final, plan.period_end)
    return AsOf(final, AsOfReason.PLAN_ENDED, today, final, plan.period_end)


def default_as_of(plan: Plan, today: dt.date | None = None) -> dt.date:
    """The default "as of" date of ``choose_as_of``."""
    return choose_as_of(plan, None, today).date


def last_approval(plan: Plan) -> dt.date | None:
    """The day of the latest approval of a value or milestone report of the plan."""
    from ducha.assessments import store

    latest = [
        store.last_approval(plan.pk),
        MilestoneReport.objects.filter(milestone__plan=plan, status=ValueStatus.APPROVED).aggregate(
            m=Max("approved_at")
        )["m"],
    ]
    return max((timezone.localdate(t) for t in latest if t is not None), default=None)


def assess_plan(
    plan: Plan, as_of: dt.date | None = None, *, from_store: bool = True
) -> PlanAssessment:
    """Every indicator, milestone and node of `plan`, from the values approved by `as_of`."""
    return assess_plan_at(plan, [as_of or default_as_of(plan)], from_store=from_store)[0]


def assess_plan_at(
    plan: Plan, dates: list[dt.date], *, from_store: bool = True
) -> list[PlanAssessment]:
    """``assess_plan`` at each of several dates (the cockpit compares "now" with the previous
    round)."""
    indicators = list(
        plan.indicators.select_related("lead_unit", "node", "plan").order_by("position", "pk")
    )
    milestones = list(
        plan.milestones.select_related("lead_unit", "node", "plan").order_by("position")
    )
    tree = UnitTree.load()
    all_series = series_at(indicators, dates, tree, from_store=from_store)
    out = []
    for as_of, by_indicator in zip(dates, all_series, strict=True):
        as_of_time = decimal_year(as_of)
        ind_results = [
            assess_series(ind, by_indicator.get(ind.pk, []), as_of_time) for ind in indicators
        ]
        ms_results = assess_milestones(milestones, as_of, as_of_time)
        roots, overall = roll_up(plan, ind_results, ms_results)
        out.append(PlanAssessment(plan, as_of, as_of_time, ind_results, ms_results, roots, overall))
    return out


def assess_indicators(
    indicators: list[Indicator], as_of: dt.date, *, from_store: bool = True
) -> list[IndicatorResult]:
    """Some indicators on their own (an indicator page needs one, not the whole plan)."""
    as_of_time = decimal_year(as_of)
    [by_indicator] = series_at(indicators, [as_of], UnitTree.load(), from_store=from_store)
    return [assess_series(ind, by_indicator.get(ind.pk, []), as_of_time) for ind in indicators]


def series_at(
    indicators: list[Indicator], dates: list[dt.date], tree: UnitTree, *, from_store: bool = True
) -> list[dict[int, list[SeriesPoint]]]:
    """For each date, {indicator: its plan-wide series} from the values approved by then:
    from the assessment store, or (``from_store=False``) from every approval.

    An indicator that shares its measure with another plan's target (a confirmed *same
    measure* or *succeeds* link, ducha.alignment) is read from the approvals of every target
    of its group, each plan counting the units of its own region: the store keeps one plan's
    totals, which cannot be merged unit by unit. Such groups are a handful of targets, so their
    reading costs what their own values cost, not what the whole table holds."""
    from ducha.assessments import store

    linked = set() if not from_store else indicators_sharing_values()
    full = [i for i in indicators if not from_store or i.pk in linked]
    stored = [i for i in indicators if from_store and i.pk not in linked]
    out: list[dict[int, list[SeriesPoint]]] = [{} for _ in dates]
    if full:
        for series, by in zip(out, shared_values_at(full, dates), strict=True):
            series.update({i.pk: plan_wide_series(i, by.get(i.pk, {}), tree) for i in full})
    if stored:
        store.ensure_current(stored, tree)
        found_at = store.versions_at([i.pk for i in stored], dates)
        for series, found in zip(out, found_at, strict=True):
            series.update({pk: series_from_versions(rows) for pk, rows in found.items()})
    return out


def indicators_sharing_values() -> set[int]:
    """The indicators joined to another plan's target by a confirmed sharing link."""
    from ducha.alignment.selectors import sharing_links

    return {pk for a, b, _relation in sharing_links() for pk in (a, b)}


def series_from_versions(rows: list[tuple]) -> list[SeriesPoint]:
    """A plan-wide series from the store's versions (period, value, units, whole, only,
    hidden), as ``plan_wide_series`` makes it from the approvals."""
    series = []
    whole: set[str] = set()
    for period, value, units, is_whole, only, hidden in rows:
        series.append(
            SeriesPoint(period, period_time(period), value, units, only=only, hidden=_units(hidden))
        )
        if is_whole:
            whole.add(period)
    series.sort(key=lambda p: p.time)
    mark_partial_periods(series, whole)
    return series


def assess_indicator(
    indicator: Indicator,
    by_period: dict[str, dict[int, float]],
    as_of_time: float,
    tree: UnitTree,
) -> IndicatorResult:
    """One indicator from its approved values {period: {unit: value}}."""
    return assess_series(indicator, plan_wide_series(indicator, by_period, tree), as_of_time)


def assess_series(
    indicator: Indicator, series: list[SeriesPoint], as_of_time: float
) -> IndicatorResult:
    counted = [p for p in series if p.complete and p.time <= as_of_time]
    result = engine.assess(target_of(indicator), [(p.time, p.value) for p in counted], as_of_time)
    latest = counted[-1].period if counted else None
    return IndicatorResult(indicator, result, series, latest)


def target_of(indicator: Indicator) -> engine.Target:
    """The engine's Target of an indicator, with its plan's grace period for final figures."""
    baseline_time = baseline = None
    if indicator.baseline_value is not None and indicator.baseline_period:
        baseline_time = period_time(indicator.baseline_period)
        baseline = float(indicator.baseline_value)
    elif inherited := getattr(indicator, "inherited_baseline", None):
        # a successor plan's target starts from its predecessor's final value (docs/alignment.md)
        baseline, baseline_time = inherited[0], period_time(inherited[1])
    return engine.Target(
        target_min=float(indicator.target_min),
        target_max=float(indicator.target_max) if indicator.target_max is not None else None,
        comparator=indicator.comparator,
        direction=indicator.direction,
        kind=indicator.kind,
        trajectory=indicator.trajectory,
        deadline=decimal_year(indicator.deadline),
        baseline=baseline,
        baseline_time=baseline_time,
        frequency_years=FREQUENCY_YEARS[indicator.frequency],
        grace_years=grace_years(indicator.deadline, indicator.plan.final_grace_months),
    )


@lru_cache(maxsize=4096)
def grace_years(deadline: dt.date, months: int) -> float:
    """``months`` after ``deadline`` (same day of the month, or its last day), in years."""
    month0 = deadline.month - 1 + months
    year, month = deadline.year + month0 // 12, month0 % 12 + 1
    day = min(deadline.day, calendar.monthrange(year, month)[1])
    if (deadline + dt.timedelta(days=1)).day == 1:  # a month's end stays a month's end
        day = calendar.monthrange(year, month)[1]
    return decimal_year(dt.date(year, month, day)) - decimal_year(deadline)


@lru_cache(maxsize=4096)
def _units(text: str) -> frozenset[int]:
    """ "1,2,3" as a set of unit ids (most periods of an indicator leave out the same units)."""
    return frozenset(int(u) for u in text.split(",")) if text else frozenset()


@lru_cache(maxsize=4096)
def period_time(code: str) -> float:
    return parse_period(code).time


def shared_values_at(
    indicators: list[Indicator], dates: list[dt.date]
) -> list[dict[int, dict[str, dict[int, float]]]]:
    """``approved_values_at`` for these indicators, each with the values of the targets it
    shares a measure with in other plans (confirmed alignment links, ducha.alignment)."""
    from ducha.alignment.selectors import with_shared_values

    return with_shared_values(indicators, dates, approved_values_at)


def approved_values(
    indicator_ids: list[int], as_of: dt.date
) -> dict[int, dict[str, dict[int, float]]]:
    """{indicator: {period: {org unit: value}}} from the latest approval of each key by as_of."""
    return approved_values_at(indicator_ids, [as_of])[0]


def approved_values_at(
    indicator_ids: list[int], dates: list[dt.date]
) -> list[dict[int, dict[str, dict[int, float]]]]:
    """``approved_values`` at each of ``dates`` (in the order given), reading each row once.

    Raw SQL because this is the hot path of `ducha assess` over millions of values; the ORM's
    per-row model and Decimal construction alone would cost seconds. Rows come in approval
    order, so a later approval (a correction) simply overwrites the earlier one. What an
    earlier date sees is a prefix of what a later one sees: the approvals are read date range
    by date range into the same mapping, which is copied at the end of each range.
    """
    if not dates:
        return []
    if not indicator_ids:
        return [{} for _ in dates]
    ordered = sorted(set(dates))
    adapt = connection.ops.adapt_datetimefield_value
    cutoffs = [adapt(timezone.make_aware(dt.datetime.combine(d, dt.time.max))) for d in ordered]
    table = ApprovedValue._meta.db_table
    as_float = "CAST(value AS DOUBLE PRECISION)" if connection.vendor == "postgresql" else "value"
    placeholders = ", ".join(["%s"] * len(indicator_ids))
    select = (
        f"SELECT indicator_id, period, org_unit_id, {as_float} FROM {table} "
        f"WHERE indicator_id IN ({placeholders}) AND approved_at <= %s"
    )
    out: dict[int, dict[str, dict[int, float]]] = {}
    seen: dict[dt.date, dict[int, dict[str, dict[int, float]]]] = {}
    with connection.cursor() as cursor:
        for i, (day, cutoff) in enumerate(zip(ordered, cutoffs, strict=True)):
            if i == 0:
                cursor.execute(f"{select} ORDER BY approved_at, id", [*indicator_ids, cutoff])
            else:
                cursor.execute(
                    f"{select} AND approved_at > %s ORDER BY approved_at, id",
                    [*indicator_ids, cutoff, cutoffs[i - 1]],
                )
            _read_into(out, cursor)
            last = i == len(ordered) - 1
            seen[day] = _as_floats(out, copy=not last)
    return [seen[d] for d in dates]


def _read_into(out: dict[int, dict[str, dict[int, float]]], cursor) -> None:
    """Rows (indicator, period, unit, value) in approval order into ``out``."""
    last_ind = last_period = None
    cell: dict[int, float] = {}
    while rows := cursor.fetchmany(50_000):
        for ind, period, unit, value in rows:
            # Consecutive rows mostly share indicator and period: skip the two lookups.
            if period != last_period or ind != last_ind:
                by_period = out.get(ind)
                if by_period is None:
                    by_period = out[ind] = {}
                cell = by_period.get(period)
                if cell is None:
                    cell = by_period[period] = {}
                last_ind, last_period = ind, period
            cell[unit] = value


def _as_floats(values: dict, copy: bool) -> dict[int, dict[str, dict[int, float]]]:
    """The values as floats (SQLite returns whole numbers as int), copied when asked."""
    if copy:
        return {
            ind: {period: {u: float(v) for u, v in cell.items()} for period, cell in by.items()}
            for ind, by in values.items()
        }
    for by_period in values.values():
        for cell in by_period.values():
            for unit, value in cell.items():
                if type(value) is not float:
                    cell[unit] = float(value)
    return values


class UnitTree:
    """The org-unit hierarchy, to avoid counting a zone and the district containing it twice."""

    def __init__(self, parents: dict[int, int | None], kinds: dict[int, str] | None = None):
        self.parents = parents
        self.kinds = kinds or {}
        self.roots = frozenset(pk for pk, parent in parents.items() if parent is None)
        children: dict[int, list[int]] = defaultdict(list)
        for pk, parent in parents.items():
            if parent is not None:
                children[parent].append(pk)
        self.has_children = frozenset(children)
        self._children = children
        self._descendants: dict[int, frozenset[int]] = {}
        shape = sorted((pk, parent or 0, self.kinds.get(pk, "")) for pk, parent in parents.items())
        self.digest = hashlib.sha1(repr(shape).encode(), usedforsecurity=False).hexdigest()

    @classmethod
    def load(cls) -> UnitTree:
        rows = OrgUnit.objects.values_list("pk", "parent_id", "kind")
        parents, kinds = {}, {}
        for pk, parent, kind in rows:
            parents[pk], kinds[pk] = parent, kind
        return cls(parents, kinds)

    def ancestors(self, pk: int):
        seen = set()
        parent = self.parents.get(pk)
        while parent is not None and parent not in seen:
            seen.add(parent)
            yield parent
            parent = self.parents.get(parent)

    def descendants(self, pk: int) -> frozenset[int]:
        found = self._descendants.get(pk)
        if found is None:
            out: set[int] = set()
            stack = list(self._children.get(pk, ()))
            while stack:
                unit = stack.pop()
                if unit not in out and unit != pk:
                    out.add(unit)
                    stack.extend(self._children.get(unit, ()))
            found = self._descendants[pk] = frozenset(out)
        return found

    def is_department(self, pk: int | None) -> bool:
        """A municipal department or the office: it answers for the whole city, not a place."""
        return self.kinds.get(pk) in {"department", "office"}


def plan_wide_series(
    indicator: Indicator, by_period: dict[str, dict[int, float]], tree: UnitTree
) -> list[SeriesPoint]:
    """The plan-wide value per period.

    A value reported for the top unit (the city) stands for the city; so does one reported by
    the indicator's lead unit when that is a municipal department, which answers for the whole
    city. Otherwise the units' values add up as the indicator says, leaving out any unit whose
    parent (or grandparent) reported for the same period (a zone inside 滨海新区 when 滨海新区
    itself reported). With aggregation "none" only the city's or the lead unit's figure counts.
    """
    rows = [(period, *point_of(indicator, values, tree)) for period, values in by_period.items()]
    return series_from_versions([row for row in rows if row[1] is not None])


def point_of(
    indicator: Indicator, values: dict[int, float], tree: UnitTree
) -> tuple[float | None, int, bool, int | None, str]:
    """The plan-wide value of one period from the units' values: (value, how many units,
    one figure for the whole city?, the unit standing alone, the units left out as
    "1,2"). The value is None when no unit counts. The store keeps exactly this."""
    picked = units_that_count(indicator, values, tree)
    if not picked:
        return None, 0, False, None, ""
    if len(picked) == len(values):
        numbers = list(values.values())
    else:
        numbers = [values[unit] for unit in picked]
    total = combine(numbers, "sum" if len(numbers) == 1 else indicator.aggregation)
    whole = len(picked) == 1 and (picked[0] in tree.roots or tree.is_department(picked[0]))
    only, hidden = None, ""
    if len(picked) < len(values):
        if len(picked) == 1:
            only = picked[0]
        else:
            kept = set(picked)
            hidden = ",".join(str(u) for u in values if u not in kept)
    return total, len(picked), whole, only, hidden


def mark_partial_periods(series: list[SeriesPoint], whole: set[str]) -> None:
    """A period added up from fewer units than an earlier one is partial (some units' values
    are not approved yet, or a unit stopped reporting): not a fall, and not assessed. A unit
    that stops for good leaves the series stale, which is the honest signal."""
    most = 0
    for point in series:
        if point.period in whole:
            continue
        point.complete = point.units >= most
        most = max(most, point.units)


def combine(values: list[float], how: str) -> float:
    """The aggregation of several units' values, as ``engine.assessment.aggregate`` does it."""
    if how in ("sum", "none"):
        return math.fsum(values)
    if how == "mean":
        return math.fsum(values) / len(values)
    if how == "max":
        return max(values)
    if how == "min":
        return min(values)
    raise ValueError(f"unknown aggregation {how!r}")


def units_that_count(indicator: Indicator, values: dict[int, float], tree: UnitTree) -> list[int]:
    """Which of the units that reported for one period make up the plan-wide value."""
    top = tree.roots.intersection(values)
    if top:
        return [min(top)]
    lead = indicator.lead_unit_id
    if lead in values and (indicator.aggregation == "none" or tree.is_department(lead)):
        return [lead]
    if indicator.aggregation == "none":
        return []
    blockers = tree.has_children.intersection(values)
    if not blockers:
        return list(values)  # the common case: no reporting unit contains another
    hidden: set[int] = set()
    for unit in blockers:
        hidden |= tree.descendants(unit)
    return [unit for unit in values if unit not in hidden]


def assess_milestones(
    milestones: list[Milestone], as_of: dt.date, as_of_time: float
) -> list[MilestoneResult]:
    """Each milestone from its approved reports by ``as_of``: one report per period (the
    latest approval; for the same period the lead unit's word counts over a supporting
    unit's), handed to ``engine.assess_milestone`` with the plan's grace period."""
    cutoff = timezone.make_aware(dt.datetime.combine(as_of, dt.time.max))
    reports = (
        MilestoneReport.objects.filter(
            milestone__in=milestones,
            status=ValueStatus.APPROVED,
            approved_at__lte=cutoff,
            period_end__lte=as_of,
        )
        .select_related("org_unit")
        .order_by("period_end", "approved_at")
    )
    leads = {ms.pk: ms.lead_unit_id for ms in milestones}
    by_period: dict[int, dict[dt.date, MilestoneReport]] = defaultdict(dict)
    for report in reports:  # by period, then approval time: a later one replaces
        periods = by_period[report.milestone_id]
        current = periods.get(report.period_end)
        lead = leads[report.milestone_id]
        if current is None or report.org_unit_id == lead or current.org_unit_id != lead:
            periods[report.period_end] = report
    results = []
    for ms in milestones:
        periods = by_period.get(ms.pk, {})
        latest = periods[max(periods)] if periods else None
        status = engine.assess_milestone(
            [(decimal_year(end), r.progress) for end, r in periods.items()],
            decimal_year(ms.due),
            as_of_time,
            # The plan period starts with its first year: decimal year = the year itself.
            start=float(ms.plan.period_start),
            grace_years=grace_years(ms.due, ms.plan.final_grace_months),
        )
        results.append(MilestoneResult(ms, status, latest, as_of > ms.due))
    return results


def roll_up(
    plan: Plan, ind_results: list[IndicatorResult], ms_results: list[MilestoneResult]
) -> tuple[list[NodeResult], engine.Rollup]:
    nodes = list(plan.nodes.order_by("position"))
    results = {n.pk: NodeResult(n, engine.rollup([])) for n in nodes}
    for r in ind_results:
        results[r.indicator.node_id].indicators.append(r)
    for r in ms_results:
        results[r.milestone.node_id].milestones.append(r)
    roots = []
    for n in nodes:
        (results[n.parent_id].children if n.parent_id else roots).append(results[n.pk])
    for n in sorted(nodes, key=lambda n: -n.depth):  # children before parents
        node = results[n.pk]
        items = [(r.status, float(r.indicator.weight)) for r in node.indicators]
        items += [(r.status, float(r.milestone.weight)) for r in node.milestones]
        # A child node counts with its exact score, not the status it is banded to.
        items += [(c.rollup, 1.0) for c in node.children if c.rollup.counts]
        node.rollup = engine.rollup(items)
    overall = engine.rollup([(r.rollup, 1.0) for r in roots if r.rollup.counts])
    return roots, overall
