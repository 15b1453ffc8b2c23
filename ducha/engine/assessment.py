"""The progress assessment: is a target achieved, on track, or behind, as of a date?

This implements the BRIEF's method ("Assessment: how 'on track' is decided"); docs/assessment.md
states it with every edge-case decision. Times are decimal years with each period placed at its
end date (``periods.Period.time``: the year 2020 is 2021.0, 2019Q3 is 2019.748). Values are
floats; callers convert Decimals. ``assess`` never raises for a valid Target and finite
numbers: every corner (zero baseline, target equal to baseline, no time elapsed, deadline before
the baseline) has a defined result and a stable note code saying which rule applied.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from typing import Any, TypeVar

# The BRIEF's bands (Open SDG / Statistics Canada progress measure).
ON_TRACK_MIN = 0.95
ACCELERATION_MIN = 0.60

# Two times closer than this (about 30 seconds) count as the same moment, so no rate is ever
# computed over a zero or vanishing span.
MIN_SPAN = 1e-6

# exp() overflows a float past ~709.78; growth exponents are capped below that. Only absurd
# inputs (a thousandfold rise within a day) get near it; a note records when it happens.
EXP_CAP = 700.0

STALE_PERIODS = 2  # "last value older than two reporting periods": stale

COMPARATORS = (">=", "<=", "=")
KINDS = ("level", "change")
TRAJECTORIES = ("growth", "linear")
AGGREGATIONS = ("sum", "mean", "max", "min", "none")
MILESTONE_REPORTS = ("not_started", "in_progress", "completed", "delayed", "blocked")

# Every note an Assessment can carry, with the English a Django layer translates.
NOTES: dict[str, str] = {
    "baseline_from_earliest": "The plan states no baseline; the earliest value is used.",
    "single_observation": "Only the baseline value is known; no pace can be judged yet.",
    "no_time_since_baseline": "The latest value is not later than the baseline.",
    "as_of_before_baseline": "The assessment date is before the baseline.",
    "deadline_passed": "The deadline has passed.",
    "deadline_not_after_baseline": "The deadline is not after the baseline; all time is gone.",
    "target_equals_baseline": "The target equals the baseline: it must be held.",
    "target_behind_baseline": "The baseline had already met the target.",
    "growth_fallback_linear": "Growth rates need positive values; judged on a straight line.",
    "growth_value_not_positive": "The value fell to zero or below: growth counted as -100%.",
    "stale_value": "Achieved, but the latest value is older than two reporting periods.",
    "non_finite_ignored": "Values that are not finite numbers were ignored.",
    "numeric_limit": "Extreme numbers were capped to keep the arithmetic finite.",
    "final_evaluation": "The deadline has passed: final evaluation, nothing is forecast.",
    "no_final_value": "No value for the deadline's period arrived within the grace period.",
}


class Status(StrEnum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    NEEDS_ACCELERATION = "needs_acceleration"
    LIMITED_PROGRESS = "limited_progress"
    DETERIORATION = "deterioration"
    NO_DATA = "no_data"
    STALE = "stale"
    # The final evaluation (终期评估), once the deadline has passed. "achieved" then means
    # reached by the deadline.
    ACHIEVED_LATE = "achieved_late"  # 逾期完成: first reached after the deadline
    NOT_ACHIEVED = "not_achieved"  # 未完成: the deadline's period is in and falls short
    AWAITING_FINAL = "awaiting_final"  # 待终期数据: the deadline's value can still arrive
    NOT_ACHIEVED_NO_DATA = "not_achieved_no_data"  # 未完成（无数据）: grace period over, no value


# Statuses judged from the pace (R): forecasts of whether the deadline will be met. None of
# them is ever given once the deadline has passed.
PACE_STATUSES = frozenset(
    {Status.ON_TRACK, Status.NEEDS_ACCELERATION, Status.LIMITED_PROGRESS, Status.DETERIORATION}
)
# Statuses only the final evaluation gives (after the deadline). "achieved" is given before
# and after: reached early, or reached by the deadline.
FINAL_STATUSES = frozenset(
    {
        Status.ACHIEVED_LATE,
        Status.NOT_ACHIEVED,
        Status.AWAITING_FINAL,
        Status.NOT_ACHIEVED_NO_DATA,
    }
)
# Failed at the final evaluation.
MISSED_STATUSES = frozenset({Status.NOT_ACHIEVED, Status.NOT_ACHIEVED_NO_DATA})

# How long after the deadline the value of the deadline's period may still arrive, by default
# (the BRIEF: six months; a plan may set its own).
DEFAULT_GRACE_YEARS = 0.5


class AssessmentError(ValueError):
    """Inputs the engine refuses (a contradictory target, an unknown report status …).

    ``code`` is stable for a Django layer to translate; ``text`` is English.
    """

    def __init__(self, code: str, text: str):
        super().__init__(text)
        self.code = code
        self.text = text


# --- targets --------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class Target:
    """What an indicator must reach, and by when.

    ``direction`` has no default on purpose: Open SDG silently defaults to "decrease", and a
    rising indicator judged as falling reads a fall as success. ``trajectory`` has none either,
    because the right one depends on the unit (``units.default_trajectory``).
    For ``kind="change"`` the bounds are percentages: T = y0 × (1 + direction × min / 100).
    ``deadline`` and ``baseline_time`` are decimal years (the year 2020 ends at 2021.0).
    """

    target_min: float
    direction: int
    deadline: float
    trajectory: str
    target_max: float | None = None
    comparator: str = "="
    kind: str = "level"
    baseline: float | None = None
    baseline_time: float | None = None
    frequency_years: float = 0.25
    grace_years: float = DEFAULT_GRACE_YEARS  # after the deadline: 待终期数据 until then

    def __post_init__(self) -> None:
        if self.direction not in (1, -1):
            raise AssessmentError(
                "bad_direction", f"direction must be +1 or -1, not {self.direction!r}"
            )
        if self.comparator not in COMPARATORS:
            raise AssessmentError("bad_comparator", f"unknown comparator {self.comparator!r}")
        if self.kind not in KINDS:
            raise AssessmentError("bad_kind", f"kind must be level or change, not {self.kind!r}")
        if self.trajectory not in TRAJECTORIES:
            raise AssessmentError(
                "bad_trajectory", f"trajectory must be growth or linear, not {self.trajectory!r}"
            )
        # ">=" is "at least T", which only makes sense for an indicator that should rise.
        if (self.comparator, self.direction) in ((">=", -1), ("<=", 1)):
            raise AssessmentError(
                "comparator_contradicts_direction",
                f"comparator {self.comparator} contradicts direction {self.direction:+d}",
            )
        _require_finite("target_min", self.target_min)
        _require_finite("deadline", self.deadline)
        if self.target_max is not None:
            _require_finite("target_max", self.target_max)
            if self.target_max < self.target_min:
                raise AssessmentError("max_below_min", "target_max is below target_min")
        if (self.baseline is None) != (self.baseline_time is None):
            raise AssessmentError(
                "baseline_incomplete", "baseline and baseline_time come together or not at all"
            )
        if self.baseline is not None:
            _require_finite("baseline", self.baseline)
            _require_finite("baseline_time", self.baseline_time)
        if not (math.isfinite(self.frequency_years) and self.frequency_years > 0):
            raise AssessmentError("bad_frequency", "frequency_years must be a positive number")
        if not (math.isfinite(self.grace_years) and self.grace_years >= 0):
            raise AssessmentError("bad_grace", "grace_years must be a number of years, 0 or more")


def _require_finite(name: str, value: Any) -> None:
    if not isinstance(value, int | float) or not math.isfinite(value):
        raise AssessmentError("not_finite", f"{name} must be a finite number, not {value!r}")


def target_levels(target: Target, baseline: float | None) -> tuple[float | None, float | None]:
    """(T, far bound) as levels. T is the bound reached first moving in the target's direction.

    For a range 2至3 on a rising indicator T is 2 and reaching 3 is "exceeded"; on a falling
    one T is 3 and reaching 2 is "exceeded". The far bound is None when there is no range.
    A change target needs the baseline; without one both are None.
    """
    low = target.target_min
    high = target.target_max if target.target_max is not None else low
    if target.kind == "change":
        if baseline is None:
            return None, None
        d = target.direction
        near = baseline * (1 + d * low / 100)
        far = baseline * (1 + d * high / 100)
    elif target.direction == 1:
        near, far = low, high
    else:
        near, far = high, low
    return near, (far if high != low else None)


def reached(value: float, level: float, direction: int) -> bool:
    """Has ``value`` got to ``level`` moving in ``direction``? (Equal counts as reached.)"""
    return value >= level if direction == 1 else value <= level


# --- the assessment -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Assessment:
    """One indicator series assessed as of a date. See docs/assessment.md for every field."""

    status: Status
    ratio: float | None  # R, the BRIEF's progress ratio; None when it cannot be formed
    value: float | None  # latest value considered (yt)
    time: float | None  # its time (t)
    baseline: float | None  # y0
    baseline_time: float | None  # t0
    baseline_source: str | None  # "plan", "earliest", or None (no baseline at all)
    target_value: float | None  # T as a level
    target_upper: float | None  # the far bound of a range as a level (reaching it: exceeded)
    exceeded: bool
    expected_value: float | None  # where the required path says the value should be at t
    time_share: float | None  # (t − t0) / (tT − t0)
    progress_share: float | None  # d·(yt − y0) / |T − y0|: share of the way to T
    forecast: float | None  # value projected at the deadline from the observed trend
    forecast_meets: bool | None
    method: str  # "growth" or "linear": the method actually used
    deadline: float
    stale: bool
    observations: int  # how many observations at or before as_of were considered
    notes: tuple[str, ...]
    # The final evaluation (as_of after the deadline); before it: False, None, None, None.
    final: bool = False
    final_value: float | None = None  # the value the final status rests on
    final_time: float | None = None  # its time
    gap: float | None = None  # d·(T − final value): how far short of T (≤ 0 once reached)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (the status as its string code, notes as a list)."""
        data = asdict(self)
        data["status"] = self.status.value
        data["notes"] = list(self.notes)
        return data


