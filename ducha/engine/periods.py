"""Reporting periods (year, quarter, month) and how people write them.

The assessment places every period at its end date (2019Q3 -> 2019-09-30) and measures time in
decimal years, so this module is the one place where dates become the floats the engine uses.
"""

from __future__ import annotations

import calendar
import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

KINDS = ("year", "quarter", "month")
YEAR_MIN = 1900
YEAR_MAX = 2100

# How long one reporting period is, in years: staleness is "older than two of these".
FREQUENCY_YEARS: dict[str, float] = {"year": 1.0, "quarter": 0.25, "month": 1 / 12}

_INDEX_MAX = {"year": 0, "quarter": 4, "month": 12}
_MONTHS_PER_INDEX = {"quarter": 3, "month": 1}


class PeriodError(ValueError):
    """A period that cannot be read or does not exist.

    ``code`` is stable (a Django layer translates it); ``text`` is an English explanation.
    """

    def __init__(self, code: str, text: str, value: object = None):
        super().__init__(text)
        self.code = code
        self.text = text
        self.value = value


def decimal_year(d: date) -> float:
    """The year plus the share of it that has passed by the end of ``d``.

    Dec 31 gives year + 1.0, so a period's end date and the next period's start never collide
    and the year 2017 (ending 2017-12-31) sits at 2018.0.
    """
    days_in_year = 366 if calendar.isleap(d.year) else 365
    return d.year + d.timetuple().tm_yday / days_in_year


@functools.total_ordering
@dataclass(frozen=True)
class Period:
    """One reporting period. Ordered by end date, then the longer period first.

    (2019 < 2019Q4 < 2019-12: all three end on 2019-12-31.) Equality is field equality.
    """

    kind: str
    year: int
    index: int = 0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise PeriodError("unknown_kind", f"unknown period kind {self.kind!r}", self.kind)
        _check_year(self.year, self)
        top = _INDEX_MAX[self.kind]
        if self.kind == "year":
            if self.index != 0:
                raise PeriodError("index_out_of_range", "a year period has index 0", self)
        elif not 1 <= self.index <= top:
            raise PeriodError(
                f"{self.kind}_out_of_range",
                f"{self.kind} must be 1 to {top}, not {self.index}",
                self,
            )

    @property
    def code(self) -> str:
        if self.kind == "year":
            return f"{self.year}"
        if self.kind == "quarter":
            return f"{self.year}Q{self.index}"
        return f"{self.year}-{self.index:02d}"

    @property
    def start(self) -> date:
        if self.kind == "year":
            return date(self.year, 1, 1)
        first_month = (self.index - 1) * _MONTHS_PER_INDEX[self.kind] + 1
        return date(self.year, first_month, 1)

    @property
    def end(self) -> date:
        if self.kind == "year":
            return date(self.year, 12, 31)
        last_month = self.index * _MONTHS_PER_INDEX[self.kind]
        return date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])

    @property
    def time(self) -> float:
        """Where the assessment places this period: the decimal year of its end date."""
        return decimal_year(self.end)

    def next(self) -> Period:
        if self.kind == "year":
            return Period("year", self.year + 1, 0)
        if self.index == _INDEX_MAX[self.kind]:
            return Period(self.kind, self.year + 1, 1)
        return Period(self.kind, self.year, self.index + 1)

    def previous(self) -> Period:
        if self.kind == "year":
            return Period("year", self.year - 1, 0)
        if self.index == 1:
            return Period(self.kind, self.year - 1, _INDEX_MAX[self.kind])
        return Period(self.kind, self.year, self.index - 1)

    def _sort_key(self) -> tuple[date, date]:
        return (self.end, self.start)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._sort_key() < other._sort_key()

    def __str__(self) -> str:
        return self.code


def _check_year(year: int, value: object) -> None:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise PeriodError(
            "year_out_of_range", f"year must be {YEAR_MIN} to {YEAR_MAX}, not {year}", value
        )


