"""Reading tables people upload (CSV in UTF-8, UTF-8 with BOM or GBK; XLSX) into cells.

Shared by every import (values, registers, incentives). Problems name the row as the
spreadsheet numbers it (header = row 1) and the column; imports check everything before
writing anything.

An upload may be hostile: a 2 KB workbook can declare a million rows, hold a 2 GB string or
nest its XML a million deep. Every limit below (:class:`Limits`, from the ``DUCHA_IMPORT_*``
settings) is enforced while reading, so that no file can make a read take longer or hold
more than they allow:

* the file's size; for a workbook, the zip directory (parts, unpacked size, compression
  ratio, the parts read whole) before anything is inflated, and every XML part scanned as it
  is read (no DTD, no deep nesting, no endless text) — ``ducha.engine.safezip``;
* rows (empty ones and the gaps between numbered rows too), columns, cells kept and each
  cell's length, counted while the rows stream in: the workbook's own ``dimension`` is not
  trusted;
* for a CSV, each line's length and the number of lines;
* the time a read may take, checked on every row and every chunk inflated.
"""

from __future__ import annotations

import csv
import io
import time
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from ducha.engine import safezip

MAX_SHEETS = 100
XLSX_RATIO = 200  # real sheet XML compresses about 10:1; bombs 1000:1 and more
XML_DEPTH = 64  # a worksheet nests about six deep
SHARED_STRINGS_SHARE = 4  # the shared strings are read whole: at most a quarter of the unpacked
SMALL_PARTS = 8 * 1024 * 1024  # workbook, styles, relationships …: read whole, never large
CSV_LINE_SLACK = 1024


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_unpacked: int
    max_rows: int  # data rows, not counting the header
    max_columns: int
    max_cells: int
    max_cell_chars: int
    max_seconds: float

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            max_bytes=settings.DUCHA_IMPORT_MAX_BYTES,
            max_unpacked=settings.DUCHA_IMPORT_MAX_UNPACKED_BYTES,
            max_rows=settings.DUCHA_IMPORT_MAX_ROWS,
            max_columns=settings.DUCHA_IMPORT_MAX_COLUMNS,
            max_cells=settings.DUCHA_IMPORT_MAX_CELLS,
            max_cell_chars=settings.DUCHA_IMPORT_MAX_CELL_CHARS,
            max_seconds=settings.DUCHA_IMPORT_MAX_SECONDS,
        )

    @property
    def max_line_chars(self) -> int:
        """A CSV line: every column at its longest would be absurd; eight full cells is plenty."""
        return 8 * self.max_cell_chars + self.max_columns * 4 + CSV_LINE_SLACK


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


def _refuse(message: str, row: int = 0, column: str = "", sheet: str = "") -> ImportError_:
    return ImportError_([Problem(row, column, message, sheet)])


def _check_size(data: bytes, limits: Limits) -> None:
    if len(data) > limits.max_bytes:
        raise _refuse(
            _("the file is larger than %(limit)s") % {"limit": filesizeformat(limits.max_bytes)}
        )
    if not data.strip():
        raise _refuse(_("the file is empty"))


def is_xlsx(name: str, data: bytes) -> bool:
    if name.lower().endswith(".xls") or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise _refuse(_("old .xls workbooks are not supported; save as .xlsx or CSV"))
    return data[:4] == b"PK\x03\x04" or name.lower().endswith((".xlsx", ".xlsm"))


def read_table(name: str, data: bytes, limits: Limits | None = None) -> list[list[object]]:
    """The file's cells as rows (first row = header); CSV or XLSX judged by content and name."""
    limits = limits or Limits.from_settings()
    _check_size(data, limits)
    if is_xlsx(name, data):
        with _Reader(limits) as reader, reader.open(data) as workbook:
            return reader.sheet_rows(workbook, _data_sheet(workbook))
    return _read_csv(data, limits)


