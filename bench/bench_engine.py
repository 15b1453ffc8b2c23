"""Speed of the pure assessment engine on 100 indicators × 300 org units × 40 quarters.

Run from the repository root:  python bench/bench_engine.py  [--runs N]

Generates 1.2 million values deterministically in memory, then times (median of N runs):
  1. assessing every indicator × unit series (30,000 series of 40 quarters),
  2. aggregating each indicator's units into its plan-wide series and assessing that,
  3. the same statuses computed by numpy, vectorised over all 30,000 unit series at once
     (``numpy_statuses``: the BRIEF's method for these series — baseline, achieved, stale,
     growth or linear R, bands), from arrays already built and from the same Python lists;
     every status is checked against the engine's,
  4. the 100 plan-wide series alone, the engine against numpy (what a page assesses: the
     assessment store hands over plan-wide series, already added up),
and, in the same run, a trivial baseline that only takes max() of every series. The issue's
targets: at least 1,000,000 values per second; the engine within 3× of numpy, or a measured
explanation.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from collections import Counter
from operator import itemgetter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ducha.engine.assessment import (
    Target,
    aggregate,
    aggregate_columns,
    assess,
)
from ducha.engine.periods import Period, periods_between

INDICATORS = 100
UNITS = 300
QUARTERS = periods_between(Period("quarter", 2011, 1), Period("quarter", 2020, 4))
TIMES = [q.time for q in QUARTERS]
AS_OF = Period("quarter", 2020, 4).time  # every value is visible
DEADLINE = Period("year", 2020).time
AGGREGATIONS = ["sum", "sum", "sum", "mean", "max"]  # sums dominate real plans


class Indicator:
    """One generated indicator: its plan-wide target, a per-unit target, and unit columns."""

    def __init__(self, rng: random.Random, number: int):
        self.how = AGGREGATIONS[number % len(AGGREGATIONS)]
        self.direction = 1 if number % 7 else -1
        self.trajectory = "growth" if number % 2 else "linear"
        start = rng.uniform(5, 500)
        yearly = rng.uniform(-0.05, 0.25) * self.direction
        self.columns: list[list[float | None]] = []
        for _unit in range(UNITS):
            level = start * rng.uniform(0.2, 3.0)
            trend = yearly + rng.uniform(-0.05, 0.05)
            column: list[float | None] = []
            for quarter in range(len(TIMES)):
                value = level * (1 + trend) ** (quarter / 4) * rng.uniform(0.97, 1.03)
                column.append(round(value, 2))
            self.columns.append(column)
        # Unit series as the engine's generic input: (time, value) pairs.
        self.series = [list(zip(TIMES, column, strict=True)) for column in self.columns]
        share = {"sum": UNITS, "mean": 1, "max": 1}[self.how]
        goal = start * share * (1 + 0.15 * self.direction) ** 10
        plan_baseline = number % 3 != 0  # a third of the indicators state no baseline
        self.target = self._target(goal, start * share if plan_baseline else None, number)
        self.unit_target = self._target(goal / share, start if plan_baseline else None, number)

    def _target(self, goal: float, baseline: float | None, number: int) -> Target:
        comparator = "=" if number % 4 else (">=" if self.direction == 1 else "<=")
        return Target(
            target_min=goal,
            target_max=goal * 1.2 if number % 5 == 0 else None,
            comparator=comparator,
            direction=self.direction,
            trajectory=self.trajectory,
            deadline=DEADLINE,
            baseline=baseline,
            baseline_time=Period("quarter", 2010, 4).time if baseline is not None else None,
        )


def build() -> list[Indicator]:
    rng = random.Random(20180118)  # the plan's issue date: the same data on every run
    return [Indicator(rng, number) for number in range(INDICATORS)]


def engine_units(indicators: list[Indicator]) -> int:
    """Assess every indicator × unit series; returns how many series were assessed."""
    count = 0
    for indicator in indicators:
        target = indicator.unit_target
        for series in indicator.series:
            assess(target, series, AS_OF)
            count += 1
    return count


def engine_plan_wide(indicators: list[Indicator]) -> int:
    """Aggregate each indicator's units into one series and assess it."""
    for indicator in indicators:
        combined = aggregate_columns(TIMES, indicator.columns, indicator.how)
        assess(indicator.target, [(t, v) for t, v, _ in combined], AS_OF)
    return len(indicators)


def generic_aggregate(indicators: list[Indicator], rows: list[list[tuple]]) -> None:
    """The row-wise aggregate() (what a database cursor yields), for reference."""
    for indicator, indicator_rows in zip(indicators, rows, strict=True):
        aggregate(indicator_rows, indicator.how)


