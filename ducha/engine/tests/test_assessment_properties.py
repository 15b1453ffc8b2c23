"""Invariants of the assessment, checked by hypothesis over generated targets and series."""

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from ducha.engine.assessment import (
    FINAL_STATUSES,
    MILESTONE_REPORTS,
    MISSED_STATUSES,
    NOTES,
    PACE_STATUSES,
    SCORES,
    Status,
    Target,
    aggregate,
    aggregate_columns,
    assess,
    assess_milestone,
    band,
    expected_path,
    milestone_status,
    reached,
    rollup,
)

BAND_STATUSES = {
    Status.ON_TRACK,
    Status.NEEDS_ACCELERATION,
    Status.LIMITED_PROGRESS,
    Status.DETERIORATION,
}

# Realistic magnitudes for the properties about meaning; the "never raises" property below
# uses every finite float.
times = st.floats(1990, 2060)
values = st.floats(-1e9, 1e9)
positive_values = st.floats(1e-6, 1e9)
any_finite = st.floats(allow_nan=False, allow_infinity=False)
directions = st.sampled_from([1, -1])
trajectories = st.sampled_from(["growth", "linear"])


@st.composite
def targets(draw, numbers=values, trajectory=trajectories, direction=directions, baseline=True):
    d = draw(direction)
    low, high = sorted([draw(numbers), draw(numbers)])
    has_range = draw(st.booleans())
    with_baseline = draw(st.booleans()) if baseline is None else baseline
    return Target(
        target_min=low,
        target_max=high if has_range else None,
        direction=d,
        comparator=draw(st.sampled_from(["=", ">=" if d == 1 else "<="])),
        deadline=draw(times if numbers is not any_finite else any_finite),
        trajectory=draw(trajectory),
        baseline=draw(numbers) if with_baseline else None,
        baseline_time=draw(times if numbers is not any_finite else any_finite)
        if with_baseline
        else None,
        frequency_years=draw(st.sampled_from([1.0, 0.25, 1 / 12])),
    )


@st.composite
def timed_targets(draw, trajectory=trajectories, direction=directions, numbers=values):
    """A target whose deadline lies 0.25 to 10 years after its stated baseline."""
    t0 = draw(st.floats(2000, 2030))
    d = draw(direction)
    return Target(
        target_min=draw(numbers),
        direction=d,
        deadline=t0 + draw(st.floats(0.25, 10)),
        trajectory=draw(trajectory),
        baseline=draw(numbers),
        baseline_time=t0,
    )


elapsed = st.floats(0.01, 12)


series = st.lists(st.tuples(times, values), max_size=12)


# --- R moves with the value in the indicator's direction --------------------------------------


@given(timed_targets(), values, values, elapsed)
def test_ratio_rises_with_the_value_for_a_rising_indicator_and_falls_for_a_falling_one(
    target, a, b, gap
):
    assume(target.target_min != target.baseline)
    low, high = sorted([a, b])
    t = target.baseline_time + gap
    assume(t <= target.deadline)  # R is the pace; after the deadline there is none
    r_low = assess(target, [(t, low)], t).ratio
    r_high = assess(target, [(t, high)], t).ratio
    assert r_low is not None and r_high is not None
    if target.direction == 1:
        assert r_low <= r_high
    else:
        assert r_low >= r_high


@given(timed_targets(trajectory=st.just("growth"), direction=st.just(1), numbers=positive_values),
       elapsed)  # fmt: skip
def test_growth_ratio_rises_with_the_value_down_through_zero(target, gap):
    assume(target.target_min != target.baseline)
    t = target.baseline_time + gap
    assume(t <= target.deadline)
    ratios = [assess(target, [(t, v)], t).ratio for v in (-5.0, 0.0, 1e-9, 1.0, 1e3, 1e6)]
    assert None not in ratios
    assert ratios == sorted(ratios)


# --- mirrored direction gives mirrored results ------------------------------------------------


