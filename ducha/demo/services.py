"""Deterministic demo data: the Tianjin plan replayed 2018–2020 with invented figures.

Every value is flagged `is_demo`, so pages show a banner and `ducha demo` can replace them.
Each indicator follows a scenario (achieved, on track, lagging, deteriorating, stopped
reporting, never reported) so that the first screen tells a story. Values are approved by
the office a few weeks after each quarter ends, as in real life, so "as of" any date shows
what had been approved by then.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.accounts.models import Role, User
from ducha.audit.services import record
from ducha.datavalues.models import (
    ApprovedValue,
    DataValue,
    MilestoneProgress,
    MilestoneReport,
    ValueSource,
    ValueStatus,
)
from ducha.datavalues.services import approval_of
from ducha.demo.reporting import load_reporting_demo
from ducha.engine.periods import Period
from ducha.engine.units import UNITS
from ducha.figures.services import DEFAULT_FILE as FIGURES_FILE
from ducha.figures.services import DEFAULT_RELATIONS as FIGURE_RELATIONS
from ducha.figures.services import load_files
from ducha.notifications import services as notifications
from ducha.orgunits.models import OrgUnit, OrgUnitKind
from ducha.orgunits.services import TIANJIN_FILE, load_orgunit_file
from ducha.plans.models import Indicator, Plan
from ducha.plans.services import load_plan_file

PLAN_FILE = TIANJIN_FILE.parent / "tianjin-2018" / "plan.yaml"
DEMO_PASSWORD = "ducha-demo-2018"
SEED = 2018

# Scenario: (share of the target reached at 2020Q4, shape) — the story on the first screen.
# shape "steady" grows evenly; "late" starts slow; "dip" rises, then loses some ground;
# "fall" rises in 2018, then falls below where it started (deterioration); "stop" stops
# reporting after 2019Q2 (stale); "none" never reports (no data).
SCENARIOS: dict[str, tuple[float, str]] = {
    "TJ-GOAL-SCALE": (0.86, "late"),  # the headline question: will Tianjin reach 1000亿元?
    "TJ-GOAL-PILOT": (1.04, "steady"),
    "TJ-GOAL-PLATFORM": (1.5, "steady"),  # 3 of "2至3": exceeded
    "TJ-GOAL-LEADERS": (0.97, "steady"),
    "TJ-GOAL-ENTREPRENEURS": (0.62, "late"),
    "TJ-IND-ROBOT": (1.08, "steady"),
    "TJ-IND-SOFTWARE": (0.98, "steady"),
    "TJ-IND-HARDWARE": (0.82, "late"),
    "TJ-IND-SENSOR": (0.55, "fall"),
    "TJ-IND-VRAR": (0.7, "late"),
    "TJ-IND-ICV": (1.0, "steady"),
    "TJ-SEC-LOG-EFFICIENCY": (0.0, "none"),
    "TJ-INN-NATFIELDS": (0.0, "none"),
    "TJ-SEC-CULT-BRANDS": (0.9, "stop"),
    "TJ-ECO-DOMAINPILOT": (0.8, "stop"),
}
DEFAULT_CYCLE = [(1.02, "steady"), (0.96, "steady"), (0.75, "late"), (0.5, "late"), (0.9, "dip")]

QUARTERS = [Period("quarter", y, q) for y in (2018, 2019, 2020) for q in (1, 2, 3, 4)]

# Relative size of each district in the intelligent-technology economy (invented, plausible:
# 滨海新区 dominates, the central districts host software and services).
DISTRICT_WEIGHTS = {
    "120116": 30,
    "120111": 9,
    "120114": 8,
    "120113": 7,
    "120110": 7,
    "120104": 6,
    "120103": 5,
    "120112": 5,
    "120115": 4,
    "120101": 4,
    "120102": 3,
    "120105": 3,
    "120106": 2,
    "120118": 3,
    "120117": 2,
    "120119": 2,
}


@dataclass
class DemoReport:
    plan: Plan
    values: int
    approvals: int
    milestone_reports: int
    users: list[tuple[str, str, str]]
    registers: object = None  # demo.registers.DemoRegisters
    cascade: Plan | None = None  # the district plan of --with-cascade (demo/cascade.py)


def load_demo(*, seed: int = SEED, with_cascade: bool = False) -> DemoReport:
    """Load org units and the Tianjin plan, then replace every demo value. Deterministic.

    Demo data notifies nobody: the services it replays (returns, approvals, cases …) run
    with notifications muted, however often the demo is loaded.
    """
    with notifications.muted():
        return _load_demo(seed, with_cascade)


def _load_demo(seed: int, with_cascade: bool = False) -> DemoReport:
    load_orgunit_file(TIANJIN_FILE)
    plan = load_plan_file(PLAN_FILE).plan
    # the figures officials published: real context, not demo data (ducha loadfigures)
    load_files(None, FIGURES_FILE, plan, FIGURE_RELATIONS)
    with transaction.atomic():
        remove_demo_data()
        users = ensure_users()
        office = User.objects.get(username="office")
        values = build_values(plan, office, seed)
        approvals = approve_values(values, office, seed)
        DataValue.objects.bulk_create(values, batch_size=2000)
        ApprovedValue.objects.bulk_create(approvals, batch_size=2000)
        refresh_planner_statistics()  # what follows joins on the rows just written
        reports = build_milestone_reports(plan, seed)
        # the registers, and the indicators computed from them (ducha/demo/registers.py,
        # imported here because it builds on this module's scenarios)
        from ducha.demo.registers import load_register_demo

        registers = load_register_demo(plan, seed=seed)
        from ducha.demo.incentives import load_incentives_demo  # 六(三): schemes, applications

        load_incentives_demo(plan, seed=seed)
        # rounds last: they report on top of the values above (ducha/demo/reporting.py)
        users += load_reporting_demo(plan, office, seed)
        cascade = None
        if with_cascade:
            from ducha.demo.cascade import load_cascade_demo

            cascade = load_cascade_demo(office)
        # the demo replaces and edits approvals in bulk: the assessment store is rebuilt
        from ducha.assessments import store

        store.rebuild()
        record(
            None,
            "demo.loaded",
            plan,
            changes={"values": len(values), "milestone_reports": len(reports)},
        )
    refresh_planner_statistics()  # the pages read these tables next
    return DemoReport(plan, len(values), len(approvals), len(reports), users, registers, cascade)


def refresh_planner_statistics() -> None:
    """ANALYZE on PostgreSQL, whose statistics may still describe the tables as empty (a new
    database, or one just flushed): planned on those, the joined deletes below ran as nested
    loops over thousands of rows and took more than half an hour in a test run."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def remove_demo_data() -> None:
    from ducha.demo.incentives import remove_incentives_demo  # before the registers it refers to

    refresh_planner_statistics()
    remove_incentives_demo()
    ApprovedValue.objects.filter(data_value__is_demo=True).delete()
    DataValue.objects.filter(is_demo=True).delete()
    MilestoneReport.objects.filter(is_demo=True).delete()


