"""The assessment at its edges: every refusal with its code and text, the numeric limits,
and the boundaries the mutation score found unpinned (docs/testing.md)."""

import math

import pytest

from ducha.engine.assessment import (
    MIN_SPAN,
    AssessmentError,
    Rollup,
    Status,
    Target,
    aggregate,
    aggregate_columns,
    assess,
    assess_columns,
    assess_many,
    expected_path,
    milestone_status,
    rollup,
    target_levels,
)

S = Status
LINEAR = Target(
    target_min=100, direction=1, deadline=2021.0, trajectory="linear",
    baseline=40, baseline_time=2018.0,
)  # fmt: skip
GROWTH = Target(
    target_min=1000, direction=1, deadline=2021.0, trajectory="growth",
    baseline=500, baseline_time=2018.0,
)  # fmt: skip


def target(**kw):
    base = {"target_min": 100, "direction": 1, "deadline": 2021.0, "trajectory": "linear"}
    return Target(**(base | kw))


# --- every refusal: its stable code (for the Django layer to translate) and its text ----------

REFUSALS = [
    (lambda: target(direction=0), "bad_direction", "direction must be +1 or -1, not 0"),
    (lambda: target(comparator="~"), "bad_comparator", "unknown comparator '~'"),
    (lambda: target(kind="ratio"), "bad_kind", "kind must be level or change, not 'ratio'"),
    (
        lambda: target(trajectory="s-curve"),
        "bad_trajectory",
        "trajectory must be growth or linear, not 's-curve'",
    ),
    (
        lambda: target(comparator="<="),
        "comparator_contradicts_direction",
        "comparator <= contradicts direction +1",
    ),
    (
        lambda: target(comparator=">=", direction=-1),
        "comparator_contradicts_direction",
        "comparator >= contradicts direction -1",
    ),
    (
        lambda: target(target_min=math.nan),
        "not_finite",
        "target_min must be a finite number, not nan",
    ),
    (
        lambda: target(target_max=math.inf),
        "not_finite",
        "target_max must be a finite number, not inf",
    ),
    (
        lambda: target(baseline=math.nan, baseline_time=2018.0),
        "not_finite",
        "baseline must be a finite number, not nan",
    ),
    (
        lambda: target(baseline=40, baseline_time=-math.inf),
        "not_finite",
        "baseline_time must be a finite number, not -inf",
    ),
    (lambda: target(target_max=50), "max_below_min", "target_max is below target_min"),
    (
        lambda: target(baseline=1),
        "baseline_incomplete",
        "baseline and baseline_time come together or not at all",
    ),
    (
        lambda: target(frequency_years=0),
        "bad_frequency",
        "frequency_years must be a positive number",
    ),
    (
        lambda: target(deadline=math.inf),
        "not_finite",
        "deadline must be a finite number, not inf",
    ),
    (
        lambda: assess(LINEAR, [], math.nan),
        "not_finite",
        "as_of must be a finite number, not nan",
    ),
    (
        lambda: assess_many({"a": LINEAR}, {"b": [], "c": []}, 2020.0),
        "observations_without_target",
        "2 observation series have no target",
    ),
    (
        lambda: assess_columns(LINEAR, [2019.0], [], 2020.0),
        "length_mismatch",
        "times and values differ in length",
    ),
    (lambda: aggregate([], "median"), "bad_aggregation", "unknown aggregation 'median'"),
    (
        lambda: aggregate([("A", 2019.0, math.nan)], "sum"),
        "not_finite",
        "non-finite value for 'A' at 2019.0",
    ),
    (
        lambda: aggregate([("A", math.inf, 1.0)], "sum"),
        "not_finite",
        "non-finite value for 'A' at inf",
    ),
    (
        lambda: aggregate([("A", 2019.0, 1.0), ("A", 2019.0, 2.0)], "sum"),
        "duplicate_row",
        "'A' reported twice at 2019.0",
    ),
    (
        lambda: aggregate([("A", 2019.0, 1.0), ("B", 2019.0, 2.0)], "none"),
        "several_units",
        "aggregation 'none' got 2 units at 2019.0",
    ),
    (
        lambda: aggregate_columns([2019.0], [[1.0]], "none"),
        "bad_aggregation",
        "aggregate_columns cannot do 'none'",
    ),
    (
        lambda: aggregate_columns([2019.0], [[1.0]], "median"),
        "bad_aggregation",
        "aggregate_columns cannot do 'median'",
    ),
    (
        lambda: rollup([(S.ON_TRACK, 0)]),
        "bad_weight",
        "weight must be a positive number, not 0",
    ),
    (
        lambda: milestone_status("lost", 2020.0, 2019.0),
        "unknown_report",
        "unknown milestone report 'lost'",
    ),
]


