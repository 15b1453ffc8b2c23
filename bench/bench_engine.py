"""Speed of the pure assessment engine on 100 indicators × 300 org units × 40 quarters.

Run from the repository root:  python bench/bench_engine.py  [--runs N]

Generates 1.2 million values deterministically in memory, then times (median of N runs):
  1. assessing every indicator × unit series (30,000 series of 40 quarters),
  2. aggregating each indicator's units into its plan-wide series and assessing that,
and, in the same run, a trivial baseline that only takes max() of every series, so the figure
can be compared across machines. The issue's target is at least 1,000,000 values per second.
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


if __name__ == "__main__":
    main()
