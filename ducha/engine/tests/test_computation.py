"""Computation specs and folding grouped rows into values per period and district."""

from hypothesis import given
from hypothesis import strategies as st

from ducha.engine.computation import (
    CITY,
    FieldSchema,
    GroupRow,
    RegisterSchema,
    combine,
    fold,
    parse_computation,
)
from ducha.engine.periods import Period

SCHEMAS = {
    "things": RegisterSchema(
        "things",
        fields={
            "kind": FieldSchema("choice", ("a", "b")),
            "amount": FieldSchema("number", unit="万元"),
            "since": FieldSchema("date"),
            "until": FieldSchema("date"),
            "year": FieldSchema("year"),
        },
        filters=("kind",),
        end_field="until",
        default_date="since",
    )
}
Q = [Period("quarter", 2019, i) for i in (1, 2, 3, 4)]


def parse(data, **kw):
    return parse_computation(
        data, SCHEMAS, convertible=lambda a, b: {a, b} <= {"万元", "亿元"}, **kw
    )


def test_a_good_spec_is_read_with_its_defaults():
    spec, problems = parse({"register": "things", "filters": {"kind": ["a", "b"]}})
    assert problems == []
    assert (spec.measure, spec.date, spec.window, spec.by_district) == (
        "count",
        "since",
        "stock",
        True,
    )
    assert spec.filters == {"kind": ("a", "b")}


def test_every_problem_names_its_path():
    _spec, problems = parse(
        {"register": "things", "measure": "sum", "field": "kind", "filters": {"kind": "c", "x": 1}}
    )
    paths = {(p.path, p.code) for p in problems}
    assert (".field", "not_number") in paths
    assert (".filters.kind", "bad_value") in paths
    assert (".filters.x", "unknown_filter") in paths


def test_a_year_date_needs_a_yearly_indicator():
    _spec, problems = parse({"register": "things", "date": "year"}, frequency="quarter")
    assert [p.code for p in problems] == ["year_needs_yearly"]
    spec, problems = parse({"register": "things", "date": "year"}, frequency="year")
    assert problems == [] and spec.window == "flow"


def test_a_sum_in_a_unit_that_does_not_convert_is_refused():
    _spec, problems = parse({"register": "things", "measure": "sum", "field": "amount"}, unit="家")
    assert [p.code for p in problems] == ["unit_mismatch"]


def test_stock_counts_a_row_from_its_start_until_its_end():
    rows = [GroupRow("d1", Q[0], None), GroupRow("d2", Q[1], Q[3])]
    out = fold(rows, Q, "count", "stock")
    assert [out[p][CITY] for p in Q] == [1, 2, 2, 1]
    assert out[Q[3]].get("d2") is None


def test_flow_counts_a_row_only_in_its_own_period():
    out = fold([GroupRow("d1", Q[1], None, 3.0)], Q, "sum", "flow")
    assert [out[p][CITY] for p in Q] == [0, 3, 0, 0]


def test_distinct_counts_each_value_once_per_district_and_city():
    rows = [
        GroupRow("d1", Q[0], None, 1, distinct="x"),
        GroupRow("d2", Q[0], None, 1, distinct="x"),
        GroupRow("d2", Q[0], None, 1, distinct="y"),
    ]
    out = fold(rows, Q, "distinct", "stock")
    assert out[Q[0]] == {"d1": 1, "d2": 2, CITY: 2}


def test_rows_without_a_district_count_for_the_city_only():
    out = fold([GroupRow(None, Q[0], None, 5.0)], Q, "sum", "stock")
    assert out[Q[0]] == {CITY: 5.0}


@given(st.lists(st.tuples(st.sampled_from(["d1", "d2", "d3"]), st.integers(0, 3),
                          st.floats(0, 1e6)), max_size=30))  # fmt: skip
def test_the_city_is_the_sum_of_its_districts(items):
    rows = [GroupRow(d, Q[i], None, v) for d, i, v in items]
    out = fold(rows, Q, "sum", "stock")
    for p in Q:
        districts = sum(v for d, v in out[p].items() if d is not CITY)
        assert abs(out[p][CITY] - districts) <= 1e-6 * max(1.0, districts)


def test_parts_add_up():
    a = {Q[0]: {CITY: 1.0, "d1": 1.0}}
    b = {Q[0]: {CITY: 2.0, "d2": 2.0}}
    assert combine([a, b]) == {Q[0]: {CITY: 3.0, "d1": 1.0, "d2": 2.0}}


def _distinct_by_sets(rows, periods, window):
    """The definition, period by period: the values of the rows counting in it, as sets."""
    out = {}
    for p in periods:
        sets: dict = {CITY: set()}
        for row in rows:
            if row.start is None:
                continue
            counts = row.start == p if window == "flow" else (
                row.start <= p and (row.end is None or p < row.end)
            )  # fmt: skip
            if counts:
                sets.setdefault(row.district, set()).add(row.distinct)
                sets[CITY].add(row.distinct)
        out[p] = {d: float(len(s)) for d, s in sets.items()}
    return out


_PERIOD = st.one_of(st.none(), st.integers(0, 3).map(lambda i: Q[i]))


@given(
    st.lists(
        st.tuples(st.sampled_from(["d1", "d2", CITY]), _PERIOD, _PERIOD, st.sampled_from("xyz")),
        max_size=25,
    ),
    st.sampled_from(["stock", "flow"]),
)
def test_distinct_counts_are_those_of_the_sets_of_values_in_each_period(items, window):
    rows = [GroupRow(d, start, end, 1, distinct=v) for d, start, end, v in items]
    assert fold(rows, Q, "distinct", window) == _distinct_by_sets(rows, Q, window)


def test_a_value_that_stops_and_counts_again_is_counted_in_both_spans_only():
    rows = [
        GroupRow("d1", Q[0], Q[1], 1, distinct="x"),
        GroupRow("d1", Q[2], None, 1, distinct="x"),
        GroupRow("d1", Q[2], Q[3], 1, distinct="x"),
    ]
    out = fold(rows, Q, "distinct", "stock")
    assert [out[p].get("d1", 0) for p in Q] == [1, 0, 1, 1]
    assert [out[p][CITY] for p in Q] == [1, 0, 1, 1]
