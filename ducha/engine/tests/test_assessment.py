"""Example-based tests of the assessment, with numbers worked out by hand in the comments."""

import json
import math
import re
from pathlib import Path

import pytest

from ducha.engine import assessment
from ducha.engine.assessment import (
    Assessment,
    AssessmentError,
    Rollup,
    Status,
    Target,
    aggregate,
    aggregate_columns,
    assess,
    assess_columns,
    assess_many,
    assess_milestone,
    band,
    expected_path,
    milestone_status,
    rollup,
)

S = Status

# Baseline 2017 (placed at 2018.0), deadline 2020 (placed at 2021.0), assessed at 2019's end
# (2020.0): two thirds of the time has gone.
LINEAR = Target(
    target_min=100, direction=1, deadline=2021.0, trajectory="linear",
    baseline=40, baseline_time=2018.0,
)  # fmt: skip
GROWTH = Target(
    target_min=1000, direction=1, deadline=2021.0, trajectory="growth",
    baseline=500, baseline_time=2018.0,
)  # fmt: skip


def at_2019_end(target, value):
    return assess(target, [(2019.0, 0.5 * (target.baseline or 0) + 0.5 * value), (2020.0, value)],
                  2020.0)  # fmt: skip


# --- linear: R = [(yt − y0)/(T − y0)] / [(t − t0)/(tT − t0)], time share 2/3 -----------------


@pytest.mark.parametrize(
    ("value", "ratio", "status"),
    [
        (80, 1.0, S.ON_TRACK),  # 40/60 of the way = 2/3 -> R = 1
        (70, 0.75, S.NEEDS_ACCELERATION),  # 30/60 = 1/2 -> R = 0.75
        (55, 0.375, S.LIMITED_PROGRESS),  # 15/60 = 1/4 -> R = 0.375
        (40, 0.0, S.LIMITED_PROGRESS),  # no progress at all: R = 0
        (30, -0.25, S.DETERIORATION),  # -10/60 = -1/6 -> R = -0.25
    ],
)
def test_linear_ratio_and_band(value, ratio, status):
    result = at_2019_end(LINEAR, value)
    assert result.ratio == pytest.approx(ratio)
    assert result.status == status
    assert result.method == "linear"
    assert result.time_share == pytest.approx(2 / 3)
    assert result.expected_value == pytest.approx(80)  # 40 + 60 * 2/3


def test_linear_forecast_extends_the_line_from_baseline_to_latest():
    result = at_2019_end(LINEAR, 70)  # +30 in 2 years -> +45 in 3 years
    assert result.forecast == pytest.approx(85)
    assert result.forecast_meets is False
    assert at_2019_end(LINEAR, 80).forecast == pytest.approx(100)
    assert at_2019_end(LINEAR, 80).forecast_meets is True


def test_target_reached_is_achieved_even_ahead_of_time():
    result = at_2019_end(LINEAR, 100)
    assert result.status == S.ACHIEVED
    assert result.ratio == pytest.approx(1.5)  # still reported
    assert result.exceeded is False


def test_bands_at_their_exact_boundaries():
    assert band(0.95) == S.ON_TRACK
    assert band(math.nextafter(0.95, 0)) == S.NEEDS_ACCELERATION
    assert band(0.60) == S.NEEDS_ACCELERATION
    assert band(math.nextafter(0.60, 0)) == S.LIMITED_PROGRESS
    assert band(0.0) == S.LIMITED_PROGRESS
    assert band(-1e-12) == S.DETERIORATION


# --- growth: R = d·CAGR_obs / |CAGR_req| -----------------------------------------------------
# CAGR_req = (1000/500)^(1/3) − 1 = 0.259921; CAGR_obs over 2 years = sqrt(yt/500) − 1.


@pytest.mark.parametrize(
    ("value", "ratio", "status"),
    [
        (800, 0.264911 / 0.259921, S.ON_TRACK),  # 1.0192
        (700, 0.183216 / 0.259921, S.NEEDS_ACCELERATION),  # 0.7049
        (600, 0.095445 / 0.259921, S.LIMITED_PROGRESS),  # 0.3672
        (400, -0.105573 / 0.259921, S.DETERIORATION),  # -0.4062
    ],
)
def test_growth_ratio_and_band(value, ratio, status):
    result = at_2019_end(GROWTH, value)
    assert result.ratio == pytest.approx(ratio, rel=1e-5)
    assert result.status == status
    assert result.method == "growth"
    # The required path is geometric: 500 · 2^(2/3) = 793.70 at two thirds of the time.
    assert result.expected_value == pytest.approx(793.7005, rel=1e-6)


