"""Speed of the registers (docs/benchmarks.md, "Registers").

    python bench/registers.py recompute [--enterprises 1000000] [--runs 3]
    python bench/registers.py import [--rows 100000] [--runs 3]

`recompute`: every computed indicator of the Tianjin plan over N enterprises with three years
of revenue each (and a tier for one in twenty), aggregated in SQL. Target: under 5 s. The
baseline, measured in the same run, does the same database work: the grouped queries the
recompute sends, run bare (no folding into periods, no values written). On a database that
already holds enterprises (bench/scale.py's: DUCHA_DATABASE_URL or DUCHA_DATA_DIR naming it)
it measures that database as it stands, with its values beside the register, every run in a
transaction rolled back; --enterprises is then ignored.

`import`: an XLSX of N enterprise rows (name, credit code, district, park, industry, date,
three years of revenue) imported through the same service the page and command use, all or
nothing. Target: under 60 s, reported as a ratio to openpyxl alone reading the same file.

Runs on SQLite in a temporary directory, or on PostgreSQL when DUCHA_DATABASE_URL is set
(scripts/pg_temp.sh starts a throwaway one). Prints medians.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DUCHA_DATA_DIR", tempfile.mkdtemp(prefix="ducha-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ducha.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from ducha.engine.creditcode import make_code  # noqa: E402

INDUSTRIES = ["robot", "software", "hardware", "sensor", "vrar", "icv", "manufacturing", "health"]


def setup() -> None:
    call_command("migrate", verbosity=0)
    from ducha.orgunits.services import TIANJIN_FILE, load_orgunit_file
    from ducha.parks.services import load_park_file
    from ducha.plans.services import load_plan_file

    load_orgunit_file(TIANJIN_FILE)
    load_plan_file(TIANJIN_FILE.parent / "tianjin-2018" / "plan.yaml")
    load_park_file()


def districts() -> list[tuple[int, str]]:
    from ducha.orgunits.models import OrgUnit

    return list(OrgUnit.objects.filter(kind="district").values_list("pk", "code"))


def credit_code(i: int, division: str) -> str:
    return make_code(f"91{division}{i:09d}")


def fill(n: int) -> None:
    with transaction.atomic():
        _fill(n)


def _fill(n: int) -> None:
    """N enterprises, 3 years of revenue each, a tier for one in twenty: straight into the
    tables (COPY on PostgreSQL), as a register of that size would have been loaded over years."""
    rng = random.Random(1)
    ds = districts()
    now = "2024-01-01 00:00:00+00:00"
    ent, years, tiers = [], [], []
    for i in range(1, n + 1):
        pk, division = ds[i % len(ds)]
        industry = INDUSTRIES[i % len(INDUSTRIES)]
        ent.append((i, f"企业{i:07d}有限公司", credit_code(i, division), pk, industry, now, now))
        for y, year in enumerate((2018, 2019, 2020)):
            years.append((i * 3 + y, i, year, round(rng.uniform(10, 5000), 2)))
        if i % 20 == 0:
            tiers.append(
                (i, i, "leader" if i % 40 else "gazelle", f"{2017 + i % 4}-0{1 + i % 9}-01")
            )
    _load(
        "enterprises_enterprise",
        ["id", "name", "credit_code", "district_id", "main_industry", "created_at", "updated_at"],
        ent,
        defaults={"is_demo": False, "note": "", "address": ""},
    )
    _load("enterprises_enterpriseyear", ["id", "enterprise_id", "year", "revenue"], years)
    _load(
        "enterprises_enterprisetier",
        ["id", "enterprise_id", "tier", "since"],
        tiers,
        defaults={"note": ""},
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _load(table: str, columns: list[str], rows: list[tuple], defaults: dict | None = None) -> None:
    defaults = defaults or {}
    columns = columns + list(defaults)
    extra = tuple(defaults.values())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row + extra)
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
            for i in range(0, len(rows), 50_000):
                cursor.executemany(sql, [r + extra for r in rows[i : i + 50_000]])


def median_time(fn, runs: int, before=None) -> tuple[float, object]:
    """Median wall time of `fn` over `runs`; `before` runs untimed ahead of each."""
    times, result = [], None
    for _ in range(runs):
        if before is not None:
            before()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


class _RolledBack(Exception):
    pass


def rolled_back(fn):
    """Run `fn` in a transaction rolled back afterwards; returns what it returned."""
    out = []
    try:
        with transaction.atomic():
            out.append(fn())
            raise _RolledBack
    except _RolledBack:
        pass
    return out[0]


def existing_enterprises() -> int:
    """How many enterprises the database holds already (0: a database this script fills)."""
    from django.db.utils import OperationalError, ProgrammingError

    from ducha.enterprises.models import Enterprise

    try:
        return Enterprise.all_objects.count()
    except (OperationalError, ProgrammingError):  # not migrated yet
        return 0


def bench_recompute(n: int, runs: int) -> None:
    """On a database this script fills (every value new, then nothing changed), or on one
    that already holds enterprises, e.g. bench/scale.py's (as it stands, then nothing changed,
    every run in a transaction rolled back, so the database is left as it was)."""
    import datetime as dt

    from django.test.utils import CaptureQueriesContext

    from ducha.datavalues.models import ApprovedValue, DataValue
    from ducha.registers.services import recompute

    today = dt.date(2021, 6, 30)
    held = existing_enterprises()
    existing = held > 0
    if existing:
        from ducha.enterprises.models import EnterpriseYear

        figures = EnterpriseYear.objects.count()
        print(
            f"existing database: {held:,} enterprises, {figures:,} yearly figures, "
            f"{DataValue.objects.count():,} values, {ApprovedValue.objects.count():,} approvals "
            "(measured as they stand, every run rolled back)"
        )
    else:
        setup()
        start = time.perf_counter()
        fill(n)
        held, figures = n, 3 * n
        print(
            f"loaded {n:,} enterprises, {figures:,} yearly figures in "
            f"{time.perf_counter() - start:.1f} s"
        )

    # The same-work baseline: the grouped queries the recompute itself sends (the same rows,
    # filters and grouping), run bare; the recompute adds folding them into periods and
    # districts and writing the values. (A bare SUM over the table did less work.)
    def capture():
        with CaptureQueriesContext(connection) as sent:
            recompute(None, today=today)
        return [q["sql"] for q in sent.captured_queries if "GROUP BY" in q["sql"]]

    grouped = rolled_back(capture)

    def baseline():
        with connection.cursor() as cursor:
            for sql in grouped:
                cursor.execute(sql)
                cursor.fetchall()

    def timed():
        t = time.perf_counter()
        report = recompute(None, today=today)
        return time.perf_counter() - t, report

    def first_then_again():
        if not existing:
            ApprovedValue.objects.all().delete()
            DataValue.objects.all().delete()
        return timed(), timed()

    base, _ = median_time(baseline, runs)
    pairs = [rolled_back(first_then_again) for _ in range(runs)]
    first = statistics.median(a[0] for a, _b in pairs)
    again = statistics.median(b[0] for _a, b in pairs)
    report, unchanged = pairs[-1][0][1], pairs[-1][1][1]
    print(f"database: {connection.vendor}")
    print(
        f"computed indicators: {report.indicators}, values: {report.values}, "
        f"changed by the first recompute: {report.changed}, by the second: {unchanged.changed}"
    )
    print(
        f"baseline: the recompute's {len(grouped)} grouped queries run bare over {figures:,} "
        f"yearly figures and {held:,} enterprises: {base:.3f} s (median of {runs})"
    )
    what = "as the database stands" if existing else "every value new"
    print(f"recompute, {what + ':':<24} {first:.3f} s  ratio {first / base:.1f}x  (target < 5 s)")
    print(f"recompute, {'nothing changed:':<24} {again:.3f} s  ratio {again / base:.1f}x")


def make_xlsx(rows: int) -> bytes:
    from openpyxl import Workbook

    rng = random.Random(2)
    names = ["和平区", "河西区", "南开区", "滨海新区", "西青区", "武清区", "东丽区", "北辰区"]
    codes = {
        "和平区": "120101",
        "河西区": "120103",
        "南开区": "120104",
        "滨海新区": "120116",
        "西青区": "120111",
        "武清区": "120114",
        "东丽区": "120110",
        "北辰区": "120113",
    }
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("企业")
    ws.append(
        [
            "企业名称",
            "统一社会信用代码",
            "所在区",
            "所在园区",
            "主导产业",
            "落户日期",
            "2018年营业收入(万元)",
            "2019年营业收入(万元)",
            "2020年营业收入(万元)",
        ]
    )
    industries = ["智能机器人", "智能软件", "智能硬件", "智能传感器", "虚拟现实与增强现实"]
    for i in range(1, rows + 1):
        district = names[i % len(names)]
        ws.append(
            [
                f"天津导入测试{i:06d}科技有限公司",
                credit_code(i + 5_000_000, codes[district]),
                district,
                "滨海高新区" if district == "滨海新区" and i % 3 == 0 else None,
                "智能软件" if district == "滨海新区" and i % 3 == 0 else industries[i % 5],
                f"{2010 + i % 10}.{1 + i % 12}",
                rng.randint(10, 9000),
                rng.randint(10, 9000),
                rng.randint(10, 9000),
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def bench_import(rows: int, runs: int) -> None:
    from openpyxl import load_workbook

    from ducha.registers import base
    from ducha.registers.services import import_register

    setup()
    data = make_xlsx(rows)
    print(f"XLSX of {rows:,} rows: {len(data) / 1e6:.1f} MB")

    def openpyxl_only():
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        n = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))
        wb.close()
        return n

    def clear():  # untimed: every run imports into a register without these enterprises
        from ducha.audit.models import AuditEntry
        from ducha.datavalues.models import ApprovedValue, DataValue

        with connection.cursor() as cursor:
            for model in (ApprovedValue, DataValue, AuditEntry):
                cursor.execute(f"DELETE FROM {model._meta.db_table}")
            for table in (
                "enterpriseindustry",
                "enterprisetier",
                "enterpriseyear",
                "rankinglisting",
                "enterprise",
            ):
                cursor.execute(f"DELETE FROM enterprises_{table}")

    def full():
        return import_register(None, base.get("enterprises"), "bench.xlsx", data)

    base_t, n = median_time(openpyxl_only, runs)
    imp_t, report = median_time(full, runs, before=clear)
    print(f"database: {connection.vendor}")
    print(f"openpyxl alone reading {n - 1:,} rows: {base_t:.2f} s (median of {runs})")
    print(
        f"import (check, write, recompute): {imp_t:.2f} s  ratio {imp_t / base_t:.1f}x  "
        f"(target < 60 s); {report.created:,} created, {report.recomputed} values changed"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    r = sub.add_parser("recompute")
    r.add_argument("--enterprises", type=int, default=1_000_000)
    r.add_argument("--runs", type=int, default=3)
    i = sub.add_parser("import")
    i.add_argument("--rows", type=int, default=100_000)
    i.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if args.what == "recompute":
        bench_recompute(args.enterprises, args.runs)
    else:
        bench_import(args.rows, args.runs)


if __name__ == "__main__":
    main()