def mirror_linear(target):
    """Negate every level and flip the direction (the linear method is symmetric under it)."""
    high = target.target_max
    return Target(
        target_min=-(high if high is not None else target.target_min),
        target_max=-target.target_min if high is not None else None,
        direction=-target.direction,
        comparator={"=": "=", ">=": "<=", "<=": ">="}[target.comparator],
        deadline=target.deadline,
        trajectory="linear",
        baseline=-target.baseline if target.baseline is not None else None,
        baseline_time=target.baseline_time,
        frequency_years=target.frequency_years,
    )


def neg(x):
    return None if x is None else -x


@given(targets(trajectory=st.just("linear"), baseline=None), series, times)
def test_linear_mirror_gives_the_same_status_and_ratio_and_mirrored_values(target, obs, as_of):
    mirrored = assess(mirror_linear(target), [(t, -v) for t, v in obs], as_of)
    original = assess(target, obs, as_of)
    assert mirrored.status == original.status
    assert mirrored.ratio == original.ratio
    assert mirrored.exceeded == original.exceeded
    assert mirrored.progress_share == original.progress_share
    assert mirrored.time_share == original.time_share
    assert mirrored.value == neg(original.value)
    assert mirrored.target_value == neg(original.target_value)
    assert mirrored.forecast == neg(original.forecast)
    assert mirrored.forecast_meets == original.forecast_meets
    assert mirrored.notes == original.notes


def reciprocal(target):
    """Growth is judged on ratios, so its mirror is 1/y with the direction flipped."""
    high = target.target_max
    return Target(
        target_min=1 / (high if high is not None else target.target_min),
        target_max=1 / target.target_min if high is not None else None,
        direction=-target.direction,
        comparator={"=": "=", ">=": "<=", "<=": ">="}[target.comparator],
        deadline=target.deadline,
        trajectory="growth",
        baseline=1 / target.baseline,
        baseline_time=target.baseline_time,
        frequency_years=target.frequency_years,
    )


def far_apart(a, b):
    return abs(a - b) > 1e-6 * max(abs(a), abs(b))


@given(
    targets(trajectory=st.just("growth"), numbers=st.floats(1e-3, 1e6)),
    st.floats(1e-3, 1e6),
    times,
    st.floats(0, 5),
)
def test_growth_mirror_keeps_achieved_and_the_sign_of_the_ratio(target, value, t, lag):
    for level in (target.target_min, target.target_max or target.target_min, target.baseline):
        assume(far_apart(value, level))
    assume(far_apart(target.baseline, target.target_min))
    original = assess(target, [(t, value)], t + lag)
    mirrored = assess(reciprocal(target), [(t, 1 / value)], t + lag)
    assert (mirrored.status == Status.ACHIEVED) == (original.status == Status.ACHIEVED)
    assert mirrored.exceeded == original.exceeded
    assert (mirrored.ratio is None) == (original.ratio is None)
    if original.ratio is not None:
        assert math.copysign(1, mirrored.ratio) == math.copysign(1, original.ratio)
        assert (mirrored.status == Status.DETERIORATION) == (
            original.status == Status.DETERIORATION
        )


# --- ranges and achieved ------------------------------------------------------------------


@given(targets(), st.floats(0, 1), times)
def test_range_between_the_bounds_is_achieved_and_at_the_far_bound_is_exceeded(target, share, t):
    assume(target.target_max is not None and target.target_max > target.target_min)
    low, high = target.target_min, target.target_max
    near, far = (low, high) if target.direction == 1 else (high, low)
    inside = near + share * (far - near)
    assume(not reached(inside, far, target.direction))  # rounding can carry it past far
    # Reached after the deadline it is achieved late; either way exceeded at the far bound.
    reached_status = Status.ACHIEVED if t <= target.deadline + 1e-6 else Status.ACHIEVED_LATE
    inside_result = assess(target, [(t, inside)], t)
    assert inside_result.status == reached_status
    assert not inside_result.exceeded
    far_result = assess(target, [(t, far)], t)
    assert far_result.status == reached_status
    assert far_result.exceeded