def test_growth_forecast_compounds_the_observed_rate_to_the_deadline():
    result = at_2019_end(GROWTH, 800)  # 500 · 1.6^(3/2) = 1011.93
    assert result.forecast == pytest.approx(1011.9289, rel=1e-6)
    assert result.forecast_meets is True
    assert at_2019_end(GROWTH, 700).forecast_meets is False


def test_growth_with_zero_baseline_falls_back_to_linear():
    target = Target(target_min=100, direction=1, deadline=2021.0, trajectory="growth",
                    baseline=0, baseline_time=2018.0)  # fmt: skip
    result = assess(target, [(2020.0, 50)], 2020.0)
    assert result.method == "linear"
    assert "growth_fallback_linear" in result.notes
    assert result.ratio == pytest.approx(0.5 / (2 / 3))


def test_growth_value_fallen_to_zero_is_deterioration_with_cagr_minus_100_percent():
    result = assess(GROWTH, [(2020.0, 0.0)], 2020.0)
    assert result.status == S.DETERIORATION
    assert result.ratio == pytest.approx(-1 / 0.259921, rel=1e-5)
    assert "growth_value_not_positive" in result.notes


# --- change targets: 提高20% is T = y0 × 1.20 ---------------------------------------------------


def test_change_target_raise_by_20_percent():
    target = Target(target_min=20, kind="change", direction=1, deadline=2021.0,
                    trajectory="linear", baseline=50, baseline_time=2018.0)  # fmt: skip
    result = assess(target, [(2020.0, 56)], 2020.0)
    assert result.target_value == pytest.approx(60)
    # 6 of the 10 needed, with 2/3 of the time gone: R = 0.6 / (2/3) = 0.9
    assert result.ratio == pytest.approx(0.9)
    assert result.status == S.NEEDS_ACCELERATION
    assert assess(target, [(2020.0, 60)], 2020.0).status == S.ACHIEVED


def test_change_target_lower_by_20_percent_on_a_falling_indicator():
    target = Target(target_min=20, kind="change", direction=-1, deadline=2021.0,
                    trajectory="growth", baseline=50, baseline_time=2018.0)  # fmt: skip
    result = assess(target, [(2020.0, 43)], 2020.0)
    assert result.target_value == pytest.approx(40)
    # CAGR_req = 0.8^(1/3) − 1 = −0.071682; CAGR_obs = 0.86^(1/2) − 1 = −0.072635
    assert result.ratio == pytest.approx(0.072635 / 0.071682, rel=1e-4)
    assert result.status == S.ON_TRACK


def test_change_target_without_plan_baseline_uses_the_earliest_value():
    target = Target(target_min=20, kind="change", direction=1, deadline=2021.0,
                    trajectory="linear")  # fmt: skip
    result = assess(target, [(2018.0, 50), (2020.0, 56)], 2020.0)
    assert result.baseline == 50
    assert result.target_value == pytest.approx(60)
    assert result.ratio == pytest.approx(0.9)


# --- baseline, no data, stale -----------------------------------------------------------------


def test_baseline_from_earliest_value_when_the_plan_states_none_and_says_so():
    target = Target(target_min=100, direction=1, deadline=2021.0, trajectory="linear")
    result = assess(target, [(2020.0, 80), (2018.0, 40), (2019.0, 60)], 2020.0)
    assert (result.baseline, result.baseline_time) == (40, 2018.0)
    assert result.baseline_source == "earliest"
    assert "baseline_from_earliest" in result.notes
    assert result.ratio == pytest.approx(1.0)
    assert result.observations == 3


def test_plan_baseline_is_used_as_stated():
    result = at_2019_end(LINEAR, 80)
    assert result.baseline_source == "plan"
    assert "baseline_from_earliest" not in result.notes


def test_only_the_baseline_observed_is_no_data_with_a_note():
    target = Target(target_min=100, direction=1, deadline=2021.0, trajectory="linear")
    result = assess(target, [(2019.75, 40)], 2020.0)
    assert result.status == S.NO_DATA
    assert result.ratio is None
    assert result.value == 40
    assert "single_observation" in result.notes


