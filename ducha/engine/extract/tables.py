"""Targets in indicator tables (主要指标表), as rows of cells separated by tabs or wide spaces.

A .docx table comes out of the reader as one line a row with tab-separated cells; text copies of
plans keep tables as rows of cells separated by several spaces. A row is read as a target when
its first cell names an indicator with its unit in parentheses (数字经济核心产业增加值占GDP比重
（%）) or the table has a 单位 column, and a later cell holds a number. The column is the one a
header row labels with the latest year (2025年, 2025年目标); without a header, the last number
in the row. Rows without a unit are left alone: a number without a unit is too often something
else (a serial number, an amount of money in a project list).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ducha.engine.extract import lexicon as lx
from ducha.engine.numbers import NumberFormatError, parse_numeral

__all__ = ["TableState", "TableTarget", "read_row"]

_CELL_SPLIT = re.compile(r"\t+|\s{2,}|\u3000+")
_UNIT_IN_NAME = re.compile(r"[(（]\s*([^()（）]{1,12}?)\s*[)）]\s*$")
_VALUE_CELL = re.compile(
    r"^(?P<before>[>≥＞≧<≤＜≦]|不低于|不少于|超过|不超过|不高于|低于)?\s*"
    r"(?P<open>[\[〔【(（]?)\s*(?P<low>\d+(?:\.\d+)?)\s*(?:(?:-|~|～|—|至)\s*(?P<high>\d+(?:\.\d+)?))?"
    r"\s*(?P<close>[\]〕】)）]?)\s*(?P<after>以上|以下|以内|左右)?\s*$"
)
_CHANGE_NAME = re.compile(r"增长|增速|提高|提升|下降|降低|减少|压减")
_DECREASE_NAME = re.compile(r"下降|降低|减少|压减|能耗|排放|事故|死亡|失业")
_PROPERTY = {"预期性", "约束性", "指导性"}


@dataclass
class TableState:
    """What the header row said, as offsets from the row's end: rows with a merged category
    cell at the left have fewer cells, but the year and property columns line up on the right."""

    target_from_end: int | None = None
    target_year: int | None = None
    unit_from_end: int | None = None


@dataclass
class TableTarget:
    indicator: str
    year: int | None
    value_min: Decimal
    value_max: Decimal
    unit: str
    comparator: str
    kind: str
    direction: str


_YEAR_LABEL = re.compile(
    r"(?:19|20)\d{2}\s*年?\s*(?:年底|年末)?\s*(?:目标值?|基期值?|基数|预期值?|规划值|值)?"
    r"|[(（]?\s*(?:19|20)\d{2}\s*年?\s*[)）]?"
)


def split_cells(line: str) -> list[str]:
    return [cell.strip() for cell in _CELL_SPLIT.split(line.strip()) if cell.strip()]


def read_row(line: str, state: TableState) -> TableTarget | None:
    """A target from one table row, updating ``state`` when the row is a header."""
    cells = split_cells(line)
    if len(cells) < 3:
        return None
    if _is_header(cells):
        _read_header(cells, state)
        return None
    named = _name_and_unit(cells, state)
    if named is None:
        return None
    name_index, name, unit = named
    value = _value_cell(cells, name_index, state)
    if value is None:
        return None
    return _target(name, unit, value, state)


def _is_header(cells: list[str]) -> bool:
    years = [cell for cell in cells if _YEAR_LABEL.fullmatch(cell)]
    values = [c for c in cells[1:] if _VALUE_CELL.match(c) and not _YEAR_LABEL.fullmatch(c)]
    return bool(years) and not values


def _read_header(cells: list[str], state: TableState) -> None:
    columns = [
        (index, int(match.group()))
        for index, cell in enumerate(cells)
        if _YEAR_LABEL.fullmatch(cell) and (match := re.search(r"(?:19|20)\d{2}", cell))
    ]
    index, year = max(columns, key=lambda column: (column[1], column[0]))
    state.target_from_end, state.target_year = len(cells) - index, year
    unit_index = next((i for i, cell in enumerate(cells) if cell in ("单位", "计量单位")), None)
    state.unit_from_end = None if unit_index is None else len(cells) - unit_index


def _name_and_unit(cells: list[str], state: TableState) -> tuple[int, str, str] | None:
    """The cell naming the indicator (one of the first three) and its unit."""
    for index, cell in enumerate(cells[:3]):
        match = _UNIT_IN_NAME.search(cell)
        if match and _known(match.group(1)):
            name = cell[: match.start()].strip()
            if re.search(r"[\u4e00-\u9fff]", name):
                return index, name, _known(match.group(1))
    if state.unit_from_end is not None and len(cells) - state.unit_from_end >= 1:
        unit_index = len(cells) - state.unit_from_end
        unit = _known(cells[unit_index])
        name = cells[unit_index - 1]
        if unit and re.search(r"[\u4e00-\u9fff]", name):
            return unit_index - 1, name, unit
    return None


def _known(unit: str) -> str:
    unit = unit.replace("％", "%").strip()
    # A table that declares (亿) or (万) as the unit means it, unlike a bare 亿 in prose.
    return unit if unit in lx.UNIT_WORDS or unit in ("亿", "万", "万亿") else ""


def _value_cell(cells: list[str], name_index: int, state: TableState) -> re.Match[str] | None:
    if state.target_from_end is not None:
        index = len(cells) - state.target_from_end
        if index > name_index:
            return _VALUE_CELL.match(cells[index])
        return None
    for cell in reversed(cells[name_index + 1 :]):
        if cell in _PROPERTY:
            continue
        return _VALUE_CELL.match(cell)
    return None


def _target(name: str, unit: str, value: re.Match[str], state: TableState) -> TableTarget | None:
    try:
        low = parse_numeral(value.group("low"))
        high = parse_numeral(value.group("high")) if value.group("high") else low
    except NumberFormatError:
        return None
    if high < low:
        return None
    marker = (value.group("before") or "") + (value.group("after") or "")
    if any(word in marker for word in (">", "≥", "＞", "≧", "不低于", "不少于", "超过", "以上")):
        comparator = ">="
    elif any(
        word in marker for word in ("<", "≤", "＜", "≦", "不超过", "不高于", "低于", "以下", "以内")
    ):
        comparator = "<="
    else:
        comparator = "="
    # National tables put five-year cumulative changes in brackets: 〔13.5〕.
    bracketed = bool(value.group("open")) and bool(value.group("close"))
    percent = unit in lx.PERCENT_UNITS
    kind = "change" if percent and (bracketed or _CHANGE_NAME.search(name)) else "level"
    decrease = comparator == "<=" or (kind == "change" and bool(_DECREASE_NAME.search(name)))
    return TableTarget(
        indicator=name,
        year=state.target_year,
        value_min=low,
        value_max=high,
        unit=unit,
        comparator=comparator,
        kind=kind,
        direction="decrease" if decrease else "increase",
    )


# --- tables copied one cell per line ------------------------------------------------------------

_MAX_HEADER_CELLS = 10
_MAX_CELL = 40
_SENTENCE_MARK = re.compile(r"[。，；,;：:]")


def join_cell_lines(lines: list[str]) -> list[str]:
    """Rows of an indicator table that a web page copied one cell per line, joined again.

    The signal is a header of short lines that names the indicator column (指标), a year column
    (2025年, 2025年目标) and a property column (属性) last, as 主要指标 tables are laid out;
    then each row runs to the line that is its property (预期性/约束性). A row may lack the
    merged category cell or the serial number, so rows are matched by that closing cell, not by
    a count. Anything that does not fit ends the table; lines are never dropped.
    """
    out: list[str] = []
    index = 0
    while index < len(lines):
        found = _cell_header(lines, index)
        if found is None:
            out.append(lines[index])
            index += 1
            continue
        header, used = found
        width = len(header)
        out.append("\t".join(header))
        index += used
        while True:
            row = _cell_row(lines, index, width)
            if row is None:
                break
            cells, used = row
            out.append("\t".join(cells))
            index += used
    return out


def _cell_header(lines: list[str], index: int) -> tuple[list[str], int] | None:
    first = lines[index].strip()
    if not first or len(first) > 16 or _SENTENCE_MARK.search(first):
        return None
    if first not in ("序号", "类别", "领域", "分类", "指标", "指标名称", "主要指标", "维度"):
        return None
    cells: list[str] = []
    position = index
    while position < len(lines) and len(cells) < _MAX_HEADER_CELLS:
        cell = lines[position].strip()
        position += 1
        if not cell:
            continue
        if len(cell) > 16 or _SENTENCE_MARK.search(cell):
            return None
        cells.append(cell)
        if cell == "属性":
            break
    if not cells or cells[-1] != "属性" or len(cells) < 4:
        return None
    if not any("指标" in c for c in cells) or not any(_YEAR_LABEL.fullmatch(c) for c in cells):
        return None
    return cells, position - index


def _cell_row(lines: list[str], index: int, width: int) -> tuple[list[str], int] | None:
    cells: list[str] = []
    position = index
    while position < len(lines) and len(cells) <= width:
        cell = lines[position].strip()
        position += 1
        if not cell:
            if cells:
                return None  # a blank line inside a row: not a copied table any more
            continue
        if len(cell) > _MAX_CELL or "。" in cell:
            return None
        cells.append(cell)
        if cell in _PROPERTY:
            if len(cells) < 3 or len(cells) > width:
                return None
            return cells, position - index
    return None
