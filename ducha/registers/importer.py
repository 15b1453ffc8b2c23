"""Reading a register file into checked rows: the header, units, every cell, duplicates.

All-or-nothing: :func:`parse_file` reads every sheet the register knows and collects every
problem (row and column as the spreadsheet shows them) before raising ``ImportError_``;
the register's ``apply`` then resolves references and writes, raising in turn if anything
is wrong, inside one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from ducha.core.tables import ImportError_, Problem, read_workbook
from ducha.engine.headers import key, parse_header
from ducha.registers.columns import CellError, Column, read_cell, unit_problem

MAX_PROBLEMS = 200
REPEATING = {"choice", "choices", "ref", "date"}
_MISSING = object()
IGNORED_HEADERS = {"序号", "no", "no.", "#", "行号"}


@dataclass
class Sheet:
    name: str  # the sheet's name in templates: 企业
    columns: list[Column]
    key: tuple[str, ...]  # the columns that identify a row (duplicates within a file)
    aliases: tuple[str, ...] = ()

    def column(self, field_key: str) -> Column:
        return next(c for c in self.columns if c.key == field_key)

    @property
    def required(self) -> list[Column]:
        return [c for c in self.columns if c.required]


@dataclass
class ParsedRow:
    number: int  # as the spreadsheet numbers it (header = 1)
    values: dict[str, Any]  # column key -> value, for non-empty cells only
    years: dict[str, dict[int, Any]] = field(default_factory=dict)  # yearly columns


@dataclass
class ParsedSheet:
    sheet: Sheet
    title: str  # the sheet's name in the file ("" for a CSV)
    rows: list[ParsedRow]
    headers: dict[str, str]  # column key -> the header as written in the file

    def header(self, field_key: str) -> str:
        return self.headers.get(field_key) or self.sheet.column(field_key).header


class Problems:
    """Collects problems; `raise_if_any` ends an import that has one."""

    def __init__(self):
        self.items: list[Problem] = []

    def add(self, row: int, column: str, message: str, sheet: str = "") -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(Problem(row, column, message, sheet))

    def at(self, parsed: ParsedSheet, row: ParsedRow | int, field_key: str, message: str) -> None:
        number = row if isinstance(row, int) else row.number
        self.add(number, parsed.header(field_key) if field_key else "", message, parsed.title)

    def raise_if_any(self) -> None:
        if self.items:
            if len(self.items) >= MAX_PROBLEMS:
                self.items.append(Problem(0, "", _("stopped after %d problems") % MAX_PROBLEMS))
            raise ImportError_(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


def parse_file(sheets: list[Sheet], name: str, data: bytes) -> dict[str, ParsedSheet]:
    """{sheet name: ParsedSheet} for every sheet of the file that the register knows.

    A workbook's sheets are matched by name (企业, 称号 …); a CSV, or a workbook whose sheet
    names mean nothing, by which sheet's required columns its header has.
    """
    tables = read_workbook(name, data)
    problems = Problems()
    matched: dict[str, tuple[str, list[list[object]]]] = {}
    unmatched = []
    for title, rows in tables.items():
        sheet = _sheet_named(sheets, title)
        if sheet is None:
            unmatched.append((title, rows))
        elif sheet.name not in matched:
            matched[sheet.name] = (title, rows)
    if not matched:
        for title, rows in unmatched:
            sheet = _sheet_by_header(sheets, rows[0] if rows else [])
            if sheet is not None and sheet.name not in matched:
                matched[sheet.name] = (title, rows)
    if not matched:
        names = "、".join(s.name for s in sheets)
        wanted = "、".join(c.header for c in sheets[0].required)
        raise ImportError_(
            [
                Problem(
                    0,
                    "",
                    _(
                        "no sheet of this file is a register sheet (%(names)s); the first row "
                        "must hold the column names, with at least %(wanted)s"
                    )
                    % {"names": names, "wanted": wanted},
                )
            ]
        )
    out = {}
    for sheet in sheets:
        if sheet.name in matched:
            title, rows = matched[sheet.name]
            out[sheet.name] = _parse_sheet(sheet, title, rows, problems)
    problems.raise_if_any()
    if not any(p.rows for p in out.values()):
        raise ImportError_([Problem(0, "", _("the file has a header but no rows"))])
    return out


def _sheet_named(sheets: list[Sheet], title: str) -> Sheet | None:
    wanted = key(title)
    for sheet in sheets:
        if wanted == key(sheet.name) or wanted in {key(a) for a in sheet.aliases}:
            return sheet
    return None


def _sheet_by_header(sheets: list[Sheet], header: list[object]) -> Sheet | None:
    labels = {parse_header(h).label for h in header if h not in (None, "")}
    best, best_score = None, 0
    for sheet in sheets:
        required = sheet.required
        if required and all(any(c.matches(lbl) for lbl in labels) for c in required):
            score = sum(1 for c in sheet.columns if any(c.matches(lbl) for lbl in labels))
            # prefer the sheet that explains more of the header, then the first sheet
            if score > best_score:
                best, best_score = sheet, score
    return best


@dataclass
class _Slot:
    column: Column
    year: int | None
    unit: str | None
    header: str


def _map_header(
    sheet: Sheet, title: str, header: list[object], problems: Problems
) -> tuple[dict[int, _Slot], dict[str, str]]:
    slots: dict[int, _Slot] = {}
    headers: dict[str, str] = {}
    seen: dict[tuple[str, int | None], str] = {}
    for index, cell in enumerate(header):
        raw = str(cell).strip() if cell is not None else ""
        if not raw:
            continue
        parsed = parse_header(raw)
        if parsed.label in IGNORED_HEADERS:
            continue
        column = next((c for c in sheet.columns if c.matches(parsed.label)), None)
        if column is None:
            known = "、".join(c.header for c in sheet.columns)
            problems.add(1, raw, _("unknown column (known: %s)") % known, title)
            continue
        if column.yearly and parsed.year is None:
            problems.add(1, raw, _("say which year, e.g. %s") % column.header_for(2019), title)
            continue
        if not column.yearly and parsed.year is not None:
            problems.add(1, raw, _("this column is not kept by year"), title)
            continue
        trouble = unit_problem(column, parsed.unit, parsed.raw_unit)
        if trouble:
            problems.add(1, raw, trouble, title)
            continue
        slot_key = (column.key, parsed.year)
        if slot_key in seen:
            problems.add(1, raw, _("the same column as %s") % seen[slot_key], title)
            continue
        seen[slot_key] = raw
        slots[index] = _Slot(column, parsed.year, parsed.unit, raw)
        headers.setdefault(column.key, raw)
    present = {s.column.key for s in slots.values()}
    for column in sheet.required:
        if column.key not in present:
            problems.add(1, column.header, _("required column is missing"), title)
    return slots, headers


def _parse_sheet(
    sheet: Sheet, title: str, rows: list[list[object]], problems: Problems
) -> ParsedSheet:
    if not rows:
        return ParsedSheet(sheet, title, [], {})
    slots, headers = _map_header(sheet, title, rows[0], problems)
    parsed = ParsedSheet(sheet, title, [], headers)
    if problems:
        return parsed
    seen_keys: dict[tuple, int] = {}
    # Columns whose cells repeat (districts, industries, dates) are read once per value.
    memos = {i: {} for i, slot in slots.items() if slot.column.kind in REPEATING}
    for number, raw_row in enumerate(rows[1:], start=2):
        row = ParsedRow(number, {})
        ok = True
        for index, slot in slots.items():
            raw = raw_row[index] if index < len(raw_row) else None
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            memo = memos.get(index)
            cached = memo.get((type(raw), raw), _MISSING) if memo is not None else _MISSING
            if cached is not _MISSING:
                value = cached
            else:
                try:
                    value = read_cell(slot.column, raw, slot.unit)
                except CellError as exc:
                    problems.add(number, slot.header, str(exc), title)
                    ok = False
                    continue
                if memo is not None and len(memo) < 10_000:
                    memo[(type(raw), raw)] = value
            if slot.column.yearly:
                row.years.setdefault(slot.column.key, {})[slot.year] = value
            else:
                row.values[slot.column.key] = value
        for column in sheet.required:
            if column.key in headers and column.key not in row.values and ok:
                problems.add(number, headers[column.key], _("is empty"), title)
                ok = False
        if ok:
            identity = tuple(_hashable(row.values.get(k)) for k in sheet.key)
            if all(v is not None for v in identity):
                if identity in seen_keys:
                    problems.add(
                        number,
                        headers.get(sheet.key[0], ""),
                        _("the same record is also on row %d") % seen_keys[identity],
                        title,
                    )
                    ok = False
                else:
                    seen_keys[identity] = number
        if ok:
            parsed.rows.append(row)
        if len(problems.items) >= MAX_PROBLEMS:
            break
    return parsed


def _hashable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(value)
    return getattr(value, "date", value) if hasattr(value, "precision") else value


def iter_rows(parsed: dict[str, ParsedSheet], sheet_name: str) -> Iterable[ParsedRow]:
    sheet = parsed.get(sheet_name)
    return sheet.rows if sheet else []