def test_no_observations_is_no_data():
    result = assess(LINEAR, [], 2020.0)
    assert result.status == S.NO_DATA
    assert result.value is None
    assert result.target_value == 100  # still says what the target is


def test_observations_after_as_of_are_not_seen():
    result = assess(LINEAR, [(2020.25, 100)], 2020.0)
    assert result.status == S.NO_DATA
    earlier = assess(LINEAR, [(2019.0, 60), (2020.25, 100)], 2019.5)
    assert earlier.value == 60


def test_value_older_than_two_reporting_periods_is_stale_and_keeps_its_ratio():
    # Quarterly: as of 2020.0 the last value is from 2019.4, 0.6 years (> 2 × 0.25) old.
    result = assess(LINEAR, [(2019.4, 60)], 2020.0)
    assert result.status == S.STALE
    assert result.stale is True
    assert result.ratio == pytest.approx((20 / 60) / (1.4 / 3))
    # Two quarters old exactly is not yet stale.
    assert assess(LINEAR, [(2019.5, 60)], 2020.0).status != S.STALE


def test_staleness_follows_the_reporting_frequency():
    yearly = Target(target_min=100, direction=1, deadline=2026.0, trajectory="linear",
                    baseline=40, baseline_time=2018.0, frequency_years=1.0)  # fmt: skip
    assert assess(yearly, [(2019.4, 60)], 2020.0).status != S.STALE
    assert assess(yearly, [(2019.4, 60)], 2021.5).status == S.STALE


def test_achieved_wins_over_stale_and_is_noted():
    result = assess(LINEAR, [(2018.5, 120)], 2020.0)
    assert result.status == S.ACHIEVED
    assert result.stale is True
    assert "stale_value" in result.notes


def test_non_finite_values_are_skipped_and_noted():
    result = assess(LINEAR, [(2020.0, math.nan), (2019.0, 60)], 2020.0)
    assert result.value == 60
    assert "non_finite_ignored" in result.notes


# --- the Open SDG direction trap ---------------------------------------------------------------


def test_rising_indicator_whose_value_fell_is_not_on_track():
    # Open SDG defaults the desired direction to "decrease"; a fall would then read as success.
    for target in (LINEAR, GROWTH):
        result = at_2019_end(target, target.baseline * 0.8)
        assert result.status == S.DETERIORATION
        assert result.ratio < 0


def test_direction_has_no_default():
    with pytest.raises(TypeError, match="direction"):
        Target(target_min=100, deadline=2021.0, trajectory="linear")


def test_direction_must_be_plus_or_minus_one():
    with pytest.raises(AssessmentError) as caught:
        Target(target_min=100, direction=0, deadline=2021.0, trajectory="linear")
    assert caught.value.code == "bad_direction"


def test_comparator_that_contradicts_the_direction_is_refused():
    with pytest.raises(AssessmentError) as caught:
        Target(target_min=100, direction=-1, comparator=">=", deadline=2021.0, trajectory="linear")
    assert caught.value.code == "comparator_contradicts_direction"


def test_falling_indicator_is_judged_downwards():
    target = Target(target_min=20, direction=-1, comparator="<=", deadline=2021.0,
                    trajectory="linear", baseline=50, baseline_time=2018.0)  # fmt: skip
    assert assess(target, [(2020.0, 30)], 2020.0).ratio == pytest.approx(1.0)
    assert assess(target, [(2020.0, 60)], 2020.0).status == S.DETERIORATION
    assert assess(target, [(2020.0, 20)], 2020.0).status == S.ACHIEVED


# --- ranges 2至3 -----------------------------------------------------------------------------


def test_range_lower_bound_is_the_target_and_upper_bound_is_exceeded():
    target = Target(target_min=2, target_max=3, direction=1, deadline=2021.0,
                    trajectory="linear", baseline=0, baseline_time=2018.0)  # fmt: skip
    two = assess(target, [(2020.0, 2)], 2020.0)
    assert (two.status, two.exceeded, two.target_value, two.target_upper) == (
        S.ACHIEVED,
        False,
        2,
        3,
    )
    assert assess(target, [(2020.0, 3)], 2020.0).exceeded is True
    assert assess(target, [(2020.0, 1)], 2020.0).status == S.NEEDS_ACCELERATION  # R = 0.75


