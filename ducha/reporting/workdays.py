"""Deadlines in Chinese working days (工作日), aware of public holidays and 调休.

Pure Python (no Django). Two sources say which days the State Council declared holidays and
which weekend days became working days: the years the office recorded from the yearly notice
(``ducha loadholidays`` or the 节假日安排 page; handed in through `set_recorded_source`), and,
for the years it knows, the `chinese-calendar` package. A recorded year wins. For a year
neither knows, Monday to Friday count as working days and `known` says so, so a deadline is
never refused, only flagged as approximate.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import chinese_calendar

# year -> {day: is it a working day} for the days the notice changes; other days Mon–Fri
Recorded = Mapping[int, Mapping[dt.date, bool]]
_recorded_source: Callable[[], Recorded] | None = None


def set_recorded_source(source: Callable[[], Recorded] | None) -> None:
    """Where the recorded years come from (the Django layer installs a cached reader)."""
    global _recorded_source
    _recorded_source = source


def _recorded() -> Recorded:
    return _recorded_source() if _recorded_source is not None else {}


def package_knows(year: int) -> bool:
    """Whether the chinese-calendar package has the State Council's notice for `year`."""
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def year_known(year: int) -> bool:
    """Whether deadlines in `year` are exact: recorded by the office, or known to the package."""
    return year in _recorded() or package_knows(year)


def is_working_day(day: dt.date) -> tuple[bool, bool]:
    """(is it a working day, does an official calendar know that year)."""
    recorded = _recorded().get(day.year)
    if recorded is not None:
        return recorded.get(day, day.weekday() < 5), True
    try:
        return chinese_calendar.is_workday(day), True
    except NotImplementedError:
        return day.weekday() < 5, False


@dataclass(frozen=True)
class Deadline:
    day: dt.date
    known: bool  # False when a year past the calendar's data was counted as Monday–Friday


def add_working_days(start: dt.date, days: int) -> Deadline:
    """The date `days` working days after `start` (start itself not counted).

    add_working_days(2019-09-30, 1) is 2019-10-08: the National Day holiday runs 1–7 October
    and Sunday 29 September is a working day that comes before the start.
    """
    if days < 0:
        raise ValueError("days must be zero or more")
    day, left, known = start, days, True
    while left > 0:
        day += dt.timedelta(days=1)
        working, knows = is_working_day(day)
        known = known and knows
        if working:
            left -= 1
    return Deadline(day, known)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start).

    A deadline of Friday checked on the next Monday is 1 working day late.
    """
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day)[0]:
            count += 1
    return count
