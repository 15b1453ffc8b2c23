"""Reading the recorded calendar, cached per process.

`workdays.is_working_day` asks for it on every day it counts, so it is read once and kept;
the service that writes a year drops the cache at once. Another process sees the change at
once too: every request starts by marking the copy unchecked (`recheck`, on Django's
request_started), so the first use in a request compares the table's stamp (one small query)
and re-reads only when it changed. Outside requests (the job worker, commands) the stamp is
checked at most every `RECHECK_SECONDS`.
"""

from __future__ import annotations

import datetime as dt
import threading
import time

from django.db.models import Count, Max
from django.utils import timezone

from ducha.reporting import workdays
from ducha.workcalendar.models import CalendarDay, HolidayYear

RECHECK_SECONDS = 30
_lock = threading.Lock()
_cache: dict = {"stamp": None, "checked": 0.0, "data": None}


def _stamp():
    return tuple(HolidayYear.objects.aggregate(n=Count("pk"), last=Max("updated_at")).values())


def _load() -> dict[int, dict[dt.date, bool]]:
    data: dict[int, dict[dt.date, bool]] = {
        y: {} for y in HolidayYear.objects.values_list("year", flat=True)
    }
    for year, day, kind in CalendarDay.objects.values_list("year__year", "day", "kind"):
        data[year][day] = kind == "workday"
    return data


def recorded_calendar() -> dict[int, dict[dt.date, bool]]:
    now = time.monotonic()
    with _lock:
        if _cache["data"] is not None and now - _cache["checked"] < RECHECK_SECONDS:
            return _cache["data"]
        stamp = _stamp()
        if _cache["data"] is None or stamp != _cache["stamp"]:
            _cache["data"], _cache["stamp"] = _load(), stamp
        _cache["checked"] = now
        return _cache["data"]


def recheck(**_signal) -> None:
    """The next use compares the stamp again (connected to request_started)."""
    with _lock:
        _cache["checked"] = 0.0


def forget() -> None:
    """Drop this process's copy (after a write, and between tests)."""
    with _lock:
        _cache.update(stamp=None, checked=0.0, data=None)


def missing_next_year(today: dt.date | None = None) -> int | None:
    """From 1 October: next year, when neither the office nor the package has its calendar."""
    today = today or timezone.localdate()
    if (today.month, today.day) < (10, 1):
        return None
    year = today.year + 1
    return None if workdays.year_known(year) else year


def known_years() -> dict[str, list[int]]:
    """The years each source knows, for the calendar page."""
    package = [y for y in range(2004, timezone.localdate().year + 3) if workdays.package_knows(y)]
    return {"package": package, "recorded": sorted(recorded_calendar())}
