"""Reading tables people upload (CSV in UTF-8, UTF-8 with BOM or GBK; XLSX) into cells.

Shared by every import (values, registers). Problems name the row as the spreadsheet numbers
it (header = row 1) and the column; imports check everything before writing anything.
Moved here from ``datavalues/importer.py`` (which re-exports these names) so that the
register imports can read several sheets of one workbook with the same rules.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_BYTES = 30 * 1024 * 1024
MAX_ROWS = 250_000


@dataclass(frozen=True)
class Problem:
    row: int  # 0 for the file as a whole, 1 for the header
    column: str
    message: str
    sheet: str = ""

    def __str__(self) -> str:
        if self.row == 0:
            text = self.message
        elif self.column:
            text = _("row %(row)d, column %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        else:
            text = _("row %(row)d: %(message)s") % {"row": self.row, "message": self.message}
        if self.sheet:
            return _("sheet %(sheet)s, %(text)s") % {"sheet": self.sheet, "text": text}
        return text


class ImportError_(Exception):
    """The file cannot be imported; nothing has been written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _check_size(data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise ImportError_([Problem(0, "", _("the file is larger than 30 MB"))])
    if not data.strip():
        raise ImportError_([Problem(0, "", _("the file is empty"))])


def is_xlsx(name: str, data: bytes) -> bool:
    if name.lower().endswith(".xls") or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportError_(
            [Problem(0, "", _("old .xls workbooks are not supported; save as .xlsx or CSV"))]
        )
    return data[:4] == b"PK\x03\x04" or name.lower().endswith((".xlsx", ".xlsm"))


def read_table(name: str, data: bytes) -> list[list[object]]:
    """The file's cells as rows (first row = header); CSV or XLSX judged by content and name."""
    _check_size(data)
    if is_xlsx(name, data):
        return _read_xlsx(data)
    return _read_csv(data)


def read_workbook(name: str, data: bytes) -> dict[str, list[list[object]]]:
    """Every sheet of an XLSX by name (hidden list sheets left out), or a CSV as one sheet
    named ""; each as rows of cells with empty rows dropped."""
    _check_size(data)
    if not is_xlsx(name, data):
        return {"": _read_csv(data)}
    with _open_xlsx(data) as workbook:
        return {
            sheet.title: _sheet_rows(sheet)
            for sheet in workbook.worksheets
            if sheet.sheet_state == "visible"
        }


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) first, then GB18030 (a superset of GBK, as Excel saves)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise ImportError_(
        [Problem(0, "", _("this is not a CSV or XLSX file, or its encoding is not UTF-8 or GBK"))]
    )


def _read_csv(data: bytes) -> list[list[object]]:
    text = decode_text(data)
    if _looks_binary(text):
        raise ImportError_(
            [Problem(0, "", _("this is not a CSV or XLSX file; save the sheet as .xlsx or CSV"))]
        )
    first_line = text.split("\n", 1)[0]
    delimiter = max(",\t;", key=first_line.count)
    rows = []
    try:
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            if any(cell.strip() for cell in row):
                rows.append(row)
            if len(rows) > MAX_ROWS + 1:
                raise ImportError_([Problem(0, "", _("more than %d rows") % MAX_ROWS)])
    except csv.Error as exc:
        raise ImportError_([Problem(0, "", _("the CSV cannot be read: %s") % exc)]) from None
    return rows


def _looks_binary(text: str) -> bool:
    """Control characters other than tabs and line breaks: junk bytes, not a sheet."""
    return any(ord(c) < 32 and c not in "\t\r\n" for c in text[:4096])


class _open_xlsx:
    def __init__(self, data: bytes):
        self.data = data

    def __enter__(self):
        import zipfile

        from openpyxl import load_workbook

        try:
            self.workbook = load_workbook(io.BytesIO(self.data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError):
            raise ImportError_(
                [
                    Problem(
                        0,
                        "",
                        _(
                            "the file is not a readable Excel workbook (.xlsx); open it in "
                            "Excel or WPS, save it as .xlsx or CSV and upload it again"
                        ),
                    )
                ]
            ) from None
        return self.workbook

    def __exit__(self, *exc):
        self.workbook.close()


def _sheet_rows(sheet) -> list[list[object]]:
    rows = []
    for row in sheet.iter_rows(values_only=True):
        if len(rows) > MAX_ROWS:
            raise ImportError_([Problem(0, "", _("more than %d rows") % MAX_ROWS)])
        if any(cell is not None and cell != "" for cell in row):
            rows.append(list(row))
    return rows


def _read_xlsx(data: bytes) -> list[list[object]]:
    with _open_xlsx(data) as workbook:
        return _sheet_rows(_data_sheet(workbook))


def _data_sheet(workbook):
    for name in ("数据", "values", "Values", "data"):
        if name in workbook.sheetnames:
            return workbook[name]
    return workbook.worksheets[0]
