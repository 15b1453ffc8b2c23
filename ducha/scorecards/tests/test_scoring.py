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


def test_the_breakdown_adds_up_to_the_total_and_names_its_inputs():
    from ducha.scorecards.scoring import breakdown

    card = score(
        Card("u", Tally(expected=4, reported=4, on_time=3, approved=2, with_evidence=1), 2.0, 5),
        WEIGHTS,
    )
    parts = {p.name: p for p in breakdown(card, WEIGHTS)}
    assert list(parts) == ["timeliness", "completeness", "progress", "quality"]
    assert abs(sum(p.points for p in parts.values()) - card.total) < 1e-9
    assert parts["timeliness"].inputs == {"on_time": 3, "expected": 4}
    assert parts["progress"].inputs == {"led_items": 5, "rollup": 2.0}
    assert parts["quality"].value == (0.25 + 1) / 2 * 100
    assert abs(sum(p.used_weight for p in parts.values()) - 1) < 1e-9


def test_a_component_without_data_is_shown_as_not_counted():
    from ducha.scorecards.scoring import breakdown

    card = score(Card("u", Tally(expected=2, reported=2, on_time=2, approved=2), None, 0), WEIGHTS)
    progress = next(p for p in breakdown(card, WEIGHTS) if p.name == "progress")
    assert (progress.value, progress.used_weight, progress.points) == (None, 0.0, None)
    assert progress.weight == 30


def test_only_outcomes_timeliness_and_data_quality_are_scored():
    # every input of a score is a count of reports or the roll-up of led items: nothing
    # about sign-ins, page views or clicks can enter it
    from ducha.scorecards.scoring import COMPONENTS

    assert COMPONENTS == ("timeliness", "completeness", "progress", "quality")
    assert set(Tally.__dataclass_fields__) == {
        "expected",
        "reported",
        "on_time",
        "approved",
        "with_evidence",
        "returned",
    }
