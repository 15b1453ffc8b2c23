"""Scorecard arithmetic (pure)."""

from ducha.scorecards.scoring import Card, Tally, rank, score

WEIGHTS = {"timeliness": 30, "completeness": 30, "progress": 30, "quality": 10}


def test_reporting_rates_as_dhis2_defines_them():
    card = Card("u", Tally(expected=10, reported=8, on_time=6, approved=5), None, 0)
    assert card.reporting_rate == 0.8 and card.on_time_rate == 0.6


def test_missing_components_do_not_count_as_zero():
    card = score(Card("u", Tally(expected=4, reported=4, on_time=4, approved=4), None, 0), WEIGHTS)
    assert card.components["progress"] is None
    # quality: no evidence (0) and never returned (100) -> 50
    assert card.components["quality"] == 50
    assert card.total == (100 * 30 + 100 * 30 + 50 * 10) / 70


def test_weights_change_the_order():
    fast = Card("fast", Tally(expected=2, reported=2, on_time=2, approved=0), None, 0)
    complete = Card("complete", Tally(expected=2, reported=2, on_time=0, approved=2), None, 0)
    on_time_first = {"timeliness": 90, "completeness": 10, "progress": 0, "quality": 0}
    ranked = rank([score(c, on_time_first) for c in (complete, fast)])
    assert [c.key for c in ranked] == ["fast", "complete"]
    approval_first = {"timeliness": 10, "completeness": 90, "progress": 0, "quality": 0}
    ranked = rank([score(c, approval_first) for c in (complete, fast)])
    assert [c.key for c in ranked] == ["complete", "fast"]


def test_equal_totals_share_a_rank_and_no_total_comes_last():
    a = score(Card("a", Tally(2, 2, 2, 2), 4.0, 1), WEIGHTS)
    b = score(Card("b", Tally(2, 2, 2, 2), 4.0, 1), WEIGHTS)
    c = score(Card("c", Tally(2, 1, 0, 0), 0.0, 1), WEIGHTS)
    none = Card("none", Tally(), None, 0)
    ranked = rank([c, none, b, a])
    assert [(x.key, x.rank) for x in ranked] == [("b", 1), ("a", 1), ("c", 3), ("none", None)]
