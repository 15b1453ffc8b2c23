"""What the dashboards show, computed from the plan, approved values and the assessment.

Read-only: the dashboards write nothing, so there is no services.py. Plan-wide figures come
from ``ducha.assessments.services.assess_plan`` (the one place the method lives); per-unit
figures are read through ``ApprovedValue.objects.for_user`` / ``DataValue.objects.for_user``,
so a unit sees on a dashboard exactly the values the value policy lets it see.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.db.models import Count, Q
from django.utils import timezone

from ducha.assessments import charts
from ducha.assessments.labels import STATUS_ORDER
from ducha.assessments.services import (
    AsOf,
    IndicatorResult,
    MilestoneResult,
    NodeResult,
    PlanAssessment,
    UnitTree,
    assess_indicators,
    assess_plan_at,
    choose_as_of,
    units_that_count,
)
from ducha.core import pagecache
from ducha.dashboards import providers
from ducha.datavalues.models import ApprovedValue, DataValue, ValueStatus
from ducha.engine import assessment as engine
from ducha.engine.assessment import Status
from ducha.engine.periods import parse_period
from ducha.engine.units import UNITS, decimals
from ducha.orgunits.models import OrgUnit, OrgUnitKind
from ducha.plans.models import Indicator, Plan

GEO_DIR = Path(__file__).resolve().parent.parent / "data" / "geo"

# Statuses that mean "behind": the cockpit's lagging list, worst first.
LAGGING = (
    Status.NOT_ACHIEVED,
    Status.NOT_ACHIEVED_NO_DATA,
    Status.DETERIORATION,
    Status.LIMITED_PROGRESS,
    Status.NEEDS_ACCELERATION,
)
# Statuses that mean "we do not know": shown apart from the lagging ones.
UNKNOWN = (Status.STALE, Status.AWAITING_FINAL, Status.NO_DATA)
# Until reporting rounds set deadlines (issue 5), a value approved within this many days of
# its period's end counts as on time.
TIMELY_DAYS = 45


def end_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


# --- "as of" ------------------------------------------------------------------------------------
# The date itself is chosen by ``ducha.assessments.services.choose_as_of``, the one rule the
# plan page, ``ducha assess`` and every dashboard share.


def replay_steps(plan: Plan, as_of: AsOf) -> list[dt.date]:
    """The dates a replay walks through: every quarter's end from the plan's start up to the
    default date (and no later than a quarter after the plan's end), then the default date."""
    default = as_of.date if as_of.default else choose_as_of(plan, None, as_of.today).date
    last = max(min(default, as_of.final), dt.date(plan.period_start, 3, 31))
    steps = []
    year, quarter = plan.period_start, 1
    while True:
        end = quarter_end(year, quarter)
        if end > last:
            break
        steps.append(end)
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    if not steps or steps[-1] < default:
        steps.append(default)
    return steps


def quarter_end(year: int, quarter: int) -> dt.date:
    month = quarter * 3
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def previous_quarter_end(day: dt.date) -> dt.date:
    """The last day of the quarter before the one ``day`` is in."""
    first_month = (day.month - 1) // 3 * 3 + 1
    return dt.date(day.year, first_month, 1) - dt.timedelta(days=1)


def time_gone(plan: Plan, as_of: dt.date) -> float:
    start = dt.date(plan.period_start, 1, 1)
    end = dt.date(plan.period_end, 12, 31)
    return min(max((as_of - start).days / max((end - start).days, 1), 0.0), 1.0)


# --- assessing fast: several dates from one read, or one indicator alone -----------------------


# Assessments memoised per process, keyed by the plan, the dates and a stamp of the data. The
# stamp is the newest row of every table a write leaves a trace in: the audit log (every
# service writes one entry per change: approvals, imports, loadplan, loadorgunits, demo), the
# admin's log, the approvals and the milestone reports. Any write through the platform moves
# the stamp, so a memoised result is never stale; nothing is stored in the database. The
# stamp is read from the database on every use, so a write through one server invalidates
# the memo of every other server and process at once.
_MEMO: dict[tuple, list[PlanAssessment]] = {}
_MEMO_SIZE = 64


data_stamp = pagecache.data_stamp  # the stamp every shared page part is keyed on


def assess_dates_memo(plan: Plan, as_of: dt.date, earlier: list[dt.date]) -> list[PlanAssessment]:
    """``assess_plan_at(plan, [as_of, *earlier])``, remembered until the data changes (see
    ``data_stamp``)."""
    key = (plan.pk, plan.updated_at, as_of, tuple(earlier), data_stamp())
    found = _MEMO.get(key)
    if found is None:
        found = assess_plan_at(plan, [as_of, *earlier])
        if len(_MEMO) >= _MEMO_SIZE:
            _MEMO.pop(next(iter(_MEMO)))
        _MEMO[key] = found
    return found


def assessment(plan: Plan, as_of: dt.date) -> PlanAssessment:
    """The plan assessed as of a date (``assess_plan``), memoised until the data changes."""
    return assess_dates_memo(plan, as_of, [])[0]


def assess_one(indicator: Indicator, as_of: dt.date) -> IndicatorResult:
    """One indicator's assessment, without assessing the rest of its plan."""
    return assess_indicators([indicator], as_of)[0]


# --- the cockpit --------------------------------------------------------------------------------


@dataclass
class SpreadRow:
    status: Status
    indicators: int
    milestones: int

    @property
    def total(self) -> int:
        return self.indicators + self.milestones


@dataclass
class Headline:
    result: IndicatorResult
    series: list[list]  # [[ISO date, value]] of the plan-wide value, for a sparkline
    before: float | None  # the value at the previous round

    @property
    def indicator(self) -> Indicator:
        return self.result.indicator

    @property
    def a(self) -> engine.Assessment:
        return self.result.result

    @property
    def units_reported(self) -> tuple[int, int] | None:
        """(units approved, units expected) for a newer period that only some units have been
        approved for: the assessment leaves it out until the rest are in."""
        partial = self.result.partial_periods
        if not partial:
            return None
        return partial[-1].units, max(p.units for p in self.result.series)

    @property
    def delta(self) -> float | None:
        if self.before is None or self.a.value is None:
            return None
        return self.a.value - self.before


@dataclass
class Change:
    item: IndicatorResult | MilestoneResult
    before: Status
    after: Status

    @property
    def is_milestone(self) -> bool:
        return isinstance(self.item, MilestoneResult)

    @property
    def better(self) -> bool | None:
        """True better, False worse, None when one side has no score (no data, stale)."""
        a, b = engine.SCORES.get(self.before), engine.SCORES.get(self.after)
        if a is None or b is None:
            return None
        return b > a


@dataclass
class Cockpit:
    plan: Plan
    as_of: dt.date
    assessment: PlanAssessment
    round: providers.Round
    headline: list[Headline]
    spread: list[SpreadRow]
    lagging: list[IndicatorResult | MilestoneResult]
    lagging_total: int
    unknown_total: int
    changes: list[Change]
    approvals_since: int
    units_since: int
    time_gone: float
    focus: Headline | None  # the plan's first headline: "will Tianjin reach 1000亿元?"


def default_round(plan: Plan, as_of: dt.date) -> providers.Round:
    cutoff = previous_quarter_end(as_of)
    quarter = (cutoff.month - 1) // 3 + 1
    return providers.Round(cutoff, f"{cutoff.year}Q{quarter}")


def cockpit(plan: Plan, as_of: dt.date, user) -> Cockpit:
    rnd = providers.previous_round(plan, as_of) or default_round(plan, as_of)
    if rnd.cutoff < as_of:
        current, before = assess_dates_memo(plan, as_of, [rnd.cutoff])
    else:
        current = before = assessment(plan, as_of)
    before_ind = {r.indicator.pk: r for r in before.indicators}
    before_ms = {r.milestone.pk: r for r in before.milestones}

    headline = []
    for r in current.indicators:
        if r.indicator.headline:
            prior = before_ind.get(r.indicator.pk)
            headline.append(
                Headline(r, series_points(r, as_of), prior.result.value if prior else None)
            )

    counts: dict[Status, list[int]] = {s: [0, 0] for s in STATUS_ORDER}
    for r in current.indicators:
        counts[r.status][0] += 1
    for m in current.milestones:
        counts[m.status][1] += 1
    spread = [SpreadRow(s, *counts[s]) for s in STATUS_ORDER]

    behind = [r for r in current.indicators if r.status in LAGGING]
    behind += [m for m in current.milestones if m.status in LAGGING]
    behind.sort(key=_lag_key)
    unknown = sum(1 for r in current.indicators if r.status in UNKNOWN)
    unknown += sum(1 for m in current.milestones if m.status in UNKNOWN)

    changes = [
        Change(r, before_ind[r.indicator.pk].status, r.status)
        for r in current.indicators
        if r.indicator.pk in before_ind and before_ind[r.indicator.pk].status != r.status
    ]
    changes += [
        Change(m, before_ms[m.milestone.pk].status, m.status)
        for m in current.milestones
        if m.milestone.pk in before_ms and before_ms[m.milestone.pk].status != m.status
    ]
    changes.sort(key=lambda c: ({False: 0, None: 1, True: 2}[c.better], _lag_key(c.item)))

    window = ApprovedValue.objects.for_user(user, "view").filter(
        indicator__plan=plan,
        approved_at__gt=end_of_day(rnd.cutoff),
        approved_at__lte=end_of_day(as_of),
    )
    # COUNT(*), not of the id: the index alone answers (no row fetched from the table)
    since = window.aggregate(n=Count("*"), units=Count("org_unit", distinct=True))
    return Cockpit(
        plan=plan,
        as_of=as_of,
        assessment=current,
        round=rnd,
        headline=headline,
        spread=spread,
        lagging=behind[:10],
        lagging_total=len(behind),
        unknown_total=unknown,
        changes=changes,
        approvals_since=since["n"],
        units_since=since["units"],
        time_gone=time_gone(plan, as_of),
        focus=focus_of(headline),
    )


def focus_of(headline: list[Headline]) -> Headline | None:
    """The one figure the cockpit opens with: the heaviest headline indicator, money before
    counts (Tianjin's "智能科技产业规模 1000亿元"), then the plan's order."""
    if not headline:
        return None

    def key(h: Headline):
        money = UNITS[h.indicator.unit].category == "money" if h.indicator.unit in UNITS else False
        return (-float(h.indicator.weight), not money, h.indicator.position)

    return min(headline, key=key)


def _lag_key(item) -> tuple:
    ratio = getattr(getattr(item, "result", None), "ratio", None)
    return (STATUS_ORDER.index(item.status), ratio if ratio is not None else 0.0)


# The trajectory chart's series come from assessments.charts (the plan page draws the same).
series_points = charts.actual_points
period_end_iso = charts.period_end_iso
trajectory = charts.trajectory


def unit_values(
    user, indicators: list[Indicator], as_of: dt.date, units: list[OrgUnit] | None = None
) -> dict[int, dict[int, dict[str, float]]]:
    """{indicator: {org unit: {period: value}}}: the latest approval of each by ``as_of``, of
    the units (all, or ``units``) whose values ``user`` may see."""
    rows = ApprovedValue.objects.for_user(user, "view").filter(
        indicator__in=indicators, approved_at__lte=end_of_day(as_of)
    )
    if units is not None:
        rows = rows.filter(org_unit__in=units)
    rows = rows.order_by("approved_at", "id").values_list(
        "indicator_id", "org_unit_id", "period", "value"
    )
    out: dict[int, dict[int, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    for ind, unit, period, value in rows:
        out[ind][unit][period] = float(value)
    return out


@dataclass
class UnitRow:
    unit: OrgUnit
    values: dict[str, float]  # period -> value
    latest_period: str | None
    latest: float | None
    share: float | None  # of the plan-wide value of the same period
    counts: bool  # adds up into the plan-wide value (a zone inside a reporting district: no)
    drilldown: str | None = None

    @property
    def series_list(self) -> list[list]:
        ordered = sorted(self.values.items(), key=lambda kv: parse_period(kv[0]).end)
        return [[period_end_iso(p), v] for p, v in ordered]


@dataclass
class Breakdown:
    periods: list[str]
    rows: list[UnitRow]
    # {period: the units whose values make up the plan-wide value} (stacked as its parts)
    parts: dict[str, frozenset[int]] = field(default_factory=dict)
    total: dict[str, float] = field(default_factory=dict)  # the plan-wide value per period
    stack: bool = False  # the plan-wide value is a sum of units: its parts can be stacked
    unit: str = ""

    def chart(self, shown: list[UnitRow] | None = None) -> dict:
        """Small multiples (every unit's own values) and, for a summed indicator, the parts
        of the plan-wide value stacked with that value as a line: never a total on its parts
        (the city's own figure, or a department's for the whole city, is the line, and a zone
        inside a reporting district is not a part)."""
        ends = [period_end_iso(p) for p in self.periods]
        # The parts of the plan-wide value are drawn whole; the small multiples only for the
        # rows ``shown`` (a page of the table: at 600 units every unit's chart was 0.7 MB).
        shown_pks = {row.unit.pk for row in (self.rows if shown is None else shown)}
        parts = set().union(*self.parts.values()) if self.parts else set()
        return {
            "periods": ends,
            "stack": self.stack,
            "digits": decimals(self.unit),
            "total": [self.total.get(p) for p in self.periods],
            "units": [
                {
                    "name": row.unit.label,
                    "code": row.unit.code,
                    "counts": row.counts,
                    "multiple": row.unit.pk in shown_pks,
                    "values": [row.values.get(p) for p in self.periods],
                    "parts": [
                        row.values.get(p) if row.unit.pk in self.parts.get(p, ()) else None
                        for p in self.periods
                    ],
                }
                for row in self.rows
                if row.unit.pk in shown_pks or row.unit.pk in parts
            ],
        }


def breakdown(user, r: IndicatorResult, as_of: dt.date) -> Breakdown:
    """The indicator's value per org unit and period, as the user may see it."""
    ind = r.indicator
    by_unit = unit_values(user, [ind], as_of).get(ind.pk, {})
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in=by_unit.keys())}
    plan_wide = {p.period: p.value for p in r.series}
    # each distinct period parsed once (a few dozen), not once per unit and period
    ends = {p: parse_period(p).end for v in by_unit.values() for p in v}
    periods = sorted(ends, key=ends.__getitem__)
    rows = []
    for pk, values in by_unit.items():
        unit = units[pk]
        latest = max(values, key=ends.__getitem__) if values else None
        counted = not (unit.parent_id in by_unit and unit.kind == OrgUnitKind.ZONE)
        total = plan_wide.get(latest) if latest else None
        share = values[latest] / total if latest and total else None
        rows.append(
            UnitRow(
                unit,
                values,
                latest,
                values.get(latest) if latest else None,
                share if counted and unit.kind != OrgUnitKind.CITY else None,
                counted,
                providers.drilldown(ind, unit, latest) if latest else None,
            )
        )
    rows.sort(key=lambda row: (-(row.latest or 0), row.unit.position))
    stack = ind.aggregation == "sum"
    parts = stacked_parts(r, by_unit) if stack else {}
    return Breakdown(periods, rows, parts, plan_wide, stack, ind.unit)


def stacked_parts(r: IndicatorResult, by_unit: dict[int, dict[str, float]]) -> dict:
    """{period: units that are parts of the plan-wide sum}. Where the plan-wide value is a sum
    of units, those units; where it is one figure for the whole city (the city's own, or a
    lead department's), the units that would add up to it (``units_that_count`` without the
    whole-city figures), so that the parts are drawn beside it, not on top of it."""
    tree = UnitTree.load()
    out: dict[str, frozenset[int]] = {}
    for point in r.series:
        picked = tuple(
            unit
            for unit, series in by_unit.items()
            if point.period in series and point.counts(unit)
        )
        if len(picked) == 1 and (picked[0] in tree.roots or tree.is_department(picked[0])):
            values = {
                unit: series[point.period]
                for unit, series in by_unit.items()
                if point.period in series
                and unit not in tree.roots
                and not tree.is_department(unit)
            }
            picked = tuple(units_that_count(r.indicator, values, tree)) if values else ()
        out[point.period] = frozenset(picked)
    return out


# --- the map ------------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def geojson_bytes(name: str) -> bytes:
    """A committed GeoJSON file (ducha/data/geo/NAME.geojson), read once per process."""
    path = GEO_DIR / f"{name}.geojson"
    if not path.is_file() or path.parent != GEO_DIR:
        raise FileNotFoundError(name)
    return path.read_bytes()


@lru_cache(maxsize=8)
def geojson_etag(name: str) -> str:
    return hashlib.sha256(geojson_bytes(name)).hexdigest()[:32]


@lru_cache(maxsize=8)
def geo_codes(name: str) -> tuple[str, ...]:
    return tuple(f["id"] for f in json.loads(geojson_bytes(name))["features"])


def park_points(plan: Plan) -> list[providers.ParkPoint]:
    """The parks on the map: the park register's, where it gives them a point."""
    return list(providers.parks(plan) or [])


MEASURES = ("value", "share_of_target", "rank")


@dataclass
class DistrictCell:
    unit: OrgUnit
    value: float | None = None
    period: str | None = None
    share_of_target: float | None = None
    rank: int | None = None

    def measure(self, name: str) -> float | None:
        return {"value": self.value, "share_of_target": self.share_of_target}.get(name, self.rank)


def district_layer(user, plan: Plan, ind: Indicator | None, as_of: dt.date) -> list[DistrictCell]:
    """Every district with the indicator's latest approved value by ``as_of`` (where the user
    may see it), its share of the plan's target, and its rank when a ranking is published."""
    districts = list(OrgUnit.objects.filter(kind=OrgUnitKind.DISTRICT).order_by("position"))
    cells = {d.pk: DistrictCell(d) for d in districts}
    if ind is not None:
        values = unit_values(user, [ind], as_of).get(ind.pk, {})
        target = float(ind.target_min) if ind.kind == "level" and ind.target_min else None
        for pk, cell in cells.items():
            series = values.get(pk)
            if not series:
                continue
            latest = max(series, key=lambda c: parse_period(c).end)
            cell.value, cell.period = series[latest], latest
            if target:
                cell.share_of_target = cell.value / target
    ranks = providers.ranking(plan, as_of, user)
    if ranks:
        for row in ranks:
            if row.org_unit_id in cells:
                cells[row.org_unit_id].rank = row.rank
    return list(cells.values())


# --- units --------------------------------------------------------------------------------------


@dataclass
class Timeliness:
    approved: int = 0
    on_time: int = 0
    median_days: float | None = None
    latest_period: str | None = None

    @property
    def share_on_time(self) -> float | None:
        return self.on_time / self.approved if self.approved else None


@dataclass
class Scorecard:
    unit: OrgUnit
    counts: dict[str, int]  # value status -> number of values of the plan
    timeliness: Timeliness
    leads: list[IndicatorResult]
    leads_milestones: list[MilestoneResult]
    supports: list[IndicatorResult]
    contributions: list[tuple[IndicatorResult, str, float, float | None]]
    rank: providers.RankRow | None
    extra: list
    rollup: engine.Rollup = field(default_factory=lambda: engine.rollup([]))


def timeliness_by_unit(
    user, plan: Plan, as_of: dt.date, unit: OrgUnit | None = None
) -> dict[int, Timeliness]:
    """Per unit: how many values were approved by ``as_of``, how many within TIMELY_DAYS of
    their period's end (the first approval counts, not a later correction), the median delay."""
    rows = ApprovedValue.objects.for_user(user, "view").filter(
        indicator__plan=plan, approved_at__lte=end_of_day(as_of)
    )
    if unit is not None:
        rows = rows.filter(org_unit=unit)
    first: dict[int, tuple[int, str, dt.date, dt.datetime]] = {}
    for org_unit, value, period, period_end, approved_at in rows.values_list(
        "org_unit_id", "data_value_id", "period", "period_end", "approved_at"
    ):
        seen = first.get(value)
        if seen is None or approved_at < seen[3]:
            first[value] = (org_unit, period, period_end, approved_at)
    lags: dict[int, list[int]] = defaultdict(list)
    latest: dict[int, tuple[dt.date, str]] = {}
    for org_unit, period, period_end, approved_at in first.values():
        lags[org_unit].append((timezone.localdate(approved_at) - period_end).days)
        if org_unit not in latest or period_end > latest[org_unit][0]:
            latest[org_unit] = (period_end, period)
    return {
        org_unit: Timeliness(
            approved=len(days),
            on_time=sum(1 for d in days if d <= TIMELY_DAYS),
            median_days=statistics.median(days),
            latest_period=latest[org_unit][1],
        )
        for org_unit, days in lags.items()
    }


def scorecard(user, plan: Plan, unit: OrgUnit, as_of: dt.date, assessment) -> Scorecard:
    counts = {s: 0 for s in ValueStatus.values}
    for status in (
        DataValue.objects.for_user(user, "view")
        .filter(indicator__plan=plan, org_unit=unit)
        .values_list("status", flat=True)
    ):
        counts[status] += 1
    timeliness = timeliness_by_unit(user, plan, as_of, unit).get(unit.pk, Timeliness())
    leads = [r for r in assessment.indicators if r.indicator.lead_unit_id == unit.pk]
    leads_ms = [m for m in assessment.milestones if m.milestone.lead_unit_id == unit.pk]
    supported = set(
        Indicator.supporting_units.through.objects.filter(
            orgunit_id=unit.pk, indicator__plan=plan
        ).values_list("indicator_id", flat=True)
    )
    supports = [r for r in assessment.indicators if r.indicator.pk in supported]
    by_ind = {r.indicator.pk: r for r in assessment.indicators}
    contributions = []
    values = unit_values(user, [r.indicator for r in assessment.indicators], as_of, [unit])
    for ind_id, units in values.items():
        series = units.get(unit.pk)
        if not series:
            continue
        r = by_ind[ind_id]
        latest = max(series, key=lambda c: parse_period(c).end)
        total = next((p.value for p in r.series if p.period == latest), None)
        share = series[latest] / total if total and unit.kind != OrgUnitKind.CITY else None
        contributions.append((r, latest, series[latest], share))
    contributions.sort(key=lambda c: c[0].indicator.position)
    ranks = providers.ranking(plan, as_of, user) or []
    rank = next((row for row in ranks if row.org_unit_id == unit.pk), None)
    extra = providers.unit_scorecard(plan, unit, as_of, user) or []
    items = [(r.status, float(r.indicator.weight)) for r in leads]
    items += [(m.status, float(m.milestone.weight)) for m in leads_ms]
    return Scorecard(
        unit,
        counts,
        timeliness,
        leads,
        leads_ms,
        supports,
        contributions,
        rank,
        extra,
        engine.rollup(items),
    )


@dataclass
class UnitSummary:
    unit: OrgUnit
    rollup: engine.Rollup
    leads: int
    timeliness: Timeliness
    rank: int | None


def unit_summaries(user, plan: Plan, units: list[OrgUnit], assessment, as_of) -> list:
    """One line per unit for the scorecards overview."""
    timeliness = timeliness_by_unit(user, plan, as_of)
    led: dict[int, list] = defaultdict(list)
    for r in assessment.indicators:
        if r.indicator.lead_unit_id:
            led[r.indicator.lead_unit_id].append((r.status, float(r.indicator.weight)))
    for m in assessment.milestones:
        if m.milestone.lead_unit_id:
            led[m.milestone.lead_unit_id].append((m.status, float(m.milestone.weight)))
    ranks = {row.org_unit_id: row.rank for row in (providers.ranking(plan, as_of, user) or [])}
    return [
        UnitSummary(
            u,
            engine.rollup(led.get(u.pk, [])),
            len(led.get(u.pk, [])),
            timeliness.get(u.pk, Timeliness()),
            ranks.get(u.pk),
        )
        for u in units
    ]


# --- the plan tree with filters -----------------------------------------------------------------


@dataclass
class TreeFilter:
    statuses: frozenset[str] = frozenset()
    lead: int | None = None
    node: str | None = None  # a node key: that node and everything under it
    year: int | None = None

    @property
    def active(self) -> bool:
        return bool(self.statuses or self.lead or self.node or self.year)

    def indicator(self, r: IndicatorResult) -> bool:
        ind = r.indicator
        return (
            (not self.statuses or r.status in self.statuses)
            and (self.lead is None or ind.lead_unit_id == self.lead)
            and (self.year is None or ind.deadline.year == self.year)
        )

    def milestone(self, m: MilestoneResult) -> bool:
        ms = m.milestone
        return (
            (not self.statuses or m.status in self.statuses)
            and (self.lead is None or ms.lead_unit_id == self.lead)
            and (self.year is None or ms.due.year == self.year)
        )


@dataclass
class TreeNode:
    node: NodeResult
    indicators: list[IndicatorResult]
    milestones: list[MilestoneResult]
    children: list[TreeNode]


def filter_tree(assessment: PlanAssessment, f: TreeFilter) -> tuple[list[TreeNode], int, int]:
    """The plan tree pruned to the nodes holding a matching item (or under the chosen node),
    with the number of matching indicators and milestones."""
    totals = [0, 0]

    def visit(n: NodeResult, inside: bool) -> TreeNode | None:
        inside = inside or f.node is None or n.node.key == f.node
        children = [c for c in (visit(child, inside) for child in n.children) if c]
        inds = [r for r in n.indicators if f.indicator(r)] if inside else []
        mss = [m for m in n.milestones if f.milestone(m)] if inside else []
        totals[0] += len(inds)
        totals[1] += len(mss)
        if not (inds or mss or children):
            return None
        return TreeNode(n, inds, mss, children)

    roots = [t for t in (visit(r, False) for r in assessment.roots) if t]
    return roots, totals[0], totals[1]


def lead_units(plan: Plan) -> list[OrgUnit]:
    """The units that lead at least one indicator or milestone of the plan."""
    return list(
        OrgUnit.objects.filter(
            Q(led_indicators__plan=plan) | Q(led_milestones__plan=plan)
        ).distinct()
    )


def plan_years(plan: Plan) -> list[int]:
    years = set(plan.indicators.values_list("deadline__year", flat=True))
    years |= set(plan.milestones.values_list("due__year", flat=True))
    return sorted(years)
