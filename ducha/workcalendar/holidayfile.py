"""Reading a holiday notice file (YAML, or a CSV/XLSX table); format in docs/holidays.md.

Everything is checked before anything is written; each problem names where it is (the YAML
entry, or the table's row and column) in the user's language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import yaml
from django.utils.translation import gettext as _

from ducha.core.tables import ImportError_, Problem, decode_text, read_table

KIND_WORDS = {
    "holiday": {"放假", "休", "休息", "假", "holiday", "off"},
    "workday": {"上班", "班", "调休上班", "补班", "workday", "work"},
}
HEADERS = {
    "day": {"日期", "date"},
    "kind": {"类型", "kind", "type"},
    "name": {"名称", "节日", "name"},
    "notice": {"通知", "notice"},
}


class _Loader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text, so 2027-02-30 is a problem to name, not a crash."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class YearNotice:
    year: int
    notice: str = ""
    source: str = ""
    days: dict[dt.date, tuple[str, str]] = field(default_factory=dict)  # day -> (kind, name)


def parse(name: str, data: bytes) -> list[YearNotice]:
    """The years in the file; raises `ImportError_` listing every problem."""
    if name.lower().endswith((".yaml", ".yml")):
        return _parse_yaml(data)
    return _parse_table(name, data)


def _as_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip().replace("/", "-").replace(".", "-")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _add(notice: YearNotice, day: dt.date, kind: str, label: str) -> str | None:
    """Add one day; the problem with it, if any."""
    if day.year != notice.year:
        return _("%(day)s is not in %(year)d") % {"day": day, "year": notice.year}
    if day in notice.days:
        return _("%s is listed twice") % day
    if kind == "workday" and day.weekday() < 5:
        return _("%s is a weekday; only a Saturday or Sunday becomes a working day") % day
    notice.days[day] = (kind, label)
    return None


def _at(where: str, message: str) -> Problem:
    return Problem(0, "", _("%(where)s: %(problem)s") % {"where": where, "problem": message})


def _parse_yaml(data: bytes) -> list[YearNotice]:
    try:
        documents = [d for d in yaml.load_all(decode_text(data), Loader=_Loader) if d is not None]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _("line %d") % (mark.line + 1) if mark else ""
        raise ImportError_([Problem(0, "", _("not valid YAML %s") % where)]) from None
    entries = []
    for doc in documents:
        entries.extend(doc if isinstance(doc, list) else [doc])
    problems: list[Problem] = []
    notices: list[YearNotice] = []
    seen_years = set()
    for i, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("year"), int):
            problems.append(_at(_("entry %d") % i, _("say which year (year: 2027)")))
            continue
        year = entry["year"]
        if not 2000 <= year <= 2100 or year in seen_years:
            problems.append(_at(_("entry %d") % i, _("%s is not a year, or is given twice") % year))
            continue
        seen_years.add(year)
        notice = YearNotice(year, str(entry.get("notice") or "")[:200],
                            str(entry.get("source") or "")[:500])  # fmt: skip
        for j, item in enumerate(entry.get("holidays") or [], 1):
            where = _("%(year)d holidays[%(n)d]") % {"year": year, "n": j}
            if not isinstance(item, dict):
                problems.append(_at(where, _("expected name, from and to")))
                continue
            label = str(item.get("name") or "")[:50]
            start = _as_date(item.get("from", item.get("date")))
            end = _as_date(item.get("to", item.get("from", item.get("date"))))
            if start is None or end is None:
                problems.append(_at(where, _("from and to must be dates (2027-01-01)")))
                continue
            if end < start or (end - start).days > 30:
                problems.append(
                    _at(where, _("to is before from, or the run is longer than a month"))
                )
                continue
            day = start
            while day <= end:
                problem = _add(notice, day, "holiday", label)
                if problem:
                    problems.append(_at(where, problem))
                day += dt.timedelta(days=1)
        for j, item in enumerate(entry.get("workdays") or [], 1):
            where = _("%(year)d workdays[%(n)d]") % {"year": year, "n": j}
            day = _as_date(item.get("date")) if isinstance(item, dict) else None
            if day is None:
                problems.append(_at(where, _("date must be a date (2027-02-07)")))
                continue
            problem = _add(notice, day, "workday", str(item.get("name") or "")[:50])
            if problem:
                problems.append(_at(where, problem))
        notices.append(notice)
    if not notices and not problems:
        problems.append(Problem(0, "", _("the file holds no year")))
    if problems:
        raise ImportError_(problems)
    return notices


def _parse_table(name: str, data: bytes) -> list[YearNotice]:
    rows = read_table(name, data)
    if not rows:
        raise ImportError_([Problem(0, "", _("the file is empty"))])
    header = [str(c or "").strip().lower() for c in rows[0]]
    columns = {}
    for key, words in HEADERS.items():
        for index, title in enumerate(header):
            if title in words:
                columns[key] = index
    missing = [k for k in ("day", "kind") if k not in columns]
    if missing:
        raise ImportError_(
            [Problem(1, "", _("the header needs the columns 日期 and 类型 (and may have 名称)"))]
        )
    problems: list[Problem] = []
    by_year: dict[int, YearNotice] = {}

    def cell(row, key):
        index = columns.get(key)
        return row[index] if index is not None and index < len(row) else None

    for number, row in enumerate(rows[1:], 2):
        if not any(str(c or "").strip() for c in row):
            continue
        day = _as_date(cell(row, "day"))
        if day is None:
            problems.append(
                Problem(
                    number,
                    rows[0][columns["day"]],
                    _("%s is not a date (2027-01-01)") % cell(row, "day"),
                )
            )
            continue  # fmt: skip
        word = str(cell(row, "kind") or "").strip().lower()
        kind = next((k for k, words in KIND_WORDS.items() if word in words), None)
        if kind is None:
            problems.append(
                Problem(
                    number, rows[0][columns["kind"]], _("%s: write 放假 or 上班") % (word or "—")
                )
            )
            continue  # fmt: skip
        notice = by_year.setdefault(day.year, YearNotice(day.year))
        if not notice.notice and cell(row, "notice"):
            notice.notice = str(cell(row, "notice"))[:200]
        problem = _add(notice, day, kind, str(cell(row, "name") or "")[:50])
        if problem:
            problems.append(Problem(number, "", problem))
    if not by_year and not problems:
        problems.append(Problem(0, "", _("the file holds no day")))
    if problems:
        raise ImportError_(problems)
    return sorted(by_year.values(), key=lambda n: n.year)
