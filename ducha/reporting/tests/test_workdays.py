import datetime as dt

from ducha.reporting.workdays import add_working_days, working_days_between


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
