"""Templates to fill in and exports of a register, as XLSX or CSV.

A template has one sheet per register sheet, with the column headers (units and years
included: 2019年营业收入(万元)), drop-down lists for every single-choice column and for
districts and parks (openpyxl DataValidation on a hidden 列表 sheet), and a 说明 sheet. An
export has the same headers, so that an exported file imports again unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ducha.core.cells import put, safe_row, xlsx_row
from ducha.registers.base import Register
from ducha.registers.importer import Sheet

HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
ROWS_WITH_LISTS = 5000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _lists(register: Register) -> dict[str, list[str]]:
    from ducha.orgunits.models import OrgUnit
    from ducha.parks.models import Park

    return {
        "district": [u.name for u in OrgUnit.objects.filter(kind="district")],
        "park": [p.name for p in Park.objects.all()],
    }


def _layout(register: Register, sheet: Sheet, *, personal: bool, years: list[int]):
    """[(column, year)] in the order the sheet's cells are written."""
    out = []
    for column in sheet.columns:
        if column.yearly:
            out += [(column, y) for y in years]
        else:
            out.append((column, None))
    return [(c, y) for c, y in out if personal or not c.personal]


def build_template(register: Register) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    lists_sheet = wb.create_sheet("列表")
    lists_sheet.sheet_state = "hidden"
    list_columns: dict[str, str] = {}
    refs = _lists(register)

    def list_range(name: str, values: list[str]) -> str:
        if name not in list_columns:
            col = get_column_letter(len(list_columns) + 1)
            for i, value in enumerate(values or ["-"], start=1):
                put(lists_sheet[f"{col}{i}"], value)
            list_columns[name] = f"=列表!${col}$1:${col}${max(len(values), 1)}"
        return list_columns[name]

    years = register.template_years()
    for sheet in register.sheets:
        ws = wb.create_sheet(sheet.name)
        layout = _layout(register, sheet, personal=True, years=years)
        ws.append(xlsx_row(ws, [c.header_for(y) for c, y in layout]))
        ws.freeze_panes = "A2"
        for index, (column, _year) in enumerate(layout, start=1):
            letter = get_column_letter(index)
            cell = ws[f"{letter}1"]
            cell.font = Font(bold=True, color="B91C1C" if column.required else None)
            cell.fill = HEADER_FILL
            ws.column_dimensions[letter].width = column.width
            formula = None
            if column.kind == "choice":
                formula = list_range(f"{sheet.name}.{column.key}", column.names)
            elif column.kind == "ref" and column.ref in refs:
                formula = list_range(column.ref, refs[column.ref])
            if formula:
                dv = DataValidation(type="list", formula1=formula, allow_blank=True)
                dv.error = _("Choose a value from the list.")
                dv.errorTitle = column.header
                dv.showErrorMessage = True
                ws.add_data_validation(dv)
                dv.add(f"{letter}2:{letter}{ROWS_WITH_LISTS}")
            if column.kind in {"date", "text", "credit_code", "id_number", "ref"}:
                for row in range(2, 202):
                    ws[f"{letter}{row}"].number_format = "@"  # keep 2019.3 and codes as text
    help_sheet = wb.create_sheet("说明")
    for line in help_lines(register):
        help_sheet.append(xlsx_row(help_sheet, [line]))
    help_sheet.column_dimensions["A"].width = 110
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def help_lines(register: Register) -> list[str]:
    lines = [
        _("Template of the register: %s") % register.label,
        _("Fill one row per record; headers in red are required. Keep the header row."),
        _(
            "Money columns say their unit in the header, e.g. 营业收入(万元); a file in 亿元 "
            "is converted when its header says 营业收入(亿元)."
        ),
        _("Dates may be written 2019-03-15, 2019/3/15, 2019.3 (a month) or 2019年3月."),
        _(
            "Existing records are matched by their key (credit code, project code, name, ID "
            "number) and updated; empty cells keep what is stored."
        ),
        _("A file with any error imports nothing; every problem is listed with row and column."),
        _("Save as .xlsx, or as CSV (UTF-8 or GBK) holding one sheet."),
    ]
    for sheet in register.sheets:
        lines.append("")
        lines.append(f"[{sheet.name}]")
        for column in sheet.columns:
            text = column.header_for(2019 if column.yearly else None)
            if column.names:
                text += ": " + "、".join(column.names)
            if column.personal:
                text += " " + _("(personal data)")
            lines.append(text)
    return lines


def _cell(value):
    if isinstance(value, Decimal):
        return float(value)
    return value


def export_xlsx(register: Register, queryset, *, personal: bool) -> bytes:
    years = register.export_years(queryset) if hasattr(register, "export_years") else []
    rows_by_sheet = register.export_rows(queryset, personal=personal, years=years)
    wb = Workbook(write_only=True)
    for sheet in register.sheets:
        ws = wb.create_sheet(sheet.name)
        full = _layout(register, sheet, personal=True, years=years)
        keep = [i for i, (c, _y) in enumerate(full) if personal or not c.personal]
        ws.append(xlsx_row(ws, [full[i][0].header_for(full[i][1]) for i in keep]))
        for row in rows_by_sheet.get(sheet.name, ()):
            ws.append(xlsx_row(ws, [_cell(row[i]) for i in keep]))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export_csv(register: Register, queryset, *, personal: bool) -> bytes:
    """The register's main sheet as CSV (UTF-8 with BOM, as Excel in China expects)."""
    years = register.export_years(queryset) if hasattr(register, "export_years") else []
    sheet = register.main_sheet()
    full = _layout(register, sheet, personal=True, years=years)
    keep = [i for i, (c, _y) in enumerate(full) if personal or not c.personal]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(safe_row(full[i][0].header_for(full[i][1]) for i in keep))
    rows: Iterable = register.export_rows(queryset, personal=personal, years=years)[sheet.name]
    for row in rows:
        writer.writerow(safe_row(_csv(row[i]) for i in keep))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv(value):
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value