def is_stale(latest: float, as_of: float, target: Target) -> bool:
    """More than two reporting periods between the latest value and as_of, or the deadline if
    that came first: once the period is over, a final value that covers the deadline never goes
    stale, while a series that stopped before it stays stale for good."""
    horizon = min(as_of, target.deadline)
    return horizon - latest > STALE_PERIODS * target.frequency_years + MIN_SPAN


def band(ratio: float) -> Status:
    """The BRIEF's bands for R."""
    if ratio >= ON_TRACK_MIN:
        return Status.ON_TRACK
    if ratio >= ACCELERATION_MIN:
        return Status.NEEDS_ACCELERATION
    if ratio >= 0:
        return Status.LIMITED_PROGRESS
    return Status.DETERIORATION


def assess(target: Target, observations: Iterable[tuple[float, float]], as_of: float) -> Assessment:
    """Assess one series of ``(time, value)`` observations as of ``as_of`` (a decimal year).

    The caller passes the values approved by ``as_of``; any observation later than ``as_of``
    is ignored all the same, so an assessment never sees the future. Order does not matter;
    when two observations share the latest (or earliest) time the later (earlier) one in the
    input wins. Non-finite values are skipped with the note ``non_finite_ignored``.
    """
    if not math.isfinite(as_of):
        raise AssessmentError("not_finite", f"as_of must be a finite number, not {as_of!r}")
    notes: list[str] = []
    count = 0
    first_t = first_v = last_t = last_v = math.nan
    isfinite = math.isfinite
    final = as_of > target.deadline
    cut = target.deadline + MIN_SPAN  # a period ending on the deadline counts as by it
    by_t = by_v = math.nan  # the latest observation by the deadline
    late: list[tuple[float, float]] = []  # observations after the deadline, in input order
    for t, v in observations:
        if t > as_of:
            continue
        if not (isfinite(t) and isfinite(v)):
            if "non_finite_ignored" not in notes:
                notes.append("non_finite_ignored")
            continue
        if count == 0:
            first_t, first_v, last_t, last_v = t, v, t, v
        else:
            if t < first_t:
                first_t, first_v = t, v
            if t >= last_t:
                last_t, last_v = t, v
        if final:
            if t > cut:
                late.append((t, v))
            elif not t < by_t:  # also true while by_t is NaN
                by_t, by_v = t, v
        count += 1
    return _assess_summary(
        target, as_of, count, first_t, first_v, last_t, last_v, notes, (by_t, by_v), late
    )


