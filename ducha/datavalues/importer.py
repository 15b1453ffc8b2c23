"""Reading value files (CSV in UTF-8, UTF-8 with BOM or GBK; XLSX) into checked rows.

Every row is checked before anything is written; a problem names the row (as the spreadsheet
numbers it, header = row 1) and the column. `services.import_values` writes all or nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from django.utils.translation import gettext as _

# Reading files moved to ducha.core.tables for the register imports; re-exported here.
from ducha.core.tables import (  # noqa: F401
    ImportError_,
    Problem,
    decode_text,
    iter_table,
    read_table,
)
from ducha.datavalues import sources
from ducha.engine.numbers import NumberFormatError, parse_number
from ducha.engine.periods import Period, PeriodError, parse_period, period_containing
from ducha.engine.units import UNITS
from ducha.orgunits.models import OrgUnit
from ducha.plans.models import Indicator, Plan

MAX_PROBLEMS = 200
# A number as most cells hold it: ASCII digits, an optional fraction, nothing else.
PLAIN_NUMBER = re.compile(r"[0-9]{1,16}(?:\.[0-9]{1,6})?\Z")

# Column headers people write, by the field they mean. Matching ignores case and spaces.
COLUMNS: dict[str, tuple[str, ...]] = {
    "indicator": ("指标代码", "指标编码", "指标", "indicator", "indicator_code", "code"),
    "org_unit": ("单位", "责任单位", "填报单位", "单位代码", "单位名称", "地区", "org_unit"),
    "period": ("期间", "时期", "报告期", "统计期", "period"),
    "value": ("数值", "值", "填报值", "value"),
    "note": ("说明", "备注", "note"),
    # The figure's source: one of the kinds (统计局年报 …), its 口径 and a link (all optional).
    "source": ("来源", "数据来源", "source"),
    "source_note": ("口径说明", "口径", "source_note"),
    "source_url": ("来源链接", "链接", "source_url"),
    # A unit's import fills its reporting assignments; their explanation may be required.
    "explanation": ("原因说明", "原因", "explanation"),
}
REQUIRED = ("indicator", "org_unit", "period", "value")
# Columns of the template and the export that are for people, not imported.
INFORMATIONAL = {"指标名称", "计量单位", "状态", "indicatorname", "measurementunit", "status"}


class ValueRow(NamedTuple):
    """One checked row (a named tuple: a million of them are made in seconds)."""

    row: int
    indicator: Indicator
    org_unit: OrgUnit
    period: Period
    value: Decimal
    note: str
    source: str  # a ValueSource key, or "" when the row names none (the import's default)
    explanation: str = ""
    source_note: str = ""
    source_url: str = ""


# --- checking rows --------------------------------------------------------------------------


def _key(header: object) -> str:
    return "".join(str(header or "").split()).lower()


def map_columns(header: list[object]) -> tuple[dict[str, int], list[Problem]]:
    wanted = {_key(alias): field for field, aliases in COLUMNS.items() for alias in aliases}
    found: dict[str, int] = {}
    problems = []
    for index, cell in enumerate(header):
        key = _key(cell)
        if not key or key in INFORMATIONAL:
            continue
        field = wanted.get(key)
        if field is None:
            problems.append(Problem(1, str(cell), _("unknown column")))
        elif field in found:
            problems.append(Problem(1, str(cell), _("this column appears twice")))
        else:
            found[field] = index
    for field in REQUIRED:
        if field not in found:
            problems.append(Problem(1, COLUMNS[field][0], _("required column is missing")))
    return found, problems


class RowChecker:
    """Turns raw cells into ValueRows for one plan, collecting every problem.

    With a ``user`` (a page; ``None`` is the command line), indicators resolve only among
    those the user may see, and a row for a unit the user may not report for is refused
    before anything else about it is checked.
    """

    def __init__(self, plan: Plan, user=None):
        self.plan = plan
        self.user = user
        indicators = Indicator.objects.filter(plan=plan)
        if user is not None:
            indicators = indicators.for_user(user, "view")
        indicators = list(indicators.order_by("position", "pk"))
        self.indicators = {i.code: i for i in indicators}
        self.indicators.update({i.name: i for i in indicators if i.name not in self.indicators})
        self.units = OrgUnit.objects.reference_map()
        self.seen: dict[tuple[int, int, str], int] = {}
        # A file repeats a few dozen periods and one source a million times: each text is
        # read once (errors are never kept, so every bad row still gets its message).
        self._periods: dict[tuple[str, str], Period] = {}
        self._sources: dict[tuple[str, str, str], sources.Source] = {}

    def check(self, number: int, cells: dict[str, object]) -> tuple[ValueRow | None, list[Problem]]:
        problems: list[Problem] = []

        def fail(field: str, message: str) -> None:
            problems.append(Problem(number, COLUMNS[field][0], message))

        unit = self._unit(cells.get("org_unit"), fail)
        if unit is not None and not self._may_report(unit):
            fail("org_unit", _("you may only report for %s") % self.user.org_unit)
            return None, problems
        indicator = self._indicator(cells.get("indicator"), fail)
        period = self._period(cells.get("period"), indicator, fail)
        value = self._value(cells.get("value"), indicator, fail)
        source = self._source(cells, fail)
        if indicator is not None and indicator.source == "computed":
            fail(
                "indicator",
                _("%s is computed from registers and cannot be reported") % indicator.code,
            )
        if problems or None in (indicator, unit, period, value, source):
            return None, problems
        key = (indicator.pk, unit.pk, period.code)
        if key in self.seen:
            fail(
                "period",
                _("the same indicator, unit and period is also on row %d") % self.seen[key],
            )
            return None, problems
        self.seen[key] = number
        return (
            ValueRow(
                number,
                indicator,
                unit,
                period,
                value,
                _text(cells.get("note"))[:2000],
                source.kind,
                _text(cells.get("explanation"))[:5000],
                source.note,
                source.url,
            ),
            [],
        )

    def _source(self, cells, fail) -> sources.Source | None:
        """来源, 口径说明 and 来源链接, each checked; an empty 来源 is the import's default."""
        key = (cells.get("source"), cells.get("source_note"), cells.get("source_url"))
        found = self._sources.get(key)
        if found is None:
            found = self._read_source(cells, fail)
            if found is not None:
                self._sources[key] = found
        return found

    def _read_source(self, cells, fail) -> sources.Source | None:
        out = {}
        for field, check in (
            ("source", lambda raw: sources.parse_kind(raw, default="")),
            ("source_note", sources.clean_note),
            ("source_url", sources.clean_url),
        ):
            try:
                out[field] = check(_text(cells.get(field)))
            except sources.SourceError as exc:
                fail(field, exc.message)
        if len(out) < 3:
            return None
        return sources.Source(out["source"], out["source_note"], out["source_url"])

    def _may_report(self, unit) -> bool:
        """A unit imports its own values only (the office, and the command line, any)."""
        return self.user is None or self.user.is_office or self.user.org_unit_id == unit.pk

    def _indicator(self, raw, fail):
        text = _text(raw)
        if not text:
            fail("indicator", _("is empty"))
            return None
        indicator = self.indicators.get(text)
        if indicator is None:
            fail(
                "indicator",
                _("no indicator %(code)s in plan %(plan)s")
                % {"code": text, "plan": self.plan.code},
            )
        return indicator

    def _unit(self, raw, fail):
        text = _text(raw)
        if not text:
            fail("org_unit", _("is empty"))
            return None
        if text not in self.units:
            fail("org_unit", _("no org unit is called %s") % text)
            return None
        unit = self.units[text]
        if unit is None:
            fail("org_unit", _("%s names more than one org unit; use its code") % text)
        return unit

    def _period(self, raw, indicator, fail):
        if raw.__class__ is str and indicator is not None:
            period = self._periods.get((raw, indicator.frequency))
            if period is None:
                period = self._read_period(raw, indicator, fail)
                if period is not None:
                    self._periods[raw, indicator.frequency] = period
            return period
        return self._read_period(raw, indicator, fail)

    def _read_period(self, raw, indicator, fail):
        if raw in (None, ""):
            fail("period", _("is empty"))
            return None
        try:
            if isinstance(raw, dt.datetime | dt.date):
                # Excel turned the period into a date: take the period containing it.
                day = raw.date() if isinstance(raw, dt.datetime) else raw
                period = period_containing(day, indicator.frequency if indicator else "month")
            elif isinstance(raw, int | float) and not isinstance(raw, bool):
                period = parse_period(str(int(raw)) if float(raw).is_integer() else str(raw))
            else:
                period = parse_period(_text(raw))
        except PeriodError as exc:
            fail("period", period_message(exc, raw))
            return None
        if indicator is not None and period.kind != indicator.frequency:
            fail(
                "period",
                _("%(code)s is reported %(freq)s; %(period)s is a %(kind)s")
                % {
                    "code": indicator.code,
                    "freq": indicator.get_frequency_display(),
                    "period": period.code,
                    "kind": kind_name(period.kind),
                },
            )
            return None
        return period

    def _value(self, raw, indicator, fail):
        if raw in (None, ""):
            fail("value", _("is empty"))
            return None
        if isinstance(raw, bool):
            fail("value", _("is not a number"))
            return None
        if isinstance(raw, int | float):
            value, percent = Decimal(str(raw)), False
        elif raw.__class__ is str and PLAIN_NUMBER.match(raw):
            # the usual cell (123 or 45.6): the same Decimal parse_number gives, without its
            # passes over full-width digits, separators, 万 and Chinese numerals
            value, percent = Decimal(raw.rstrip("0").rstrip(".") if "." in raw else raw), False
        else:
            try:
                parsed = parse_number(_text(raw))
            except NumberFormatError as exc:
                fail("value", number_message(exc, raw))
                return None
            value, percent = parsed.value, parsed.percent
        if indicator is None:
            return value
        unit = UNITS.get(indicator.unit)
        if percent and indicator.unit != "%":
            fail(
                "value",
                _("%(raw)s is a percentage but %(code)s is measured in %(unit)s")
                % {"raw": _text(raw), "code": indicator.code, "unit": indicator.unit},
            )
            return None
        if value < 0 and unit is not None and unit.category in {"count", "money", "percent"}:
            fail(
                "value",
                _("%(raw)s is negative, but %(code)s is measured in %(unit)s")
                % {"raw": _text(raw), "code": indicator.code, "unit": indicator.unit},
            )
            return None
        if abs(value) >= Decimal("1e17"):
            fail("value", _("is too large"))
            return None
        return value