def plan_wide_statuses(indicators: list[Indicator]) -> Counter:
    """What the generated data looks like to the engine (a sanity check, not timed)."""
    statuses: Counter = Counter()
    for indicator in indicators:
        combined = aggregate_columns(TIMES, indicator.columns, indicator.how)
        statuses[assess(indicator.target, [(t, v) for t, v, _ in combined], AS_OF).status] += 1
    return statuses


def baseline_max(indicators: list[Indicator]) -> None:
    """Trivial reference work over the same values: the largest value of every series."""
    value = itemgetter(1)
    for indicator in indicators:
        for series in indicator.series:
            if series:
                max(series, key=value)


# --- the same statuses with numpy --------------------------------------------------------------

STATUS_CODES = ["achieved", "on_track", "needs_acceleration", "limited_progress",
                "deterioration", "no_data", "stale"]  # fmt: skip


def target_arrays(np, targets: list[Target], first):
    """Per series: direction, baseline value and time, target level, method, as arrays."""
    d = np.array([t.direction for t in targets], dtype=float)
    given = np.array([t.baseline is not None for t in targets])
    y0 = np.where(given, [t.baseline or 0.0 for t in targets], first)
    t0 = np.where(given, [t.baseline_time or 0.0 for t in targets], TIMES[0])
    low = np.array([t.target_min for t in targets])
    high = np.array([t.target_max if t.target_max is not None else t.target_min for t in targets])
    level = np.where(d == 1, low, high)  # the near bound (level targets only, as generated)
    growth = np.array([t.trajectory == "growth" for t in targets]) & (y0 > 0) & (level > 0)
    deadline = np.array([t.deadline for t in targets])
    stale_after = np.array([2 * t.frequency_years for t in targets])
    return d, y0, t0, level, growth, deadline, stale_after


def numpy_statuses(np, values, targets: list[Target], as_of: float):
    """The engine's status codes (indexes into STATUS_CODES) for series of the same times, all
    visible as of ``as_of`` and before their deadline (what this bench generates)."""
    times = np.asarray(TIMES)
    yt, t = values[:, -1], times[-1]
    d, y0, t0, level, growth, deadline, stale_after = target_arrays(np, targets, values[:, 0])
    achieved = np.where(d == 1, yt >= level, yt <= level)
    stale = np.minimum(as_of, deadline) - t > stale_after + 1e-6
    time_share = (t - t0) / (deadline - t0)
    side = np.where(level > y0, d, -d)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = (yt - y0) / (level - y0) * side
        linear = share / time_share
        log_y0 = np.log(np.where(y0 > 0, y0, 1.0))
        log_yt = np.log(np.where(yt > 0, yt, 1.0))
        obs = np.where(yt > 0, np.expm1((log_yt - log_y0) / (t - t0)), -1.0)
        req = np.expm1((np.log(np.where(level > 0, level, 1.0)) - log_y0) / (deadline - t0))
        ratio = np.where(growth & (req != 0), d * obs / np.abs(req), linear)
    equal = level == y0
    elapsed = t - t0 >= 1e-6
    banded = np.select([ratio >= 0.95, ratio >= 0.60, ratio >= 0], [1, 2, 3], 4)
    pace = np.where(equal, np.where(elapsed, 4, 5), np.where(elapsed, banded, 5))
    return np.where(achieved, 0, np.where(stale, 6, pace))


def numpy_units(np, matrix, targets):
    return numpy_statuses(np, matrix, targets, AS_OF)


def numpy_from_lists(np, indicators, targets):
    """From the same Python lists the engine reads (a database's rows arrive as Python)."""
    matrix = np.array([column for ind in indicators for column in ind.columns], dtype=float)
    return numpy_statuses(np, matrix, targets, AS_OF)


def engine_unit_statuses(indicators: list[Indicator]) -> list[str]:
    return [
        assess(ind.unit_target, series, AS_OF).status.value
        for ind in indicators
        for series in ind.series
    ]


def plan_wide_inputs(indicators):
    """The 100 plan-wide series, added up beforehand (as the assessment store keeps them)."""
    return [
        [(t, v) for t, v, _ in aggregate_columns(TIMES, ind.columns, ind.how)] for ind in indicators
    ]


def engine_plan_wide_only(indicators, series) -> None:
    for ind, points in zip(indicators, series, strict=True):
        assess(ind.target, points, AS_OF)