def period_containing(d: date, kind: str) -> Period:
    """The period of ``kind`` that ``d`` falls in."""
    if kind == "year":
        return Period("year", d.year, 0)
    if kind == "quarter":
        return Period("quarter", d.year, (d.month - 1) // 3 + 1)
    if kind == "month":
        return Period("month", d.year, d.month)
    raise PeriodError("unknown_kind", f"unknown period kind {kind!r}", kind)


def periods_between(a: Period, b: Period) -> list[Period]:
    """Every period from ``a`` to ``b`` inclusive (empty when ``b`` comes before ``a``)."""
    if a.kind != b.kind:
        raise PeriodError("kind_mismatch", f"cannot list from a {a.kind} to a {b.kind}", (a, b))
    result: list[Period] = []
    current = a
    while current <= b:
        result.append(current)
        if current == b:
            break
        current = current.next()
    return result


# --- parsing what people type ---------------------------------------------------------------

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
_CN_NUMBER = "[〇零一二三四五六七八九十]+"
_SEP = r"(?:年|[-/._])?"

_YEAR = re.compile(r"^(\d{4})(?:年度?)?$")
_QUARTER_Q = re.compile(rf"^(\d{{4}}){_SEP}Q(\d+)$")
_QUARTER_CN = re.compile(rf"^(\d{{4}}){_SEP}第?(\d+|{_CN_NUMBER})季度?$")
_MONTH_SEP = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
_MONTH_CN = re.compile(rf"^(\d{{4}})年(\d{{1,2}}|{_CN_NUMBER})月份?$")
_MONTH_COMPACT = re.compile(r"^(\d{4})M?(\d{2})$")
_MONTH_M = re.compile(r"^(\d{4})M(\d{1})$")


def _chinese_number(text: str) -> int:
    """一 .. 十二 (and plain digits) as an int; what quarters and months need, no more."""
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    tens, _, units = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


def _normalise(text: str) -> str:
    # NFKC turns full-width digits, letters and ／－ into ASCII.
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\s+", "", text).upper()
    # A year written in Chinese digits (二〇一九年) becomes 2019年.
    if len(text) >= 4 and all(c in _CN_DIGITS for c in text[:4]):
        text = "".join(str(_CN_DIGITS[c]) for c in text[:4]) + text[4:]
    return text


def _coerce_text(value: object) -> str:
    # Spreadsheet cells arrive as int (2019, 201903) or as a whole float (2019.0).
    if isinstance(value, bool):
        raise PeriodError("unrecognised", f"not a period: {value!r}", value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | str):
        return str(value)
    raise PeriodError("unrecognised", f"not a period: {value!r}", value)


def parse_period(value: object) -> Period:
    """Read a period as people write it: 2019, 2019Q3, 2019年第三季度, 2019-03, 201903 …"""
    original = value
    text = _normalise(_coerce_text(value))
    for pattern, kind in (
        (_YEAR, "year"),
        (_QUARTER_Q, "quarter"),
        (_QUARTER_CN, "quarter"),
        (_MONTH_SEP, "month"),
        (_MONTH_CN, "month"),
        (_MONTH_COMPACT, "month"),
        (_MONTH_M, "month"),
    ):
        match = pattern.match(text)
        if match is None:
            continue
        year = int(match.group(1))
        _check_year(year, original)
        index = _chinese_number(match.group(2)) if kind != "year" else 0
        if kind != "year" and not 1 <= index <= _INDEX_MAX[kind]:
            raise PeriodError(
                f"{kind}_out_of_range",
                f"{kind} must be 1 to {_INDEX_MAX[kind]}, not {index} (in {original!r})",
                original,
            )
        return Period(kind, year, index)
    raise PeriodError(
        "unrecognised",
        f"not a period: {original!r} (expected e.g. 2019, 2019Q3, 2019-03, 2019年第三季度)",
        original,
    )
