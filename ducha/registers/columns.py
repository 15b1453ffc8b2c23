"""Columns of a register spreadsheet: what each header means and how a cell is read.

One :class:`Column` describes a field for import, export and the template alike, so that a
file exported from ducha imports again unchanged. Cells are read by :func:`read_cell`, which
raises :class:`CellError` with a message for the person who typed it; the importer adds the
row and the column.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from ducha.engine import creditcode, idnumber
from ducha.engine.dates import DateFormatError, FuzzyDate, parse_date
from ducha.engine.headers import key
from ducha.engine.numbers import NumberFormatError, parse_number
from ducha.engine.units import UNITS, convert

MULTI_SEPARATORS = re.compile(r"[、,，;；/|\n]+")


class CellError(ValueError):
    """A cell that cannot be read; the message names the problem, not the place."""


@dataclass
class Column:
    key: str  # the field it fills
    header: str  # what templates and exports write: 统一社会信用代码
    kind: str  # text | credit_code | id_number | date | choice | choices | money | number
    #            | int | ref
    aliases: tuple[str, ...] = ()
    required: bool = False
    unit: str | None = None  # money: the unit the register stores (万元); the header names
    #                          the file's unit and values are converted
    choices: dict[str, tuple[str, ...]] | None = None  # value -> Chinese names, first written
    yearly: bool = False  # one column per year: 2019年营业收入(万元)
    personal: bool = False  # personal data: masked, left out of exports unless allowed
    max_length: int = 200
    ref: str = ""  # for kind ref: what the Context resolves (district, park, enterprise …)
    help: str = ""
    width: int = 16
    lookup: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self):
        if self.choices:
            for value, names in self.choices.items():
                self.lookup[key(value)] = value
                for name in names:
                    self.lookup[key(name)] = value

    def header_for(self, year: int | None = None, unit: str | None = None) -> str:
        text = f"{year}年{self.header}" if year is not None else self.header
        unit = unit or self.unit
        return f"{text}({unit})" if unit else text

    def matches(self, label: str) -> bool:
        return label == key(self.header) or label in {key(a) for a in self.aliases}

    def choice_name(self, value: str) -> str:
        return self.choices[value][0] if self.choices and value in self.choices else value

    @property
    def names(self) -> list[str]:
        return [names[0] for names in (self.choices or {}).values()]


def choice_name(value, names: dict, default: str = "") -> str:
    """The name a sheet writes for a stored choice (the first of its accepted names)."""
    return names[value][0] if value in names else default


def text_of(raw: object) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat()
    return str(raw).strip()


def read_cell(column: Column, raw: object, file_unit: str | None = None):
    """The value of one non-empty cell, or CellError."""
    kind = column.kind
    if kind == "text":
        text = text_of(raw)
        if len(text) > column.max_length:
            raise CellError(_("is longer than %d characters") % column.max_length)
        return text
    if kind == "credit_code":
        return read_credit_code(raw)
    if kind == "id_number":
        return idnumber.normalise(text_of(raw))  # checked with the document type later
    if kind == "date":
        return read_date(raw)
    if kind == "choice":
        return read_choice(column, raw)
    if kind == "choices":
        return [read_choice(column, part) for part in MULTI_SEPARATORS.split(text_of(raw)) if part]
    if kind in {"money", "number"}:
        value = read_number(raw)
        if value < 0:
            raise CellError(_("must not be negative"))
        if file_unit and column.unit and file_unit != column.unit:
            value = convert(value, file_unit, column.unit)
        return value
    if kind == "int":
        value = read_number(raw)
        if value != value.to_integral_value() or value < 0:
            raise CellError(_("%s is not a whole number") % text_of(raw))
        return int(value)
    if kind == "ref":
        return text_of(raw)  # resolved by the Context in bulk
    raise ValueError(f"unknown column kind {kind}")


def read_number(raw: object) -> Decimal:
    if isinstance(raw, bool):
        raise CellError(_("is not a number"))
    if isinstance(raw, int | float):
        return Decimal(str(raw))
    try:
        parsed = parse_number(text_of(raw))
    except NumberFormatError:
        raise CellError(_("%s is not a number") % text_of(raw)) from None
    if parsed.percent:
        raise CellError(_("%s is a percentage, not an amount") % text_of(raw))
    if abs(parsed.value) >= Decimal("1e15"):
        raise CellError(_("is too large"))
    return parsed.value


def read_choice(column: Column, raw: object) -> str:
    text = text_of(raw)
    value = column.lookup.get(key(text))
    if value is None:
        shown = "、".join(column.names[:20])
        raise CellError(_("%(value)s is not one of: %(names)s") % {"value": text, "names": shown})
    return value


def read_credit_code(raw: object) -> str:
    try:
        return creditcode.parse_credit_code(text_of(raw)).code
    except creditcode.CreditCodeError as exc:
        raise CellError(credit_code_message(exc, text_of(raw))) from None


def credit_code_message(exc: creditcode.CreditCodeError, raw: str) -> str:
    if exc.code == "length":
        return _("%(code)s has %(n)d characters; a credit code has 18") % {
            "code": raw,
            "n": len(creditcode.normalise(raw)),
        }
    if exc.code == "character":
        return _("%(code)s contains %(char)s, which no credit code has (no I, O, S, V or Z)") % {
            "code": raw,
            "char": exc.character,
        }
    if exc.code == "check":
        return _(
            "%(code)s fails the check: its last character should be %(expected)s; "
            "check the code for a typing error"
        ) % {"code": raw, "expected": exc.expected}
    return _("is empty")


def id_number_message(exc: idnumber.IdNumberError, raw: str) -> str:
    if exc.code == "length":
        return _("%s is not an 18-character resident ID number") % raw
    if exc.code == "character":
        return _("%s must be 17 digits and a digit or X") % raw
    if exc.code == "birth_date":
        return _("%s holds no valid birth date") % raw
    if exc.code == "check":
        return _("%(number)s fails the check: its last character should be %(expected)s") % {
            "number": raw,
            "expected": exc.expected,
        }
    return _("is empty")


def read_date(raw: object) -> FuzzyDate:
    try:
        return parse_date(raw)
    except DateFormatError as exc:
        text = text_of(raw)
        if exc.code == "ambiguous":
            raise CellError(
                _("%s may mean January or October; write the month with two digits as text") % text
            ) from None
        if exc.code == "out_of_range":
            raise CellError(_("%s is not a date in the calendar") % text) from None
        raise CellError(
            _("%s is not a date (write 2019-03-15, 2019.3, 2019年3月 or 2019)") % text
        ) from None


def unit_problem(column: Column, file_unit: str | None, raw_unit: str | None) -> str | None:
    """Why a header's unit does not suit the column, or None when it does."""
    if column.kind != "money":
        return None
    if raw_unit:
        return _("unknown unit %s") % raw_unit
    if file_unit is None:
        return _("say the unit in the header, e.g. %s") % column.header_for()
    target = UNITS.get(column.unit or "")
    unit = UNITS.get(file_unit)
    if target is None or unit is None or unit.base != target.base:
        return _("%(unit)s is not an amount of money in %(base)s") % {
            "unit": file_unit,
            "base": column.unit,
        }
    return None