@pytest.mark.parametrize("call,code,text", REFUSALS, ids=[r[1] for r in REFUSALS])
def test_every_refusal_says_its_code_and_what_is_wrong(call, code, text):
    with pytest.raises(AssessmentError) as caught:
        call()
    assert (caught.value.code, caught.value.text, str(caught.value)) == (code, text, text)


def test_columns_of_unequal_length_are_refused():
    with pytest.raises(ValueError):
        aggregate_columns([2019.0, 2020.0], [[1.0, 2.0], [1.0]], "sum")  # a short column
    with pytest.raises(ValueError):
        aggregate_columns([2019.0], [[1.0, 2.0]], "sum")  # more values than times
    with pytest.raises(ValueError):
        # as many rows as times, but the units' columns differ in length
        aggregate_columns([2019.0], [[1.0], [1.0, 2.0]], "sum")


def test_aggregation_none_of_one_unit_is_its_value():
    assert aggregate([("A", 2019.0, 7.0), ("A", 2020.0, 8.0)], "none") == [
        (2019.0, 7.0, 1),
        (2020.0, 8.0, 1),
    ]


# --- numeric limits --------------------------------------------------------------------------


def test_an_exploding_growth_rate_is_capped_and_noted():
    # from 1e-300 to 1e300 in a tenth of a year: e^(1381/0.1) would overflow
    t = target(target_min=1e299, trajectory="growth", baseline=1e-300, baseline_time=2019.0)
    result = assess(t, [(2019.1, 1e300)], 2019.1)
    assert result.notes == ("numeric_limit",)  # from the rate and from the forecast, once
    assert result.forecast == pytest.approx(math.exp(700.0))
    assert result.status == S.ACHIEVED


def test_a_required_growth_rate_past_the_cap_is_capped_and_noted():
    # 600 orders of magnitude in a tenth of a year, and half of it in half the time: both the
    # observed and the required rate hit the cap, so R is exactly 1
    t = target(target_min=1e300, trajectory="growth", baseline=1e-300, baseline_time=2020.9)
    result = assess(t, [(2020.95, 1.0)], 2020.95)
    assert result.notes == ("numeric_limit",)
    assert result.ratio == 1.0


def test_a_rate_of_exactly_the_cap_is_not_capped():
    # log(e^700) is exactly 700.0 over exactly one year: nothing to cap, nothing noted
    t = target(target_min=2, trajectory="growth", baseline=1.0, baseline_time=2018.0,
               deadline=2019.0)  # fmt: skip
    result = assess(t, [(2019.0, math.exp(700.0))], 2019.0)
    assert result.notes == ()
    assert result.forecast == math.exp(700.0)


def test_a_growth_target_too_close_to_the_baseline_for_logarithms_is_judged_linearly():
    # log(T) == log(y0) in floating point, though T != y0: no CAGR can be required
    y0 = 1e300
    level = math.nextafter(y0, math.inf)
    assert level != y0 and math.log(level) == math.log(y0)
    t = target(target_min=level, trajectory="growth", baseline=y0, baseline_time=2018.0)
    result = assess(t, [(2020.0, y0 * 0.5)], 2020.0)
    assert result.notes == ("growth_fallback_linear",)
    assert result.method == "linear"
    assert result.ratio == pytest.approx(-0.5 * y0 / (level - y0) / (2 / 3), rel=1e-9)