def median_seconds(function, *args, runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function(*args)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs

    started = time.perf_counter()
    indicators = build()
    values = sum(len(series) for ind in indicators for series in ind.series)
    rows = [
        [(unit, t, v) for unit, series in enumerate(ind.series) for t, v in series]
        for ind in indicators
    ]
    built = time.perf_counter() - started

    units = median_seconds(engine_units, indicators, runs=runs)
    plan_wide = median_seconds(engine_plan_wide, indicators, runs=runs)
    generic = median_seconds(generic_aggregate, indicators, rows, runs=runs)
    trivial = median_seconds(baseline_max, indicators, runs=runs)
    engine = units + plan_wide
    comparison = compare_with_numpy(indicators, runs)

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"python {platform.python_version()} on {platform.machine()}, {cores} cores available")
    print(f"generated {INDICATORS} indicators × {UNITS} units × {len(TIMES)} quarters: "
          f"{values:,} values in {built:.1f} s")  # fmt: skip
    print(f"median of {runs} runs, one core:")
    print(f"  assess {INDICATORS * UNITS:,} unit series        {units * 1000:8.1f} ms"
          f"  {values / units:12,.0f} values/s")  # fmt: skip
    print(f"  aggregate + assess {INDICATORS} plan-wide  {plan_wide * 1000:8.1f} ms"
          f"  {values / plan_wide:12,.0f} values/s")  # fmt: skip
    print(f"  engine total (both passes)          {engine * 1000:8.1f} ms"
          f"  {values / engine:12,.0f} values/s")  # fmt: skip
    print(f"  for reference: row-wise aggregate() {generic * 1000:8.1f} ms"
          f"  {values / generic:12,.0f} values/s")  # fmt: skip
    print(f"  trivial baseline: max() per series  {trivial * 1000:8.1f} ms"
          f"  {values / trivial:12,.0f} values/s")  # fmt: skip
    print(f"engine / baseline time ratio: {engine / trivial:.1f}")
    statuses = ", ".join(f"{s.value} {n}" for s, n in plan_wide_statuses(indicators).most_common())
    print(f"plan-wide statuses of the generated indicators: {statuses}")
    target_met = values / engine >= 1_000_000
    print(f"target ≥ 1,000,000 values/s: {'met' if target_met else 'NOT met'}")
    print_comparison(comparison, units, values)


def compare_with_numpy(indicators, runs: int) -> dict:
    import numpy as np

    targets = [ind.unit_target for ind in indicators for _ in ind.columns]
    matrix = np.array([column for ind in indicators for column in ind.columns], dtype=float)
    engine_codes = engine_unit_statuses(indicators)
    numpy_codes = [STATUS_CODES[i] for i in numpy_units(np, matrix, targets)]
    agree = sum(a == b for a, b in zip(engine_codes, numpy_codes, strict=True))
    wide = plan_wide_inputs(indicators)
    wide_targets = [ind.target for ind in indicators]
    wide_matrix = np.array([[v for _, v in points] for points in wide], dtype=float)
    wide_engine = [
        assess(ind.target, p, AS_OF).status.value for ind, p in zip(indicators, wide, strict=True)
    ]
    wide_numpy = [STATUS_CODES[i] for i in numpy_units(np, wide_matrix, wide_targets)]
    return {
        "numpy": np.__version__,
        "series": len(engine_codes),
        "agree": agree,
        "statuses": Counter(engine_codes),
        "arrays": median_seconds(numpy_units, np, matrix, targets, runs=runs),
        "lists": median_seconds(numpy_from_lists, np, indicators, targets, runs=runs),
        "wide_agree": sum(a == b for a, b in zip(wide_engine, wide_numpy, strict=True)),
        "wide_engine": median_seconds(engine_plan_wide_only, indicators, wide, runs=runs),
        "wide_numpy": median_seconds(numpy_units, np, wide_matrix, wide_targets, runs=runs),
        "wide_numpy_lists": median_seconds(
            lambda: numpy_units(np, np.array([[v for _, v in p] for p in wide]), wide_targets),
            runs=runs,
        ),
    }


def print_comparison(c: dict, units: float, values: int) -> None:
    print(f"the same statuses with numpy {c['numpy']} (vectorised over every series):")
    print(f"  statuses agree: {c['agree']:,} of {c['series']:,} unit series; "
          f"{c['wide_agree']} of {INDICATORS} plan-wide")  # fmt: skip
    print(f"  engine statuses of the unit series: {dict(c['statuses'].most_common())}")
    print(f"  {INDICATORS * UNITS:,} unit series: engine {units * 1000:8.1f} ms, numpy from arrays "
          f"{c['arrays'] * 1000:6.1f} ms ({units / c['arrays']:.1f}×), numpy from the same lists "
          f"{c['lists'] * 1000:6.1f} ms ({units / c['lists']:.1f}×)")  # fmt: skip
    print(f"  {INDICATORS} plan-wide series (a page's work): engine "
          f"{c['wide_engine'] * 1000:6.2f} ms, numpy from arrays {c['wide_numpy'] * 1000:6.2f} ms "
          f"({c['wide_engine'] / c['wide_numpy']:.1f}×), numpy from lists "
          f"{c['wide_numpy_lists'] * 1000:6.2f} ms "
          f"({c['wide_engine'] / c['wide_numpy_lists']:.1f}×)")  # fmt: skip


if __name__ == "__main__":
    main()