def ensure_users() -> list[tuple[str, str, str]]:
    """One account per role, all with the demo password; returns (login, role, unit)."""
    units = {u.code: u for u in OrgUnit.objects.all()}
    wanted = [
        ("admin", "", None, "系统管理员", True),
        ("office", Role.OFFICE, "TJ-OFFICE", "市智能办 王主任", False),
        ("leader", Role.LEADER, None, "市领导", False),
        ("gxj", Role.REPORTER, "TJ-GXJ", "市工业和信息化局 填报员", False),
        ("heping", Role.REPORTER, "120101", "和平区 填报员", False),
        ("binhai", Role.REPORTER, "120116", "滨海新区 填报员", False),
        ("binhai_head", Role.UNIT_HEAD, "120116", "滨海新区 分管负责人", False),
    ]
    out = []
    for username, role, unit_code, name, superuser in wanted:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.role = role
        user.org_unit = units.get(unit_code) if unit_code else None
        user.display_name = name
        user.is_superuser = superuser
        user.is_staff = superuser or role == Role.OFFICE
        user.set_password(DEMO_PASSWORD)
        user.save()
        out.append(
            (
                username,
                str(Role(role).label) if role else str(_("Administrator")),
                user.org_unit.name if user.org_unit else "—",
            )
        )
    return out