@given(targets(baseline=None), st.lists(st.tuples(times, values), min_size=1, max_size=12), times)
def test_achieved_exactly_when_the_latest_value_has_reached_the_target(target, obs, as_of):
    assume(as_of <= target.deadline)  # after it: the final evaluation (below)
    seen = [o for o in obs if o[0] <= as_of]
    assume(seen)
    latest = max(seen, key=lambda o: o[0])
    latest = [o for o in seen if o[0] == latest[0]][-1]  # ties: the later one in the input
    result = assess(target, obs, as_of)
    assert result.value == latest[1]
    assert (result.status == Status.ACHIEVED) == reached(
        latest[1], result.target_value, target.direction
    )


# --- statuses agree with R ------------------------------------------------------------------


def briefs_band(ratio: float) -> Status:
    """The BRIEF's bands written out here, not read from the engine: R ≥ 0.95 on track ·
    0.60 ≤ R < 0.95 needs acceleration · 0 ≤ R < 0.60 limited progress · R < 0 deterioration."""
    if ratio >= 0.95:
        return Status.ON_TRACK
    if ratio >= 0.60:
        return Status.NEEDS_ACCELERATION
    if ratio >= 0:
        return Status.LIMITED_PROGRESS
    return Status.DETERIORATION


@pytest.mark.parametrize(
    "ratio,status",
    [
        (0.95, Status.ON_TRACK),
        (0.9499, Status.NEEDS_ACCELERATION),
        (0.60, Status.NEEDS_ACCELERATION),
        (0.5999, Status.LIMITED_PROGRESS),
        (0.0, Status.LIMITED_PROGRESS),
        (-0.0001, Status.DETERIORATION),
    ],
)
def test_the_bands_change_exactly_at_the_briefs_thresholds(ratio, status):
    assert band(ratio) == status == briefs_band(ratio)


@given(targets(baseline=None), series, times)
def test_status_bands_agree_with_the_ratio(target, obs, as_of):
    result = assess(target, obs, as_of)
    if result.status in BAND_STATUSES and result.ratio is not None:
        assert result.status == briefs_band(result.ratio)
    if result.ratio is not None and result.status not in (Status.ACHIEVED, Status.STALE):
        assert result.status == briefs_band(result.ratio)
    if result.status in BAND_STATUSES and result.ratio is None:
        assert result.status == Status.DETERIORATION
        assert "target_equals_baseline" in result.notes
    if result.observations == 0:
        assert result.status in (
            Status.NO_DATA, Status.AWAITING_FINAL, Status.NOT_ACHIEVED_NO_DATA
        )  # fmt: skip


@given(timed_targets(trajectory=st.just("linear")), st.floats(0.001, 1e6), values, elapsed)
def test_linear_forecast_meets_the_target_exactly_when_the_ratio_is_at_least_one(
    target, gap, value, gap_t
):
    # Put T ahead of the baseline in the target's direction, as plans do.
    level = target.baseline + target.direction * gap
    target = Target(target_min=level, direction=target.direction, deadline=target.deadline,
                    trajectory="linear", baseline=target.baseline,
                    baseline_time=target.baseline_time)  # fmt: skip
    t = target.baseline_time + gap_t
    assume(t <= target.deadline)
    result = assess(target, [(t, value)], t)
    assert result.ratio is not None and result.forecast is not None
    assume(abs(result.ratio - 1) > 1e-9)
    assert result.forecast_meets == (result.ratio > 1)


@given(
    timed_targets(trajectory=st.just("growth"), numbers=st.floats(1e-3, 1e6)),
    st.floats(1.01, 10),
    st.floats(1e-3, 1e6),
    elapsed,
)
def test_growth_forecast_meets_the_target_exactly_when_the_ratio_is_at_least_one(
    target, factor, value, gap_t
):
    level = target.baseline * factor**target.direction  # T ahead of y0
    target = Target(target_min=level, direction=target.direction, deadline=target.deadline,
                    trajectory="growth", baseline=target.baseline,
                    baseline_time=target.baseline_time)  # fmt: skip
    t = target.baseline_time + gap_t
    assume(t <= target.deadline)
    result = assess(target, [(t, value)], t)
    assert result.method == "growth"
    assume(abs(result.ratio - 1) > 1e-6)
    assert result.forecast_meets == (result.ratio > 1)


# --- no exception, no division by zero ----------------------------------------------------------


