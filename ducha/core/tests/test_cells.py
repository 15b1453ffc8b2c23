"""Spreadsheet cells the project writes never carry a live formula."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from ducha.core.cells import put, safe_cell, xlsx_row


@pytest.mark.parametrize("text", ["=1+1", "+86 22", "-x", "@SUM(A1)", "\tx", "\rx"])
def test_csv_cells_starting_like_a_formula_get_a_leading_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", [-5, 1.5, 0, None, dt.date(2019, 3, 1), "天津", "a=b"])
def test_numbers_dates_and_plain_text_are_left_alone(value):
    assert safe_cell(value) == value


def test_xlsx_cells_starting_like_a_formula_are_stored_as_text():
    wb = Workbook()
    ws = wb.active
    ws.append(xlsx_row(ws, ["=1+1", -5, "ok"]))
    put(ws["A2"], "@SUM(A1)")
    out = io.BytesIO()
    wb.save(out)
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    assert (sheet["A1"].value, sheet["A1"].data_type) == ("=1+1", "s")
    assert (sheet["B1"].value, sheet["B1"].data_type) == (-5, "n")
    assert (sheet["A2"].value, sheet["A2"].data_type) == ("@SUM(A1)", "s")