def test_range_on_a_falling_indicator_starts_at_the_upper_bound():
    target = Target(target_min=2, target_max=3, direction=-1, deadline=2021.0,
                    trajectory="linear", baseline=5, baseline_time=2018.0)  # fmt: skip
    result = assess(target, [(2020.0, 3)], 2020.0)
    assert (result.target_value, result.target_upper) == (3, 2)
    assert result.status == S.ACHIEVED
    assert result.exceeded is False
    assert assess(target, [(2020.0, 2)], 2020.0).exceeded is True


# --- corners with a defined answer -------------------------------------------------------------


def test_target_equal_to_baseline_is_achieved_when_held_and_deterioration_when_lost():
    target = Target(target_min=40, direction=1, deadline=2021.0, trajectory="growth",
                    baseline=40, baseline_time=2018.0)  # fmt: skip
    held = assess(target, [(2020.0, 41)], 2020.0)
    assert held.status == S.ACHIEVED
    lost = assess(target, [(2020.0, 39)], 2020.0)
    assert lost.status == S.DETERIORATION
    assert lost.ratio is None
    assert "target_equals_baseline" in lost.notes


def test_target_behind_the_baseline_falling_back_below_it_is_deterioration():
    target = Target(target_min=80, direction=1, deadline=2021.0, trajectory="linear",
                    baseline=100, baseline_time=2018.0)  # fmt: skip
    result = assess(target, [(2020.0, 70)], 2020.0)
    # the BRIEF's formula would give (−30/−20)/(2/3) = +2.25, "on track"; it is not.
    assert result.status == S.DETERIORATION
    assert result.ratio == pytest.approx(-1.5 / (2 / 3))
    assert "target_behind_baseline" in result.notes


def test_deadline_not_after_the_baseline_judges_the_share_of_the_way():
    target = Target(target_min=100, direction=1, deadline=2018.0, trajectory="growth",
                    baseline=40, baseline_time=2018.0)  # fmt: skip
    result = assess(target, [(2020.0, 70)], 2020.0)
    # Any later value is after the deadline: the final evaluation, 30 of 60 of the way.
    assert result.status == S.NOT_ACHIEVED
    assert result.progress_share == pytest.approx(0.5)
    assert result.method == "linear"
    assert result.ratio is None and result.forecast is None
    assert "deadline_not_after_baseline" in result.notes


def test_as_of_before_the_plan_baseline():
    result = assess(LINEAR, [(2017.0, 30)], 2017.5)
    assert result.status == S.NO_DATA
    assert "as_of_before_baseline" in result.notes
    assert "no_time_since_baseline" in result.notes


def test_past_the_deadline_there_is_no_ratio_and_no_forecast_only_the_final_evaluation():
    # 94 of 100 for the 2020 deadline, reported for 2020: not achieved, 90% of the way.
    result = assess(LINEAR, [(2021.0, 94)], 2022.0)
    assert result.status == S.NOT_ACHIEVED
    assert result.final
    assert result.ratio is None and result.forecast is None and result.forecast_meets is None
    assert result.progress_share == pytest.approx(0.9)
    assert result.gap == pytest.approx(6)
    assert (result.final_value, result.final_time) == (94, 2021.0)
    assert "final_evaluation" in result.notes


def test_as_of_must_be_a_number():
    with pytest.raises(AssessmentError):
        assess(LINEAR, [], math.nan)


# --- expected path -------------------------------------------------------------------------


def test_expected_path_is_straight_for_linear_and_geometric_for_growth():
    times = [2017.0, 2018.0, 2019.0, 2020.0, 2021.0, 2022.0]
    assert expected_path(LINEAR, 40, 2018.0, times) == pytest.approx([40, 40, 60, 80, 100, 100])
    growth = expected_path(GROWTH, 500, 2018.0, times)
    assert growth == pytest.approx([500, 500, 500 * 2 ** (1 / 3), 500 * 2 ** (2 / 3), 1000, 1000])


# --- many series ------------------------------------------------------------------------------


def test_assess_many_assesses_each_key_and_missing_series_as_no_data():
    got = assess_many({"a": LINEAR, "b": GROWTH}, {"a": [(2020.0, 80)]}, 2020.0)
    assert got["a"].status == S.ON_TRACK
    assert got["b"].status == S.NO_DATA
    with pytest.raises(AssessmentError):
        assess_many({"a": LINEAR}, {"z": []}, 2020.0)


