"""Fixtures for the register tests: the Tianjin plan and parks, and files to import."""

import io

import pytest
from openpyxl import Workbook

from ducha.engine.creditcode import make_code


@pytest.fixture
def registers(tianjin_plan):
    from ducha.parks.services import load_park_file

    load_park_file()
    return tianjin_plan


def code(division: str, org: str) -> str:
    """A valid credit code registered in `division` with organisation code body `org`."""
    return make_code(f"91{division}{org}")


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.strip().encode(encoding)


def xlsx_bytes(sheets: dict[str, list[list]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def run_import(key: str, data: bytes, name: str = "file.csv", actor=None, **kw):
    from ducha.registers import base
    from ducha.registers.services import import_register

    return import_register(actor, base.get(key), name, data, **kw)


def problems_of(key: str, data: bytes, name: str = "file.csv", actor=None) -> list[str]:
    from ducha.core.tables import ImportError_

    with pytest.raises(ImportError_) as exc:
        run_import(key, data, name, actor)
    return [str(p) for p in exc.value.problems]


@pytest.fixture(autouse=True)
def english_messages():
    """Problems are asserted in English (the source language); pages render in Chinese."""
    from django.utils import translation

    with translation.override("en"):
        yield
