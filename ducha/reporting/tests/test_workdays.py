import datetime as dt

import pytest

from ducha.reporting import workdays
from ducha.reporting.workdays import add_working_days, working_days_between


@pytest.fixture(autouse=True)
def recorded():
    """The years the office recorded, handed in directly (these tests use no database)."""
    years: dict = {}
    previous = workdays._recorded_source
    workdays.set_recorded_source(lambda: years)
    yield years
    workdays.set_recorded_source(previous)


def test_national_day_holiday_is_skipped():
    # 1-7 October 2019 are holidays; Saturday 12 October 2019 was a working day (调休).
    assert add_working_days(dt.date(2019, 9, 30), 1).day == dt.date(2019, 10, 8)
    assert add_working_days(dt.date(2019, 10, 11), 1).day == dt.date(2019, 10, 12)


def test_ten_working_days_after_national_day():
    deadline = add_working_days(dt.date(2019, 10, 8), 10)
    assert deadline.day == dt.date(2019, 10, 21)  # 9,10,11,12(Sat, worked),14..18,21
    assert deadline.known


def test_a_year_the_calendar_does_not_know_counts_monday_to_friday():
    deadline = add_working_days(dt.date(2030, 1, 4), 1)  # a Friday
    assert deadline.day == dt.date(2030, 1, 7)
    assert not deadline.known


def test_working_days_late():
    assert working_days_between(dt.date(2019, 10, 18), dt.date(2019, 10, 21)) == 1
    assert working_days_between(dt.date(2019, 10, 21), dt.date(2019, 10, 21)) == 0


def test_a_recorded_year_makes_its_deadlines_exact(recorded):
    # 2030: Friday 1 February a holiday, Saturday 2 February a working day (invented)
    recorded[2030] = {dt.date(2030, 2, 1): False, dt.date(2030, 2, 2): True}
    deadline = add_working_days(dt.date(2030, 1, 31), 2)
    assert deadline.day == dt.date(2030, 2, 4) and deadline.known  # Sat 2nd, Mon 4th
    assert workdays.year_known(2030) and not workdays.package_knows(2030)


def test_a_recorded_year_overrides_the_package(recorded):
    assert workdays.is_working_day(dt.date(2019, 10, 8)) == (True, True)
    recorded[2019] = {dt.date(2019, 10, 8): False}
    assert workdays.is_working_day(dt.date(2019, 10, 8)) == (False, True)
    # a day the notice does not mention is a working day from Monday to Friday
    assert workdays.is_working_day(dt.date(2019, 10, 1)) == (True, True)
