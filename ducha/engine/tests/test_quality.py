"""The quality statistics: modified z-scores, outliers, changes, rule excess and gaps."""

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from ducha.engine import quality as q


def test_modified_z_is_0_6745_times_the_distance_from_the_median_over_the_mad():
    sample = [10, 12, 14, 16, 18]  # median 14, deviations 4 2 0 2 4 -> MAD 2
    assert q.modified_z(sample, 20) == pytest.approx(0.6745 * 6 / 2)
    assert q.modified_z(sample, 14) == 0


def test_a_figure_just_above_3_5_is_an_outlier_and_just_below_is_not():
    sample = [10, 12, 14, 16, 18]
    at = 14 + 3.5 * 2 / 0.6745  # M == 3.5 exactly
    assert q.history_outlier(sample, at - 0.01) is None
    found = q.history_outlier(sample, at + 0.01)
    assert found is not None and found.score > 3.5 and found.median == 14 and found.n == 5
    low = q.history_outlier(sample, 14 - 3.6 * 2 / 0.6745)
    assert low is not None and low.score < -3.5


def test_a_history_without_spread_or_too_short_flags_nothing():
    assert q.modified_z([5, 5, 5, 5], 9) is None
    assert q.history_outlier([0, 0, 0, 1, 0, 0], 40) is None  # MAD 0: small counts
    assert q.history_outlier([10, 12, 14], 1000) is None  # fewer than four earlier figures
    assert q.history_outlier([10, 12, 14, 16], 1000) is not None


def test_change_needs_a_positive_previous_figure():
    assert q.change(12, 10) == pytest.approx(0.2)
    assert q.change(12, 0) is None
    assert q.change(12, None) is None


def test_a_peer_whose_change_is_far_from_the_others_is_an_outlier():
    others = [0.05, 0.08, 0.1, 0.12, 0.06, 0.09]
    assert q.peer_outlier(others, 0.09) is None
    assert q.peer_outlier(others, 2.0) is not None
    assert q.peer_outlier(others[:3], 2.0) is None  # too few peers
    assert q.peer_outlier(others, None) is None


def test_parts_exceeding_the_whole_give_the_excess_and_rounding_is_allowed():
    assert q.excess([300, 200, 150], 600) == pytest.approx(50)
    assert q.excess([300, 200, 100], 600) is None
    assert q.excess([300.0000001, 300], 600) is None


def test_gap_is_the_share_of_the_whole_beyond_the_tolerance():
    assert q.gap(105, 100, 0.05) is None
    assert q.gap(106, 100, 0.05) == pytest.approx(0.06)
    assert q.gap(94, 100, 0.05) == pytest.approx(0.06)
    assert q.gap(0, 0, 0.05) is None
    assert q.gap(3, 0, 0.05) == math.inf


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
figures = st.integers(min_value=-100_000, max_value=100_000)  # whole units: no cancellation


@given(st.lists(figures, min_size=4, max_size=30), figures, st.floats(0.01, 1000), figures)
def test_the_score_does_not_change_with_the_unit_or_the_origin(sample, x, scale, shift):
    base = q.modified_z(sample, x)
    assume(base is not None)
    moved = q.modified_z([v * scale + shift for v in sample], x * scale + shift)
    assert moved == pytest.approx(base, rel=1e-6, abs=1e-6)


@given(st.lists(finite, min_size=4, max_size=30))
def test_the_median_itself_is_never_an_outlier(sample):
    from statistics import median

    assert q.history_outlier(sample, median(sample)) is None