def iter_table(name: str, data: bytes, limits: Limits | None = None):
    """``read_table``'s rows one at a time: a CSV streams (a million-row file is never held
    as a million lists), a workbook is read whole first."""
    limits = limits or Limits.from_settings()
    _check_size(data, limits)
    if is_xlsx(name, data):
        return iter(read_table(name, data, limits))
    return _iter_csv(data, limits)


def read_workbook(
    name: str, data: bytes, limits: Limits | None = None
) -> dict[str, list[list[object]]]:
    """Every sheet of an XLSX by name (hidden list sheets left out), or a CSV as one sheet
    named ""; each as rows of cells with empty rows dropped."""
    limits = limits or Limits.from_settings()
    _check_size(data, limits)
    if not is_xlsx(name, data):
        return {"": _read_csv(data, limits)}
    with _Reader(limits) as reader, reader.open(data) as workbook:
        return {
            sheet.title: reader.sheet_rows(workbook, sheet)
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
    raise _refuse(_("this is not a CSV or XLSX file, or its encoding is not UTF-8 or GBK"))


# --- limits met while reading ----------------------------------------------------------------


def _too_many_rows(limits: Limits) -> ImportError_:
    return _refuse(
        _("the file has more than %(limit)d rows (empty rows count too)")
        % {"limit": limits.max_rows}
    )


def _too_wide(limits: Limits, row: int, sheet: str = "") -> ImportError_:
    return _refuse(
        _("the row has more than %(limit)d columns") % {"limit": limits.max_columns},
        row=row,
        sheet=sheet,
    )


def _too_long(limits: Limits, row: int, column: int, sheet: str = "") -> ImportError_:
    from openpyxl.utils import get_column_letter

    return _refuse(
        _("the cell holds more than %(limit)d characters") % {"limit": limits.max_cell_chars},
        row=row,
        column=get_column_letter(column),
        sheet=sheet,
    )


def _too_many_cells(limits: Limits) -> ImportError_:
    return _refuse(_("the file has more than %(limit)d filled cells") % {"limit": limits.max_cells})


def _too_slow(limits: Limits) -> ImportError_:
    return _refuse(
        _("reading the file took longer than %(limit)d seconds; split it into smaller files")
        % {"limit": limits.max_seconds}
    )


# --- CSV -------------------------------------------------------------------------------------


def _read_csv(data: bytes, limits: Limits) -> list[list[object]]:
    return list(_iter_csv(data, limits))


def _iter_csv(data: bytes, limits: Limits):
    """The CSV's rows as they are read, every limit checked on the way (a refusal is raised
    where it is met, so a consumer may have seen the rows before it)."""
    text = decode_text(data)
    if _looks_binary(text):
        raise _refuse(_("this is not a CSV or XLSX file; save the sheet as .xlsx or CSV"))
    max_line = limits.max_line_chars
    first_line = text[: max_line + 1].split("\n", 1)[0]
    delimiter = max(",\t;", key=first_line.count)
    deadline = time.monotonic() + limits.max_seconds
    lines = 0

    def bounded_lines():
        """The text's lines, each checked for length before it is cut out of the text."""
        nonlocal lines
        position, end_of_text = 0, len(text)
        while position < end_of_text:
            end = text.find("\n", position, position + max_line + 1)
            if end < 0:
                end = end_of_text - 1
                if end_of_text - position > max_line:
                    end = -1
            lines += 1
            if end < 0:
                raise _refuse(
                    _("the line is longer than %(limit)d characters") % {"limit": max_line},
                    row=lines,
                )
            if lines > limits.max_rows + 1:
                raise _too_many_rows(limits)
            yield text[position : end + 1]
            position = end + 1

    cells = 0
    try:
        for number, row in enumerate(csv.reader(bounded_lines(), delimiter=delimiter), 1):
            if number > limits.max_rows + 1:
                raise _too_many_rows(limits)
            if number % 1000 == 0 and time.monotonic() > deadline:
                raise _too_slow(limits)
            while row and not row[-1].strip():
                row.pop()
            if not row:
                continue
            if len(row) > limits.max_columns:
                raise _too_wide(limits, number)
            if len(max(row, key=len)) > limits.max_cell_chars:
                index = next(
                    i for i, cell in enumerate(row, 1) if len(cell) > limits.max_cell_chars
                )
                raise _too_long(limits, number, index)
            cells += len(row)
            if cells > limits.max_cells:
                raise _too_many_cells(limits)
            if any(cell.strip() for cell in row):
                yield row
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise _refuse(
                _("a cell holds more than %(limit)d characters") % {"limit": limits.max_cell_chars}
            ) from None
        raise _refuse(_("the CSV cannot be read: %s") % exc) from None


def _looks_binary(text: str) -> bool:
    """Control characters other than tabs and line breaks: junk bytes, not a sheet."""
    return any(ord(c) < 32 and c not in "\t\r\n" for c in text[:4096])


# --- XLSX ------------------------------------------------------------------------------------


def _unreadable() -> ImportError_:
    return _refuse(
        _(
            "the file is not a readable Excel workbook (.xlsx); open it in Excel or WPS, save "
            "it as .xlsx or CSV and upload it again"
        )
    )


def package_problem(error: safezip.PackageError, limits: Limits) -> ImportError_:
    """A refused package as the user reads it."""
    if error.code in {"too_large", "part_too_large"}:
        return _refuse(
            _("the file unpacks to more than %(limit)s; it was refused as unsafe")
            % {"limit": filesizeformat(error.limit)}
        )
    if error.code == "ratio":
        return _refuse(
            _(
                "the file is compressed far more than any workbook (%(ratio)d to 1); it was "
                "refused as unsafe"
            )
            % {"ratio": XLSX_RATIO}
        )
    if error.code == "too_many_parts":
        return _refuse(
            _("the file has more than %(limit)d parts; it was refused as unsafe")
            % {"limit": error.limit}
        )
    if error.code == "xml_depth":
        return _refuse(
            _(
                "the file's content is nested more than %(limit)d levels deep; it was refused as "
                "unsafe"
            )
            % {"limit": error.limit}
        )
    if error.code == "xml_text":
        return _refuse(
            _("a cell holds more than %(limit)d characters") % {"limit": limits.max_cell_chars}
        )
    if error.code == "xml_doctype":
        return _refuse(
            _(
                "the file declares its own XML entities, which no workbook does; it was refused as "
                "unsafe"
            )
        )
    if error.code == "too_slow":
        return _too_slow(limits)
    return _unreadable()


class _Reader:
    """One workbook read within the limits; a context manager that turns the package's
    refusals into ImportError_."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.deadline = time.monotonic() + limits.max_seconds
        self.cells = 0

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if isinstance(error, safezip.PackageError):
            raise package_problem(error, self.limits) from None
        return False

    def zip_limits(self) -> safezip.ZipLimits:
        unpacked = self.limits.max_unpacked
        return safezip.ZipLimits(
            max_unpacked=unpacked,
            part_limits=(
                ("xl/worksheets/*", unpacked),
                ("xl/sharedStrings.xml", unpacked // SHARED_STRINGS_SHARE),
                ("xl/media/*", unpacked),
                ("*", SMALL_PARTS),
            ),
            max_ratio=XLSX_RATIO,
            max_depth=XML_DEPTH,
            # a cell's text as XML: every character may be an entity such as &amp;
            max_text=self.limits.max_cell_chars * 6 + CSV_LINE_SLACK,
            deadline=self.deadline,
        )

    def open(self, data: bytes) -> _Workbook:
        """The workbook's sheets, read by openpyxl's own parts through the guarded archive.

        This is ``load_workbook(read_only=True)`` without the read-only worksheets, which
        parse a whole sheet up front to find its dimension (a sheet of twenty million empty
        rows is parsed before the first row is read): each sheet is streamed once, by
        :meth:`sheet_rows`.
        """
        from openpyxl.reader.excel import ExcelReader
        from openpyxl.styles.stylesheet import apply_stylesheet

        archive = safezip.open_package(data, self.zip_limits())
        try:
            reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
            reader.archive.close()
            reader.archive = archive
            reader.read_manifest()
            reader.read_strings()
            reader.read_workbook()
            apply_stylesheet(archive, reader.wb)
            sheets = [
                _Sheet(sheet.name, sheet.state or "visible", rel.target)
                for sheet, rel in reader.parser.find_sheets()
                if rel.target in reader.valid_files and "chartsheet" not in rel.Type
            ]
        except safezip.PackageError:
            archive.close()
            raise
        except Exception:  # openpyxl raises many kinds (KeyError, ValueError, …) on junk
            archive.close()
            raise _unreadable() from None
        if not sheets:
            archive.close()
            raise _unreadable()
        if len(sheets) > MAX_SHEETS:
            archive.close()
            raise _refuse(_("the workbook has more than %(limit)d sheets") % {"limit": MAX_SHEETS})
        return _Workbook(archive, reader.wb, reader.shared_strings, sheets)

    def sheet_rows(self, workbook: _Workbook, sheet: _Sheet) -> list[list[object]]:
        """The sheet's non-empty rows, trimmed of empty trailing cells, within the limits.

        Reads the raw rows with openpyxl's streaming parser, so that nothing is padded to a
        declared dimension or filled in between numbered rows.
        """
        from openpyxl.worksheet._reader import WorkSheetParser

        limits = self.limits
        rows: list[list[object]] = []
        elements = 0
        with workbook.archive.open(sheet.part) as source:
            parser = WorkSheetParser(
                source,
                workbook.shared_strings,
                data_only=True,
                epoch=workbook.book.epoch,
                date_formats=workbook.book._date_formats,
                timedelta_formats=workbook.book._timedelta_formats,
            )
            try:
                for number, cells in parser.parse():
                    elements += 1
                    if elements > limits.max_rows + 1:
                        raise _too_many_rows(limits)
                    if time.monotonic() > self.deadline:
                        raise _too_slow(limits)
                    row = self._row(number, cells, sheet.title)
                    if row:
                        rows.append(row)
            except (ImportError_, safezip.PackageError):
                raise
            except Exception:  # a broken cell or XML error surfaces here, not at open
                raise _unreadable() from None
        return rows

    def _row(self, number: int, cells: list[dict], title: str) -> list[object]:
        limits = self.limits
        filled = [c for c in cells if c["value"] is not None and c["value"] != ""]
        if not filled:
            return []
        if number > limits.max_rows + 1:
            raise _refuse(
                _("the row is beyond the %(limit)d rows a file may have")
                % {"limit": limits.max_rows + 1},
                row=number,
                sheet=title,
            )
        width = max(c["column"] for c in filled)
        if width > limits.max_columns:
            raise _too_wide(limits, number, title)
        self.cells += width
        if self.cells > limits.max_cells:
            raise _too_many_cells(limits)
        row: list[object] = [None] * width
        for cell in filled:
            value = cell["value"]
            if isinstance(value, str) and len(value) > limits.max_cell_chars:
                raise _too_long(limits, number, cell["column"], title)
            row[cell["column"] - 1] = value
        return row


@dataclass
class _Sheet:
    title: str
    sheet_state: str
    part: str  # the sheet's XML inside the package


class _Workbook:
    def __init__(self, archive, book, shared_strings, sheets: list[_Sheet]):
        self.archive = archive
        self.book = book
        self.shared_strings = shared_strings
        self.worksheets = sheets
        self.sheetnames = [s.title for s in sheets]

    def __getitem__(self, title: str) -> _Sheet:
        return next(s for s in self.worksheets if s.title == title)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.archive.close()
        return False


def _data_sheet(workbook):
    for name in ("数据", "values", "Values", "data"):
        if name in workbook.sheetnames:
            return workbook[name]
    return workbook.worksheets[0]
