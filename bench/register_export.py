"""Speed of a register export as the page serves it (docs/benchmarks.md, "Register export").

    DUCHA_DATA_DIR=$PWD/var python bench/register_export.py [--register enterprises] [--runs 5]

Needs a database with the demo loaded (`ducha migrate && ducha demo`: 5,001 enterprises, three
years of revenue each). Times GET /registers/<register>/export.xlsx and .csv as the office,
through Django's test client (the whole view, no network), and prints medians. The baseline,
measured in the same run, is openpyxl alone writing the same rows (write-only mode) from
plain lists already in memory: the floor an XLSX export cannot go below.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ducha.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402


def timed(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--register", default="enterprises")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    from ducha.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="office"))
    url = f"/registers/{args.register}/export"
    client.get(f"{url}.csv")  # warm caches (content types, sessions, translations)

    xlsx_s, body = timed(lambda: client.get(f"{url}.xlsx").content, args.runs)
    csv_s, _ = timed(lambda: client.get(f"{url}.csv").content, args.runs)
    sheets = {
        ws.title: list(ws.iter_rows(values_only=True)) for ws in load_workbook(io.BytesIO(body))
    }
    rows = sum(len(r) - 1 for r in sheets.values())

    def openpyxl_alone():
        wb = Workbook(write_only=True)
        for title, sheet_rows in sheets.items():
            ws = wb.create_sheet(title)
            for row in sheet_rows:
                ws.append(row)
        wb.save(io.BytesIO())

    base_s, _ = timed(openpyxl_alone, args.runs)
    print(f"{args.register}: {rows} rows in {len(sheets)} sheets, medians of {args.runs}")
    print(f"  openpyxl alone (baseline) {base_s:.2f} s")
    print(f"  export.xlsx               {xlsx_s:.2f} s  ({xlsx_s / base_s:.1f}x)")
    print(f"  export.csv                {csv_s:.2f} s")


if __name__ == "__main__":
    main()