@given(
    targets(numbers=any_finite, baseline=None),
    st.lists(st.tuples(any_finite, any_finite), max_size=6),
    any_finite,
)
def test_any_finite_inputs_give_a_defined_result(target, obs, as_of):
    result = assess(target, obs, as_of)
    assert isinstance(result.status, Status)
    for number in (result.ratio, result.forecast, result.time_share, result.progress_share):
        assert number is None or not math.isnan(number)
    if result.target_value is not None and result.baseline is not None:
        expected_path(target, result.baseline, result.baseline_time, [as_of, target.deadline])
    result.as_dict()
    assert set(result.notes) <= set(NOTES)
    assert len(set(result.notes)) == len(result.notes)


@given(st.sampled_from([0.0, 1.0, -1.0]), st.sampled_from([0.0, 1.0, -1.0]), trajectories,
       directions, st.sampled_from([2018.0, 2019.0, 2021.0]))  # fmt: skip
def test_zeros_and_equal_times_give_a_defined_result(y0, level, trajectory, d, deadline):
    target = Target(target_min=level, direction=d, deadline=deadline, trajectory=trajectory,
                    baseline=y0, baseline_time=2018.0)  # fmt: skip
    cases = [
        ([(2018.0, y0)], 2018.0),  # only the baseline
        ([(2018.0, 0.0)], 2017.0),  # as of before the baseline
        ([(2019.0, 0.0), (2019.0, 1.0)], 2019.0),  # equal times
        ([(2020.0, 0.0)], 2020.0),
    ]
    for obs, as_of in cases:
        assert isinstance(assess(target, obs, as_of).status, Status)


# --- as of --------------------------------------------------------------------------------------


@given(targets(baseline=None), series, times)
def test_as_of_never_sees_observations_after_it(target, obs, as_of):
    visible = [o for o in obs if o[0] <= as_of]
    assert assess(target, obs, as_of) == assess(target, visible, as_of)


@given(targets(baseline=None), st.lists(st.tuples(times, values), unique_by=lambda o: o[0]), times)
def test_order_of_observations_does_not_matter(target, obs, as_of):
    assert assess(target, obs, as_of) == assess(target, list(reversed(obs)), as_of)


# --- roll-up ----------------------------------------------------------------------------------


statuses = st.sampled_from(list(Status))
weights = st.floats(1e-3, 1e3)


@given(statuses, st.lists(weights, min_size=1, max_size=20))
def test_rollup_of_identical_children_is_that_childs_status(status, child_weights):
    assert rollup([(status, w) for w in child_weights]).status == status


@given(st.lists(st.tuples(statuses, weights), max_size=20))
def test_rollup_score_lies_within_the_childrens_scores(items):
    result = rollup(items)
    scored = [SCORES[s] for s, _ in items if s in SCORES]
    assert sum(result.counts.values()) == len(items)
    if scored:
        assert min(scored) - 1e-9 <= result.score <= max(scored) + 1e-9
        if not result.final:
            assert (result.status == Status.ACHIEVED) == all(s == 4 for s in scored)
        assert 0 < result.coverage <= 1
    else:
        assert result.score is None


@given(st.lists(st.tuples(statuses, weights), min_size=1, max_size=10), weights)
def test_rollup_child_node_counts_with_its_exact_score(items, weight):
    child = rollup(items)
    parent = rollup([(child, weight)])
    # a finished child counts with the score of its final status, a running one exactly
    score = SCORES.get(child.status) if child.final else child.score
    assert parent.score == score or math.isclose(parent.score, score)
    assert parent.status == child.status


# --- aggregation --------------------------------------------------------------------------------


