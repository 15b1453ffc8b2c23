"""Dates as registers write them."""

import datetime as dt

import pytest

from ducha.engine.dates import DateFormatError, parse_date


@pytest.mark.parametrize(
    ("raw", "day", "precision"),
    [
        ("2019-03-15", dt.date(2019, 3, 15), "day"),
        ("2019/3/15", dt.date(2019, 3, 15), "day"),
        ("2019.3.15", dt.date(2019, 3, 15), "day"),
        ("2019年3月15日", dt.date(2019, 3, 15), "day"),
        ("2019-03-15 00:00:00", dt.date(2019, 3, 15), "day"),
        ("20190315", dt.date(2019, 3, 15), "day"),
        ("2019.3", dt.date(2019, 3, 1), "month"),
        ("2019.10", dt.date(2019, 10, 1), "month"),
        ("2019年3月", dt.date(2019, 3, 1), "month"),
        ("二〇一九年三月", dt.date(2019, 3, 1), "month"),
        ("２０１９．３", dt.date(2019, 3, 1), "month"),
        ("2019", dt.date(2019, 1, 1), "year"),
        (2019, dt.date(2019, 1, 1), "year"),
        (2019.3, dt.date(2019, 3, 1), "month"),
        (43539, dt.date(2019, 3, 15), "day"),  # an Excel serial number
        (43539.5, dt.date(2019, 3, 15), "day"),
        ("43539", dt.date(2019, 3, 15), "day"),  # a serial that a CSV turned into text
        (dt.datetime(2019, 3, 15, 8, 0), dt.date(2019, 3, 15), "day"),
    ],
)
def test_dates_are_read_as_written(raw, day, precision):
    parsed = parse_date(raw)
    assert parsed.date == day
    assert parsed.precision == precision


def test_a_month_ends_on_its_last_day():
    assert parse_date("2020.2").last_day == dt.date(2020, 2, 29)
    assert parse_date("2019").last_day == dt.date(2019, 12, 31)


def test_a_number_that_may_be_january_or_october_is_refused():
    with pytest.raises(DateFormatError) as exc:
        parse_date(2019.1)
    assert exc.value.code == "ambiguous"
    assert parse_date("2019.1").date == dt.date(2019, 1, 1)  # typed as text it is January


@pytest.mark.parametrize("raw", ["2019-02-30", "2019.13", "201913", 5, "1850-01-01"])
def test_impossible_dates_are_out_of_range(raw):
    with pytest.raises(DateFormatError) as exc:
        parse_date(raw)
    assert exc.value.code == "out_of_range"


@pytest.mark.parametrize("raw", ["abc", "19.3", "", "3月"])
def test_unreadable_dates_are_refused(raw):
    with pytest.raises(DateFormatError):
        parse_date(raw)
