"""Column headers as spreadsheets write them: a label, maybe a year, maybe a unit.

``营业收入(万元)``, ``营业收入（亿元）``, ``2019年营业收入(万元)``, ``营业收入2019（万元）``,
``投资额/万元`` all split into the label, the year and the unit, so that a register import
can read revenue in 万元 from one file and in 亿元 from another and convert both.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from ducha.engine.units import normalise_unit

_UNIT_IN_BRACKETS = re.compile(r"^(.*?)[(\[]([^()\[\]]+)[)\]]$")
_UNIT_AFTER_SLASH = re.compile(r"^(.*?)[/:]([^/:]+)$")
_YEAR_FIRST = re.compile(r"^((?:19|20)\d{2})年?度?(.+)$")
_YEAR_LAST = re.compile(r"^(.+?)((?:19|20)\d{2})年?度?$")


@dataclass(frozen=True)
class Header:
    label: str  # without year and unit, spaces removed: 营业收入
    unit: str | None  # canonical unit symbol, or None when the header states none
    year: int | None
    raw_unit: str | None = None  # the unit as written, when it is not a known unit


@functools.lru_cache(maxsize=65536)
def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


def key(text: object) -> str:
    """The form headers (and names) are compared in: NFKC, no spaces, lower case."""
    return _key(str(text or ""))


def parse_header(text: object) -> Header:
    body = key(text)
    unit = raw_unit = None
    bracketed = _UNIT_IN_BRACKETS.match(body)
    match = bracketed or _UNIT_AFTER_SLASH.match(body)
    if match:
        candidate = match.group(2).removeprefix("单位").lstrip(":")
        symbol = normalise_unit(candidate)
        if symbol is not None:
            body, unit = match.group(1), symbol
        elif bracketed and match.group(1):
            # 营业收入(美元): a unit we do not know is reported, not taken as part of the label
            body, raw_unit = match.group(1), candidate
    year = None
    for pattern, year_group, label_group in ((_YEAR_FIRST, 1, 2), (_YEAR_LAST, 2, 1)):
        found = pattern.match(body)
        if found:
            year, body = int(found.group(year_group)), found.group(label_group)
            break
    return Header(body, unit, year, raw_unit)
