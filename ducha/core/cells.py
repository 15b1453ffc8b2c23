"""Cells the project writes into spreadsheets people open (CSV and XLSX exports, templates).

Register names, notes and other text come from uploads and forms; a text that starts like a
formula (``=HYPERLINK(...)``, ``+cmd|...``, ``@SUM(...)``) must never reach Excel or WPS as a
live formula (CSV or formula injection). Every export goes through these helpers:

- CSV: ``safe_cell`` applies OWASP's rule, a single quote before a text starting with
  ``=``, ``+``, ``-``, ``@``, tab or carriage return; numbers, dates and ``None`` pass as they are.
- XLSX: ``xlsx_row`` stores such a text unchanged but typed as text, with Excel's own
  "quote prefix" mark, so Excel shows it as typed, keeps it text when edited, and an exported
  workbook imports again unchanged. openpyxl would otherwise write any str starting with ``=``
  as a formula.
"""

from __future__ import annotations

from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def safe_cell(value):
    """The value for a CSV cell: a text starting like a formula gets a leading single quote."""
    if looks_like_formula(value):
        return "'" + value
    return value


def safe_row(values: Iterable) -> list:
    return [safe_cell(v) for v in values]


def text_cell(ws, value: str):
    """An openpyxl cell holding ``value`` as text, never as a formula."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def xlsx_row(ws, values: Iterable) -> list:
    """``values`` ready for ``ws.append``: texts that look like formulas become text cells."""
    return [text_cell(ws, v) if looks_like_formula(v) else v for v in values]


def put(cell, value) -> None:
    """Set an openpyxl cell (normal mode) to ``value``, a formula-like text kept as text."""
    cell.value = value
    if looks_like_formula(value):
        cell.data_type = "s"
        cell.quotePrefix = True