def test_shares_of_values_near_the_float_limit_are_still_exact():
    # T − y0 = 2e308 overflows: the share is computed from halves
    t = target(target_min=1e308, baseline=-1e308, baseline_time=2018.0, trajectory="linear")
    result = assess(t, [(2019.5, 5e307)], 2019.5)
    assert result.progress_share == pytest.approx(0.75)
    assert result.ratio == pytest.approx(1.5)
    result = assess(t, [(2019.5, -1e308)], 2019.5)
    assert result.progress_share == 0.0


def test_a_growth_value_fallen_to_zero_is_forecast_on_the_straight_line():
    result = assess(GROWTH, [(2020.0, 0.0)], 2020.0)
    assert "growth_value_not_positive" in result.notes
    # the line through (2018, 500) and (2020, 0) reaches 2021 at -250
    assert result.forecast == pytest.approx(-250.0)
    assert result.ratio == pytest.approx(-1.0 / (2 ** (1 / 3) - 1))


# --- boundaries --------------------------------------------------------------------------------


def test_a_target_the_baseline_had_already_met_is_noted_in_either_direction():
    rising = target(target_min=30, baseline=40, baseline_time=2018.0)
    assert "target_behind_baseline" in assess(rising, [(2020.0, 35)], 2020.0).notes
    falling = target(target_min=40, direction=-1, baseline=30, baseline_time=2018.0)
    assert "target_behind_baseline" in assess(falling, [(2020.0, 35)], 2020.0).notes
    ahead = target(target_min=30, direction=-1, baseline=40, baseline_time=2018.0)
    assert "target_behind_baseline" not in assess(ahead, [(2020.0, 35)], 2020.0).notes


def test_time_exactly_min_span_after_the_baseline_counts_as_elapsed():
    t = target(baseline=40, baseline_time=0.0, deadline=MIN_SPAN)
    result = assess(t, [(MIN_SPAN, 70)], MIN_SPAN)
    assert "no_time_since_baseline" not in result.notes
    assert "deadline_not_after_baseline" not in result.notes
    assert result.time_share == pytest.approx(1.0)


def test_a_deadline_not_after_the_baseline_takes_all_the_time_as_gone():
    t = target(baseline=40, baseline_time=2018.0, deadline=2018.0)
    result = assess(t, [(2019.0, 70)], 2019.0)
    assert "deadline_not_after_baseline" in result.notes
    assert result.time_share == 1.0
    # past the deadline it is the final evaluation: the share of the way, no pace ratio
    assert result.final and result.ratio is None
    assert result.progress_share == pytest.approx(0.5)


def test_the_expected_path_is_the_baseline_up_to_its_time():
    # exactly the baseline (exp(log(500)) would be 499.99999999999983)
    assert expected_path(GROWTH, 500, 2018.0, [2017.0, 2018.0]) == [500, 500]
    assert assess(GROWTH, [(2018.0, 550)], 2018.0).expected_value == 500


def test_the_expected_path_is_exactly_the_target_from_the_deadline_on():
    # exactly the target level (exp(log(1000)) would be 999.9999999999998)
    assert expected_path(GROWTH, 500, 2018.0, [2021.0, 2022.0]) == [1000, 1000]
    assert assess(GROWTH, [(2021.0, 900)], 2021.0).expected_value == 1000


def test_the_geometric_path_between_the_largest_floats_does_not_overflow_or_clip():
    t = target(target_min=1.5e308, trajectory="growth", baseline=1e308, baseline_time=2018.0)
    [mid] = expected_path(t, 1e308, 2018.0, [2019.5])
    assert mid == pytest.approx(math.sqrt(1e308) * math.sqrt(1.5e308), rel=1e-12)