@given(
    st.dictionaries(
        st.sampled_from("ABCDEFG"),
        st.dictionaries(st.sampled_from([2018.0, 2018.25, 2018.5]), values, max_size=3),
    ),
    st.sampled_from(["sum", "mean", "max", "min"]),
)
def test_aggregate_combines_whatever_units_reported_and_counts_them(table, how):
    rows = [(unit, t, v) for unit, by_time in table.items() for t, v in by_time.items()]
    result = aggregate(rows, how)
    for t, value, n in result:
        reported = [by_time[t] for by_time in table.values() if t in by_time]
        assert n == len(reported)
        expect = {"sum": math.fsum(reported), "mean": math.fsum(reported) / n,
                  "max": max(reported), "min": min(reported)}[how]  # fmt: skip
        assert value == expect
    time_axis = [2018.0, 2018.25, 2018.5]
    columns = [[by_time.get(t) for t in time_axis] for by_time in table.values()]
    if columns:
        assert aggregate_columns(time_axis, columns, how) == result


# --- change targets -------------------------------------------------------------------------


@given(st.floats(0, 200), positive_values, directions, trajectories, times)
def test_change_target_is_a_percentage_of_the_baseline(percent, y0, d, trajectory, t0):
    target = Target(target_min=percent, kind="change", direction=d, deadline=t0 + 3,
                    trajectory=trajectory, baseline=y0, baseline_time=t0)  # fmt: skip
    result = assess(target, [], t0)
    assert math.isclose(result.target_value, y0 * (1 + d * percent / 100), rel_tol=1e-12)


# --- the final evaluation (终期评估): after the deadline nothing is forecast ---------------------


def by_deadline(target, obs, as_of):
    """The latest observation whose period ends by the deadline (ties: the later in input)."""
    seen = [o for o in obs if o[0] <= min(as_of, target.deadline + 1e-6)]
    if not seen:
        return None
    latest = max(t for t, _v in seen)
    return [o for o in seen if o[0] == latest][-1]


final_targets = targets(baseline=None, numbers=st.floats(-1e6, 1e6))
final_series = st.lists(st.tuples(st.floats(2015, 2030), st.floats(-1e6, 1e6)), max_size=10)


@given(final_targets, final_series, st.floats(0, 10))
def test_after_the_deadline_no_status_is_a_forecast_for_any_history(target, obs, after):
    as_of = target.deadline + 1e-3 + after
    result = assess(target, obs, as_of)
    assert result.final
    assert result.status not in PACE_STATUSES
    assert result.status in FINAL_STATUSES | {Status.ACHIEVED}
    assert result.ratio is None and result.forecast is None and result.forecast_meets is None


@given(final_targets, final_series, st.floats(0, 10))
def test_before_the_deadline_no_status_is_a_final_one(target, obs, before):
    result = assess(target, obs, target.deadline - before)
    assert not result.final
    assert result.status not in FINAL_STATUSES


@given(final_targets, final_series, st.floats(0, 10))
def test_achieved_after_the_deadline_iff_the_value_by_the_deadline_reached_the_target(
    target, obs, after
):
    as_of = target.deadline + 1e-3 + after
    result = assess(target, obs, as_of)
    at_deadline = by_deadline(target, obs, as_of)
    met = at_deadline is not None and reached(at_deadline[1], result.target_value, target.direction)
    assert (result.status == Status.ACHIEVED) == met
    if met:
        assert (result.final_time, result.final_value) == at_deadline


@given(final_targets, final_series, st.floats(0, 10))
def test_achieved_late_iff_first_reached_after_the_deadline(target, obs, after):
    as_of = target.deadline + 1e-3 + after
    result = assess(target, obs, as_of)
    at_deadline = by_deadline(target, obs, as_of)
    level, d = result.target_value, target.direction
    met_by_deadline = at_deadline is not None and reached(at_deadline[1], level, d)
    late_hits = [
        (t, v) for t, v in obs if target.deadline + 1e-6 < t <= as_of and reached(v, level, d)
    ]
    assert (result.status == Status.ACHIEVED_LATE) == (not met_by_deadline and bool(late_hits))
    if result.status == Status.ACHIEVED_LATE:
        assert result.final_time == min(t for t, _v in late_hits)