def test_assess_columns_matches_assess():
    times, values = [2018.5, 2019.0, 2020.0], [50.0, None, 80.0]
    assert assess_columns(LINEAR, times, values, 2020.0) == assess(
        LINEAR, [(2018.5, 50.0), (2020.0, 80.0)], 2020.0
    )


def test_assessment_as_dict_is_json_ready():
    data = at_2019_end(GROWTH, 800).as_dict()
    assert json.loads(json.dumps(data))["status"] == "on_track"
    assert set(data) == set(Assessment.__dataclass_fields__)


# --- aggregation across org units --------------------------------------------------------------

ROWS = [("A", 2019.0, 10.0), ("B", 2019.0, 5.0), ("A", 2020.0, 12.0), ("C", 2018.0, 1.0)]


def test_sum_adds_what_is_there_and_counts_the_units():
    assert aggregate(ROWS, "sum") == [(2018.0, 1.0, 1), (2019.0, 15.0, 2), (2020.0, 12.0, 1)]


def test_mean_max_min():
    assert aggregate(ROWS, "mean")[1] == (2019.0, 7.5, 2)
    assert aggregate(ROWS, "max")[1] == (2019.0, 10.0, 2)
    assert aggregate(ROWS, "min")[1] == (2019.0, 5.0, 2)


def test_none_keeps_only_the_lead_unit():
    assert aggregate(ROWS, "none", lead="A") == [(2019.0, 10.0, 1), (2020.0, 12.0, 1)]
    with pytest.raises(AssessmentError) as caught:
        aggregate(ROWS, "none")
    assert caught.value.code == "several_units"


def test_a_unit_reported_twice_for_one_time_is_refused():
    with pytest.raises(AssessmentError) as caught:
        aggregate([("A", 2019.0, 1.0), ("A", 2019.0, 2.0)], "sum")
    assert caught.value.code == "duplicate_row"


def test_unknown_aggregation_is_refused():
    with pytest.raises(AssessmentError):
        aggregate(ROWS, "median")


def test_aggregate_columns_matches_aggregate():
    times = [2018.0, 2019.0, 2020.0]
    columns = {"A": [None, 10.0, 12.0], "B": [None, 5.0, None], "C": [1.0, None, None]}
    for how in ("sum", "mean", "max", "min"):
        assert aggregate_columns(times, list(columns.values()), how) == aggregate(ROWS, how)


# --- roll-up ---------------------------------------------------------------------------------


def test_rollup_weighted_mean_banded_back():
    # (3·1 + 1·3) / 4 = 1.5 -> needs acceleration
    result = rollup([(S.ON_TRACK, 1), (S.LIMITED_PROGRESS, 3)])
    assert result.score == pytest.approx(1.5)
    assert result.status == S.NEEDS_ACCELERATION
    assert rollup([(S.ON_TRACK, 3), (S.LIMITED_PROGRESS, 1)]).status == S.ON_TRACK  # 2.5


@pytest.mark.parametrize(
    ("score_items", "status"),
    [
        ([(S.ACHIEVED, 1), (S.DETERIORATION, 1)], S.NEEDS_ACCELERATION),  # 2.0
        ([(S.ACHIEVED, 1), (S.ON_TRACK, 1)], S.ON_TRACK),  # 3.5, not every child achieved
        ([(S.NEEDS_ACCELERATION, 1), (S.DETERIORATION, 1)], S.LIMITED_PROGRESS),  # 1.0
        ([(S.LIMITED_PROGRESS, 1), (S.DETERIORATION, 3)], S.DETERIORATION),  # 0.25
    ],
)
def test_rollup_thresholds(score_items, status):
    assert rollup(score_items).status == status


def test_rollup_is_achieved_only_when_every_scored_child_is():
    result = rollup([(S.ACHIEVED, 1), (S.ACHIEVED, 2), (S.NO_DATA, 1)])
    assert result.status == S.ACHIEVED
    assert result.coverage == pytest.approx(0.75)
    assert result.counts == {S.ACHIEVED: 2, S.NO_DATA: 1}


def test_rollup_leaves_no_data_and_stale_out_of_the_mean_but_counts_them():
    result = rollup([(S.ON_TRACK, 1), (S.NO_DATA, 5), (S.STALE, 2)])
    assert result.score == 3
    assert result.counts == {S.ON_TRACK: 1, S.NO_DATA: 1, S.STALE: 1}
    assert result.coverage == pytest.approx(1 / 8)


