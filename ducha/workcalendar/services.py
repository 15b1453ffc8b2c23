"""Recording the holiday calendar (the office): a whole notice from a file, or a day at a time.

Each write replaces what it covers all or nothing, writes the audit entry, drops the cached
calendar, and recounts the deadlines of the open rounds that run through the year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from ducha.audit.services import record
from ducha.core.policies import require
from ducha.workcalendar import holidayfile, selectors
from ducha.workcalendar.models import CalendarDay, DayKind, HolidayYear


class CalendarError(Exception):
    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class LoadReport:
    years: list[int] = field(default_factory=list)
    holidays: int = 0
    workdays: int = 0
    rounds_recounted: list = field(default_factory=list)


def _after_change(actor, years: set[int]) -> list:
    from ducha.reporting.services import recount_deadlines

    selectors.forget()
    transaction.on_commit(selectors.forget)
    return recount_deadlines(actor, years)


@transaction.atomic
def load_notices(actor, notices: list[holidayfile.YearNotice]) -> LoadReport:
    """Record the notices read from a file; each replaces its year's days entirely."""
    if actor is not None:
        require(actor, "add", HolidayYear)
    report = LoadReport()
    for notice in notices:
        year, _created = HolidayYear.objects.select_for_update().get_or_create(year=notice.year)
        before = {"days": year.days.count(), "notice": year.notice}
        year.notice, year.source = notice.notice, notice.source
        year.updated_by = actor if getattr(actor, "is_authenticated", False) else None
        year.save()
        year.days.all().delete()
        CalendarDay.objects.bulk_create(
            CalendarDay(year=year, day=day, kind=kind, name=name)
            for day, (kind, name) in sorted(notice.days.items())
        )
        holidays = sum(1 for kind, _n in notice.days.values() if kind == DayKind.HOLIDAY)
        report.years.append(notice.year)
        report.holidays += holidays
        report.workdays += len(notice.days) - holidays
        record(
            actor,
            "workcalendar.year.loaded",
            year,
            changes={
                "days": [before["days"], len(notice.days)],
                "notice": [before["notice"], year.notice],
            },
        )
    report.rounds_recounted = _after_change(actor, set(report.years))
    return report


def load_holiday_file(actor, name: str, data: bytes, *, dry_run: bool = False) -> LoadReport:
    """Read and record a holiday file (YAML, CSV or XLSX); nothing is written on any problem."""
    notices = holidayfile.parse(name, data)  # raises ImportError_ listing every problem
    if dry_run:
        return LoadReport(
            years=[n.year for n in notices],
            holidays=sum(1 for n in notices for k, _x in n.days.values() if k == "holiday"),
            workdays=sum(1 for n in notices for k, _x in n.days.values() if k == "workday"),
        )
    return load_notices(actor, notices)


@transaction.atomic
def save_day(actor, *, day: dt.date, kind: str, name: str = "") -> CalendarDay:
    """Add or change one day of a year (the year is recorded from then on)."""
    if actor is not None:
        require(actor, "add", CalendarDay)
    if kind not in DayKind.values:
        raise CalendarError(_("choose holiday or working day"), "kind")
    if kind == DayKind.WORKDAY and day.weekday() < 5:
        raise CalendarError(
            _("%s is a weekday; only a Saturday or Sunday becomes a working day") % day, "day"
        )
    year, _created = HolidayYear.objects.get_or_create(year=day.year)
    existing = CalendarDay.objects.select_for_update().filter(day=day).first()
    old = [existing.kind, existing.name] if existing else None
    obj, _created = CalendarDay.objects.update_or_create(
        day=day, defaults={"year": year, "kind": kind, "name": name.strip()[:50]}
    )
    year.save()  # its updated_at is the calendar's stamp
    record(
        actor,
        "workcalendar.day.saved",
        year,
        changes={"day": day, "kind_name": [old, [kind, obj.name]]},
    )
    _after_change(actor, {day.year})
    return obj


@transaction.atomic
def remove_day(actor, obj: CalendarDay) -> None:
    """Take a day out of the notice again (it follows Monday to Friday)."""
    if actor is not None:
        require(actor, "delete", obj)
    year = obj.year
    record(
        actor,
        "workcalendar.day.removed",
        year,
        changes={"day": obj.day, "kind_name": [[obj.kind, obj.name], None]},
    )
    obj.delete()
    year.save()
    _after_change(actor, {year.year})


@transaction.atomic
def save_notice(actor, year: HolidayYear, *, notice: str, source: str) -> HolidayYear:
    if actor is not None:
        require(actor, "change", year)
    before = [year.notice, year.source]
    year.notice, year.source = notice.strip()[:200], source.strip()[:500]
    year.save()
    record(
        actor,
        "workcalendar.year.changed",
        year,
        changes={"notice_source": [before, [year.notice, year.source]]},
    )
    return year
