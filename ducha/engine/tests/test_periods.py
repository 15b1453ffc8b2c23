from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ducha.engine.periods import (
    FREQUENCY_YEARS,
    Period,
    PeriodError,
    decimal_year,
    parse_period,
    period_containing,
    periods_between,
)


@pytest.mark.parametrize(
    "text",
    [
        "2019Q3", "2019-Q3", "2019q3", "2019 Q3", "2019年第三季度", "2019年第3季度",
        "2019年三季度", "2019年3季度", "2019第三季度", "２０１９Ｑ３", " 2019Q3\t",
        "二〇一九年三季度",
    ],
)  # fmt: skip
def test_quarter_is_read_in_the_ways_people_write_it(text):
    assert parse_period(text) == Period("quarter", 2019, 3)


@pytest.mark.parametrize(
    "text",
    ["2019-03", "2019-3", "2019/03", "2019.03", "2019年3月", "2019年03月", "2019年三月",
     "201903", "2019M03", "2019m3", "２０１９－０３", "2019年3月份"],
)  # fmt: skip
def test_month_is_read_in_the_ways_people_write_it(text):
    assert parse_period(text) == Period("month", 2019, 3)


@pytest.mark.parametrize("text", ["2019", "2019年", "2019年度", " 2019 ", "２０１９", "二〇一九年"])
def test_year_is_read_in_the_ways_people_write_it(text):
    assert parse_period(text) == Period("year", 2019, 0)


def test_spreadsheet_numbers_are_read_as_periods():
    assert parse_period(2019) == Period("year", 2019)
    assert parse_period(2019.0) == Period("year", 2019)
    assert parse_period(201912) == Period("month", 2019, 12)


def test_twelfth_month_in_chinese_numerals():
    assert parse_period("2019年十二月") == Period("month", 2019, 12)
    assert parse_period("2019年十月") == Period("month", 2019, 10)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("2019Q5", "quarter_out_of_range"),
        ("2019Q0", "quarter_out_of_range"),
        ("2019年第五季度", "quarter_out_of_range"),
        ("2019-13", "month_out_of_range"),
        ("201900", "month_out_of_range"),
        ("2019年13月", "month_out_of_range"),
        ("1899", "year_out_of_range"),
        ("2101Q1", "year_out_of_range"),
        ("", "unrecognised"),
        ("Q3", "unrecognised"),
        ("19Q3", "unrecognised"),
        ("2019-03-31", "unrecognised"),
        ("next year", "unrecognised"),
        (True, "unrecognised"),
        (None, "unrecognised"),
        (2019.5, "unrecognised"),
    ],
)
def test_bad_periods_are_refused_with_a_stable_code(text, code):
    with pytest.raises(PeriodError) as caught:
        parse_period(text)
    assert caught.value.code == code
    assert caught.value.text == str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_constructing_an_impossible_period_is_refused():
    with pytest.raises(PeriodError, match="quarter must be 1 to 4") as caught:
        Period("quarter", 2019, 5)
    assert caught.value.code == "quarter_out_of_range"
    with pytest.raises(PeriodError):
        Period("week", 2019, 1)
    with pytest.raises(PeriodError):
        Period("year", 2019, 1)


def test_codes_start_and_end():
    assert Period("year", 2019).code == "2019"
    assert Period("quarter", 2019, 3).code == "2019Q3"
    assert Period("month", 2019, 3).code == "2019-03"
    assert Period("quarter", 2019, 3).start == date(2019, 7, 1)
    assert Period("quarter", 2019, 3).end == date(2019, 9, 30)
    assert Period("month", 2020, 2).end == date(2020, 2, 29)
    assert Period("year", 2019).end == date(2019, 12, 31)


def test_period_is_placed_at_its_end_date():
    assert Period("year", 2017).time == 2018.0
    assert Period("quarter", 2019, 3).time == decimal_year(date(2019, 9, 30))
    assert Period("quarter", 2019, 4).time == 2020.0
    assert Period("month", 2019, 12).time == Period("year", 2019).time


def test_decimal_year_counts_days_of_the_year():
    assert decimal_year(date(2019, 12, 31)) == 2020.0
    assert decimal_year(date(2019, 1, 1)) == 2019 + 1 / 365
    assert decimal_year(date(2020, 1, 1)) == 2020 + 1 / 366


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 30)))
def test_decimal_year_is_strictly_increasing(d):
    assert decimal_year(d) < decimal_year(date.fromordinal(d.toordinal() + 1))


def test_next_and_previous_cross_year_boundaries():
    assert Period("quarter", 2019, 4).next() == Period("quarter", 2020, 1)
    assert Period("month", 2020, 1).previous() == Period("month", 2019, 12)
    assert Period("year", 2019).next() == Period("year", 2020)


def test_next_beyond_the_supported_years_is_refused():
    with pytest.raises(PeriodError) as caught:
        Period("year", 2100).next()
    assert caught.value.code == "year_out_of_range"


_periods = st.one_of(
    st.builds(Period, st.just("year"), st.integers(1901, 2099), st.just(0)),
    st.builds(Period, st.just("quarter"), st.integers(1901, 2099), st.integers(1, 4)),
    st.builds(Period, st.just("month"), st.integers(1901, 2099), st.integers(1, 12)),
)


@given(_periods)
def test_code_parses_back_to_the_same_period(period):
    assert parse_period(period.code) == period


@given(_periods)
def test_next_then_previous_is_identity_and_periods_tile_time(period):
    assert period.next().previous() == period
    assert period < period.next()
    assert (period.next().start - period.end).days == 1


@given(_periods)
def test_period_containing_its_own_dates(period):
    assert period_containing(period.start, period.kind) == period
    assert period_containing(period.end, period.kind) == period


def test_periods_are_ordered_by_end_date_then_longest_first():
    ordered = [Period("quarter", 2019, 1), Period("year", 2019), Period("quarter", 2019, 4),
               Period("month", 2019, 12), Period("month", 2020, 1)]  # fmt: skip
    assert sorted(reversed(ordered)) == ordered


def test_periods_between_is_inclusive():
    got = periods_between(Period("quarter", 2018, 3), Period("quarter", 2019, 2))
    assert [p.code for p in got] == ["2018Q3", "2018Q4", "2019Q1", "2019Q2"]
    assert periods_between(Period("year", 2020), Period("year", 2018)) == []
    with pytest.raises(PeriodError) as caught:
        periods_between(Period("year", 2018), Period("quarter", 2019, 1))
    assert caught.value.code == "kind_mismatch"


def test_frequency_in_years():
    assert FREQUENCY_YEARS == {"year": 1.0, "quarter": 0.25, "month": 1 / 12}