def _assess_summary(
    target: Target,
    as_of: float,
    count: int,
    first_t: float,
    first_v: float,
    last_t: float,
    last_v: float,
    notes: list[str],
    by_deadline: tuple[float, float] = (math.nan, math.nan),
    late: Sequence[tuple[float, float]] = (),
) -> Assessment:
    """The assessment from what it depends on: the earliest and the latest observation, and
    after the deadline the latest one by it and those after it (``late``)."""
    d = target.direction
    if target.baseline is not None:
        y0, t0, source = target.baseline, target.baseline_time, "plan"
    elif count:
        y0, t0, source = first_v, first_t, "earliest"
        notes.append("baseline_from_earliest")
    else:
        y0 = t0 = source = None
    level, upper = target_levels(target, y0)
    if t0 is not None and as_of < t0:
        notes.append("as_of_before_baseline")
    if as_of > target.deadline:
        notes.append("deadline_passed")

    final = as_of > target.deadline
    if count == 0:
        status = Status.NO_DATA
        if final:
            status = _final_without_value(target, as_of, notes)
        return Assessment(
            status, None, None, None, y0, t0, source, level, upper, False, None, None,
            None, None, None, target.trajectory, target.deadline, False, 0, tuple(notes),
            final=final,
        )  # fmt: skip

    yt, t = last_v, last_t
    achieved = reached(yt, level, d)
    exceeded = upper is not None and reached(yt, upper, d)
    stale = is_stale(t, as_of, target)
    progress = _progress(target, y0, t0, level, yt, t, source, notes)

    if final:
        status = Status.NO_DATA  # replaced by the final evaluation below
    elif achieved:
        status = Status.ACHIEVED
        if stale:
            notes.append("stale_value")
    elif stale:
        status = Status.STALE
    elif progress.ratio is not None:
        status = band(progress.ratio)
    elif progress.equal_target and progress.elapsed:
        # T = y0 and not reached: the value has moved away from where it had to stay.
        status = Status.DETERIORATION
    else:
        status = Status.NO_DATA  # a value, but no elapsed time to judge a pace over

    pace = Assessment(
        status=status,
        ratio=progress.ratio,
        value=yt,
        time=t,
        baseline=y0,
        baseline_time=t0,
        baseline_source=source,
        target_value=level,
        target_upper=upper,
        exceeded=exceeded,
        expected_value=_path_value(progress.method, y0, t0, level, target.deadline, t),
        time_share=progress.time_share,
        progress_share=progress.progress_share,
        forecast=progress.forecast,
        forecast_meets=None if progress.forecast is None else reached(progress.forecast, level, d),
        method=progress.method,
        deadline=target.deadline,
        stale=stale,
        observations=count,
        notes=tuple(dict.fromkeys(notes)),  # each code once, in the order first noted
    )
    if final:
        return _final_assessment(pace, target, as_of, progress, by_deadline, late, notes)
    return pace


