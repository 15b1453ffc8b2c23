"""The value template people download, fill in Excel and import again."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from ducha.core.cells import put, safe_row, xlsx_row
from ducha.datavalues import sources
from ducha.datavalues.models import ValueSource
from ducha.orgunits.models import OrgUnit
from ducha.plans.models import Plan

HEADER = [
    "指标代码",
    "指标名称",
    "计量单位",
    "单位",
    "期间",
    "数值",
    "说明",
    "来源",
    "口径说明",
    "来源链接",
    "原因说明",
]
WIDTHS = [22, 36, 10, 18, 12, 14, 30, 16, 30, 30, 30]
COLUMN_LETTERS = "ABCDEFGHIJK"


def example_period(frequency: str) -> str:
    return {"year": "2019", "quarter": "2019Q3", "month": "2019-09"}[frequency]


def build_xlsx(plan: Plan, units: list[OrgUnit] | None = None) -> bytes:
    """A workbook with a 数据 sheet (one row per indicator and unit to fill), drop-down lists
    for indicator codes and units, and a 说明 sheet explaining how to fill it."""
    indicators = list(plan.indicators.filter(source="manual").order_by("position"))
    units = units if units is not None else list(OrgUnit.objects.filter(is_active=True))
    wb = Workbook()
    data = wb.active
    data.title = "数据"
    data.append(HEADER)
    for cell in data[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE3EA")
    for col, width in zip(COLUMN_LETTERS, WIDTHS, strict=True):
        data.column_dimensions[col].width = width
    data.freeze_panes = "A2"
    prefill_unit = units[0].name if len(units) == 1 else ""
    # One row per indicator with its code, name and unit filled in; rows left without a value
    # are skipped on import, so a unit fills only what it reports.
    for ind in indicators:
        data.append(xlsx_row(data, [ind.code, ind.name, ind.unit, prefill_unit]))
    for row in data.iter_rows(min_row=2, max_row=5000, min_col=5, max_col=5):
        for cell in row:
            cell.number_format = "@"  # keep 2019Q3 and 2019-09 as text, not dates

    lists = wb.create_sheet("列表")
    for i, ind in enumerate(indicators, start=1):
        put(lists.cell(row=i, column=1), ind.code)
    for i, unit in enumerate(units, start=1):
        put(lists.cell(row=i, column=2), unit.name)
    for i, kind in enumerate(ValueSource, start=1):
        put(lists.cell(row=i, column=3), str(kind.label))
    lists.sheet_state = "hidden"
    last = max(len(indicators), 1)
    codes = DataValidation(type="list", formula1=f"=列表!$A$1:$A${last}", allow_blank=False)
    codes.error = _("Choose an indicator code from the list.")
    names = DataValidation(type="list", formula1=f"=列表!$B$1:$B${max(len(units), 1)}")
    names.error = _("Choose an org unit from the list.")
    kinds = DataValidation(type="list", formula1=f"=列表!$C$1:$C${len(ValueSource)}")
    kinds.error = _("Choose a source from the list.")
    for dv, column in ((codes, "A"), (names, "D"), (kinds, "H")):
        dv.showErrorMessage = True
        data.add_data_validation(dv)
        dv.add(f"{column}2:{column}5000")
    periods = DataValidation(type="textLength", operator="between", formula1="4", formula2="12")
    periods.promptTitle = _("Period")
    periods.prompt = _("2019 for a year, 2019Q3 for a quarter, 2019-09 for a month")
    periods.showInputMessage = True
    data.add_data_validation(periods)
    periods.add("E2:E5000")

    help_sheet = wb.create_sheet("说明")
    for line in help_lines(plan):
        help_sheet.append(xlsx_row(help_sheet, [line]))
    help_sheet.column_dimensions["A"].width = 100
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def help_lines(plan: Plan) -> list[str]:
    return [
        _("Values for plan %(code)s: %(title)s") % {"code": plan.code, "title": plan.title},
        _("One row per indicator, org unit and period. Columns:"),
        _("指标代码: the indicator's code (drop-down list)."),
        _("单位: the org unit's name or code, e.g. 和平区 or 120101."),
        _("期间: 2019 for a year, 2019Q3 for a quarter, 2019-09 for a month."),
        _("数值: the number in the indicator's unit; 1,000 · 12.5% · 1.2万 are understood."),
        _("说明: an optional note."),
        _(
            "来源: where the figure comes from, one of %s (drop-down list); "
            "left empty, the source chosen on the import page."
        )
        % sources.choices_text(),
        _("口径说明 and 来源链接: optional; what the figure covers, and a web link to it."),
        _(
            "原因说明: why a value is off track or moved much since the last period; a unit's "
            "submission needs it then, as on the assignment page."
        ),
        _("Save as .xlsx, or as CSV in UTF-8 or GBK. A file with any error is not imported."),
    ]


def build_csv(plan: Plan, units: list[OrgUnit] | None = None) -> bytes:
    """The same rows as the workbook's 数据 sheet, as UTF-8 CSV that Excel opens correctly."""
    prefill_unit = units[0].name if units is not None and len(units) == 1 else ""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for ind in plan.indicators.filter(source="manual").order_by("position"):
        writer.writerow(safe_row([ind.code, ind.name, ind.unit, prefill_unit] + [""] * 7))
    # The BOM makes Excel in China open UTF-8 CSV correctly.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# --- exporting values -----------------------------------------------------------------------

EXPORT_HEADER = [*HEADER[:-1], "状态"]  # the template's columns, so an export imports again


def export_rows(values) -> list[list]:
    """One row per value (DataValue, with indicator and org unit loaded), with its source."""
    return [
        [
            v.indicator.code,
            v.indicator.name,
            v.indicator.unit,
            v.org_unit.name,
            v.period,
            v.value.normalize() if v.value is not None else None,
            v.note,
            str(ValueSource(v.source).label) if v.source in ValueSource.values else v.source,
            v.source_note,
            v.source_url,
            v.get_status_display(),
        ]
        for v in values
    ]


def export_csv(values) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_HEADER)
    for row in export_rows(values):
        writer.writerow(safe_row(format(c, "f") if isinstance(c, Decimal) else c for c in row))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def export_xlsx(values) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("数据")
    ws.append(EXPORT_HEADER)
    for row in export_rows(values):
        ws.append(xlsx_row(ws, [float(c) if isinstance(c, Decimal) else c for c in row]))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