def _rng(seed: int, *parts) -> random.Random:
    return random.Random(f"{seed}:{':'.join(map(str, parts))}")


def scenario_for(ind: Indicator, position: int) -> tuple[float, str]:
    return SCENARIOS.get(ind.code, DEFAULT_CYCLE[position % len(DEFAULT_CYCLE)])


def city_path(ind: Indicator, share: float, shape: str, rng: random.Random) -> list[float]:
    """The invented city-wide value for each quarter 2018Q1..2020Q4."""
    target = float(ind.target_min)
    if ind.kind == "change":
        start, final = 100.0, 100.0 * (1 + ind.direction * target / 100 * share)
    elif ind.unit == "%":
        start, final = 35.0, min(100.0, target * share)
    else:
        start, final = _start_level(ind, target), target * share
    n = len(QUARTERS) - 1
    out = []
    for i in range(len(QUARTERS)):
        x = i / n
        if shape == "late":
            x = x**1.8
        level = start + (final - start) * x
        if shape == "dip" and i > 4:
            # rises until 2019Q1, then loses a tenth of its gain every quarter
            level = start + (final - start) * (4 / n) * (1 - 0.1 * (i - 4))
        if shape == "fall" and i > 3:
            # rises through 2018, then falls: below its 2018Q1 level from 2019Q3 on
            level = max(start + (final - start) * (3 / n) * (1 - 0.45 * (i - 3)), start * 0.5)
        if ind.trajectory == "growth" and shape not in ("dip", "fall"):
            level = start * (final / start) ** x
        out.append(level * (1 + rng.uniform(-0.015, 0.015)))
    return out


def _start_level(ind: Indicator, target: float) -> float:
    if ind.trajectory == "growth":
        return target * 0.42  # money: the industry roughly doubles over the plan
    return max(target * 0.08, 0.0)


def _round(value: float, unit: str) -> Decimal:
    places = Decimal("0.01") if unit in {"亿元", "%"} else Decimal("1")
    return Decimal(str(max(value, 0.0))).quantize(places, rounding=ROUND_HALF_UP)


def build_values(plan: Plan, office: User, seed: int) -> list[DataValue]:
    """The demo values, not saved yet (approve_values sets their workflow fields first)."""
    districts = list(OrgUnit.objects.filter(kind=OrgUnitKind.DISTRICT, code__in=DISTRICT_WEIGHTS))
    values = []
    indicators = list(plan.indicators.select_related("lead_unit").order_by("position"))
    for position, ind in enumerate(indicators):
        share, shape = scenario_for(ind, position)
        if shape == "none" or ind.source != "manual":
            continue
        rng = _rng(seed, ind.code)
        path = city_path(ind, share, shape, rng)
        if shape == "stop":
            path = [v for p, v in zip(QUARTERS, path, strict=True) if p.code <= "2019Q2"]
        if ind.aggregation == "sum":
            split = split_counts if is_count(ind.unit) else split_levels
            for district, series in split(path, districts, rng).items():
                for period, value in zip(QUARTERS, series, strict=False):
                    values.append(_value(ind, district, period, _round(value, ind.unit), office))
        elif ind.lead_unit is not None:
            for period, value in zip(QUARTERS, path, strict=False):
                values.append(_value(ind, ind.lead_unit, period, _round(value, ind.unit), office))
    return values


def is_count(unit: str) -> bool:
    return UNITS[unit].category == "count"


def split_levels(path, districts, rng) -> dict:
    """Money and shares: each district a fixed slice of the city's level."""
    total = sum(DISTRICT_WEIGHTS[d.code] for d in districts)
    return {d: [v * DISTRICT_WEIGHTS[d.code] / total for v in path] for d in districts}