@dataclass(slots=True)
class _Progress:
    method: str
    ratio: float | None = None
    time_share: float | None = None
    progress_share: float | None = None
    forecast: float | None = None
    equal_target: bool = False
    elapsed: bool = False


def _progress(
    target: Target,
    y0: float,
    t0: float,
    level: float,
    yt: float,
    t: float,
    source: str,
    notes: list[str],
) -> _Progress:
    """R, the shares and the forecast, or the reason they cannot be formed (as a note)."""
    d, deadline = target.direction, target.deadline
    method = target.trajectory
    if method == "growth" and not (y0 > 0 and level > 0):
        method = "linear"  # CAGR needs a positive start and end
        notes.append("growth_fallback_linear")
    result = _Progress(method)
    result.equal_target = level == y0
    if result.equal_target:
        notes.append("target_equals_baseline")
    else:
        if (level < y0) if d == 1 else (level > y0):
            notes.append("target_behind_baseline")  # the baseline had already met the target
        result.progress_share = _signed_share(d, yt, y0, level)

    deadline_open = deadline - t0 >= MIN_SPAN
    elapsed = t - t0 >= MIN_SPAN
    if deadline_open:
        result.time_share = _share(t, t0, deadline)
    result.elapsed = elapsed
    if not elapsed:
        notes.append("single_observation" if source == "earliest" else "no_time_since_baseline")
        return result
    if not deadline_open:
        # The deadline is not after the baseline: all the time is gone, so R is the share of
        # the way covered (time share 1), judged on a straight line.
        notes.append("deadline_not_after_baseline")
        result.method = "linear"
        result.time_share = 1.0
        result.ratio = result.progress_share
        return result

    if result.method == "growth":
        _growth_progress(result, d, y0, t0, level, deadline, yt, t, notes)
    else:
        _linear_progress(result, y0, yt)
    if result.ratio is not None and math.isnan(result.ratio):
        result.ratio = None  # only from overflowing extremes (|values| near 1e308)
        notes.append("numeric_limit")
    if result.forecast is not None and math.isnan(result.forecast):
        result.forecast = None
        notes.append("numeric_limit")
    return result


def _linear_progress(result: _Progress, y0: float, yt: float) -> None:
    """R = share of the way / share of the time; forecast: the same straight line to tT."""
    time_share = result.time_share
    if result.progress_share is not None:
        result.ratio = result.progress_share / time_share
    # The straight line through (t0, y0) and (t, yt), extended to the deadline.
    result.forecast = y0 + (yt - y0) / time_share


def _growth_progress(
    result: _Progress,
    d: int,
    y0: float,
    t0: float,
    level: float,
    deadline: float,
    yt: float,
    t: float,
    notes: list[str],
) -> None:
    """R = d·CAGR_obs / |CAGR_req|; forecast: the observed CAGR compounded to the deadline."""
    log_y0 = math.log(y0)
    if yt > 0:
        rate_obs = (math.log(yt) - log_y0) / (t - t0)  # continuous growth per year
        cagr_obs = _expm1_capped(rate_obs, notes)
        result.forecast = _exp_capped(log_y0 + rate_obs * (deadline - t0), notes)
    else:
        # Fallen to zero or below: at least the whole value is lost, CAGR −100%; compounding
        # cannot project from a non-positive value, so the forecast is the straight line.
        notes.append("growth_value_not_positive")
        cagr_obs = -1.0
        result.forecast = y0 + (yt - y0) / result.time_share
    if result.equal_target:
        return  # CAGR_req is 0: no ratio (see the status rules)
    cagr_req = _expm1_capped((math.log(level) - log_y0) / (deadline - t0), notes)
    if cagr_req == 0:
        # T and y0 so close that log() cannot tell them apart: judge on a straight line.
        notes.append("growth_fallback_linear")
        result.method = "linear"
        _linear_progress(result, y0, yt)
        return
    result.ratio = d * cagr_obs / abs(cagr_req)