def test_the_expected_path_of_a_change_target_starts_from_the_given_baseline():
    raise_20 = Target(target_min=20, kind="change", direction=1, deadline=2021.0,
                      trajectory="linear")  # fmt: skip
    assert expected_path(raise_20, 50, 2018.0, [2019.5, 2021.0]) == pytest.approx([55, 60])


@pytest.mark.parametrize(
    "baseline,level,method",
    [
        (500, 1000, "growth"),
        (0.25, 0.5, "growth"),  # between 0 and 1 too
        (0, 1000, "linear"),
        (-5, 1000, "linear"),
        (500, 0, "linear"),
    ],
)
def test_the_expected_path_is_geometric_only_between_positive_values(baseline, level, method):
    t = Target(
        target_min=level, direction=1 if level >= baseline else -1, deadline=2021.0,
        trajectory="growth", baseline=baseline, baseline_time=2018.0,
    )  # fmt: skip
    [mid] = expected_path(t, baseline, 2018.0, [2019.5])
    straight = baseline + (level - baseline) / 2
    if method == "linear":
        assert mid == pytest.approx(straight)
    else:
        assert mid == pytest.approx(math.sqrt(baseline * level))


def test_a_rollup_just_within_the_tolerance_of_a_threshold_is_on_it():
    child = Rollup(S.NEEDS_ACCELERATION, 2.5 - 1e-9, {}, 1.0)
    assert rollup([(child, 1)]).status == S.ON_TRACK


def test_a_milestone_not_started_at_exactly_half_its_time_needs_acceleration():
    assert milestone_status("not_started", 2020.0, 2019.0, start=2018.0) == S.NEEDS_ACCELERATION
    assert milestone_status("not_started", 2020.0, 2018.999, start=2018.0) == S.ON_TRACK
    # a start and due too close together to measure half the time
    assert milestone_status("not_started", 2020.0, 2019.0, start=2020.0) == S.NEEDS_ACCELERATION


def test_a_value_exactly_two_periods_old_is_not_yet_stale():
    t = target(baseline=40, baseline_time=-1.0, deadline=10.0, frequency_years=0.25)
    as_of = 2 * 0.25 + MIN_SPAN  # the latest value is at 0.0
    assert not assess(t, [(0.0, 70)], as_of).stale
    assert assess(t, [(0.0, 70)], math.nextafter(as_of, 1.0)).stale


def test_a_milestone_in_progress_on_its_due_date_is_still_on_track():
    assert milestone_status("in_progress", 2020.0, 2020.0) == S.ON_TRACK
    assert milestone_status("in_progress", 2020.0, 2020.001) == S.NEEDS_ACCELERATION


def test_a_milestone_whose_start_is_exactly_min_span_before_due_measures_its_time():
    assert milestone_status("not_started", MIN_SPAN, 0.0, start=0.0) == S.ON_TRACK


def test_a_rollup_of_unscored_children_covers_none_of_their_weight():
    result = rollup([(S.NO_DATA, 1), (S.STALE, 2)])
    assert (result.status, result.score, result.coverage) == (S.STALE, None, 0.0)


def test_as_dict_lists_the_notes():
    data = assess(LINEAR, [(2018.0, 40)], 2018.0).as_dict()
    assert data["notes"] == ["no_time_since_baseline"]


def test_no_data_still_shows_the_plans_baseline_and_the_target():
    t = Target(target_min=100, target_max=120, direction=1, deadline=2021.0,
               trajectory="growth", baseline=40, baseline_time=2018.0)  # fmt: skip
    assert assess(t, [], 2019.0).as_dict() == {
        "status": "no_data",
        "ratio": None,
        "value": None,
        "time": None,
        "baseline": 40,
        "baseline_time": 2018.0,
        "baseline_source": "plan",
        "target_value": 100,
        "target_upper": 120,
        "exceeded": False,
        "expected_value": None,
        "time_share": None,
        "progress_share": None,
        "forecast": None,
        "forecast_meets": None,
        "method": "growth",
        "deadline": 2021.0,
        "stale": False,
        "observations": 0,
        "notes": [],
        "final": False,
        "final_value": None,
        "final_time": None,
        "gap": None,
    }