def split_counts(path, districts, rng) -> dict:
    """Counts: whole things, each new one landing in a district by its weight, so every
    district's count is a whole number that only moves when the city's does."""
    weights = [DISTRICT_WEIGHTS[d.code] for d in districts]
    held = dict.fromkeys(districts, 0)
    out = {d: [] for d in districts}
    previous = 0
    for level in path:
        city = round(level)
        for _step in range(max(city - previous, 0)):
            held[rng.choices(districts, weights)[0]] += 1
        for _step in range(max(previous - city, 0)):
            holders = [d for d in districts if held[d] > 0]
            held[rng.choices(holders, [DISTRICT_WEIGHTS[d.code] for d in holders])[0]] -= 1
        previous = city
        for d in districts:
            out[d].append(held[d])
    return out


def _value(ind, unit, period: Period, value: Decimal, office: User) -> DataValue:
    return DataValue(
        indicator=ind,
        org_unit=unit,
        period=period.code,
        period_end=period.end,
        value=value,
        # a district reports its own figure; a lead department's city-wide one is its own
        # statistics
        source=(
            ValueSource.DEPARTMENT
            if unit.kind == OrgUnitKind.DEPARTMENT
            else ValueSource.UNIT_REPORT
        ),
        note="演示数据",
        status=ValueStatus.APPROVED,
        is_demo=True,
        created_by=office,
        updated_by=office,
    )


def _approval_time(period: Period, rng: random.Random) -> dt.datetime:
    day = period.end + dt.timedelta(days=rng.randint(12, 40))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, rng.randint(0, 59))))


def approve_values(values: list[DataValue], office: User, seed: int) -> list[ApprovedValue]:
    """Approve each value a few weeks after its quarter; the last quarter's stays submitted
    for a few districts, so the office has work waiting. Sets the values' workflow fields and
    returns the approvals; the caller saves both, values first."""
    approvals = []
    pending = []
    now = timezone.now()
    for v in values:
        period = Period("quarter", int(v.period[:4]), int(v.period[-1]))
        rng = _rng(seed, v.indicator_id, v.org_unit_id, v.period)
        at = _approval_time(period, rng)
        if v.period == "2020Q4" and rng.random() < 0.15:
            v.status, v.submitted_at, v.approved_at = ValueStatus.SUBMITTED, at, None
            pending.append(v)
            continue
        v.submitted_at = at - dt.timedelta(days=5)
        v.approved_at, v.approved_by = min(at, now), office
        approvals.append(approval_of(v, v.approved_at, office))
    return approvals


MILESTONE_STORIES = [
    ["in_progress", "in_progress", "completed"],
    ["not_started", "in_progress", "in_progress"],
    ["in_progress", "delayed", "delayed"],
    ["in_progress", "completed", "completed"],
    ["not_started", "not_started", "blocked"],
    None,  # never reported
]


def build_milestone_reports(plan: Plan, seed: int) -> list[MilestoneReport]:
    """Reports at the end of 2018, 2019 and 2020 following a few typical stories."""
    reports = []
    periods = [QUARTERS[3], QUARTERS[7], QUARTERS[11]]
    for i, ms in enumerate(plan.milestones.select_related("lead_unit").order_by("position")):
        story = MILESTONE_STORIES[i % len(MILESTONE_STORIES)]
        if story is None or ms.lead_unit is None:
            continue
        rng = _rng(seed, ms.code)
        for period, progress in zip(periods, story, strict=True):
            if period.end > ms.due + dt.timedelta(days=366):
                break
            reports.append(
                MilestoneReport(
                    milestone=ms,
                    org_unit=ms.lead_unit,
                    period=period.code,
                    period_end=period.end,
                    progress=MilestoneProgress(progress),
                    note="演示数据",
                    status=ValueStatus.APPROVED,
                    is_demo=True,
                    approved_at=_approval_time(period, rng),
                )
            )
    MilestoneReport.objects.bulk_create(reports)
    return reports