def _expm1_capped(x: float, notes: list[str]) -> float:
    if x > EXP_CAP:
        notes.append("numeric_limit")
        x = EXP_CAP
    return math.expm1(x)


def _exp_capped(x: float, notes: list[str]) -> float:
    if x > EXP_CAP:
        notes.append("numeric_limit")
        x = EXP_CAP
    return math.exp(x)


def _share(a: float, b: float, c: float) -> float:
    """(a − b) / (c − b) for c ≠ b, halving first when a difference would overflow."""
    num, den = a - b, c - b
    if math.isinf(num) or math.isinf(den):
        num, den = a / 2 - b / 2, c / 2 - b / 2
    return num / den


def _signed_share(d: int, value: float, y0: float, level: float) -> float:
    """d·(value − y0) / |T − y0|: the share of the way to T, negative when moving away.

    This is the BRIEF's (yt − y0)/(T − y0) whenever T lies ahead of y0 in direction d (the only
    case that formula was written for). Written with d and |T − y0| it also stays right when
    the baseline had already met the target: falling back below it is then negative.
    """
    return _share(value, y0, level) * (d if level > y0 else -d)


def _path_value(
    method: str, y0: float | None, t0: float | None, level: float | None, deadline: float, x: float
) -> float | None:
    """The required path at time x: y0 up to t0, T from the deadline on, and in between a
    straight line (linear) or constant compound growth (growth)."""
    if y0 is None or t0 is None or level is None:
        return None
    if x <= t0:
        return y0
    if x >= deadline:
        return level
    tau = _share(x, t0, deadline)
    if method == "growth" and y0 > 0 and level > 0:
        # exp of a convex mix of the two logs never exceeds the larger endpoint: no overflow
        return math.exp((1 - tau) * math.log(y0) + tau * math.log(level))
    return y0 * (1 - tau) + level * tau


def expected_path(
    target: Target, baseline: float, baseline_time: float, times: Iterable[float]
) -> list[float]:
    """The required path at each of ``times``, for charts (geometric for growth, else straight).

    Before the baseline it is the baseline; from the deadline on it is the target level.
    """
    level, _ = target_levels(target, baseline)
    # _path_value draws a straight line unless both ends are positive
    return [
        _path_value(target.trajectory, baseline, baseline_time, level, target.deadline, x)
        for x in times
    ]


def _final_without_value(target: Target, as_of: float, notes: list[str]) -> Status:
    """After the deadline with no value for its period: awaiting it within the grace period,
    not achieved (no data) after it."""
    notes.append("final_evaluation")
    if as_of <= target.deadline + target.grace_years + MIN_SPAN:
        return Status.AWAITING_FINAL
    notes.append("no_final_value")
    return Status.NOT_ACHIEVED_NO_DATA


def final_status(
    target: Target,
    level: float,
    as_of: float,
    by_deadline: tuple[float, float],
    late: Sequence[tuple[float, float]],
    latest: tuple[float, float],
    notes: list[str],
) -> tuple[Status, tuple[float, float] | None]:
    """The final evaluation of a series whose deadline has passed as of ``as_of``, and the
    observation it rests on. In this order:

    1. achieved (已完成): the latest value by the deadline (a period ending on or before it)
       has reached T;
    2. achieved_late (逾期完成): otherwise, a value after the deadline has reached T (the
       first such value is the one shown);
    3. not_achieved (未完成): otherwise, the value of the deadline's period (or a later one)
       is in: the latest value shows how far it got;
    4. awaiting_final (待终期数据): otherwise, within the grace period after the deadline;
    5. not_achieved_no_data (未完成（无数据）): otherwise (the latest earlier value, if any, is
       shown as context).
    """
    d = target.direction
    by_t, by_v = by_deadline
    if not math.isnan(by_t) and reached(by_v, level, d):
        return Status.ACHIEVED, (by_t, by_v)
    first_late = None
    for t, v in late:
        if reached(v, level, d) and (first_late is None or t < first_late[0]):
            first_late = (t, v)
    if first_late is not None:
        return Status.ACHIEVED_LATE, first_late
    if latest[0] >= target.deadline - MIN_SPAN:
        return Status.NOT_ACHIEVED, latest
    status = _final_without_value(target, as_of, [])
    if status == Status.NOT_ACHIEVED_NO_DATA:
        notes.append("no_final_value")
        return status, latest
    return status, None