def check_rows(plan: Plan, table, user=None) -> list[ValueRow]:
    """All rows of a table (a list, or rows as they stream from the file) as ValueRows, or
    ImportError_ with every problem found."""
    lines = iter(table)
    header = next(lines, None)
    if header is None:
        raise ImportError_([Problem(0, "", _("the file is empty"))])
    columns, problems = map_columns(header)
    if problems:
        raise ImportError_(problems)

    checker = RowChecker(plan, user)
    check = checker.check
    items = list(columns.items())
    value_at, note_at = columns["value"], columns.get("note")
    rows = []
    number = 1
    for number, raw in enumerate(lines, start=2):
        width = len(raw)
        if _blank(raw[value_at] if value_at < width else None) and (
            note_at is None or _blank(raw[note_at] if note_at < width else None)
        ):
            continue  # a template row left unfilled: nothing to import, nothing wrong
        cells = {f: raw[i] if i < width else None for f, i in items}
        row, row_problems = check(number, cells)
        if row is not None:
            rows.append(row)
        if row_problems:
            problems += row_problems
            if len(problems) >= MAX_PROBLEMS:
                problems.append(Problem(0, "", _("stopped after %d problems") % MAX_PROBLEMS))
                break
    if number == 1:
        raise ImportError_([Problem(0, "", _("the file has a header but no rows"))])
    if problems:
        raise ImportError_(problems)
    if not rows:
        raise ImportError_([Problem(0, "", _("no row has a value to import"))])
    return rows


