"""The reporting burden's arithmetic (engine.burden)."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from ducha.engine.burden import Item, summarise

FIELDS = ["value", "narrative", "source", "evidence", "explanation"]
T0 = dt.datetime(2020, 1, 6, 9, 0)


def test_prefilled_and_kept_counts_as_confirmed_and_changed_counts_as_typed():
    asked = frozenset(["value", "narrative", "source", "evidence"])
    result = summarise(
        [
            Item("A", asked, prefilled=frozenset(["value", "narrative"]), typed=frozenset()),
            Item("A", asked, prefilled=frozenset(["value"]), typed=frozenset(["value", "source"])),
        ]
    )
    assert (result.asked, result.prefilled, result.typed, result.confirmed) == (8, 3, 2, 2)
    assert result.prefilled_share == 3 / 8 and result.typed_share == 2 / 8


def test_a_units_time_runs_from_its_first_opening_to_its_last_submission():
    asked = frozenset(["value"])
    result = summarise(
        [
            Item("A", asked, opened_at=T0, submitted_at=T0 + dt.timedelta(minutes=30)),
            Item(
                "A",
                asked,
                opened_at=T0 + dt.timedelta(hours=1),
                submitted_at=T0 + dt.timedelta(hours=2),
            ),
            Item("B", asked, opened_at=T0),  # opened, nothing submitted: no time yet
            Item("C", asked, submitted_at=T0),  # submitted by import, never opened
        ]
    )
    hours = {u.unit: u.hours for u in result.units}
    assert hours == {"A": 2.0, "B": None, "C": None}
    assert result.median_hours == 2.0 and len(result.timed_units) == 1


def test_fields_outside_what_was_asked_are_not_counted():
    result = summarise([Item("A", frozenset(["value"]), frozenset(["narrative"]), frozenset())])
    assert result.prefilled == 0 and result.confirmed == 0


@given(
    st.lists(
        st.tuples(
            st.sampled_from("ABC"),
            st.sets(st.sampled_from(FIELDS)),
            st.sets(st.sampled_from(FIELDS)),
            st.sets(st.sampled_from(FIELDS)),
        ),
        max_size=30,
    )
)
def test_the_round_is_the_sum_of_its_units_and_never_more_than_asked(rows):
    result = summarise(Item(u, frozenset(a), frozenset(p), frozenset(t)) for u, a, p, t in rows)
    for name in ("assignments", "asked", "prefilled", "typed", "confirmed"):
        assert getattr(result, name) == sum(getattr(u, name) for u in result.units)
    assert result.prefilled <= result.asked and result.typed <= result.asked
    assert result.confirmed <= result.prefilled
    assert result.confirmed + result.typed <= result.asked
