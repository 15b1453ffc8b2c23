"""Dates as registers hold them: 2019-03-15, 2019/3/15, 2019.3, 2019年3月, 20190315, an
Excel serial number, or a date object a workbook already gave us.

A date written to the month (2019.3, 2019年3月) or the year (2019) is a date with less
precision: :class:`FuzzyDate` keeps the first day and says how precise it is, so a caller can
place a "since" at the start and an "until" at the end of the month.

One ambiguity is refused rather than guessed: a *number* such as 2019.1 in a spreadsheet cell
is what Excel keeps of both 2019.1 and 2019.10, so January and October cannot be told apart.
Typed as text, "2019.1" is January.

Errors are :class:`DateFormatError` with a stable ``code`` (unrecognised, out_of_range,
ambiguous) for the Django layer to translate.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

YEAR_MIN = 1900
YEAR_MAX = 2100
# Excel's 1900 date system: serial 1 is 1900-01-01, and it counts a 29 February 1900 that
# never was (serial 60), so from serial 61 on the epoch is 1899-12-30.
_EXCEL_EPOCH = dt.date(1899, 12, 30)
SERIAL_MIN = 61  # 1900-03-01
SERIAL_MAX = 73415  # 2100-12-31

_CN_DIGITS = {
    "〇": "0",
    "零": "0",
    "○": "0",
    "一": "1",
    "二": "2",
    "三": "3",
    "四": "4",
    "五": "5",
    "六": "6",
    "七": "7",
    "八": "8",
    "九": "9",
}


class DateFormatError(ValueError):
    def __init__(self, code: str, text: str):
        super().__init__(text)
        self.code = code
        self.text = text


@dataclass(frozen=True)
class FuzzyDate:
    """A date known to the day, the month or the year; ``date`` is its first day."""

    date: dt.date
    precision: str = "day"  # day | month | year

    @property
    def last_day(self) -> dt.date:
        if self.precision == "year":
            return dt.date(self.date.year, 12, 31)
        if self.precision == "month":
            days = calendar.monthrange(self.date.year, self.date.month)[1]
            return self.date.replace(day=days)
        return self.date


def from_excel_serial(serial: float) -> dt.date:
    whole = int(serial)
    if not SERIAL_MIN <= whole <= SERIAL_MAX:
        raise DateFormatError("out_of_range", f"{serial!r} is not a date serial number")
    return _EXCEL_EPOCH + dt.timedelta(days=whole)


_PATTERNS = [
    # 2019-03-15, 2019/3/15, 2019.3.15, 2019年3月15日 (and a time after it, ignored)
    (re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$"), "day"),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), "day"),  # 20190315
    (re.compile(r"^(\d{4})[-/.年](\d{1,2})月?份?$"), "month"),  # 2019.3, 2019-03, 2019年3月
    (re.compile(r"^(\d{4})(\d{2})$"), "month"),  # 201903
    (re.compile(r"^(\d{4})年?度?$"), "year"),  # 2019, 2019年
]


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip()
    # a time after the date (2019-03-15 00:00:00, as a CSV of dates often has) is dropped
    text = re.sub(r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$", "", text)
    text = "".join(text.split())
    # 二〇一九年三月: digits only (十 for months is rare in registers; 三月 and 十二月 are handled)
    text = re.sub(r"十([一二])?(?=[月日])", _ten, text)
    return "".join(_CN_DIGITS.get(ch, ch) for ch in text)


def _ten(match: re.Match[str]) -> str:
    return "1" + (_CN_DIGITS[match.group(1)] if match.group(1) else "0")


def _build(year: int, month: int, day: int, precision: str, raw: object) -> FuzzyDate:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise DateFormatError("out_of_range", f"{raw!r}: the year is out of range")
    try:
        return FuzzyDate(dt.date(year, month, day), precision)
    except ValueError:
        raise DateFormatError("out_of_range", f"{raw!r} is not a day of the calendar") from None


def parse_date(value: object) -> FuzzyDate:
    """Read one date cell. Raises DateFormatError."""
    if isinstance(value, dt.datetime):
        return FuzzyDate(value.date())
    if isinstance(value, dt.date):
        return FuzzyDate(value)
    if isinstance(value, bool) or value is None:
        raise DateFormatError("unrecognised", f"{value!r} is not a date")
    if isinstance(value, int | float):
        return _from_number(value)
    text = _normalise(str(value))
    if not text:
        raise DateFormatError("unrecognised", "no date given")
    for pattern, precision in _PATTERNS:
        match = pattern.match(text)
        if match is None:
            continue
        parts = [int(g) for g in match.groups()]
        year, month, day = [*parts, 1, 1][:3]
        return _build(year, month, day, precision, value)
    if re.fullmatch(r"\d{5}(?:\.\d+)?", text):
        # a serial number that arrived as text (a CSV saved from Excel)
        return FuzzyDate(from_excel_serial(float(text)))
    raise DateFormatError("unrecognised", f"{value!r} is not a date (write e.g. 2019-03-15)")


def _from_number(value: int | float) -> FuzzyDate:
    if isinstance(value, float) and not value.is_integer():
        year = int(value)
        if YEAR_MIN <= year <= YEAR_MAX:
            # 2019.3 typed into a cell that Excel took for a number
            fraction = f"{value:.6f}".split(".")[1].rstrip("0")
            if fraction == "1":
                raise DateFormatError(
                    "ambiguous",
                    f"{value!r} may be {year}.1 or {year}.10: write {year}-01 or {year}-10",
                )
            month = int(fraction) if len(fraction) <= 2 else 0
            if not 1 <= month <= 12:
                raise DateFormatError("out_of_range", f"{value!r}: the month is out of range")
            return _build(year, month, 1, "month", value)
        return FuzzyDate(from_excel_serial(value))
    number = int(value)
    if YEAR_MIN <= number <= YEAR_MAX:
        return _build(number, 1, 1, "year", value)
    if 19000101 <= number <= 21001231:
        text = str(number)
        return _build(int(text[:4]), int(text[4:6]), int(text[6:]), "day", value)
    if 190001 <= number <= 210012:
        if not 1 <= number % 100 <= 12:
            raise DateFormatError("out_of_range", f"{value!r}: the month is out of range")
        return _build(number // 100, number % 100, 1, "month", value)
    return FuzzyDate(from_excel_serial(number))