def _blank(raw: object) -> bool:
    return raw is None or raw == "" or (isinstance(raw, str) and not raw.strip())


def read_value_file(plan: Plan, path: Path) -> list[ValueRow]:
    """The checked rows of a file on disk (commands); a CSV is checked as it streams."""
    return check_rows(plan, read_file(path, stream=True))


def read_file(path: Path, *, stream: bool = False):
    """``read_table`` of a file on disk (commands), a missing or unreadable one named;
    with ``stream``, its rows one at a time (``iter_table``)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportError_(
            [Problem(0, "", _("cannot read %(file)s: %(error)s") % {"file": path, "error": exc})]
        ) from None
    return (iter_table if stream else read_table)(path.name, data)


def _text(raw: object) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def kind_name(kind: str) -> str:
    return {"year": _("year"), "quarter": _("quarter"), "month": _("month")}[kind]


def period_message(exc: PeriodError, raw: object) -> str:
    messages = {
        "quarter_out_of_range": _("%s is not a period: a quarter is 1 to 4"),
        "month_out_of_range": _("%s is not a period: a month is 1 to 12"),
        "year_out_of_range": _("%s is not a period: the year is out of range"),
    }
    template = messages.get(exc.code, _("%s is not a period (write 2019, 2019Q3 or 2019-03)"))
    return template % _text(raw)


def number_message(exc: NumberFormatError, raw: object) -> str:
    return _("%s is not a number") % _text(raw)