def test_a_target_equal_to_the_baseline_missed_is_judged_only_once_time_has_passed():
    t = target(target_min=40, baseline=40, baseline_time=2018.0)
    assert assess(t, [(2018.0, 35)], 2018.0).status == S.NO_DATA  # no time to judge over
    assert assess(t, [(2019.0, 35)], 2019.0).status == S.DETERIORATION


# --- the survivors of the first mutation run (docs/testing.md, "engine/assessment.py") ------


@pytest.mark.parametrize(
    ("direction", "expected"),
    [(1, (120.0, 130.0)), (-1, (80.0, 70.0))],
)
def test_a_percent_change_range_gives_both_ends_as_levels_from_the_baseline(direction, expected):
    # "提高20%至30%" on a baseline of 100: T is 120 and reaching 130 is exceeded (a fall: 80, 70)
    t = target(target_min=20, target_max=30, kind="change", direction=direction)
    near, far = target_levels(t, 100.0)
    assert near == pytest.approx(expected[0]) and far == pytest.approx(expected[1])


def test_reaching_the_far_end_of_a_percent_change_range_is_exceeded_and_not_before():
    t = target(target_min=20, target_max=30, kind="change", baseline=100, baseline_time=2018.0)
    assert assess(t, [(2019.0, 125)], 2019.0).exceeded is False
    assert assess(t, [(2019.0, 130)], 2019.0).exceeded is True
    assert assess(t, [(2019.0, 125)], 2019.0).target_upper == pytest.approx(130.0)


def test_many_values_that_are_not_finite_are_noted_once():
    t = target(baseline=40, baseline_time=2018.0)
    result = assess(t, [(2019.0, math.nan), (2019.5, math.inf), (math.nan, 50)], 2020.0)
    assert result.status == S.NO_DATA and result.observations == 0
    assert result.notes == ("non_finite_ignored",)


def test_of_two_values_at_the_same_time_the_earlier_in_the_input_is_first_and_the_later_last():
    # no plan baseline: the earliest value is the baseline, the latest is the value assessed
    t = target()
    series = [(2019.5, 70), (2018.0, 40), (2018.0, 45), (2019.5, 75)]
    result = assess(t, series, 2019.5)
    assert (result.baseline, result.baseline_time) == (40, 2018.0)
    assert (result.value, result.time) == (75, 2019.5)
    assert result.observations == 4


def test_a_scored_assessment_field_by_field():
    # 40 → 100 from 2018 to 2021, 70 half-way through: exactly on the linear path
    assert assess(LINEAR, [(2019.5, 70)], 2019.5).as_dict() == {
        "status": "on_track",
        "ratio": 1.0,
        "value": 70,
        "time": 2019.5,
        "baseline": 40,
        "baseline_time": 2018.0,
        "baseline_source": "plan",
        "target_value": 100,
        "target_upper": None,
        "exceeded": False,
        "expected_value": 70.0,
        "time_share": 0.5,
        "progress_share": 0.5,
        "forecast": 100.0,
        "forecast_meets": True,
        "method": "linear",
        "deadline": 2021.0,
        "stale": False,
        "observations": 1,
        "notes": [],
        "final": False,
        "final_value": None,
        "final_time": None,
        "gap": None,
    }


def test_an_achieved_value_gone_stale_says_so_in_its_notes():
    result = assess(LINEAR, [(2019.0, 100)], 2020.0)  # four quarters later
    assert result.status == S.ACHIEVED and result.stale is True
    assert result.notes == ("stale_value",)