def test_rollup_without_any_scored_child():
    assert rollup([(S.NO_DATA, 1), (S.NO_DATA, 1)]).status == S.NO_DATA
    assert rollup([(S.NO_DATA, 1), (S.STALE, 1)]).status == S.STALE
    empty = rollup([])
    assert (empty.status, empty.score, empty.coverage) == (S.NO_DATA, None, None)


def test_rollup_composes_using_the_child_nodes_exact_score():
    child = rollup([(S.ON_TRACK, 1), (S.ACHIEVED, 1)])  # 3.5, on track
    parent = rollup([(child, 1), (S.NEEDS_ACCELERATION, 1)])  # (3.5 + 2) / 2 = 2.75
    assert isinstance(parent, Rollup)
    assert parent.score == pytest.approx(2.75)
    assert parent.status == S.ON_TRACK
    assert rollup([(rollup([(S.ACHIEVED, 1)]), 1)]).status == S.ACHIEVED
    assert rollup([(rollup([(S.STALE, 1)]), 1)]).status == S.STALE


def test_rollup_refuses_non_positive_weights():
    with pytest.raises(AssessmentError):
        rollup([(S.ON_TRACK, 0)])


# --- milestones --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("report", "as_of", "status"),
    [
        (None, 2019.0, S.NO_DATA),
        ("completed", 2022.0, S.ACHIEVED),
        ("blocked", 2019.0, S.DETERIORATION),
        ("in_progress", 2020.0, S.ON_TRACK),
        ("in_progress", 2021.5, S.NEEDS_ACCELERATION),
        ("delayed", 2019.0, S.NEEDS_ACCELERATION),
        ("delayed", 2021.5, S.LIMITED_PROGRESS),
        ("not_started", 2019.0, S.ON_TRACK),  # 1 of 3 years gone
        ("not_started", 2019.5, S.NEEDS_ACCELERATION),  # half gone
        ("not_started", 2021.5, S.LIMITED_PROGRESS),  # past due
    ],
)
def test_milestone_status(report, as_of, status):
    assert milestone_status(report, due=2021.0, as_of=as_of, start=2018.0) == status


def test_milestone_not_started_without_a_known_start_needs_acceleration():
    assert milestone_status("not_started", due=2021.0, as_of=2018.1) == S.NEEDS_ACCELERATION


def test_milestone_unknown_report_is_refused():
    with pytest.raises(AssessmentError) as caught:
        milestone_status("done", due=2021.0, as_of=2019.0)
    assert caught.value.code == "unknown_report"


def test_every_note_the_engine_can_write_is_listed_with_its_text():
    source = Path(assessment.__file__).read_text(encoding="utf-8")
    written = set(re.findall(r'notes\.append\("([a-z_]+)"', source))
    written |= {"single_observation", "no_time_since_baseline"}  # appended via a conditional
    assert written <= set(assessment.NOTES)
    assert set(assessment.NOTES) <= written


def test_final_value_at_the_deadline_never_goes_stale():
    # Quarterly figures to 2020Q4 for a 2020 deadline, assessed years later: final, not stale.
    target = Target(target_min=100, direction=1, deadline=2021.0, trajectory="linear")
    observations = [(2018.25, 10.0), (2021.0, 80.0)]
    result = assess(target, observations, as_of=2026.9)
    assert not result.stale
    assert result.status is Status.NOT_ACHIEVED  # 70 of 90 of the way at the deadline
    assert result.progress_share == pytest.approx(70 / 90)


def test_series_that_stopped_before_the_deadline_is_not_achieved_for_lack_of_data():
    target = Target(target_min=100, direction=1, deadline=2021.0, trajectory="linear")
    observations = [(2018.25, 10.0), (2019.5, 60.0)]
    # Within six months of the deadline its figure may still come; after them it has not.
    assert assess(target, observations, as_of=2021.4).status is Status.AWAITING_FINAL
    late = assess(target, observations, as_of=2026.9)
    assert late.status is Status.NOT_ACHIEVED_NO_DATA
    assert late.stale and late.final_value == 60.0  # the last value is shown as context
    assert "no_final_value" in late.notes
    # Two periods before the deadline is still fresh enough at the deadline.
    assert not assess(target, [(2018.25, 10.0), (2020.5, 60.0)], as_of=2026.9).stale


