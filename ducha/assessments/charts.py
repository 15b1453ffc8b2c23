"""The series an indicator's trajectory chart plots, from its assessment: the one source for
the plan page and the dashboards, so both draw exactly the figures their tables and the
assessment print (tests compare them).

Actual: the plan-wide value per period seen as of the date (the values the assessment read).
Required path: the engine's ``expected_path``. Forecast: the engine's projection, which is
absent once the deadline has passed (final evaluation: nothing is forecast).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from ducha.assessments.services import IndicatorResult, target_of
from ducha.engine import assessment as engine
from ducha.engine.periods import decimal_year, parse_period
from ducha.engine.units import decimals
from ducha.plans.models import Indicator


@lru_cache(maxsize=4096)
def period_end_iso(code: str) -> str:
    return parse_period(code).end.isoformat()


def iso_of_time(t: float) -> str:
    """A decimal year back to a date (decimal_year puts Dec 31 at the next whole year)."""
    year = int(t)
    start = dt.date(year, 1, 1)
    days = (dt.date(year + 1, 1, 1) - start).days
    return (start + dt.timedelta(days=round((t - year) * days) - 1)).isoformat()


def actual_points(r: IndicatorResult, as_of: dt.date) -> list[list]:
    """[[period end ISO, plan-wide value]] up to ``as_of``."""
    cutoff = decimal_year(as_of)
    return [
        [period_end_iso(p.period), round(p.value, 4)] for p in r.series if p.time <= cutoff + 1e-9
    ]


def trajectory(ind: Indicator, r: IndicatorResult, as_of: dt.date) -> dict:
    """Actual, the required path, the target and the forecast, as chart series."""
    a = r.result
    path = []
    if a.baseline is not None and a.baseline_time is not None:
        deadline = decimal_year(ind.deadline)
        times = [a.baseline_time + (deadline - a.baseline_time) * i / 24 for i in range(25)]
        if deadline <= a.baseline_time:
            times = [a.baseline_time]
        values = engine.expected_path(target_of(ind), a.baseline, a.baseline_time, times)
        path = [[iso_of_time(t), round(v, 4)] for t, v in zip(times, values, strict=True)]
    forecast = []
    if a.forecast is not None and a.value is not None and r.latest_period:
        forecast = [
            [period_end_iso(r.latest_period), round(a.value, 4)],
            [ind.deadline.isoformat(), round(a.forecast, 4)],
        ]
    return {
        "unit": ind.unit,
        "digits": decimals(ind.unit),  # tooltips round as the tables do
        "actual": actual_points(r, as_of),
        "path": path,
        "forecast": forecast,
        "target": a.target_value,
        "target_upper": a.target_upper,
        "as_of": as_of.isoformat(),
        "deadline": ind.deadline.isoformat(),
        "final": a.final,
    }