def _final_assessment(
    pace: Assessment,
    target: Target,
    as_of: float,
    progress: _Progress,
    by_deadline: tuple[float, float],
    late: Sequence[tuple[float, float]],
    notes: list[str],
) -> Assessment:
    """After the deadline nothing is forecast: no R, no forecast; the share of the way and
    the gap are those of the value the final status rests on."""
    notes.append("final_evaluation")
    level, d = pace.target_value, target.direction
    latest = (pace.time, pace.value)
    status, basis = final_status(target, level, as_of, by_deadline, late, latest, notes)
    share, gap = pace.progress_share, None
    if basis is not None:
        if not progress.equal_target:
            share = _signed_share(d, basis[1], pace.baseline, level)
        gap = d * (level - basis[1])
        if math.isinf(gap) or math.isnan(gap):
            gap = None
    return replace(
        pace,
        status=status,
        ratio=None,
        progress_share=share,
        forecast=None,
        forecast_meets=None,
        notes=tuple(dict.fromkeys(notes)),
        final=True,
        final_value=None if basis is None else basis[1],
        final_time=None if basis is None else basis[0],
        gap=gap,
    )


# --- many series at once --------------------------------------------------------------------

K = TypeVar("K")


def assess_many(
    targets: Mapping[K, Target],
    observations: Mapping[K, Iterable[tuple[float, float]]],
    as_of: float,
) -> dict[K, Assessment]:
    """Assess every keyed series; a target with no observations is assessed as no data."""
    unknown = observations.keys() - targets.keys()
    if unknown:
        raise AssessmentError(
            "observations_without_target", f"{len(unknown)} observation series have no target"
        )
    empty: tuple[tuple[float, float], ...] = ()
    return {
        key: assess(target, observations.get(key, empty), as_of) for key, target in targets.items()
    }


def assess_columns(
    target: Target, times: Sequence[float], values: Sequence[float | None], as_of: float
) -> Assessment:
    """Like ``assess`` for parallel lists of times and values; ``None`` marks a missing value."""
    if len(times) != len(values):
        raise AssessmentError("length_mismatch", "times and values differ in length")
    return assess(
        target, [(t, v) for t, v in zip(times, values, strict=True) if v is not None], as_of
    )


# --- aggregation across org units -----------------------------------------------------------


def aggregate(
    rows: Iterable[tuple[Any, float, float]], how: str, lead: Any = None
) -> list[tuple[float, float, int]]:
    """Turn unit values into one series: ``(time, value, n_units)`` per time, in time order.

    A time at which only some units reported is aggregated over those that did (a sum is the
    sum of what is there); ``n_units`` lets the caller show how complete each point is.
    ``how="none"`` means only one unit's value counts: pass that unit as ``lead`` (rows of
    other units are dropped), or pass rows of one unit only. A unit reported twice for the
    same time is refused, because silently keeping one would hide a data error.
    """
    if how not in AGGREGATIONS:
        raise AssessmentError("bad_aggregation", f"unknown aggregation {how!r}")
    by_time: dict[float, dict[Any, float]] = {}
    for unit, t, v in rows:
        if how == "none" and lead is not None and unit != lead:
            continue
        if not (math.isfinite(t) and math.isfinite(v)):
            raise AssessmentError("not_finite", f"non-finite value for {unit!r} at {t!r}")
        units = by_time.setdefault(t, {})
        if unit in units:
            raise AssessmentError("duplicate_row", f"{unit!r} reported twice at {t!r}")
        units[unit] = v
    result = []
    for t in sorted(by_time):
        values = list(by_time[t].values())
        if how == "none" and len(values) > 1:
            raise AssessmentError(
                "several_units", f"aggregation 'none' got {len(values)} units at {t!r}"
            )
        result.append((t, _combine(values, how), len(values)))
    return result


def aggregate_columns(
    times: Sequence[float], columns: Sequence[Sequence[float | None]], how: str
) -> list[tuple[float, float, int]]:
    """``aggregate`` for values laid out as one column per unit aligned with ``times``.

    ``None`` marks a unit that did not report; times at which no unit reported are left out.
    This is the fast path for large in-memory tables (no per-row dictionaries).
    """
    if how not in AGGREGATIONS or how == "none":
        raise AssessmentError("bad_aggregation", f"aggregate_columns cannot do {how!r}")
    result = []
    for t, row in zip(times, zip(*columns, strict=True), strict=True):
        values = [v for v in row if v is not None]
        if values:
            result.append((t, _combine(values, how), len(values)))
    return result