# --- final evaluation: examples -----------------------------------------------------------------


def test_final_evaluation_of_a_count_over_the_years_after_the_deadline():
    target = Target(target_min=30, direction=1, deadline=2021.0, trajectory="linear")
    history = [(2018.25, 10.0), (2019.0, 15.0), (2020.75, 28.0)]
    assert assess(target, history, 2020.9).status == S.ON_TRACK  # still running: a pace
    assert assess(target, history, 2021.2).status == S.AWAITING_FINAL  # 2020Q4 may come
    assert assess(target, history, 2021.6).status == S.NOT_ACHIEVED_NO_DATA  # it did not
    with_q4 = [*history, (2021.0, 29.0)]
    result = assess(target, with_q4, 2021.2)
    assert result.status == S.NOT_ACHIEVED
    assert result.gap == 1.0 and result.final_value == 29.0
    assert assess(target, [*with_q4, (2021.5, 31.0)], 2022.0).status == S.ACHIEVED_LATE
    assert assess(target, [*history, (2021.0, 30.0)], 2022.0).status == S.ACHIEVED


def test_grace_period_is_the_plans():
    target = Target(target_min=30, direction=1, deadline=2021.0, trajectory="linear",
                    grace_years=1.0)  # fmt: skip
    assert assess(target, [(2019.0, 10.0)], 2021.8).status == S.AWAITING_FINAL
    assert assess(target, [(2019.0, 10.0)], 2022.1).status == S.NOT_ACHIEVED_NO_DATA
    with pytest.raises(AssessmentError):
        Target(target_min=1, direction=1, deadline=2021.0, trajectory="linear", grace_years=-1)


@pytest.mark.parametrize(
    ("reports", "as_of", "status"),
    [
        ([(2020.75, "in_progress")], 2020.9, S.ON_TRACK),
        ([(2020.75, "in_progress")], 2021.2, S.AWAITING_FINAL),
        ([(2020.75, "in_progress")], 2021.7, S.NOT_ACHIEVED_NO_DATA),
        ([(2020.75, "in_progress"), (2021.0, "delayed")], 2021.2, S.NOT_ACHIEVED),
        ([(2020.75, "completed")], 2021.2, S.ACHIEVED),
        ([(2021.0, "delayed"), (2021.5, "completed")], 2022.0, S.ACHIEVED_LATE),
        ([(2020.5, "completed"), (2021.0, "blocked")], 2022.0, S.NOT_ACHIEVED),
    ],
)
def test_milestone_final_evaluation(reports, as_of, status):
    assert assess_milestone(reports, due=2021.0, as_of=as_of, start=2018.0) == status


def test_rollup_of_a_finished_node_says_final_and_never_a_pace():
    node = rollup([(S.ACHIEVED, 1), (S.ACHIEVED, 1), (S.NOT_ACHIEVED, 1)])
    assert (node.status, node.rule, node.final) == (S.NOT_ACHIEVED, "final_missed", True)
    assert node.score == pytest.approx(3.0)  # the mean is still reported
    late = rollup([(S.ACHIEVED, 1), (S.ACHIEVED_LATE, 1)])
    assert (late.status, late.rule) == (S.ACHIEVED_LATE, "final_late")
    waiting = rollup([(S.ACHIEVED, 1), (S.AWAITING_FINAL, 1)])
    assert (waiting.status, waiting.rule) == (S.AWAITING_FINAL, "final_awaiting")
    # Something still running under the node: the mean, banded, as before.
    mixed = rollup([(S.NOT_ACHIEVED, 1), (S.ON_TRACK, 1)])
    assert (mixed.status, mixed.rule, mixed.final) == (S.NEEDS_ACCELERATION, "mean", False)


def test_a_finished_child_node_counts_with_the_score_of_its_final_status():
    missed = rollup([(S.ACHIEVED, 1), (S.ACHIEVED, 1), (S.NOT_ACHIEVED, 1)])  # mean 3.0
    assert missed.final and missed.score == pytest.approx(3.0)
    parent = rollup([(missed, 1), (S.ON_TRACK, 1)])  # (1 + 3) / 2, not (3 + 3) / 2
    assert parent.score == pytest.approx(2.0)
    assert parent.status == S.NEEDS_ACCELERATION