@given(final_targets, final_series, st.floats(0, 10))
def test_awaiting_only_within_the_grace_period_and_before_the_deadlines_value(target, obs, after):
    as_of = target.deadline + 1e-3 + after
    result = assess(target, obs, as_of)
    if result.status == Status.AWAITING_FINAL:
        assert as_of <= target.deadline + target.grace_years + 1e-6
        assert all(t < target.deadline - 1e-6 for t, _v in obs if t <= as_of)
    if result.status == Status.NOT_ACHIEVED:
        # the deadline's value (or a later one) is in, and it falls short
        assert any(t >= target.deadline - 1e-6 for t, _v in obs if t <= as_of)
        assert result.gap is not None and result.gap > 0
        assert not reached(result.final_value, result.target_value, target.direction)


@given(final_targets, final_series, st.floats(0, 10), st.floats(0, 10))
def test_final_status_moves_only_forward_as_the_date_advances(target, obs, a, b):
    """For the same values, a later date can only settle a final status: reached (on time or
    late) stays so; nothing goes back to awaiting; a miss can still become achieved late (a
    later period reaches the target) but never achieved on time."""
    early, late = sorted([a, b])
    first = assess(target, obs, target.deadline + 1e-3 + early).status
    second = assess(target, obs, target.deadline + 1e-3 + late).status
    if first in (Status.ACHIEVED, Status.ACHIEVED_LATE):
        assert second == first
    if first != Status.AWAITING_FINAL:
        assert second != Status.AWAITING_FINAL
    if first in MISSED_STATUSES:
        assert second in MISSED_STATUSES | {Status.ACHIEVED_LATE}


@given(final_targets, final_series, st.floats(0, 10))
def test_a_final_status_does_not_depend_on_values_after_the_date(target, obs, after):
    as_of = target.deadline + 1e-3 + after
    visible = [o for o in obs if o[0] <= as_of]
    assert assess(target, obs, as_of) == assess(target, visible, as_of)


milestone_reports = st.lists(
    st.tuples(st.floats(2015, 2030), st.sampled_from(MILESTONE_REPORTS)), max_size=8
)


@given(milestone_reports, st.floats(2016, 2028), st.floats(0, 10), st.floats(0, 2))
def test_milestone_after_its_due_date_is_never_a_forecast(reports, due, after, grace):
    as_of = due + 1e-3 + after
    status = assess_milestone(reports, due, as_of, start=2015.0, grace_years=grace)
    assert status in FINAL_STATUSES | {Status.ACHIEVED}
    seen = [(t, r) for t, r in reports if t <= as_of]
    on_time = sorted((o for o in seen if o[0] <= due + 1e-6), key=lambda o: o[0])
    completed_on_time = bool(on_time) and on_time[-1][1] == "completed"
    completed_late = any(r == "completed" for t, r in seen if t > due + 1e-6)
    assert (status == Status.ACHIEVED) == completed_on_time
    assert (status == Status.ACHIEVED_LATE) == (not completed_on_time and completed_late)
    if status == Status.AWAITING_FINAL:
        assert as_of <= due + grace + 1e-6


@given(milestone_reports, st.floats(2016, 2028), st.floats(0, 10))
def test_milestone_before_its_due_date_follows_its_latest_report(reports, due, before):
    as_of = due - before
    seen = sorted((o for o in reports if o[0] <= as_of), key=lambda o: o[0])
    expected = milestone_status(seen[-1][1] if seen else None, due, as_of, 2015.0)
    assert assess_milestone(reports, due, as_of, start=2015.0) == expected


final_item_statuses = st.sampled_from(sorted(FINAL_STATUSES | {Status.ACHIEVED}))


@given(st.lists(st.tuples(final_item_statuses, weights), min_size=1, max_size=12))
def test_rollup_of_final_children_is_final_and_the_worst_child_decides(items):
    result = rollup(items)
    present = {s for s, _w in items}
    if not present & FINAL_STATUSES:
        assert result.status == Status.ACHIEVED and not result.final
        return
    assert result.final and result.status not in PACE_STATUSES
    order = [
        Status.NOT_ACHIEVED,
        Status.NOT_ACHIEVED_NO_DATA,
        Status.AWAITING_FINAL,
        Status.ACHIEVED_LATE,
        Status.ACHIEVED,
    ]
    assert result.status == next(s for s in order if s in present)
    # Nested, a final node stays final and keeps its status.
    assert rollup([(result, 1.0)]).status == result.status