def _combine(values: list[float], how: str) -> float:
    if how == "sum" or how == "none":
        return math.fsum(values)
    if how == "mean":
        return math.fsum(values) / len(values)
    if how == "max":
        return max(values)
    return min(values)


# --- roll-up over the plan's node tree ------------------------------------------------------

SCORES: dict[Status, int] = {
    Status.ACHIEVED: 4,
    Status.ON_TRACK: 3,
    Status.ACHIEVED_LATE: 3,  # reached, a period or more late
    Status.NEEDS_ACCELERATION: 2,
    Status.LIMITED_PROGRESS: 1,
    Status.NOT_ACHIEVED: 1,  # missed: what limited progress would have led to
    Status.DETERIORATION: 0,
    Status.NOT_ACHIEVED_NO_DATA: 0,  # missed, and not even the final figure was reported
}
# No data, stale and awaiting_final have no score: nothing is known (yet) to score.

# A mean score is banded to the status whose own score is nearest (ties go up). "Achieved"
# is never reached by averaging: a node is achieved only when every scored child is.
# Weighted means pick up rounding (1.5·w / w can come out as 1.4999…), so a score within this
# of a threshold counts as on it; otherwise a node's status could change by merely nesting it.
SCORE_TOLERANCE = 1e-9
ROLLUP_BANDS: tuple[tuple[float, Status], ...] = (
    (2.5, Status.ON_TRACK),
    (1.5, Status.NEEDS_ACCELERATION),
    (0.5, Status.LIMITED_PROGRESS),
)


# Which rule decided a node's status (``Rollup.rule``), so that a page can say how.
ROLLUP_RULES = (
    "empty",  # no indicator, milestone or assessed child: no data
    "unscored",  # nothing scored (all no data / stale / awaiting): stale, awaiting or no data
    "all_achieved",  # every scored child achieved
    "mean",  # the weighted mean score, banded back
    "final_missed",  # final: some child missed its target → not achieved (or: no data)
    "final_awaiting",  # final: none missed, some still awaiting their final figure
    "final_late",  # final: all reached, some late → achieved late
)


@dataclass(frozen=True)
class Rollup:
    status: Status
    score: float | None  # weighted mean score of the scored children; None when none is scored
    counts: dict[Status, int]  # direct children by status (all of them, scored or not)
    coverage: float | None  # share of the children's weight that has a score
    rule: str = "empty"  # which of ROLLUP_RULES decided the status
    final: bool = False  # every child is past its deadline: the status is a final one


# Child statuses that fit a final evaluation: the final ones, and "achieved" (reached by the
# deadline, or early: either way it can no longer make the node fall short).
_FINAL_COMPATIBLE = FINAL_STATUSES | {Status.ACHIEVED}


def rollup(items: Iterable[tuple[Status | Rollup, float]]) -> Rollup:
    """A node's status from its indicators, milestones and child nodes: the one roll-up rule.

    An item is ``(status, weight)``, or ``(rollup, weight)`` for a child node, whose exact
    score (not its banded status) then counts in the mean while it runs; once final, the score
    of its final status counts. Scores: ``SCORES``.

    - While anything under the node is still running, the weighted mean of the scored
      children is banded back (``ROLLUP_BANDS``); achieved only when every scored child is.
      No data, stale and awaiting children are left out of the mean but counted; with nothing
      scored: stale if any child is stale, else awaiting if any is awaiting, else no data.
    - Once every child has had its final evaluation (each is achieved, achieved late, not
      achieved, awaiting its final figure, or a final child node) and at least one is
      past its deadline, the node's status is final too and no pace band is given: the
      worst child decides, in the order not achieved, not achieved (no data), awaiting,
      achieved late, achieved. The mean score is still reported.
    """
    counts: dict[Status, int] = {}
    total_weight = scored_weight = weighted_sum = 0.0
    all_achieved = True
    all_final_compatible = True
    any_final = False
    for item, weight in items:
        if not (isinstance(weight, int | float) and math.isfinite(weight) and weight > 0):
            raise AssessmentError("bad_weight", f"weight must be a positive number, not {weight!r}")
        if isinstance(item, Rollup):
            status, is_final = item.status, item.final
            # A running child node counts with its exact mean; a finished one with the score
            # of its final status: its outcome is settled, and the mean of its items would let
            # a section that missed its targets read as on track one level up.
            score = SCORES.get(status) if is_final else item.score
        else:
            status = Status(item)
            score = SCORES.get(status)
            is_final = status in FINAL_STATUSES
        counts[status] = counts.get(status, 0) + 1
        total_weight += weight
        any_final = any_final or is_final
        all_final_compatible = all_final_compatible and (is_final or status == Status.ACHIEVED)
        if score is None:
            continue
        scored_weight += weight
        weighted_sum += score * weight
        all_achieved = all_achieved and status == Status.ACHIEVED

    if not counts:
        return Rollup(Status.NO_DATA, None, counts, None)
    coverage = scored_weight / total_weight
    score = weighted_sum / scored_weight if scored_weight else None
    if any_final and all_final_compatible:
        status, rule = _final_rollup(counts)
        return Rollup(status, score, counts, coverage, rule, final=True)
    if scored_weight == 0:
        if Status.STALE in counts:
            status = Status.STALE
        elif Status.AWAITING_FINAL in counts:
            status = Status.AWAITING_FINAL
        else:
            status = Status.NO_DATA
        return Rollup(status, None, counts, coverage, "unscored")
    rule = "all_achieved" if all_achieved else "mean"
    return Rollup(_band_score(score, all_achieved), score, counts, coverage, rule)


def _final_rollup(counts: dict[Status, int]) -> tuple[Status, str]:
    """The worst final status among the children decides (not achieved before not achieved
    for lack of data, before awaiting, before late, before achieved)."""
    if Status.NOT_ACHIEVED in counts:
        return Status.NOT_ACHIEVED, "final_missed"
    if Status.NOT_ACHIEVED_NO_DATA in counts:
        return Status.NOT_ACHIEVED_NO_DATA, "final_missed"
    if Status.AWAITING_FINAL in counts:
        return Status.AWAITING_FINAL, "final_awaiting"
    if Status.ACHIEVED_LATE in counts:
        return Status.ACHIEVED_LATE, "final_late"
    return Status.ACHIEVED, "all_achieved"


def _band_score(score: float, all_achieved: bool) -> Status:
    if all_achieved:
        return Status.ACHIEVED
    for threshold, status in ROLLUP_BANDS:
        if score >= threshold - SCORE_TOLERANCE:
            return status
    return Status.DETERIORATION


# --- milestones (qualitative items) ---------------------------------------------------------


def milestone_status(
    report: str | None, due: float, as_of: float, start: float | None = None
) -> Status:
    """The status of a qualitative commitment from its latest approved report.

    completed → achieved; blocked → deterioration; in_progress → on track until due, needs
    acceleration after; delayed → needs acceleration until due, limited progress after;
    not_started → on track while less than half the time from ``start`` to ``due`` has gone,
    needs acceleration from then until due (and whenever ``start`` is unknown, since nothing
    shows there is time enough), limited progress after due. No report → no data.
    """
    if report is None:
        return Status.NO_DATA
    if report not in MILESTONE_REPORTS:
        raise AssessmentError("unknown_report", f"unknown milestone report {report!r}")
    overdue = as_of > due
    if report == "completed":
        return Status.ACHIEVED
    if report == "blocked":
        return Status.DETERIORATION
    if report == "in_progress":
        return Status.NEEDS_ACCELERATION if overdue else Status.ON_TRACK
    if report == "delayed" or overdue:
        return Status.LIMITED_PROGRESS if overdue else Status.NEEDS_ACCELERATION
    # not_started, before due
    if start is not None and due - start >= MIN_SPAN and (as_of - start) / (due - start) < 0.5:
        return Status.ON_TRACK
    return Status.NEEDS_ACCELERATION


def assess_milestone(
    reports: Iterable[tuple[float, str]],
    due: float,
    as_of: float,
    start: float | None = None,
    grace_years: float = DEFAULT_GRACE_YEARS,
) -> Status:
    """A milestone's status from its approved reports ``(period end time, report)``, one per
    period (the caller chooses between units' reports for the same period), as of a date.

    Until the due date: ``milestone_status`` of the latest report. After it, the final
    evaluation, as for indicators: achieved when the latest report for a period ending by the
    due date says completed; achieved_late when a later period's report says completed; not
    achieved when a report for the due date's period (or a later one) says otherwise;
    awaiting_final within the grace period; not_achieved_no_data after it.
    """
    seen = sorted(((t, r) for t, r in reports if t <= as_of), key=lambda tr: tr[0])
    for _t, report in seen:
        if report not in MILESTONE_REPORTS:
            raise AssessmentError("unknown_report", f"unknown milestone report {report!r}")
    if as_of <= due:
        return milestone_status(seen[-1][1] if seen else None, due, as_of, start)
    by_due = [r for t, r in seen if t <= due + MIN_SPAN]
    if by_due and by_due[-1] == "completed":
        return Status.ACHIEVED
    if any(r == "completed" for t, r in seen if t > due + MIN_SPAN):
        return Status.ACHIEVED_LATE
    if any(t >= due - MIN_SPAN for t, _r in seen):
        return Status.NOT_ACHIEVED
    if as_of <= due + grace_years + MIN_SPAN:
        return Status.AWAITING_FINAL
    return Status.NOT_ACHIEVED_NO_DATA
